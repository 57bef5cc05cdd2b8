"""The public calendar of showcases at the atelier, with a calendar feed to subscribe to."""

import streamlit as st

from directory import addresses
from directory.clock import to_paris
from directory.i18n import format_datetime, format_number
from directory.showcase import showcases, slot_label, upcoming_and_past
from directory.ui import (
    _,
    current_language,
    engine,
    language_params,
    page_file,
    site_url,
    text_to_copy,
)
from directory.ui.cards import showcase_html
from directory.ui.forms import kept_page, page_number_box

PAGE_SIZE = 10

language = current_language()
st.title(_("Agenda des vitrines"))
st.markdown(_("Chaque semaine, des startups du territoire présentent leurs innovations au public "
              "à l'Atelier Numérique, place Jean-Moulin. Entrée libre."))

upcoming, past = upcoming_and_past(showcases(engine()))

site = site_url()
feed = addresses.calendar_feed(site, language)
with st.container(border=True):
    st.subheader(_("S'abonner à l'agenda"))
    st.markdown(_("Votre calendrier (Google Agenda, Outlook, Apple Calendrier, Thunderbird…) suit alors "
                  "l'agenda : nouvelles vitrines, changements d'horaire et annulations y apparaissent d'eux-mêmes."))
    st.link_button(_("S'abonner"), addresses.webcal(feed), icon=":material/calendar_add_on:")
    st.caption(_("Ou copiez cette adresse dans votre calendrier (« Ajouter un agenda par URL ») :"))
    text_to_copy(feed)

st.header(_("À venir"))
if not upcoming:
    st.info(_("Aucune vitrine programmée pour le moment."))
page = kept_page("calendar_page", size=PAGE_SIZE, total=len(upcoming))
for show in upcoming[page.offset:page.last]:
    with st.container(border=True):
        st.html(showcase_html(show, slot_label(show["starts_at"], show["ends_at"], language, show["theme"]),
                              site=site, language=language, _=_))
        if show["accepts_applications"]:
            deadline = format_datetime(to_paris(show["applications_close_at"]), language, style="d MMMM y, HH:mm")
            st.caption(_("Candidatures ouvertes jusqu'au {deadline}.", deadline=deadline))
            st.page_link(page_file("apply"), label=_("Candidater pour cette vitrine"), icon=":material/rocket_launch:",
                         query_params=language_params())
        else:
            st.caption(_("Candidatures closes pour cette vitrine."))
        calendar_column, page_column = st.columns(2)
        calendar_column.link_button(_("Ajouter à mon calendrier"),
                                    addresses.with_query(f"{site}vitrines/{show['id']}.ics", {}, language),
                                    icon=":material/event:")
        page_column.link_button(_("Page de la vitrine (à partager)"),
                                addresses.showcase_page(site, show["id"], language), icon=":material/link:")

if page.pages > 1:
    st.caption(_("Vitrines {first} à {last} sur {total}", first=format_number(page.first, language),
                 last=format_number(page.last, language), total=format_number(page.total, language)))
    page_number_box(page, "calendar_page")

with st.expander(_("Vitrines passées ({count})", count=len(past))):
    if len(past) > PAGE_SIZE:
        st.caption(_("Les {shown} plus récentes sur {count}.", shown=PAGE_SIZE,
                     count=format_number(len(past), language)))
    for show in reversed(past[-PAGE_SIZE:]):
        st.html(showcase_html(show, slot_label(show["starts_at"], show["ends_at"], language, show["theme"]),
                              site=site, language=language, _=_))
