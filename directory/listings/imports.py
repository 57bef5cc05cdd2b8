"""CSV import of partners, with a row-by-row report and nothing written until asked.

Reads UTF-8 (with or without BOM) or Windows-1252, the encoding French spreadsheets save in,
with `;` or `,` between cells. Every row goes through the same cleaning as the forms.
"""

from __future__ import annotations

import codecs
import csv
import io
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy.engine import Engine

from directory import listings
from directory.db import read_session
from directory.errors import Refusal
from directory.i18n import N_
from directory.listings.duplicates import possible_duplicates
from directory.listings.vocabulary import fold
from directory.models import KIND_LABELS, SHORT_TEXT_MAX, ListingState, PartnerKind
from directory.validation import FormCheck, FormErrors, Invalid, Message, clean_text, quoted

MAX_IMPORT_BYTES = 10 * 1024 * 1024
MAX_IMPORT_ROWS = 20_000
REQUIRED_COLUMNS = {"name", "kind"}
OPTIONAL_COLUMNS = {
    "short_description", "description", "short_description_en", "description_en", "sectors",
    "networks", "address", "city", "latitude", "longitude", "precision", "website",
    "contact_email", "contact_phone", "is_demo", "last_verified", "source", "id", "state",
    "other_names", "notes", "siret", "opening_hours", "accessibility_url", "accessibility_note",
    "mediation_services", "postal_code",
}


# Columns read as the partner form's text fields, through the same cleaning.
FORM_COLUMNS = ("name", "short_description", "description", "short_description_en", "description_en",
                "sectors", "networks", "other_names", "address", "city", "website", "contact_email",
                "contact_phone", "notes", "siret", "opening_hours", "accessibility_url", "accessibility_note",
                "mediation_services", "postal_code")


class ImportRefused(Refusal):
    """The file as a whole cannot be read; the message says why."""


@dataclass
class RowReport:
    line: int
    name: str
    values: dict[str, Any] | None
    errors: dict[str, Message] = field(default_factory=dict)
    looks_like: str = ""  # "Doublon possible de …": the listing it resembles, for staff to check

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class ImportPreview:
    encoding: str
    delimiter: str
    rows: list[RowReport]
    ignored_columns: list[str]

    @property
    def valid_rows(self) -> list[RowReport]:
        return [row for row in self.rows if row.ok]

    @property
    def invalid_rows(self) -> list[RowReport]:
        return [row for row in self.rows if not row.ok]


def decode(data: bytes) -> tuple[str, str]:
    """The text and the name of its encoding: UTF-16 when a byte-order mark says so (some
    spreadsheets' "Unicode text"), else UTF-8, else Windows-1252."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace"), "UTF-16"
    try:
        return data.decode("utf-8-sig"), "UTF-8"
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace"), "Windows-1252"


SNIFFED_LINES = 20  # enough rows for the sniffer to see which separator stays the same


def csv_reader(text: str) -> csv.DictReader:
    """Rows of a CSV text whose cells are split by `;`, `,` or a tab, as the standard library's
    sniffer finds it in the first lines (`,` when it cannot tell); the column names stripped."""
    sample = "\n".join(text.splitlines()[:SNIFFED_LINES])
    try:
        delimiter = csv.Sniffer().sniff(sample, delimiters=";,\t").delimiter
    except csv.Error:
        delimiter = ","
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    reader.fieldnames = [c.strip() for c in reader.fieldnames or []]
    return reader


def read_partner_csv(data: bytes, engine: Engine | None = None) -> ImportPreview:
    """Check every row of a CSV file without writing anything; against the directory of `engine`
    too when given (a company number already taken is an error, a listing alike is flagged)."""
    if len(data) > MAX_IMPORT_BYTES:
        raise ImportRefused(N_("Fichier trop volumineux : {max} Mo au maximum."),
                            max=MAX_IMPORT_BYTES // (1024 * 1024))
    text, encoding = decode(data)
    if not text.strip():
        raise ImportRefused(N_("Le fichier est vide."))
    reader = csv_reader(text)
    columns = reader.fieldnames
    missing = REQUIRED_COLUMNS - set(columns)
    if missing:
        raise ImportRefused(N_("Colonnes obligatoires absentes : {columns}."),
                            columns=", ".join(sorted(missing)))
    ignored = [c for c in columns if c not in REQUIRED_COLUMNS | OPTIONAL_COLUMNS]
    rows = []
    for number, raw in enumerate(reader, start=2):
        if len(rows) >= MAX_IMPORT_ROWS:
            raise ImportRefused(N_("Trop de lignes : {max} au maximum."), max=MAX_IMPORT_ROWS)
        if not any((value or "").strip() for value in raw.values() if isinstance(value, str)):
            continue
        rows.append(check_row(number, raw))
    if engine is not None:
        _compare_with_directory(engine, rows)
    return ImportPreview(encoding=encoding, delimiter=reader.reader.dialect.delimiter, rows=rows,
                         ignored_columns=ignored)


def _compare_with_directory(engine: Engine, rows: list[RowReport]) -> None:
    first_line_of: dict[str, int] = {}
    with read_session(engine) as session:
        for row in rows:
            if row.values is None:
                continue
            siret = row.values["siret"]
            if siret and siret in first_line_of:
                row.errors["siret"] = Message(N_("Ce numéro est déjà celui de la ligne {line}."),
                                              {"line": first_line_of[siret]})
            else:
                try:
                    listings.refuse_taken_number(session, siret)
                except FormErrors as taken:
                    row.errors.update(taken.errors)
            first_line_of.setdefault(siret, row.line)
            if row.errors:
                row.values = None
                continue
            alike = possible_duplicates(session, row.values, limit=1)
            if alike:
                row.looks_like = alike[0].name


def _kind_from_cell(value: str) -> str:
    """The kind's code ("startup") or its French label ("Pépinière / incubateur")."""
    folded = fold(value.strip())
    for kind in PartnerKind:
        if folded in {kind.value, fold(KIND_LABELS[kind])}:
            return kind.value
    return value


def check_row(line: int, raw: dict[str, Any]) -> RowReport:
    """One row of Vitrine's columns through the partner form's cleaning."""
    cell = {key: (value if isinstance(value, str) else "") for key, value in raw.items() if key}
    form = listings.PartnerForm(**{name: cell.get(name, "") for name in FORM_COLUMNS},
                                kind=_kind_from_cell(cell.get("kind", "")),
                                latitude=cell.get("latitude"), longitude=cell.get("longitude"),
                                precision=cell.get("precision") or "exact")
    check = FormCheck()
    values = listings.clean_partner_form(form, check, short_description_required=False)
    values["source"] = check("source", clean_text, cell.get("source"), max_length=SHORT_TEXT_MAX)
    values["is_demo"] = check("is_demo", _clean_flag, cell.get("is_demo"))
    values["last_verified"] = check("last_verified", _clean_date, cell.get("last_verified"))
    values["state"] = ListingState.PUBLISHED
    name = values.get("name") or quoted(cell.get("name") or "")
    return RowReport(line=line, name=name, values=None if check.errors else values,
                     errors=check.errors)


def _clean_flag(value: str | None) -> bool:
    folded = fold(value or "")
    if folded in {"", "0", "false", "faux", "non", "no"}:
        return False
    if folded in {"1", "true", "vrai", "oui", "yes"}:
        return True
    raise Invalid(N_("Valeur attendue : oui ou non."))


def _clean_date(value: str | None) -> date | None:
    text = (value or "").strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        pass
    try:
        day, month, year = (int(part) for part in text.split("/"))
        return date(year, month, day)
    except ValueError as error:
        raise Invalid(N_("Date invalide (formats acceptés : 2026-11-23 ou 23/11/2026).")) from error


def apply_import(engine: Engine, preview: ImportPreview, *, skip_invalid: bool = False,
                 staff: str = "cli") -> int:
    """Write the checked rows and one audit event, in one transaction.

    All or nothing: with any faulty row, nothing is written unless `skip_invalid` was chosen,
    in which case exactly the valid rows are.
    """
    if preview.invalid_rows and not skip_invalid:
        raise ImportRefused(N_("Lignes en erreur : {count}. Rien n'a été importé."),
                            count=len(preview.invalid_rows))
    return listings.insert_partners(engine, [row.values for row in preview.valid_rows], staff=staff,
                                    skipped=len(preview.invalid_rows))
