"""One run of a source: its rows brought in step with the directory, in one transaction.

New rows become proposals, or published listings when the source is trusted and the row looks
like no live listing; changed rows become pending changes for staff, or new versions when the
source is trusted (a proposal the source made is simply updated); rows gone from the source are
flagged, never deleted. A row whose cleaned values did not change since the last run costs a hash:
a second run with the same data changes nothing. A source that fails changes nothing and says why.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import insert, or_, select, update
from sqlalchemy.engine import Engine
from sqlmodel import Session

from directory import audit
from directory.audit import AuditAction
from directory.clock import utcnow
from directory.db import read_session, write_session
from directory.errors import Refusal
from directory.i18n import N_
from directory.listings import (
    ListingConflict,
    LiveListings,
    add_partners,
    differs,
    give_slug,
    record_version,
    refuse_taken_number,
    snapshot,
)
from directory.models import (
    LIVE_STATES,
    SHORT_TEXT_MAX,
    ChangeState,
    ListingChange,
    ListingState,
    Partner,
    Source,
    SourceRecord,
    SourceRun,
)
from directory.sources.fetching import SourceFailed, source_bytes
from directory.sources.rows import SourceBatch, SourceRow, read_source
from directory.validation import FormErrors, Message

# Rows listed per part of a report (the counts are always whole): enough to act on, bounded in size.
REPORT_ROWS_MAX = 500
# A run that has held its source this long died with its process: another may take it.
STALE_RUN = timedelta(minutes=15)
CHUNK = 500


class SourceBusy(Refusal):
    text = N_("Cette source est déjà en cours de synchronisation : attendez la fin de ce passage.")


def sync_source(engine: Engine, source_id: int, *, actor: str) -> SourceRun:
    """Bring one source in step now (staff's button, the command). Raises SourceBusy while
    another run holds it; a failure is a run that says why, with nothing changed."""
    if not _claim(engine, source_id, due=False):
        raise SourceBusy()
    return _run(engine, source_id, actor)


def sync_due_sources(engine: Engine) -> list[SourceRun]:
    """Every source whose interval has passed, once each, even with several workers at once."""
    with read_session(engine) as session:
        due = session.execute(select(Source.id).where(Source.interval_hours > 0, Source.next_run_at <= utcnow())
                              .order_by(Source.next_run_at)).scalars().all()
    return [_run(engine, source_id, "vitrine") for source_id in due if _claim(engine, source_id, due=True)]


def _claim(engine: Engine, source_id: int, *, due: bool) -> bool:
    """Hold the source for one run (and set its next one), unless another run holds it."""
    now = utcnow()
    with write_session(engine) as session:
        source = session.get(Source, source_id)
        if source is None:
            return False
        conditions = [Source.id == source_id,
                      or_(Source.running_since.is_(None), Source.running_since < now - STALE_RUN)]
        if due:
            conditions.append(Source.next_run_at <= now)
        next_run = now + timedelta(hours=source.interval_hours) if source.interval_hours else None
        return session.execute(update(Source).where(*conditions)
                               .values(running_since=now, next_run_at=next_run)).rowcount == 1


def _run(engine: Engine, source_id: int, actor: str) -> SourceRun:
    try:
        with read_session(engine) as session:
            source = session.get(Source, source_id)
        run = SourceRun(source_id=source_id, actor=actor)
        try:
            batch = read_source(source, source_bytes(source))
            with write_session(engine) as session:
                report = _bring_in_step(session, source, batch)
                _finish(run, report)
                session.add(run)
                session.flush()
                audit.record(session, actor=actor, action=AuditAction.SOURCE_SYNCED, entity="source",
                             entity_id=source_id, after={"run": run.id, **_counts(run)})
        except (SourceFailed, ListingConflict) as failure:
            message = failure.message if isinstance(failure, SourceFailed) else Message(
                N_("Une fiche a changé pendant le passage : rien n'a été changé ; relancez-le."))
            run.error = json.dumps([message.text, message.params], ensure_ascii=False, default=str)[:2000]
            run.finished_at = utcnow()
            with write_session(engine) as session:
                session.add(run)
        return run
    finally:
        with write_session(engine) as session:
            session.execute(update(Source).where(Source.id == source_id).values(running_since=None))


def _counts(run: SourceRun) -> dict[str, int]:
    return {name: getattr(run, name) for name in ("added", "changed", "gone", "refused", "unchanged")}


def _finish(run: SourceRun, report: dict[str, Any]) -> None:
    run.ok, run.finished_at = True, utcnow()
    for name in ("added", "changed", "gone", "refused"):
        setattr(run, name, len(report[name]))
        report[name] = report[name][:REPORT_ROWS_MAX]
    run.unchanged = report.pop("unchanged")
    run.report = json.dumps(report, ensure_ascii=False, default=str)


@dataclass
class _Step:
    """What one run reads and writes, shared by its parts."""

    session: Session
    source: Source
    batch: SourceBatch
    now: datetime
    report: dict[str, Any]

    @property
    def author(self) -> str:
        return audit.source_actor(self.source.name)

    @property
    def origin(self) -> str:
        return f"source:{self.source.id}"

    def refuse(self, row: SourceRow, errors: dict[str, Message]) -> None:
        self.report["refused"].append({"line": row.line, "id": row.external_id, "name": row.name, "errors": {
            name: [message.text, message.params] for name, message in errors.items()}})


def _bring_in_step(session: Session, source: Source, batch: SourceBatch) -> dict[str, Any]:
    step = _Step(session, source, batch, utcnow(),
                 {"added": [], "changed": [], "gone": [], "refused": [], "back": [], "unchanged": 0})
    records = {record.external_id: record for record in session.execute(
        select(SourceRecord).where(SourceRecord.source_id == source.id)).scalars()}
    first_line: dict[str, int] = {}
    new, changed = [], []
    for row in batch.rows:
        if row.external_id in first_line:
            step.refuse(row, {"id": Message(N_("Identifiant « {id} » déjà celui de la ligne {line}."),
                                            {"id": row.external_id, "line": first_line[row.external_id]})})
            continue
        if row.external_id:
            first_line[row.external_id] = row.line  # a refused row is still there: not gone
        if row.values is None:
            step.refuse(row, row.errors)
            continue
        record = records.get(row.external_id)
        fingerprint = batch.fingerprint(row.values)
        if record is None:
            new.append((row, fingerprint))
        elif record.fingerprint != fingerprint:
            changed.append((record, row, fingerprint))
        else:
            step.report["unchanged"] += 1
            if record.gone_at is not None:
                record.gone_at = None
                step.report["back"].append({"id": row.external_id, "partner": record.partner_id, "name": row.name})
    _add(step, new)
    _change(step, changed)
    _flag_gone(step, [record for external_id, record in records.items()
                      if external_id not in first_line and record.gone_at is None])
    return step.report


def _add(step: _Step, new: list[tuple[SourceRow, str]]) -> None:
    if not new:
        return
    live = LiveListings(step.session)
    rows, looks_like = [], []
    for number, (row, _fingerprint) in enumerate(new):
        alike = live.alike(row.values, limit=1)
        published = step.source.trusted and not alike
        rows.append({**row.values, "source": step.source.name[:SHORT_TEXT_MAX],
                     "state": ListingState.PUBLISHED if published else ListingState.PROPOSED,
                     "last_verified": step.now.date() if published else None})
        looks_like.append(alike[0].name if alike else "")
        live.add(-1 - number, {**row.values, "state": rows[-1]["state"]})  # two rows of one organisation
    ids = add_partners(step.session, rows, author=step.author, origin=step.origin)
    step.session.execute(insert(SourceRecord), [
        {"source_id": step.source.id, "external_id": row.external_id, "partner_id": partner_id,
         "fingerprint": fingerprint, "added_at": step.now}
        for (row, fingerprint), partner_id in zip(new, ids, strict=True)])
    step.report["added"] = [
        {"id": row.external_id, "partner": partner_id, "name": row.name, "state": values["state"], "looks_like": alike}
        for (row, _fingerprint), partner_id, values, alike in zip(new, ids, rows, looks_like, strict=True)]


def _change(step: _Step, changed: list[tuple[SourceRecord, SourceRow, str]]) -> None:
    if not changed:
        return
    partners = _partners(step.session, [record.partner_id for record, _row, _fingerprint in changed])
    pending = {change.partner_id: change for change in step.session.execute(select(ListingChange).where(
        ListingChange.source_id == step.source.id, ListingChange.state == ChangeState.PENDING)).scalars()}
    for record, row, fingerprint in changed:
        partner = partners[record.partner_id]
        given, current = step.batch.given(row.values), snapshot(partner)
        fields = [name for name, value in given.items() if differs(current.get(name), value)]
        if partner.state in LIVE_STATES and fields:
            applied = step.source.trusted or partner.state == ListingState.PROPOSED
            try:
                if applied:
                    _apply(step, partner, {name: row.values[name] for name in fields}, current)
                else:
                    _propose(step, partner, {name: given[name] for name in fields}, pending.get(partner.id))
            except FormErrors as refused:
                step.refuse(row, refused.errors)
                continue  # its fingerprint stays: the next run tries again
            step.report["changed"].append({"id": row.external_id, "partner": partner.id, "name": partner.name,
                                           "fields": fields, "applied": applied})
        else:
            step.report["unchanged"] += 1
        if record.gone_at is not None:
            step.report["back"].append({"id": row.external_id, "partner": partner.id, "name": partner.name})
        record.fingerprint, record.gone_at = fingerprint, None


def _partners(session: Session, ids: list[int]) -> dict[int, Partner]:
    found = {}
    for start in range(0, len(ids), CHUNK):
        found.update((partner.id, partner) for partner in session.execute(
            select(Partner).where(Partner.id.in_(ids[start:start + CHUNK]))).scalars())
    return found


def _apply(step: _Step, partner: Partner, values: dict[str, Any], before: dict[str, Any]) -> None:
    """A trusted source's change (or one to a proposal it made): a new version, no review."""
    if "siret" in values:
        refuse_taken_number(step.session, values["siret"], partner.id)
    step.session.execute(update(Partner).where(Partner.id == partner.id)
                         .values(**values, updated_at=step.now, last_verified=step.now.date()))
    step.session.refresh(partner)
    if "name" in values:
        give_slug(step.session, partner)
    record_version(step.session, partner, author=step.author, origin=step.origin, before=before)


def _propose(step: _Step, partner: Partner, proposed: dict[str, Any], waiting: ListingChange | None) -> None:
    """A change for staff to review; the source's change still waiting for this listing is replaced,
    not stacked."""
    text = json.dumps(proposed, ensure_ascii=False)
    if waiting is not None:
        waiting.proposed, waiting.base_version, waiting.created_at = text, partner.version, step.now
    else:
        step.session.add(ListingChange(partner_id=partner.id, base_version=partner.version, proposed=text,
                                       source_id=step.source.id, language="fr"))


def _flag_gone(step: _Step, gone: list[SourceRecord]) -> None:
    if not gone:
        return
    names = {partner_id: partner.name for partner_id, partner in
             _partners(step.session, [record.partner_id for record in gone]).items()}
    for record in gone:
        record.gone_at = step.now
    step.report["gone"] = [{"id": record.external_id, "partner": record.partner_id,
                            "name": names.get(record.partner_id, "")} for record in gone]
