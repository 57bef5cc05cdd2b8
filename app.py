"""Vitrine's entry: page setup, language, database, and the pages this visitor may open."""

import streamlit as st

from directory.db import DatabaseUnavailable
from directory.i18n import LANGUAGE_NAMES, LANGUAGES
from directory.ui import _, choose_language, current_language, engine, keep_language_in_url

st.set_page_config(page_title="Vitrine — Saint-Étienne", page_icon=":material/storefront:",
                   layout="wide")

with st.sidebar:
    st.selectbox("Langue / Language", LANGUAGES, index=LANGUAGES.index(current_language()),
                 key="language_choice", format_func=LANGUAGE_NAMES.get, on_change=choose_language)

try:
    engine()
except DatabaseUnavailable:
    # Pages say so themselves; the navigation must still be built so no page opens unlisted.
    st.error(_("La base de données est momentanément indisponible. Réessayez dans un instant."))

public_pages = [
    st.Page("pages/explore.py", title=_("Carte et annuaire"), icon=":material/map:", default=True),
    st.Page("pages/propose.py", title=_("Proposer un partenaire"), icon=":material/add_location:",
            url_path="proposer"),
]
navigation = st.navigation({_("Découvrir"): public_pages})
keep_language_in_url()
navigation.run()
