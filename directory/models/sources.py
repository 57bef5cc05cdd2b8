"""External sources kept in step with the directory: what staff registered, what each row became,
and the report of every run."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlmodel import Field, SQLModel

from directory.clock import utcnow
from directory.i18n import N_
from directory.models.fields import NAME_MAX, URL_MAX


class SourceFormat(StrEnum):
    VITRINE_CSV = "vitrine_csv"  # Vitrine's own columns, as its CSV export and import
    GEOJSON = "geojson"  # a FeatureCollection of points whose properties are Vitrine's columns
    MAPPED_CSV = "mapped_csv"  # any CSV, its columns matched to Vitrine's once


SOURCE_FORMAT_LABELS: dict[SourceFormat, str] = {
    SourceFormat.VITRINE_CSV: N_("CSV de Vitrine"),
    SourceFormat.GEOJSON: N_("GeoJSON"),
    SourceFormat.MAPPED_CSV: N_("Autre CSV (colonnes à faire correspondre)"),
}


class Source(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=NAME_MAX, unique=True)
    url: str = Field(default="", max_length=URL_MAX)  # fetched at each run…
    file: bytes | None = None  # …or a file staff uploaded, read again at each run
    format: str = Field(max_length=20)
    id_column: str = Field(max_length=NAME_MAX)  # the column that names a row from one run to the next
    # JSON {Vitrine column: source column} for a mapped CSV; "{}" otherwise.
    mapping: str = Field(default="{}", max_length=4000)
    default_kind: str = Field(default="", max_length=20)  # for rows that give no kind
    interval_hours: int = 24  # 0: only when staff or the command run it
    trusted: bool = False  # its rows are published and its changes applied without review
    created_by: str = Field(default="", max_length=120)
    created_at: datetime = Field(default_factory=utcnow)
    next_run_at: datetime | None = Field(default=None, index=True)
    # Set while a run holds the source: two workers never sync it at once.
    running_since: datetime | None = None


class SourceRecord(SQLModel, table=True):
    """One row of a source and the listing it became."""

    source_id: int = Field(foreign_key="source.id", primary_key=True, ondelete="CASCADE")
    external_id: str = Field(primary_key=True, max_length=200)
    partner_id: int = Field(foreign_key="partner.id", index=True, ondelete="CASCADE")
    fingerprint: str = Field(max_length=64)  # of the row's cleaned values: an unchanged row costs nothing
    added_at: datetime = Field(default_factory=utcnow)
    gone_at: datetime | None = None  # missing from the source since: flagged, never deleted


class SourceRun(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    source_id: int = Field(foreign_key="source.id", index=True, ondelete="CASCADE")
    started_at: datetime = Field(default_factory=utcnow)
    finished_at: datetime | None = None
    actor: str = Field(default="", max_length=120)
    ok: bool = False
    # JSON [message id, params] of a failed run: nothing was changed.
    error: str = Field(default="", max_length=2000)
    added: int = 0
    changed: int = 0
    gone: int = 0
    refused: int = 0
    unchanged: int = 0
    # JSON: the rows behind the counts (added, changed with their fields, gone, refused with reasons).
    report: str = Field(default="{}")
