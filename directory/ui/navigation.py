"""The navigation script `app.py`'s st.App runs for every visitor: page setup, language,
database, and the pages this visitor may open.

It lives in the package, not beside `pages/`: a `pages` folder next to the main script would put
the process's first run in Streamlit's old multipage mode (a first visitor's deep link met "Page
not found", and page files opened without this script's checks)."""

import streamlit as st
from sqlalchemy.exc import OperationalError

from directory.addresses import PAGES
from directory.db import DatabaseUnavailable
from directory.i18n import LANGUAGE_NAMES, LANGUAGES
from directory.models import StaffRole
from directory.ui import (
    _,
    as_markdown_text,
    choose_language,
    current_language,
    engine,
    keep_background_work_running,
    keep_language_in_url,
    page_file,
)
from directory.ui.auth import LEAVING_KEY, go_to, sign_out, signed_in_staff
from directory.ui.chrome import page_chrome, sidebar_navigation

try:
    staff = signed_in_staff()
    database_error = None
except DatabaseUnavailable as error:
    staff, database_error = None, error

public_pages = [
    st.Page(page_file("explore"), title=_("Carte et annuaire"), icon=":material/map:", default=True),
    st.Page(page_file("calendar"), title=_("Agenda de l'atelier"), icon=":material/event:", url_path=PAGES["calendar"]),
    st.Page(page_file("propose"), title=_("Proposer un partenaire"), icon=":material/add_location:",
            url_path=PAGES["propose"]),
    # Reached from a listing's card or page ("Mettre à jour cette fiche") and from emailed links.
    st.Page(page_file("update_listing"), title=_("Mettre à jour une fiche"), url_path=PAGES["update_listing"],
            visibility="hidden"),
    # Reached from the agenda and a session's page; the registration's own link, from its emails.
    st.Page(page_file("registration"), title=_("Inscription à une séance"), url_path=PAGES["registration"],
            visibility="hidden"),
    # Reached from a listing's private link; the session's own link, from its emails.
    st.Page(page_file("propose_session"), title=_("Proposer une séance"), url_path=PAGES["propose_session"],
            visibility="hidden"),
    st.Page(page_file("my_session"), title=_("Ma séance à l'atelier"), url_path=PAGES["my_session"],
            visibility="hidden"),
]
startup_pages = [
    st.Page(page_file("apply"), title=_("Candidater pour une vitrine"), icon=":material/rocket_launch:",
            url_path=PAGES["apply"]),
    # Reached only through the private link sent to the applicant, and from the apply page.
    st.Page(page_file("follow"), title=_("Suivi de ma candidature"), url_path=PAGES["follow"], visibility="hidden"),
    st.Page(page_file("lost_link"), title=_("J'ai perdu mon lien de suivi"), url_path=PAGES["lost_link"],
            visibility="hidden"),
]
staff_pages = [
    st.Page(page_file("review"), title=_("Candidatures"), icon=":material/fact_check:", url_path=PAGES["review"]),
    st.Page(page_file("assignment"), title=_("Répartition"), icon=":material/auto_awesome_motion:",
            url_path=PAGES["assignment"]),
    st.Page(page_file("staff_partners"), title=_("Annuaire"), icon=":material/edit_location_alt:",
            url_path=PAGES["staff_partners"]),
    st.Page(page_file("slots"), title=_("Créneaux"), icon=":material/calendar_month:", url_path=PAGES["slots"]),
    st.Page(page_file("dashboard"), title=_("Tableau de bord"), icon=":material/monitoring:",
            url_path=PAGES["dashboard"]),
    st.Page(page_file("audit_log"), title=_("Journal"), icon=":material/history:", url_path=PAGES["audit_log"]),
    st.Page(page_file("privacy"), title=_("Données personnelles"), icon=":material/shield_person:",
            url_path=PAGES["privacy"]),
    st.Page(page_file("accounts"), title=_("Comptes"), icon=":material/group:", url_path=PAGES["accounts"],
            visibility="visible" if staff is not None and staff.role == StaffRole.ADMIN else "hidden"),
]
if staff is None:
    # Every staff address opens the sign-in form, which then comes back to it: a bookmark or a
    # reload after the session ended never meets "Page not found".
    staff_pages = [st.Page(page_file("sign_in"), title=_("Espace équipe"), icon=":material/login:",
                           url_path=PAGES["sign_in"]),
                   *[st.Page(page_file("sign_in"), title=page.title, url_path=page.url_path, visibility="hidden")
                     for page in staff_pages]]
# Always reached, whatever happens below: no page file opens unless it is listed here. Nothing
# may be drawn before it either, or a page opened by its URL shows "Page not found".
# Drawn here, not fetched: a Material icon as the page's icon is an image from Google's servers.
FAVICON = ('<svg viewBox="0 0 32 32"><rect width="32" height="32" rx="7" fill="#1F4E9E"/>'
           '<path d="M8 9h4.2L16 20.5 19.8 9H24l-6 16h-4z" fill="#fff"/></svg>')
sections = {_("Découvrir"): public_pages, _("Startups"): startup_pages, _("Équipe"): staff_pages}
# The icon first: given after the navigation, the page's own icon would be fetched meanwhile.
st.set_page_config(page_icon=FAVICON)
navigation = st.navigation(sections, position="hidden")
PAGES_WITHOUT_FORMS = {PAGES[name] for name in ("explore", "calendar", "dashboard", "audit_log")}
st.set_page_config(page_title=_("{page} — Vitrine Saint-Étienne", page=navigation.title), layout="wide")

# Signed in or out, the browser now loads the address that sets or drops its cookie: the run draws
# nothing else meanwhile (no page of the new state shown before it holds).
if leaving := st.session_state.pop(LEAVING_KEY, None):
    go_to(leaving)
    st.stop()

sidebar_navigation(sections)
with st.sidebar:
    st.divider()
    st.selectbox("Langue / Language", LANGUAGES, index=LANGUAGES.index(current_language()),
                 key="language_choice", format_func=LANGUAGE_NAMES.get, on_change=choose_language)
    if staff is not None:
        st.caption(_("Connecté·e : {name}", name=as_markdown_text(staff.name)))
        st.button(_("Se déconnecter"), on_click=sign_out, icon=":material/logout:", key="sign_out")
keep_language_in_url()
page_chrome(current_language())
if st.session_state.pop("vitrine_session_expired", False):
    st.warning(_("Votre session a expiré : connectez-vous de nouveau."), icon=":material/timer_off:")

try:
    if database_error is not None:
        raise database_error
    engine()
    keep_background_work_running()
    navigation.run()
except (DatabaseUnavailable, OperationalError):
    # Whatever the page was doing was one transaction: it left nothing behind. What the visitor
    # typed stays in the form for the next try.
    if navigation.url_path in PAGES_WITHOUT_FORMS:
        st.error(_("La base de données ne répond pas pour le moment : réessayez dans un instant."),
                 icon=":material/cloud_off:")
    else:
        st.error(_("La base de données ne répond pas pour le moment : rien n'a été enregistré. Vos "
                   "saisies sont conservées ; réessayez dans un instant."), icon=":material/cloud_off:")
