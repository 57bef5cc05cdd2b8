"""A source's data as rows of Vitrine's columns, each through the partner form's cleaning.

Three formats: Vitrine's own CSV (as its export), GeoJSON points whose properties are Vitrine's
columns, and any CSV whose columns staff matched to Vitrine's once (`mapping`). A source only
speaks for the fields it gives: a member list with names and websites never blanks a description.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from directory.i18n import N_
from directory.listings import MAX_IMPORT_ROWS, ORGANISATION_FIELDS, check_row, csv_reader, decode, snapshot
from directory.models import Source, SourceFormat
from directory.sources.fetching import SourceFailed, web_page
from directory.validation import Message

# What a source may say about a listing: what its organisation may (a logo is not a column).
SOURCE_FIELDS = tuple(name for name in ORGANISATION_FIELDS if name != "logo")
# The columns a mapping may fill, in the order the Sources tab offers them.
MAPPABLE_COLUMNS = tuple(name for name in SOURCE_FIELDS if name != "precision")
EXTERNAL_ID_MAX = 200


@dataclass
class SourceRow:
    line: int  # the file's line, or the feature's number
    external_id: str
    name: str
    values: dict[str, Any] | None  # every form column, cleaned; None when refused
    errors: dict[str, Message] = field(default_factory=dict)


@dataclass
class SourceBatch:
    rows: list[SourceRow]
    provided: tuple[str, ...]  # the Vitrine fields this source gives

    def given(self, values: dict[str, Any]) -> dict[str, Any]:
        """The fields of a row this source speaks for, as a version stores them."""
        kept = snapshot(values)
        return {name: kept[name] for name in self.provided}

    def fingerprint(self, values: dict[str, Any]) -> str:
        return hashlib.sha256(json.dumps(self.given(values), sort_keys=True, default=str).encode()).hexdigest()


def source_columns(source: Source, data: bytes) -> list[str]:
    """The column names a source offers (a CSV's header, the GeoJSON properties' names), for
    choosing the mapping and the identifying column. Raises SourceFailed."""
    if source.format == SourceFormat.GEOJSON:
        names: dict[str, None] = {}
        for feature in _features(data)[:100]:
            names.update(dict.fromkeys(feature.get("properties") or {}))
        return list(names)
    return list(csv_reader(_text(data)).fieldnames or [])


def read_source(source: Source, data: bytes) -> SourceBatch:
    """Every row of the source checked, nothing written. Raises SourceFailed for a source that
    cannot be read as its format says, or whose columns no longer fit its settings."""
    cells = _geojson_cells(source, data) if source.format == SourceFormat.GEOJSON else _csv_cells(source, data)
    if not cells:
        raise SourceFailed(N_("La source ne contient aucune ligne : rien n'a été changé, aucune fiche n'est "
                              "marquée comme disparue."))
    if len(cells) > MAX_IMPORT_ROWS:
        raise SourceFailed(N_("Trop de lignes : {max} au maximum."), max=MAX_IMPORT_ROWS)
    columns = set().union(*(row for _line, row in cells))
    provided = [name for name in SOURCE_FIELDS if name in columns]
    if "latitude" in provided:
        provided.append("precision")
    rows = []
    for line, row in cells:
        row.setdefault("kind", source.default_kind)
        external_id = str(row.get(source.id_column) or "").strip()
        report = check_row(line, row)
        errors = dict(report.errors)
        if not external_id:
            errors["id"] = Message(N_("Identifiant vide (colonne « {column} »)."), {"column": source.id_column})
        elif len(external_id) > EXTERNAL_ID_MAX:
            errors["id"] = Message(N_("Identifiant trop long ({max} caractères au maximum)."), {"max": EXTERNAL_ID_MAX})
        rows.append(SourceRow(line, external_id, report.name, None if errors else report.values, errors))
    return SourceBatch(rows, tuple(dict.fromkeys(["name", *provided])))


def _text(data: bytes) -> str:
    text, _encoding = decode(data)
    if text.lstrip()[:15].lower().startswith(("<!doctype html", "<html")):
        raise web_page()
    return text


def _csv_cells(source: Source, data: bytes) -> list[tuple[int, dict[str, Any]]]:
    reader = csv_reader(_text(data))
    header = set(reader.fieldnames or [])
    mapping: dict[str, str] = json.loads(source.mapping or "{}") if source.format == SourceFormat.MAPPED_CSV else {}
    needed = [source.id_column, *mapping.values()]
    missing = sorted({column for column in needed if column and column not in header})
    if missing:
        raise SourceFailed(N_("Les colonnes de la source ne correspondent plus à ses réglages : absentes : {columns}. "
                              "Rien n'a été changé ; corrigez la correspondance."), columns=", ".join(missing))
    cells = []
    for line, raw in enumerate(reader, start=2):
        if not any((value or "").strip() for value in raw.values() if isinstance(value, str)):
            continue
        if mapping:
            row = {vitrine: raw.get(column) or "" for vitrine, column in mapping.items()}
            row[source.id_column] = raw.get(source.id_column) or ""
        else:
            row = {key: value for key, value in raw.items() if key}
        cells.append((line, row))
        if len(cells) > MAX_IMPORT_ROWS:
            break
    return cells


def _features(data: bytes) -> list[dict[str, Any]]:
    try:
        collection = json.loads(_text(data))
    except ValueError as error:
        raise SourceFailed(N_("Ce n'est pas du GeoJSON lisible ({reason})."), reason=str(error)[:120]) from error
    if not isinstance(collection, dict) or collection.get("type") != "FeatureCollection" \
            or not isinstance(collection.get("features"), list):
        raise SourceFailed(N_("Ce GeoJSON n'est pas une collection d'objets (FeatureCollection)."))
    return [feature for feature in collection["features"] if isinstance(feature, dict)]


def _geojson_cells(source: Source, data: bytes) -> list[tuple[int, dict[str, Any]]]:
    cells = []
    for number, feature in enumerate(_features(data), start=1):
        properties = feature.get("properties") or {}
        row = {key: _cell(value) for key, value in properties.items() if isinstance(key, str)}
        if not row.get(source.id_column) and feature.get("id") is not None:
            row[source.id_column] = _cell(feature["id"])
        geometry = feature.get("geometry") or {}
        coordinates = geometry.get("coordinates") if geometry.get("type") == "Point" else None
        if isinstance(coordinates, list) and len(coordinates) >= 2:
            row["longitude"], row["latitude"] = _cell(coordinates[0]), _cell(coordinates[1])
        cells.append((number, row))
    return cells


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):  # tags as a JSON list
        return "; ".join(str(item) for item in value)
    return str(value)
