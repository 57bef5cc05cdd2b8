"""The sources staff register: their settings checked once, their runs and the listings gone
from them, read for the Sources tab and the command."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from directory import audit
from directory.audit import AuditAction
from directory.clock import utcnow
from directory.db import read_session, write_session
from directory.i18n import N_
from directory.models import NAME_MAX, URL_MAX, Partner, PartnerKind, Source, SourceFormat, SourceRecord, SourceRun
from directory.sources.fetching import MAX_SOURCE_BYTES, source_bytes
from directory.sources.rows import MAPPABLE_COLUMNS, source_columns
from directory.validation import FormCheck, FormErrors, Invalid, Message, clean_choice, clean_text, clean_url

# Hours between runs, 0: only when staff or the command run it.
INTERVAL_LABELS = {0: N_("Seulement à la demande"), 1: N_("Toutes les heures"), 6: N_("Toutes les 6 heures"),
                   24: N_("Chaque jour"), 168: N_("Chaque semaine")}


@dataclass
class SourceForm:
    name: str = ""
    url: str = ""
    file: bytes | None = None
    format: str = SourceFormat.VITRINE_CSV
    id_column: str = ""
    mapping: dict[str, str] = field(default_factory=dict)  # Vitrine column: the source's column
    default_kind: str = ""
    interval_hours: int = 24
    trusted: bool = False


def _clean_interval(value: Any) -> int:
    if value not in INTERVAL_LABELS:
        raise Invalid(N_("Choisissez un intervalle de la liste."))
    return value


def _clean_mapping(mapping: dict[str, str], kind_given: bool) -> dict[str, str]:
    chosen = {name: column.strip() for name, column in mapping.items()
              if name in MAPPABLE_COLUMNS and column and column.strip()}
    if "name" not in chosen:
        raise Invalid(N_("Choisissez au moins la colonne du nom."))
    if "kind" not in chosen and not kind_given:
        raise Invalid(N_("Choisissez la colonne du type, ou un type pour toutes les lignes."))
    return chosen


def clean_source_form(form: SourceForm, check: FormCheck) -> dict[str, Any]:
    values = {
        "name": check("name", clean_text, form.name, max_length=NAME_MAX, required=True),
        "url": check("url", clean_url, form.url, max_length=URL_MAX),
        "format": check("format", clean_choice, form.format, SourceFormat),
        "id_column": check("id_column", clean_text, form.id_column, max_length=NAME_MAX, required=True),
        "default_kind": check("default_kind", clean_choice, form.default_kind, PartnerKind, required=False),
        "interval_hours": check("interval_hours", _clean_interval, form.interval_hours),
        "trusted": bool(form.trusted),
        "file": form.file if form.file and not form.url else None,
    }
    if not form.url and not form.file and "url" not in check.errors:
        check.errors["url"] = Message(N_("Donnez l'adresse de la source ou déposez son fichier."))
    if form.file and len(form.file) > MAX_SOURCE_BYTES:
        check.errors["file"] = Message(N_("Fichier trop volumineux : {max} Mo au maximum."),
                                       {"max": MAX_SOURCE_BYTES // (1024 * 1024)})
    mapping = (check("mapping", _clean_mapping, form.mapping, bool(values["default_kind"]))
               if values["format"] == SourceFormat.MAPPED_CSV else {})
    values["mapping"] = json.dumps(mapping or {}, ensure_ascii=False)
    return values


def peek_columns(form: SourceForm) -> list[str]:
    """The columns the source offers now, to choose its identifying column and mapping.
    Raises FormErrors (bad address) or SourceFailed (unreadable source)."""
    check = FormCheck()
    url = check("url", clean_url, form.url, max_length=URL_MAX)
    format_ = check("format", clean_choice, form.format, SourceFormat)
    if not url and not form.file and "url" not in check.errors:
        check.errors["url"] = Message(N_("Donnez l'adresse de la source ou déposez son fichier."))
    check.raise_if_invalid()
    source = Source(name="", url=url, file=None if url else form.file, format=format_, id_column="")
    return source_columns(source, source_bytes(source))


def add_source(engine: Engine, form: SourceForm, *, staff: str) -> int:
    """Register a source; its first run is due at once. Raises FormErrors; writes nothing then."""
    check = FormCheck()
    values = clean_source_form(form, check)
    check.raise_if_invalid()
    try:
        with write_session(engine) as session:
            source = Source(**values, created_by=staff, next_run_at=utcnow() if values["interval_hours"] else None)
            session.add(source)
            session.flush()
            audit.record(session, actor=staff, action=AuditAction.SOURCE_ADDED, entity="source", entity_id=source.id,
                         after={name: value for name, value in values.items() if name != "file"})
            return source.id
    except IntegrityError as taken:
        raise FormErrors({"name": Message(N_("Une source porte déjà ce nom."))}) from taken


def replace_file(engine: Engine, source_id: int, data: bytes, *, staff: str) -> None:
    """A new version of an uploaded source's file, read at the next run. Raises FormErrors."""
    if not data or len(data) > MAX_SOURCE_BYTES:
        raise FormErrors({"file": Message(N_("Fichier vide ou trop volumineux : {max} Mo au maximum."),
                                          {"max": MAX_SOURCE_BYTES // (1024 * 1024)})})
    with write_session(engine) as session:
        source = session.get(Source, source_id)
        if source is None or source.url:
            raise FormErrors({"file": Message(N_("Cette source est lue à son adresse, pas depuis un fichier."))})
        source.file = data
        audit.record(session, actor=staff, action=AuditAction.SOURCE_FILE_REPLACED, entity="source",
                     entity_id=source_id, after={"bytes": len(data)})


def remove_source(engine: Engine, source_id: int, *, staff: str) -> None:
    """Stop following a source: its runs and row links go; the listings it brought stay."""
    with write_session(engine) as session:
        source = session.get(Source, source_id)
        if source is None:
            return
        session.execute(delete(SourceRun).where(SourceRun.source_id == source_id))
        session.execute(delete(SourceRecord).where(SourceRecord.source_id == source_id))
        session.delete(source)
        audit.record(session, actor=staff, action=AuditAction.SOURCE_REMOVED, entity="source", entity_id=source_id,
                     before={"name": source.name, "url": source.url})


def all_sources(engine: Engine) -> list[Source]:
    with read_session(engine) as session:
        return list(session.execute(select(Source).order_by(Source.name)).scalars())


def source_named(engine: Engine, name: str) -> Source | None:
    with read_session(engine) as session:
        return session.execute(select(Source).where(Source.name == name)).scalar()


def recent_runs(engine: Engine, source_id: int, limit: int = 10) -> list[SourceRun]:
    with read_session(engine) as session:
        return list(session.execute(select(SourceRun).where(SourceRun.source_id == source_id)
                                    .order_by(SourceRun.started_at.desc(), SourceRun.id.desc()).limit(limit)).scalars())


@dataclass(frozen=True)
class GoneListing:
    partner_id: int
    name: str
    state: str  # still published, or archived meanwhile
    source: str
    external_id: str
    gone_at: datetime


def gone_listings(engine: Engine) -> list[GoneListing]:
    """Listings whose row left their source: staff decide (archive, keep); nothing is deleted."""
    query = (select(Partner.id, Partner.name, Partner.state, Source.name, SourceRecord.external_id,
                    SourceRecord.gone_at)
             .join(SourceRecord, SourceRecord.partner_id == Partner.id)
             .join(Source, Source.id == SourceRecord.source_id)
             .where(SourceRecord.gone_at.is_not(None)).order_by(SourceRecord.gone_at.desc(), Partner.name))
    with read_session(engine) as session:
        return [GoneListing(*row) for row in session.execute(query).all()]
