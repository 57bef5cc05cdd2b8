"""Translations (French first, English available) and French formatting of dates and numbers.

Message ids are the French texts themselves, so French never lacks a string; English comes from
`locales/en.po`, read with Babel. A test checks that every id in the code has an English text.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime, tzinfo
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from babel import Locale
from babel.dates import format_date as babel_format_date
from babel.dates import format_datetime as babel_format_datetime
from babel.dates import format_time as babel_format_time
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from babel.numbers import format_percent as babel_format_percent

LANGUAGES = ("fr", "en")
DEFAULT_LANGUAGE = "fr"
LANGUAGE_NAMES = {"fr": "Français", "en": "English"}
LOCALES = {"fr": "fr_FR", "en": "en_GB"}
CATALOG_DIR = Path(__file__).parent / "locales"


def N_(text: str) -> str:
    """Mark a message for extraction where it is defined; it is translated where it is shown."""
    return text


def language_or_default(value: str | None) -> str:
    return value if value in LANGUAGES else DEFAULT_LANGUAGE


# The catalogue is read from its .po file (Babel's reader) rather than compiled to .mo for
# babel.support.Translations: 11 ms once per process (753 messages, measured), no build step, and
# no generated file to keep in step. Extraction and updates: README, "Translations".
@cache
def _messages(language: str) -> tuple:
    path = CATALOG_DIR / f"{language}.po"
    if not path.exists():
        return ()
    with path.open("rb") as file:
        return tuple(m for m in read_po(file) if m.id and m.string and not m.fuzzy)


@cache
def catalog(language: str) -> dict[str, str]:
    """Plain messages: French text → translation."""
    return {m.id: m.string for m in _messages(language) if isinstance(m.id, str)}


@cache
def plural_catalog(language: str) -> dict[str, tuple[str, ...]]:
    """Messages with plural forms: French singular → the translation's forms."""
    return {m.id[0]: tuple(m.string) for m in _messages(language) if isinstance(m.id, tuple)}


def translate(text: str, language: str, **params: object) -> str:
    if language != DEFAULT_LANGUAGE:
        text = catalog(language).get(text, text)
    return text.format(**params) if params else text


def translate_plural(singular: str, plural: str, count: int, language: str, **params: object) -> str:
    """gettext's ngettext with CLDR's rules (French: 0 and 1 are singular); `{count}` in the text
    is the number written the reader's way ("2 741")."""
    forms = plural_catalog(language).get(singular) if language != DEFAULT_LANGUAGE else None
    one, other = forms or (singular, plural)
    text = one if _locale(language).plural_form(count) == "one" else other
    return text.format(count=format_number(count, language), **params)


def format_date(value: date, language: str, *, style: str = "full") -> str:
    return _formatted(babel_format_date, value, None, _first_of_month(style, value, language, "date"), language)


def format_datetime(value: datetime, language: str, *, style: str = "medium") -> str:
    return _formatted(babel_format_datetime, value, value.tzinfo, _first_of_month(style, value, language, "datetime"),
                      language)


# Pages write the same moments on every visit (500 slots on the review page, each in three
# formats): Babel takes 10–30 µs a date, three times that for a pandas Timestamp. Equal instants
# in two time zones are equal keys, so the zone is part of the key.
@lru_cache(maxsize=50_000)
def _formatted(babel_format, value: date, zone: tzinfo | None, pattern: str, language: str) -> str:
    return babel_format(value, format=pattern, locale=LOCALES[language])


def _first_of_month(style: str, value: date, language: str, kind: str) -> str:
    """French writes the first day of a month as an ordinal: « 1er janvier », never « 1 janvier »."""
    if language != "fr" or value.day != 1:
        return style
    pattern = style
    if style in ("full", "long", "medium", "short"):
        locale = _locale(language)
        if kind == "datetime":
            return style  # the named date-and-time styles write the day as a number (01/01/2027) or fully
        pattern = locale.date_formats[style].pattern
    return re.sub(r"(?<![d'])d(?= MMMM)", "d'er'", pattern)


def format_time(value: datetime, language: str) -> str:
    return _formatted(babel_format_time, value, value.tzinfo, "short", language)


@cache
def _locale(language: str) -> Locale:
    return Locale.parse(LOCALES[language])


@lru_cache(maxsize=10_000)  # counts and capacities, written again on every visit
def format_number(value: float, language: str) -> str:
    return format_decimal(value, locale=LOCALES[language])


def format_percent(value: float, language: str) -> str:
    return babel_format_percent(value, locale=LOCALES[language])


def localized(row: Mapping[str, Any], column: str, language: str) -> str:
    """What a person wrote, for this reader: the English version (`<column>_en`) when the reader
    reads English and one exists, else the French one."""
    if language == "en" and row.get(f"{column}_en"):
        return row[f"{column}_en"]
    return row.get(column) or ""


def written_in(row: Mapping[str, Any], column: str, language: str) -> str:
    """The language of what `localized` gives."""
    return "en" if language == "en" and row.get(f"{column}_en") else "fr"


def foreign_language(written: str, page_language: str) -> str:
    """The language a text must declare in its page (read with its own rules there), "" for the page's own."""
    return written if written != page_language else ""


def lang_attribute(written: str, page_language: str) -> str:
    """` lang="fr"` for a text in another language than its page's, else ""."""
    code = foreign_language(written, page_language)
    return f' lang="{code}"' if code else ""
