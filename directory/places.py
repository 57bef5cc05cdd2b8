"""Freed places and their waiting lists: the engine the showcases and the programme's sessions share.

Both hold a number of places, count those given or held by an offer, and keep a waiting list in
their own order. Whenever a place may have freed up, `offer_freed_places` offers it to the next in
line, for as long as `offer_expiry` allows; `expire_due` ends the offers left unanswered, one
transaction each, so that several replicas may run it at once. What an offer is, and what its end
does, is each use's own (`showcase.rules.place_freed`, `programme.registrations`)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from typing import TypeVar

from sqlalchemy.engine import Engine
from sqlmodel import Session

from directory.db import retry_on_conflict, write_session

Waiting = TypeVar("Waiting")

# On the last day, a freed place is held a short while, and never into the hour before the start
# (the place is then the atelier's to give at the door); shorter than that, no offer is made.
LAST_DAY_HOLD = timedelta(hours=2)
LAST_CALL = timedelta(hours=1)
SHORTEST_HOLD = timedelta(minutes=30)


def offer_expiry(now: datetime, *, closes_at: datetime, starts_at: datetime, longest: timedelta,
                 last_day: bool = False) -> datetime | None:
    """Until when a place offered now is held: `longest`, never past `closes_at`; after
    `closes_at`, a short hold on the last day if `last_day` allows it, else (or when even that
    would be too short to answer) None: no offer."""
    if now < closes_at:
        return min(now + longest, closes_at)
    if not last_day:
        return None
    expiry = min(now + LAST_DAY_HOLD, starts_at - LAST_CALL)
    return expiry if expiry - now >= SHORTEST_HOLD else None


def offer_freed_places(*, free_places: Callable[[], int], next_in_line: Callable[[], Waiting | None],
                       offer: Callable[[Waiting], None]) -> int:
    """While places are free and someone waits, the next in line gets an offer (inside the
    caller's transaction, which has locked what holds the places). Returns how many were made."""
    made = 0
    while free_places() > 0 and (waiting := next_in_line()) is not None:
        offer(waiting)
        made += 1
    return made


def expire_due(engine: Engine, due: Iterable[int], end_offer: Callable[[Session, int], bool]) -> int:
    """Each offer in `due` ends in its own transaction (`end_offer` returns False when it was
    answered, or ended by another replica, meanwhile). Returns how many ended here."""
    ended = 0
    for offer_id in due:
        def work(offer_id: int = offer_id) -> bool:
            with write_session(engine) as session:
                return end_offer(session, offer_id)
        ended += retry_on_conflict(work)
    return ended
