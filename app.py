"""Vitrine's entry: page setup, language, database, and the pages this visitor may open."""

import streamlit as st

from directory.db import DatabaseUnavailable
from directory.i18n import LANGUAGE_NAMES, LANGUAGES
from directory.ui import _, choose_language, current_language, engine, keep_language_in_url

st.set_page_config(page_title="Vitrine — Saint-Étienne", page_icon=":material/storefront:",
                   layout="wide")

public_pages = [
    st.Page("pages/explore.py", title=_("Carte et annuaire"), icon=":material/map:", default=True),
    st.Page("pages/calendar.py", title=_("Agenda des vitrines"), icon=":material/event:", url_path="agenda"),
    st.Page("pages/propose.py", title=_("Proposer un partenaire"), icon=":material/add_location:",
            url_path="proposer"),
]
startup_pages = [
    st.Page("pages/apply.py", title=_("Candidater pour une vitrine"), icon=":material/rocket_launch:",
            url_path="candidater"),
    # Reached only through the private link sent to the applicant.
    st.Page("pages/follow.py", title=_("Suivi de ma candidature"), url_path="suivi", visibility="hidden"),
]
# Always reached, whatever happens below: no page file opens unless it is listed here. Nothing
# may be drawn before it either, or a page opened by its URL shows "Page not found".
navigation = st.navigation({_("Découvrir"): public_pages, _("Startups"): startup_pages})

with st.sidebar:
    st.selectbox("Langue / Language", LANGUAGES, index=LANGUAGES.index(current_language()),
                 key="language_choice", format_func=LANGUAGE_NAMES.get, on_change=choose_language)
keep_language_in_url()

try:
    engine()
except DatabaseUnavailable:
    st.error(_("La base de données est momentanément indisponible. Réessayez dans un instant."))
    st.stop()
navigation.run()
