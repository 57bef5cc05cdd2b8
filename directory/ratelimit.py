"""Fixed-window rate limits kept in the database, so that every replica counts the same hits."""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime, timedelta

from sqlalchemy import delete, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from directory.clock import aware, utcnow
from directory.models import RateLimit
from directory.tokens import server_secret

SECRET_NAME = "rate-limits"


def limit_key(session: Session, scope: str, value: str) -> str:
    """A key that does not keep the address it counts: an HMAC with the server's secret, so that a
    copy of the table gives no way to test guessed addresses against it."""
    digest = hmac.new(_secret(session), value.strip().casefold().encode(), hashlib.sha256).hexdigest()
    return f"{scope}:{digest[:40]}"


_secrets: dict[str, bytes] = {}


def _secret(session: Session) -> bytes:
    """The rate-limit secret, read once per process and database (a sign-in counts without a query more)."""
    database = str(session.get_bind().url)
    if database not in _secrets:
        _secrets[database] = server_secret(session, SECRET_NAME)
    return _secrets[database]


def take(session: Session, key: str, *, limit: int, window: timedelta, now: datetime | None = None,
         hits: int = 1) -> bool:
    """Count `hits` hits of `key` in the caller's transaction; False once the window holds more
    than `limit` (the caller then writes nothing, and its transaction, the count with it, rolls back)."""
    return count(session, key, window=window, now=now, hits=hits) <= limit


def count(session: Session, key: str, *, window: timedelta, now: datetime | None = None, hits: int = 1) -> int:
    """Count `hits` hits of `key` and return how many its window now holds, these included: of N
    requests at once, each reads its own number, so a decision on it holds for all."""
    now = now or utcnow()
    renewed = session.execute(update(RateLimit).where(RateLimit.key == key, RateLimit.window_start <= now - window)
                              .values(window_start=now, hits=hits))
    if renewed.rowcount == 1:
        return hits
    counted = session.execute(update(RateLimit).where(RateLimit.key == key).values(hits=RateLimit.hits + hits)
                              .returning(RateLimit.hits)).scalar()
    if counted is not None:
        return counted
    try:
        with session.begin_nested():
            session.add(RateLimit(key=key, window_start=now, hits=hits))
    except IntegrityError:  # another request created it meanwhile: count again
        return count(session, key, window=window, now=now, hits=hits)
    return hits


def give_back(session: Session, key: str) -> None:
    """Uncount one hit (an attempt counted before it was known to succeed)."""
    session.execute(update(RateLimit).where(RateLimit.key == key, RateLimit.hits > 0).values(hits=RateLimit.hits - 1))


def take_each(session: Session, limits: list[tuple[str, str, int]], *, window: timedelta) -> bool:
    """`take` one hit of each (scope, value, limit), e.g. per address and per client address;
    False at the first limit reached. An unknown value ("", a client address not known) is not
    counted: one bucket for every such client would let one of them use up everyone's allowance."""
    return all(take(session, limit_key(session, scope, value), limit=limit, window=window)
               for scope, value, limit in limits if value)


def forget(session: Session, key: str) -> None:
    session.execute(delete(RateLimit).where(RateLimit.key == key))


def window_end(session: Session, key: str, *, window: timedelta) -> datetime | None:
    limit = session.get(RateLimit, key)
    return None if limit is None else aware(limit.window_start) + window
