"""Staff see what happened: who did what, when, with the values before and after (read-only)."""

import json

import streamlit as st

from directory.audit import AuditFilters, actors, events
from directory.clock import to_paris
from directory.i18n import format_datetime
from directory.ui import _, current_language, engine, n_
from directory.ui.auth import require_staff

require_staff()
language = current_language()
st.title(_("Journal des actions"))
st.caption(_("Chaque décision, modification et import est enregistré ici ; rien ne peut y être modifié "
             "ni supprimé depuis l'application."))

kinds = {"application": _("Candidatures"), "partner": _("Fiches"), "slot": _("Créneaux"), "staff": _("Comptes")}
person_column, kind_column, first_column, last_column = st.columns(4)
people = person_column.multiselect(_("Personnes"), actors(engine()), key="audit_people")
chosen_kinds = kind_column.multiselect(_("Objets"), list(kinds), format_func=kinds.get, key="audit_kinds")
first_day = first_column.date_input(_("Depuis le"), value=None, key="audit_first", format="DD/MM/YYYY")
last_day = last_column.date_input(_("Jusqu'au"), value=None, key="audit_last", format="DD/MM/YYYY")

log = events(engine(), AuditFilters(actors=tuple(people), entities=tuple(chosen_kinds),
                                    first_day=first_day, last_day=last_day))
st.caption(n_("{count} événement, les plus récents d'abord (1 000 au plus).",
                "{count} événements, les plus récents d'abord (1 000 au plus).", len(log)))


def readable(values: str) -> str:
    return ", ".join(f"{key}={value}" for key, value in json.loads(values).items()) if values else ""


if not log.empty:
    log = log.assign(
        at=[format_datetime(to_paris(moment), language, style="short") for moment in log["at"]],
        entity=[kinds.get(entity, entity) for entity in log["entity"]],
        before=log["before"].map(readable), after=log["after"].map(readable),
    )
st.dataframe(log, hide_index=True, width="stretch", column_config={
    "id": None, "at": _("Quand"), "actor": _("Qui"), "action": _("Action"), "entity": _("Objet"),
    "entity_id": _("N°"), "before": _("Avant"), "after": _("Après")})
