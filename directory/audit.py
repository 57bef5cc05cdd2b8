"""The audit log: append-only, written in the same transaction as the change it records."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import pandas as pd
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlmodel import Session

from directory.clock import PARIS
from directory.db import read_session
from directory.models import AuditEvent


def record(session: Session, *, actor: str, action: str, entity: str, entity_id: int,
           before: dict | None = None, after: dict | None = None) -> None:
    session.add(AuditEvent(actor=actor, action=action, entity=entity, entity_id=entity_id,
                           before=json.dumps(before, ensure_ascii=False, default=str) if before else "",
                           after=json.dumps(after, ensure_ascii=False, default=str) if after else ""))


def history(session: Session, entity: str, entity_id: int) -> list[AuditEvent]:
    return list(session.execute(
        select(AuditEvent).where(AuditEvent.entity == entity, AuditEvent.entity_id == entity_id)
        .order_by(AuditEvent.at, AuditEvent.id)).scalars())


@dataclass(frozen=True)
class AuditFilters:
    actors: tuple[str, ...] = ()
    entities: tuple[str, ...] = ()
    first_day: date | None = None
    last_day: date | None = None


def events(engine: Engine, filters: AuditFilters, *, limit: int = 1000) -> pd.DataFrame:
    """The newest events first, filtered by person, kind of record and day (Paris time)."""
    query = select(AuditEvent).order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).limit(limit)
    if filters.actors:
        query = query.where(AuditEvent.actor.in_(filters.actors))
    if filters.entities:
        query = query.where(AuditEvent.entity.in_(filters.entities))
    if filters.first_day:
        query = query.where(AuditEvent.at >= datetime.combine(filters.first_day, time(), PARIS))
    if filters.last_day:
        query = query.where(AuditEvent.at < datetime.combine(filters.last_day + timedelta(days=1), time(), PARIS))
    with read_session(engine) as session:
        rows = [event.model_dump() for event in session.execute(query).scalars()]
    return pd.DataFrame(rows, columns=["id", "at", "actor", "action", "entity", "entity_id", "before", "after"])


def actors(engine: Engine) -> list[str]:
    with read_session(engine) as session:
        return sorted(session.execute(select(AuditEvent.actor).distinct()).scalars())
