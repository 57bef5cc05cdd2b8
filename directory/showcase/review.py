"""The staff review queue: filters, one page at a time, and the whole count."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from directory.db import read_session
from directory.models import (
    UNDECIDED_STATES,
    Application,
    ApplicationState,
    SlotChoice,
)
from directory.showcase.rules import possible_slots

# What the queue shows unless staff choose: the undecided, and the offers waiting for an answer.
REVIEWED_STATES = (*UNDECIDED_STATES, ApplicationState.OFFERED)


@dataclass(frozen=True)
class ReviewFilters:
    states: tuple[str, ...] = REVIEWED_STATES
    slot_id: int | None = None
    sector: str = ""
    text: str = ""
REVIEW_COLUMNS = ["id", "state", "language", "organisation", "website", "short_description", "sectors", "stage",
                  "team_size", "city", "pitch_title", "pitch_summary", "pitch_title_en", "pitch_summary_en",
                  "demo_description", "equipment", "contact_name",
                  "contact_email", "contact_phone", "slot_id", "created_at", "decided_at", "staff_message",
                  "decision_reason", "rank", "ranked_slot"]


def _review_query(filters: ReviewFilters):
    """Candidates of one slot (each once, with the rank they gave it), or of every slot (each
    application once, with its first choice), as the filters say."""
    columns = [getattr(Application, c) for c in REVIEW_COLUMNS[:-2]]
    chosen = (SlotChoice.slot_id == filters.slot_id) if filters.slot_id is not None else (SlotChoice.rank == 1)
    query = (select(*columns, SlotChoice.rank, SlotChoice.slot_id.label("ranked_slot"))
             .join(SlotChoice, (SlotChoice.application_id == Application.id) & chosen))
    if filters.states:
        query = query.where(Application.state.in_(filters.states))
    if filters.sector.strip():
        query = query.where(func.lower(Application.sectors).contains(filters.sector.strip().lower()))
    for word in filters.text.split():
        pattern = f"%{word.lower()}%"
        query = query.where(func.lower(Application.organisation).like(pattern)
                            | func.lower(Application.pitch_title).like(pattern)
                            | func.lower(Application.pitch_summary).like(pattern))
    return query


def review_queue(engine: Engine, filters: ReviewFilters, *, offset: int = 0, limit: int = 200) -> pd.DataFrame:
    """One page of the queue: waitlisted first, then by rank and age."""
    waitlisted_first = (Application.state != ApplicationState.WAITLISTED)
    query = (_review_query(filters).order_by(waitlisted_first, SlotChoice.rank, Application.created_at,
                                             Application.id).offset(offset).limit(limit))
    with read_session(engine) as session:
        rows = session.execute(query).all()
    return pd.DataFrame(rows, columns=REVIEW_COLUMNS)


def count_review_queue(engine: Engine, filters: ReviewFilters) -> int:
    """How many applications the whole queue holds for these filters."""
    with read_session(engine) as session:
        return session.execute(select(func.count()).select_from(_review_query(filters).subquery())).scalar_one()


def candidates_per_slot(engine: Engine) -> dict[int, int]:
    """How many undecided applications (submitted or waitlisted) ranked each slot."""
    with read_session(engine) as session:
        rows = session.execute(
            select(SlotChoice.slot_id, func.count()).join(Application, Application.id == SlotChoice.application_id)
            .where(Application.state.in_(UNDECIDED_STATES)).group_by(SlotChoice.slot_id)).all()
    return dict(rows)


def logos_of(engine: Engine, application_ids: list[int]) -> dict[int, bytes]:
    """The re-encoded logos of a page of applications (only those that sent one)."""
    if not application_ids:
        return {}
    with read_session(engine) as session:
        rows = session.execute(select(Application.id, Application.logo).where(
            Application.id.in_(application_ids), Application.logo.is_not(None))).all()
    return dict(rows)


def choices_of(engine: Engine, application_ids: list[int]) -> dict[int, list[int]]:
    """Each application's slots, in its order of preference."""
    if not application_ids:
        return {}
    with read_session(engine) as session:
        rows = session.execute(select(SlotChoice.application_id, SlotChoice.slot_id)
                               .where(SlotChoice.application_id.in_(application_ids))
                               .order_by(SlotChoice.application_id, SlotChoice.rank)).all()
    ranked: dict[int, list[int]] = {}
    for application_id, slot_id in rows:
        ranked.setdefault(application_id, []).append(slot_id)
    return ranked


def stranded(engine: Engine, application_ids: list[int], *, now: datetime | None = None) -> set[int]:
    """Waitlisted applications none of whose slots may still give them a place (each closed, past,
    cancelled, or offered to them before): they are told so once, and staff end them, or let them
    wait for new choices."""
    with read_session(engine) as session:
        waiting = session.execute(select(Application.id).where(
            Application.id.in_(application_ids), Application.state == ApplicationState.WAITLISTED)).scalars().all()
        return {application_id for application_id in waiting if not possible_slots(session, application_id, now=now)}
