"""Staff see the ecosystem, the showcases and the programme's registrations at a glance."""

from datetime import date

import pandas as pd
import streamlit as st

from directory import stats
from directory.clock import to_paris
from directory.i18n import format_date, format_datetime, format_number, format_percent
from directory.listings import count_to_check, tag_label, verification_ages
from directory.programme import registration_counts
from directory.showcase import attendance_counts, slot_label, unconfirmed_soon
from directory.ui import _, current_language, engine, n_
from directory.ui.auth import require_staff
from directory.ui.cards import kind_label
from directory.ui.charts import bar_table
from directory.validation import phone_for_display

require_staff()
language = current_language()


def as_count(value: float) -> str:
    return format_number(int(value), language)


def month_name(first_day: date) -> str:
    return format_date(first_day, language, style="MMMM y")


st.title(_("Tableau de bord"))

figures = stats.dashboard(engine())
first, second, third, fourth = st.columns(4)
first.metric(_("Partenaires publiés"), as_count(figures.published_partners))
second.metric(_("Candidatures"), as_count(figures.applications))
third.metric(_("Taux d'acceptation"), "—" if figures.acceptance_rate is None
             else format_percent(figures.acceptance_rate, language))
fourth.metric(_("Délai médian de décision"),
              "—" if figures.median_days_to_decision is None
              else _("{days} j", days=format_number(round(figures.median_days_to_decision, 1), language)))


presence = attendance_counts(engine())
first, second, third = st.columns(4)[:3]
first.metric(_("Venues confirmées"), as_count(presence["confirmed"]))
second.metric(_("Startups venues présenter"), as_count(presence["attended"]))
third.metric(_("Absences"), as_count(presence["no_show"]))
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

st.header(_("Programme de l'atelier : inscriptions"))
sessions = registration_counts(engine())
if sessions.empty:
    st.caption(_("Aucune séance au programme pour le moment."))
else:
    first, second, third, fourth = st.columns(4)
    first.metric(_("Séances au programme"), as_count(len(sessions)))
    second.metric(_("Inscriptions"), as_count(sessions["registered"].sum()))
    third.metric(_("En liste d'attente"), as_count(sessions["waiting"].sum()))
    fourth.metric(_("Absences notées"), as_count(sessions["no_show"].sum()))
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


st.header(_("Annuaire et candidatures"))  # each chart's title below it is an h3
kind_labels = {kind: kind_label(kind, _) for kind in figures.partners_by_kind.index}
left, right = st.columns(2)
with left:
    bar_table(_("Partenaires par type"), figures.partners_by_kind.rename(index=kind_labels),
              label_header=_("Type"), value_header=_("Partenaires"), figure=as_count)
with right:
    bar_table(_("Partenaires par secteur (10 premiers)"),
              figures.partners_by_sector.rename(index=lambda sector: tag_label(sector, language)),
              label_header=_("Secteur"), value_header=_("Partenaires"), figure=as_count)
left, right = st.columns(2)
with left:
    bar_table(_("Candidatures par mois"), figures.applications_by_month.rename(index=month_name),
              label_header=_("Mois"), value_header=_("Candidatures"), figure=as_count)
with right:
    slot_start = "EEE d MMM y, HH:mm"
    bar_table(_("Remplissage des créneaux"),
              figures.slot_fill.rename(index=lambda start: format_datetime(start, language, style=slot_start)),
              label_header=_("Créneau"), value_header=_("Places prises"),
              figure=lambda share: format_percent(share / 100, language), maximum=100)
left, right = st.columns(2)
with left:
    ages = verification_ages(engine())
    bar_table(_("Fiches publiées, par date de leur dernière vérification"),
              pd.Series({_(label): count for label, count in ages.items()}), label_header=_("Vérifiée il y a"),
              value_header=_("Fiches"), figure=as_count)
with right:
    st.subheader(_("Fiches à vérifier"))
    st.metric(_("Fiches de l'onglet « À vérifier »"), as_count(count_to_check(engine())))
