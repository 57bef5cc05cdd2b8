"""Staff see the ecosystem, the showcases and the programme's registrations at a glance."""

import pandas as pd
import streamlit as st

from directory import stats
from directory.clock import to_paris
from directory.i18n import format_datetime, format_number, format_percent
from directory.listings import count_to_check, tag_label, verification_ages
from directory.programme import registration_counts
from directory.showcase import attendance_counts, slot_label, unconfirmed_soon
from directory.ui import _, current_language, engine, n_
from directory.ui.auth import require_staff
from directory.ui.cards import kind_label
from directory.validation import phone_for_display

require_staff()
language = current_language()
st.title(_("Tableau de bord"))

figures = stats.dashboard(engine())
first, second, third, fourth = st.columns(4)
first.metric(_("Partenaires publiés"), figures.published_partners)
second.metric(_("Candidatures"), figures.applications)
third.metric(_("Taux d'acceptation"), "—" if figures.acceptance_rate is None
             else format_percent(figures.acceptance_rate, language))
fourth.metric(_("Délai médian de décision"),
              "—" if figures.median_days_to_decision is None
              else _("{days} j", days=format_number(round(figures.median_days_to_decision, 1), language)))


presence = attendance_counts(engine())
first, second, third = st.columns(4)[:3]
first.metric(_("Venues confirmées"), presence["confirmed"])
second.metric(_("Startups venues présenter"), presence["attended"])
third.metric(_("Absences"), presence["no_show"])
waiting = unconfirmed_soon(engine())
if not waiting.empty:
    st.warning(n_("{count} startup présente dans les 48 heures sans avoir confirmé sa venue :",
                  "{count} startups présentent dans les 48 heures sans avoir confirmé leur venue :", len(waiting)),
               icon=":material/notification_important:")
    st.dataframe(waiting.assign(when=[slot_label(s.starts_at, s.ends_at, language) for s in waiting.itertuples()],
                                contact_phone=waiting["contact_phone"].map(phone_for_display))
                 [["organisation", "contact_name", "contact_phone", "contact_email", "when"]], hide_index=True,
                 width="stretch", column_config={"organisation": _("Startup"), "contact_name": _("Contact"),
                                                 "contact_phone": _("Téléphone"), "contact_email": _("E-mail"),
                                                 "when": _("Vitrine")})

st.subheader(_("Programme de l'atelier : inscriptions"))
sessions = registration_counts(engine())
if sessions.empty:
    st.caption(_("Aucune séance au programme pour le moment."))
else:
    first, second, third, fourth = st.columns(4)
    first.metric(_("Séances au programme"), len(sessions))
    second.metric(_("Inscriptions"), int(sessions["registered"].sum()))
    third.metric(_("En liste d'attente"), int(sessions["waiting"].sum()))
    fourth.metric(_("Absences notées"), int(sessions["no_show"].sum()))
    counted = ["registered", "waiting", "attended", "no_show"]
    labels = {"partner": _("Partenaire"), "title": _("Séance"), "when": _("Quand"), "places": _("Places"),
              "registered": _("Inscrits"), "waiting": _("En attente"), "attended": _("Venus"), "no_show": _("Absents")}
    per_session, per_partner = st.tabs([_("Par séance"), _("Par partenaire")])
    per_session.dataframe(sessions.assign(when=[format_datetime(to_paris(moment), language, style="d MMM y, HH:mm")
                                                for moment in sessions["starts_at"]])
                          [["when", "title", "partner", "places", *counted]], hide_index=True, width="stretch",
                          column_config=labels)
    per_partner.dataframe(sessions.groupby("partner", as_index=False)[["places", *counted]].sum(), hide_index=True,
                          width="stretch", column_config=labels)


def chart(title: str, series, **options) -> None:
    st.subheader(title)
    if series.empty:
        st.caption(_("Pas encore de données."))
    else:
        st.bar_chart(series, **options)


kind_labels = {kind: kind_label(kind, _) for kind in figures.partners_by_kind.index}
left, right = st.columns(2)
with left:
    chart(_("Partenaires par type"), figures.partners_by_kind.rename(index=kind_labels), horizontal=True,
          sort="-partners", x_label=_("partenaires"), y_label="")
with right:
    chart(_("Partenaires par secteur (10 premiers)"),
          figures.partners_by_sector.rename(index=lambda sector: tag_label(sector, language)), horizontal=True,
          sort="-partners", x_label=_("partenaires"), y_label="")
left, right = st.columns(2)
with left:
    chart(_("Candidatures par mois"), figures.applications_by_month, sort=False, x_label=_("mois"),
          y_label=_("candidatures"))
with right:
    chart(_("Remplissage des créneaux"), figures.slot_fill, sort=False, x_label=_("créneau"),
          y_label=_("places prises (%)"))
left, right = st.columns(2)
with left:
    ages = verification_ages(engine())
    chart(_("Fiches publiées, par date de leur dernière vérification"),
          pd.Series({_(label): count for label, count in ages.items()}, name="listings"), sort=False,
          x_label=_("vérifiée il y a"), y_label=_("fiches"))
with right:
    st.subheader(_("Fiches à vérifier"))
    st.metric(_("Fiches de l'onglet « À vérifier »"), count_to_check(engine()))
