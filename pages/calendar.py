"""The public calendar of showcases at the atelier, with iCalendar exports."""

import streamlit as st

from directory import exports
from directory.clock import utcnow
from directory.showcase import showcases, slot_label
from directory.ui import _, current_language, engine
from directory.ui.cards import showcase_html

language = current_language()
st.title(_("Agenda des vitrines"))
st.markdown(_("Chaque semaine, des startups du territoire présentent leurs innovations au public "
              "à l'Atelier Numérique, place Jean-Moulin. Entrée libre."))

everything = showcases(engine())
now = utcnow()
upcoming = [show for show in everything if show["ends_at"] > now]
past = [show for show in everything if show["ends_at"] <= now]

st.download_button(_("Ajouter tout l'agenda à mon calendrier (.ics)"),
                   lambda: exports.showcases_ics(upcoming, language), file_name="vitrines-atelier.ics",
                   mime="text/calendar", icon=":material/calendar_add_on:")

st.header(_("À venir"))
if not upcoming:
    st.info(_("Aucune vitrine programmée pour le moment."))
for show in upcoming:
    with st.container(border=True):
        st.html(showcase_html(show, slot_label(show["starts_at"], show["ends_at"], language, show["theme"]), _))
        st.download_button(_("Ajouter à mon calendrier"), exports.showcases_ics([show], language),
                           file_name=f"vitrine-{show['id']}.ics", mime="text/calendar",
                           key=f"calendar_ics_{show['id']}", icon=":material/event:")

with st.expander(_("Vitrines passées ({count})", count=len(past))):
    for show in reversed(past):
        st.html(showcase_html(show, slot_label(show["starts_at"], show["ends_at"], language, show["theme"]), _))
