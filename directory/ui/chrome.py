"""What every page shares around its content: the sidebar's navigation, page-wide styles, the
page's declared language, and Streamlit's own interface texts in the visitor's language.

Streamlit's own page menu nests <div>s in its <ul> (axe-core: 2 serious faults on every page),
so the app hides it and draws the same links itself, with plain links under section names.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from directory.listings import json_for_script
from directory.ui import language_params

# Streamlit's defaults that fail WCAG: captions faded to 2.7:1 (4.5:1 needed), 40 px buttons on
# touch screens (44 px asked).
PAGE_STYLE = """<style>
[data-testid="stCaptionContainer"] { color: #5C5B5A; opacity: 1; }
/* A value typed without spaces (a 5,000-letter word) wraps inside its card instead of running off it. */
[data-testid="stMarkdownContainer"], [data-testid="stHtml"], .vitrine-card { overflow-wrap: anywhere; }
bdi { unicode-bidi: isolate; }
/* A long state ("Place proposée, réponse attendue") reads whole instead of ending in "…". */
[data-testid="stMetricValue"], [data-testid="stMetricValue"] * { white-space: normal !important;
  overflow: visible !important; text-overflow: clip !important; }
.vitrine-field-error { color: #A4161A; margin: -0.4rem 0 0.4rem; font-size: .95rem; }
.vitrine-error-summary { border: 2px solid #A4161A; border-radius: .5rem; padding: .6rem 1rem; color: #31333F;
  scroll-margin-top: 5rem; /* below Streamlit's fixed header when scrolled to */ }
.vitrine-error-summary p { margin: 0 0 .3rem; color: #A4161A; }
.vitrine-error-summary a { color: #A4161A; }
/* The list's partner names read as links to their card. */
[class*="st-key-explore_open_"] button p { font-size: 1.1rem; font-weight: 600; color: #1F4E9E;
  text-decoration: underline; text-align: left; }
.vitrine-copy { white-space: pre-wrap; overflow-wrap: anywhere; background: #F0F2F6; color: #31333F;
  padding: .6rem .8rem; border-radius: .5rem; font-size: .9rem; margin: 0; user-select: all; }
/* The dashboard's charts (directory/ui/charts.py): a table, each figure beside its bar. */
.vitrine-bars { width: 100%; border-collapse: collapse; }
.vitrine-bars th, .vitrine-bars td { padding: .25rem .5rem; border-bottom: 1px solid #E6E9EF; text-align: left;
  font-weight: normal; vertical-align: middle; }
.vitrine-bars thead th { color: #5C5B5A; font-size: .9rem; }
.vitrine-bars tbody th { width: 45%; }
.vitrine-bar { display: flex; align-items: center; gap: .5rem; }
.vitrine-bar > span { flex: 1; max-width: 80%; }
.vitrine-bar > span > span { display: block; height: .9rem; background: #1F4E9E; border-radius: 2px; }
/* A phone's first screen is for the content (the explore page's map): a smaller title, less room above it. */
@media (max-width: 640px) {
  [data-testid="stMainBlockContainer"] { padding-top: 3.75rem; }
  h1 { font-size: 1.75rem !important; padding-top: .5rem !important; }
}
@media (pointer: coarse) {
  button, [role="button"], [data-testid="stPageLink"] a, [data-baseweb="select"] > div,
  input, [data-testid="stExpander"] summary { min-height: 44px !important; }
}
</style>"""


def sidebar_navigation(sections: dict[str, list[st.Page]]) -> None:
    """Every visible page under its section name, the current one marked by Streamlit."""
    with st.sidebar:
        for section, pages in sections.items():
            shown = [page for page in pages if page.visibility != "hidden"]
            if not shown:
                continue
            st.caption(section)
            for page in shown:
                st.page_link(page, label=page.title, icon=page.icon, query_params=language_params())


# Streamlit writes these in English only (1.67); the page script puts them in French.
FRAMEWORK_TEXTS_FR = {
    "exact": {
        "Select all": "Tout sélectionner", "No results": "Aucun résultat", "Clear all": "Tout effacer",
        "Drag and drop file here": "Glissez-déposez le fichier ici",
        "Drag and drop files here": "Glissez-déposez les fichiers ici",
        "Drag and drop a file here": "Glissez-déposez un fichier ici",
        "Upload": "Choisir un fichier", "Delete": "Supprimer",
        "Press Enter to apply": "Appuyez sur Entrée pour valider",
        "Press Enter to submit form": "Appuyez sur Entrée pour envoyer",
        "Collapse sidebar": "Replier le menu", "Expand sidebar": "Déplier le menu",
        "Copy to clipboard": "Copier", "Fullscreen": "Plein écran", "Close fullscreen": "Quitter le plein écran",
        "Clear value": "Effacer", "Open": "Ouvrir", "Close": "Fermer", "Running...": "Chargement…",
        "Stop": "Arrêter", "Page not found": "Page introuvable", "Main menu": "Menu principal",
        "Increment": "Augmenter", "Decrement": "Diminuer", "Remove": "Retirer", "file upload": "Choisir un fichier",
        "Sidebar": "Menu latéral", "Link to heading": "Lien vers ce titre", "Choose an option": "Choisissez",
        "Choose options": "Choisissez", "Selected values": "Valeurs choisies", "dd": "jj", "yyyy": "aaaa",
        "Skip to main content": "Aller au contenu principal", "Error:": "Erreur :",
        "Only one file is allowed.": "Un seul fichier à la fois.", "File size is too small.": "Le fichier est vide.",
    },
    "patterns": [
        [r"^Help for (.+)$", "Aide : $1"],
        [r"^(?:Error: )?File must be (\d+)(?:\.0)? ?MB or smaller\.$", "Le fichier doit faire au plus $1 Mo."],
        [r"^(?:Error: )?File must be (\d+)\.(\d+) ?MB or smaller\.$", "Le fichier doit faire au plus $1,$2 Mo."],
        [r"^(?:Error: )?File must be ([\d.]+) ?KB or smaller\.$", "Le fichier doit faire au plus $1 ko."],
        [r"^(?:Error: )?(?:This type of|.+) files are not allowed\.$", "Ce type de fichier n'est pas accepté."],
        [r"^Limit (\d+)MB per file(.*)$", "$1 Mo au maximum par fichier$2"],
        [r"^(\d+)MB per file(.*)$", "$1 Mo au maximum par fichier$2"],
        [r"^Select (\d+) matches$", "Sélectionner les $1 résultats"],
        [r"^Remove (.+)$", "Retirer $1"],
        [r"^day, (.+)$", "jour, $1"], [r"^month, (.+)$", "mois, $1"], [r"^year, (.+)$", "année, $1"],
    ],
}
# Frames' titles, read by screen readers, are their components' technical names: the map, and the
# page's own tools (this script's frame).
FRAME_TITLES = {"fr": {"streamlit_folium.st_folium": "Carte", "st.iframe": "Outils de la page"},
                "en": {"streamlit_folium.st_folium": "Map", "st.iframe": "Page tools"}}
PAGE_SCRIPT = (Path(__file__).with_name("static") / "page.js").read_text(encoding="utf-8")


def page_chrome(language: str) -> None:
    """Styles, the page's language (WCAG 3.1.1) and the framework's texts, for this page."""
    st.html(PAGE_STYLE)
    framework = FRAMEWORK_TEXTS_FR if language == "fr" else {"exact": {}, "patterns": []}
    texts = {"exact": {**framework["exact"], **FRAME_TITLES[language]}, "patterns": framework["patterns"]}
    settings = json_for_script({"language": language, **texts})
    # A same-origin frame may script its parent: that is how a page reaches Streamlit's own DOM.
    st.iframe(f'<script id="settings" type="application/json">{settings}</script><script>{PAGE_SCRIPT}</script>',
              height=1)
