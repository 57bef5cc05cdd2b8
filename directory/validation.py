"""Cleaning of everything a user types: one function per kind of value, one message per fault.

Cleaners return the value to store or raise `Invalid` with a message id (French, translated
where it is shown). `FormCheck` runs several and reports every faulty field at once.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any
from urllib.parse import urlsplit

import phonenumbers
from email_validator import EmailNotValidError, validate_email
from stdnum.exceptions import InvalidChecksum, ValidationError
from stdnum.fr import siren, siret

from directory.i18n import N_

TAG_MAX = 40
TAGS_PER_FIELD = 12
_HOST = re.compile(r"^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$")
# Numbers typed without their country code are French.
PHONE_REGION = "FR"


@dataclass
class Message:
    """A message id and its parameters, translated only when shown."""

    text: str
    params: dict[str, Any] = field(default_factory=dict)


class Invalid(ValueError):
    def __init__(self, text: str, **params: Any) -> None:
        super().__init__(text)
        self.message = Message(text, params)


class FormErrors(ValueError):
    """Raised with every faulty field of a form; nothing was written."""

    def __init__(self, errors: dict[str, Message]) -> None:
        super().__init__(", ".join(errors))
        self.errors = errors


class FormCheck:
    def __init__(self) -> None:
        self.errors: dict[str, Message] = {}

    def __call__(self, name: str, cleaner: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        try:
            return cleaner(*args, **kwargs)
        except Invalid as error:
            self.errors[name] = error.message
            return None

    def fail(self, name: str, text: str, **params: Any) -> None:
        self.errors[name] = Message(text, params)

    def raise_if_invalid(self) -> None:
        if self.errors:
            raise FormErrors(self.errors)


# Invisible characters that reorder what follows them: "…\u202egpj.exe" reads "…exe.jpg".
_DIRECTION_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")
# Invisible and harmless but for hiding inside a value (zero-width spaces, word joiner, byte order
# mark, soft hyphen): removed. The joiners U+200C and U+200D stay: emoji and several scripts need them.
_REMOVED = frozenset("\u200b\u2060\ufeff\u00ad\u180e")
_JOINERS = frozenset("\u200c\u200d")


def _without_invisible_characters(value: str, *, multiline: bool) -> str:
    """Control and zero-width characters removed; a character that would reorder or hide text refused."""
    kept = {"\n", "\t"} if multiline else set()
    text = "".join(ch for ch in value.replace("\r\n", "\n")
                   if ch in kept or (ch not in _REMOVED and unicodedata.category(ch) not in {"Cc", "Cs", "Co"}))
    for position, ch in enumerate(text):
        if ch in _DIRECTION_CONTROLS or (unicodedata.category(ch) == "Cf" and ch not in _JOINERS):
            before = " ".join(text[max(0, position - 20):position].split()) or "…"
            text_id = (N_("Ce texte contient un caractère invisible qui inverse le sens de lecture (U+{code}), "
                          "juste après « {before} » : effacez ce passage et retapez-le.")
                       if ch in _DIRECTION_CONTROLS else
                       N_("Ce texte contient un caractère invisible de mise en forme (U+{code}), juste après "
                          "« {before} » : effacez ce passage et retapez-le."))
            raise Invalid(text_id, code=f"{ord(ch):04X}", before=before)
    return text


def clean_text(value: str | None, *, max_length: int, required: bool = False,
               multiline: bool = False) -> str:
    """Normalised (NFC), without invisible characters, spaces tidied; within `max_length`."""
    if value and len(value) > 2 * max_length + 100:
        # Refuse an oversized paste before spending time on it.
        raise Invalid(N_("{max} caractères au maximum ({length} collés)."), max=max_length, length=len(value))
    text = unicodedata.normalize("NFC", value or "")
    text = _without_invisible_characters(text, multiline=multiline).strip()
    if not multiline:
        text = " ".join(text.split())
    if required and not text:
        raise Invalid(N_("Ce champ est obligatoire."))
    if len(text) > max_length:
        raise Invalid(N_("{max} caractères au maximum ({length} collés)."), max=max_length, length=len(text))
    return text


def clean_url(value: str | None, *, max_length: int, required: bool = False) -> str:
    """Only http and https addresses with a real host; "example.org" becomes https://example.org."""
    text = clean_text(value, max_length=max_length, required=required)
    if not text:
        return ""
    if "://" not in text and not text.lower().startswith(("javascript:", "data:", "vbscript:", "file:")):
        text = "https://" + text
    try:
        parts = urlsplit(text)
        host = (parts.hostname or "").lower()
        parts.port  # noqa: B018 — raises on a malformed port
    except ValueError as error:
        raise Invalid(N_("Adresse web invalide : elle doit commencer par http:// ou https://.")) from error
    if parts.scheme.lower() not in {"http", "https"}:
        raise Invalid(N_("Adresse web invalide : elle doit commencer par http:// ou https://."))
    try:
        ascii_host = host.encode("idna").decode("ascii") if host else ""
    except UnicodeError:
        ascii_host = ""
    if not _HOST.match(ascii_host) or "." not in host:
        raise Invalid(N_("Adresse web invalide : le nom de domaine manque ou est incorrect."))
    if any(ch.isspace() for ch in text):
        raise Invalid(N_("Adresse web invalide : elle ne doit pas contenir d'espace."))
    return text


def clean_email(value: str | None, *, required: bool = False) -> str:
    text = clean_text(value, max_length=254, required=required)
    if not text:
        return ""
    try:
        return validate_email(text, check_deliverability=False).normalized
    except EmailNotValidError as error:
        raise Invalid(N_("Adresse e-mail invalide (exemple : nom@domaine.fr).")) from error


QUOTED_MAX = 80


def quoted(value: str) -> str:
    """A value as a message quotes it: whole, or cut with "…" past 80 characters."""
    return value if len(value) <= QUOTED_MAX else value[:QUOTED_MAX - 1] + "…"


def clean_phone(value: str | None, *, required: bool = False) -> str:
    """A phone number, checked by phonenumbers and stored in E.164 ("04 77 43 09 77" → "+33477430977")."""
    text = clean_text(value, max_length=40, required=required)
    if not text:
        return ""
    try:
        number = phonenumbers.parse(text, PHONE_REGION)
    except phonenumbers.NumberParseException as error:
        raise Invalid(N_("Numéro de téléphone invalide (exemple : 04 77 00 00 00).")) from error
    if not phonenumbers.is_valid_number(number):
        raise Invalid(N_("Numéro de téléphone invalide (exemple : 04 77 00 00 00)."))
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def phone_for_display(stored: str) -> str:
    """A stored number as people read it: French ones in the national format ("04 77 43 09 77"),
    others internationally; a value that is no number is shown as it is."""
    try:
        number = phonenumbers.parse(stored, PHONE_REGION)
    except phonenumbers.NumberParseException:
        return stored
    national = phonenumbers.region_code_for_number(number) == PHONE_REGION
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL if national
                                      else phonenumbers.PhoneNumberFormat.INTERNATIONAL)


_RNA = re.compile(r"^W\d{9}$")


def clean_company_number(value: str | None) -> str:
    """A SIRET (14 digits) or SIREN (9) checked by its key, or an association's RNA number (W and
    9 digits); spaces and dots typed between groups are dropped."""
    text = re.sub(r"[\s.-]", "", clean_text(value, max_length=40)).upper()
    if not text:
        return ""
    if _RNA.match(text):
        return text
    number = siret if len(text) == 14 else siren if len(text) == 9 else None
    if number is None or not text.isdigit():
        raise Invalid(N_("Numéro invalide : un SIRET a 14 chiffres, un SIREN 9, un numéro RNA d'association "
                         "commence par W suivi de 9 chiffres."))
    try:
        return number.validate(text)
    except InvalidChecksum as error:
        raise Invalid(N_("Ce numéro ne correspond à aucun SIRET ou SIREN possible (sa clé de contrôle est "
                         "fausse) : vérifiez les chiffres.")) from error
    except ValidationError as error:
        raise Invalid(N_("Numéro invalide : un SIRET a 14 chiffres, un SIREN 9, un numéro RNA d'association "
                         "commence par W suivi de 9 chiffres.")) from error


def clean_coordinates(latitude: Any, longitude: Any) -> tuple[float | None, float | None]:
    """Both or neither; finite; within the globe."""
    if _blank(latitude) and _blank(longitude):
        return None, None
    if _blank(latitude) or _blank(longitude):
        raise Invalid(N_("Indiquez la latitude et la longitude, ou aucune des deux."))
    try:
        lat, lon = float(str(latitude).replace(",", ".")), float(str(longitude).replace(",", "."))
    except ValueError as error:
        raise Invalid(N_("Coordonnées invalides : utilisez des nombres décimaux (exemple : 45.4347).")) from error
    if not (math.isfinite(lat) and math.isfinite(lon)) or not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise Invalid(N_("Coordonnées hors limites : latitude entre -90 et 90, longitude entre -180 et 180."))
    return round(lat, 6), round(lon, 6)


def clean_tags(value: str | list[str] | None, *, max_length: int) -> str:
    """Free tags typed as "a; b" or "a, b", or picked in a list: stored as "a; b", without repeats."""
    joined = "; ".join(value) if isinstance(value, list) else (value or "")
    items = re.split(r"[;,]", clean_text(joined, max_length=max_length))
    tags: list[str] = []
    for item in items:
        tag = item.strip()
        if not tag:
            continue
        if len(tag) > TAG_MAX:
            raise Invalid(N_("Chaque mot-clé fait {max} caractères au maximum."), max=TAG_MAX)
        if tag.casefold() not in {t.casefold() for t in tags}:
            tags.append(tag)
    if len(tags) > TAGS_PER_FIELD:
        raise Invalid(N_("{max} mots-clés au maximum."), max=TAGS_PER_FIELD)
    return "; ".join(tags)


def clean_choice(value: Any, choices: type[StrEnum], *, required: bool = True) -> str:
    if value in (None, ""):
        if required:
            raise Invalid(N_("Ce champ est obligatoire."))
        return ""
    try:
        return choices(value).value
    except ValueError as error:
        raise Invalid(N_("Choisissez une valeur dans la liste.")) from error


def split_tags(value: str) -> list[str]:
    return [tag.strip() for tag in value.split(";") if tag.strip()]


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())
