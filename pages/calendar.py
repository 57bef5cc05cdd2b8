"""The atelier's agenda: the startups' showcases and the partners' sessions in one time order,
filtered by kind and audience, with places left, and calendar feeds to subscribe to."""

import streamlit as st

from directory import addresses
from directory.clock import to_paris
from directory.i18n import format_datetime, format_number
from directory.models import AUDIENCE_LABELS, Audience
from directory.programme import AGENDA_KIND_LABELS, SHOWCASE, atelier_agenda, programme_feed, session_page
from directory.showcase import slot_label
from directory.ui import (
    _,
    current_language,
    engine,
    language_params,
    page_file,
    site_url,
    text_to_copy,
)
from directory.ui.cards import session_html, showcase_html
from directory.ui.forms import kept_page, page_number_box

PAGE_SIZE = 10

language = current_language()
site = site_url()
st.title(_("Agenda de l'atelier"))
st.markdown(_("À l'Atelier Numérique, place Jean-Moulin, des startups du territoire présentent leurs innovations, "
              "et les partenaires de l'atelier animent des ateliers pratiques, des conférences et des permanences, "
              "pour tous les publics. Gratuit ; les séances se font sur inscription."))

kind_labels = {kind: _(label) for kind, label in AGENDA_KIND_LABELS.items()}
# "Tout public" sessions show whatever audience is chosen: it is not a filter of its own.
audience_labels = {audience.value: _(AUDIENCE_LABELS[audience]) for audience in Audience
                   if audience != Audience.EVERYONE}
kinds = st.pills(_("Type"), list(kind_labels), key="agenda_kinds", format_func=kind_labels.get, selection_mode="multi")
audiences = st.pills(_("Public"), list(audience_labels), key="agenda_audiences", format_func=audience_labels.get,
                     selection_mode="multi")
upcoming, past = atelier_agenda(engine(), kinds=kinds, audiences=audiences)


def draw(kind: str, entry: dict) -> None:
    when = slot_label(entry["starts_at"], entry["ends_at"], language, entry.get("theme", ""))
    if kind == SHOWCASE:
        st.html(showcase_html(entry, f"{kind_labels[SHOWCASE]} — {when}", site=site, language=language, _=_))
        return
    st.html(session_html(entry, when, site=site, language=language, _=_))


with st.container(border=True):
    st.subheader(_("S'abonner à l'agenda"))
    st.markdown(_("Votre calendrier (Google Agenda, Outlook, Apple Calendrier, Thunderbird…) suit alors l'agenda : "
                  "nouvelles dates, changements d'horaire et annulations y apparaissent d'eux-mêmes."))
    feed = programme_feed(site, language, kind=kinds[0] if len(kinds) == 1 and kinds[0] != SHOWCASE else "",
                          audience=audiences[0] if len(audiences) == 1 else "")
    showcases_feed = addresses.calendar_feed(site, language)
    showcases_column, sessions_column = st.columns(2)
    showcases_column.link_button(_("Vitrines des startups"), addresses.webcal(showcases_feed),
                                 icon=":material/calendar_add_on:")
    sessions_column.link_button(_("Séances des partenaires"), addresses.webcal(feed), icon=":material/calendar_add_on:")
    st.caption(_("Ou copiez une adresse dans votre calendrier (« Ajouter un agenda par URL ») :"))
    text_to_copy(showcases_feed)
    text_to_copy(feed)

st.header(_("À venir"))
if not upcoming:
    st.info(_("Rien de programmé pour ces choix pour le moment."))
page = kept_page("calendar_page", size=PAGE_SIZE, total=len(upcoming))
for kind, entry in upcoming[page.offset:page.last]:
    with st.container(border=True):
        draw(kind, entry)
        if kind == SHOWCASE:
            if entry["accepts_applications"]:
                deadline = format_datetime(to_paris(entry["applications_close_at"]), language, style="d MMMM y, HH:mm")
                st.caption(_("Candidatures ouvertes jusqu'au {deadline}.", deadline=deadline))
                st.page_link(page_file("apply"), label=_("Candidater pour cette vitrine"),
                             icon=":material/rocket_launch:", query_params=language_params())
            else:
                st.caption(_("Candidatures closes pour cette vitrine."))
            calendar_column, page_column = st.columns(2)
            calendar_column.link_button(_("Ajouter à mon calendrier"), addresses.with_query(
                addresses.at(site, "showcase_calendar", slot_id=entry["id"]), {}, language), icon=":material/event:")
            page_column.link_button(_("Page de la vitrine (à partager)"),
                                    addresses.showcase_page(site, entry["id"], language), icon=":material/link:")
        else:
            if entry["takes_registrations"]:
                st.page_link(page_file("registration"), icon=":material/how_to_reg:",
                             label=_("S'inscrire") if entry["places_left"] else _("Rejoindre la liste d'attente"),
                             query_params={"seance": entry["slug"], **language_params()})
            calendar_column, page_column = st.columns(2)
            calendar_column.link_button(_("Ajouter à mon calendrier"), addresses.with_query(
                addresses.at(site, "session_calendar", slug=entry["slug"]), {}, language), icon=":material/event:")
            page_column.link_button(_("Page de la séance (à partager)"), session_page(site, entry["slug"], language),
                                    icon=":material/link:")

if page.pages > 1:
    st.caption(_("Dates {first} à {last} sur {total}", first=format_number(page.first, language),
                 last=format_number(page.last, language), total=format_number(page.total, language)))
    page_number_box(page, "calendar_page")

with st.expander(_("Dates passées ({count})", count=len(past))):
    if len(past) > PAGE_SIZE:
        st.caption(_("Les {shown} plus récentes sur {count}.", shown=PAGE_SIZE,
                     count=format_number(len(past), language)))
    for kind, entry in reversed(past[-PAGE_SIZE:]):
        draw(kind, entry)
