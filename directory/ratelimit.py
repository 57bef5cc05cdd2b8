"""Fixed-window rate limits kept in the database, so that every replica counts the same hits."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from sqlalchemy import delete, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from directory.clock import aware, utcnow
from directory.models import RateLimit


def limit_key(scope: str, value: str) -> str:
    """A key that does not keep the address it counts (emails and client addresses are hashed)."""
    return f"{scope}:{hashlib.sha256(value.strip().casefold().encode()).hexdigest()[:40]}"


def take(session: Session, key: str, *, limit: int, window: timedelta, now: datetime | None = None) -> bool:
    """Count one hit of `key` in the caller's transaction; False once `limit` hits are in the window."""
    now = now or utcnow()
    started = now - window
    # A new window starts over; else one more hit, conditional so that two replicas count twice.
    renewed = session.execute(update(RateLimit).where(RateLimit.key == key, RateLimit.window_start <= started)
                              .values(window_start=now, hits=1))
    if renewed.rowcount == 1:
        return True
    counted = session.execute(update(RateLimit).where(RateLimit.key == key, RateLimit.hits < limit)
                              .values(hits=RateLimit.hits + 1))
    if counted.rowcount == 1:
        return True
    if session.get(RateLimit, key) is not None:
        return False
    try:
        with session.begin_nested():
            session.add(RateLimit(key=key, window_start=now, hits=1))
    except IntegrityError:  # another request created it meanwhile: count again
        return take(session, key, limit=limit, window=window, now=now)
    return True


def take_each(session: Session, limits: list[tuple[str, str, int]], *, window: timedelta) -> bool:
    """`take` one hit of each (scope, value, limit), e.g. per address and per client address;
    False at the first limit reached."""
    return all(take(session, limit_key(scope, value), limit=limit, window=window) for scope, value, limit in limits)


def hits(session: Session, key: str, *, window: timedelta, now: datetime | None = None) -> int:
    """How many hits `key` has in its current window (0 once the window is over), without counting one."""
    limit = session.get(RateLimit, key)
    if limit is None or aware(limit.window_start) <= (now or utcnow()) - window:
        return 0
    return limit.hits


def forget(session: Session, key: str) -> None:
    session.execute(delete(RateLimit).where(RateLimit.key == key))


def window_end(session: Session, key: str, *, window: timedelta) -> datetime | None:
    limit = session.get(RateLimit, key)
    return None if limit is None else aware(limit.window_start) + window
