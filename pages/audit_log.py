"""Staff see what happened: who did what, when, and what changed (read-only)."""

import streamlit as st

from directory.audit import AuditFilters, actors
from directory.journal import ENTITY_LABELS, actor_names, journal
from directory.ui import _, current_language, engine, n_
from directory.ui.auth import require_staff

require_staff()
language = current_language()
st.title(_("Journal des actions"))
st.caption(_("Chaque décision, modification, import et connexion est enregistré ici ; rien ne peut y être "
             "modifié ni supprimé depuis l'application."))

names = actor_names(engine(), actors(engine()), language)
person_column, kind_column, first_column, last_column = st.columns(4)
people = person_column.multiselect(_("Personnes"), sorted(names, key=names.get), key="audit_people",
                                   format_func=names.get, placeholder=_("Toutes"))
chosen_kinds = kind_column.multiselect(_("Objets"), list(ENTITY_LABELS),
                                       format_func=lambda kind: _(ENTITY_LABELS[kind]),
                                       key="audit_kinds", placeholder=_("Tous"))
first_day = first_column.date_input(_("Depuis le"), value=None, key="audit_first", format="DD/MM/YYYY")
last_day = last_column.date_input(_("Jusqu'au"), value=None, key="audit_last", format="DD/MM/YYYY")

log = journal(engine(), AuditFilters(actors=tuple(people), entities=tuple(chosen_kinds), first_day=first_day,
                                     last_day=last_day), language)
st.caption(n_("{count} événement, les plus récents d'abord (1 000 au plus).",
              "{count} événements, les plus récents d'abord (1 000 au plus).", len(log)))
st.dataframe(log, hide_index=True, width="stretch", column_config={
    "at": _("Quand"), "actor": _("Qui"), "action": _("Action"), "entity": _("Objet"), "entity_id": _("N°"),
    "changes": st.column_config.TextColumn(_("Ce qui a changé"), width="large")})
