"""The words visitors filter and search by, in both languages: kinds, sectors and networks.

Sectors are free tags ("design; formation"), typed in French; the usual ones are a vocabulary
translated through the catalogue like any other text, and a tag outside it is shown as typed.
Searching folds accents and case, so "ecole" finds "École".
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache

import pandas as pd

from directory.i18n import LANGUAGES, N_, translate
from directory.models import KIND_LABELS

SECTORS = (
    N_("formation"),
    N_("numérique"),
    N_("vitrine"),
    N_("design"),
    N_("culture"),
    N_("recherche"),
    N_("développement web"),
    N_("ingénierie"),
    N_("réseaux"),
    N_("réseau d'entreprises"),
    N_("startups"),
    N_("réseau"),
    N_("industries créatives"),
    N_("coworking"),
    N_("accélération"),
    N_("hébergement d'entreprises"),
    N_("tiers-lieu"),
    N_("événements"),
    N_("fablab"),
    N_("prototypage"),
    N_("pépinière"),
    N_("industrie"),
    N_("parc technologique"),
    N_("incubation"),
    N_("accompagnement"),
    N_("entreprises"),
    N_("développement économique"),
    N_("inclusion numérique"),
    N_("médiation"),
    N_("robotique"),
    N_("industrie 4.0"),
    N_("données"),
    N_("collectivités"),
    N_("mobilité"),
    N_("commerce"),
    N_("textile"),
    N_("impression 3D"),
    N_("santé"),
    N_("e-santé"),
    N_("réalité augmentée"),
    N_("agriculture"),
    N_("IoT"),
    N_("économie circulaire"),
    N_("e-learning"),
    N_("cybersécurité"),
    N_("services"),
    N_("jeu vidéo"),
    N_("éducation"),
    N_("énergie"),
    N_("bâtiment"),
    N_("patrimoine"),
    N_("mode"),
    N_("intelligence artificielle"),
    N_("logiciel"),
    N_("environnement"),
    N_("tourisme"),
    N_("transport"),
    N_("finance"),
    N_("alimentation"),
    N_("sport"),
    N_("médias"),
    N_("emploi"),
)
# What NFKD splits off accented letters: removed to fold "é" into "e".
_COMBINING_MARKS = "[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]"


def fold(text: str) -> str:
    """Lower case without accents, so "ecole" finds "École"."""
    return re.sub(_COMBINING_MARKS, "", unicodedata.normalize("NFKD", text)).casefold()


# Words that do not tell two organisations apart: articles, and legal forms (French and common English).
_NAME_NOISE = frozenset({
    "la", "le", "les", "l", "the", "sas", "sasu", "sarl", "sa", "eurl", "sci", "scop", "scic", "sem", "spl", "gie",
    "ei", "eirl", "earl", "gaec", "snc", "association", "asso", "assoc", "ltd", "inc", "gmbh", "llc"})


@lru_cache(maxsize=100_000)  # the duplicate check folds every live name: the same names, check after check
def fold_name(text: str) -> str:
    """An organisation's name as duplicates are compared: folded, punctuation and spaces dropped,
    and so are articles and legal forms ("La Cité du Design SAS" and "cite du design" match); a
    name made only of such words is kept whole."""
    words = re.split(r"[\W_]+", fold(text))
    telling = [word for word in words if word and word not in _NAME_NOISE]
    return "".join(telling or words)


def fold_column(texts: pd.Series) -> pd.Series:
    """`fold` for a whole column at once, without a Python call per row."""
    return (texts.str.normalize("NFKD").str.replace(_COMBINING_MARKS, "", regex=True).str.casefold())


@cache
def _known_sectors() -> dict[str, str]:
    return {fold(sector): sector for sector in SECTORS}


def tag_label(tag: str, language: str) -> str:
    """A sector as the reader's language says it; other tags (and networks, which are names) as typed."""
    known = _known_sectors().get(fold(tag))
    return translate(known, language) if known else tag


def in_reading_order(tags: list[str], language: str) -> list[str]:
    """Tags sorted as the reader reads them, accents aside."""
    return sorted(tags, key=lambda tag: fold(tag_label(tag, language)))


def kind_words(kind: str) -> str:
    """Every label of a kind, in every language, for the search."""
    label = KIND_LABELS.get(kind)  # StrEnum keys match plain strings
    return " ".join(translate(label, language) for language in LANGUAGES) if label else kind
