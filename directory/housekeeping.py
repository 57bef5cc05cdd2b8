"""Records that outlive their use, pruned once a day (`vitrine purge-expired`, and the worker):
rate-limit counts whose window is over, staff sessions past their expiry and sign-in codes never
redeemed, and messages sent (or refused) past their retention. Personal data's own retention is
`privacy.purge_expired`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, or_
from sqlalchemy.engine import Engine

from directory.accounts import ABSOLUTE_TIMEOUT, IDLE_TIMEOUT
from directory.clock import utcnow
from directory.db import write_session
from directory.models import Notification, NotificationState, RateLimit, StaffSession

RATE_LIMIT_RETENTION = timedelta(days=1)  # longer than any limit's window (an hour at most)
OUTBOX_RETENTION = timedelta(days=30)  # what was sent can be looked up for a month


@dataclass(frozen=True)
class Pruned:
    rate_limits: int
    sessions: int
    messages: int


def prune(engine: Engine, *, now: datetime | None = None) -> Pruned:
    """Delete what no one will read again, in one transaction; returns how many of each went."""
    now = now or utcnow()
    with write_session(engine) as session:
        rate_limits = session.execute(delete(RateLimit).where(
            RateLimit.window_start < now - RATE_LIMIT_RETENTION)).rowcount
        sessions = session.execute(delete(StaffSession).where(or_(
            StaffSession.started_at < now - ABSOLUTE_TIMEOUT, StaffSession.last_seen_at < now - IDLE_TIMEOUT,
            StaffSession.handoff_until < now))).rowcount
        messages = session.execute(delete(Notification).where(
            Notification.state.in_((NotificationState.SENT, NotificationState.REFUSED)),
            func.coalesce(Notification.sent_at, Notification.created_at) < now - OUTBOX_RETENTION)).rowcount
    return Pruned(rate_limits, sessions, messages)
