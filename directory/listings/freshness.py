"""Listings kept fresh: each contact is asked once per period whether its listing is still right.

"Toujours exacte" (one click, no sign-in) stamps `last_verified`; "Mettre à jour" opens the update
form. No answer after 30 days: one reminder; after 60, the listing is "à vérifier" for staff. Each
question is claimed by one UPDATE … RETURNING, so concurrent cron runs and replicas send it once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import pandas as pd
from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.engine import Engine

from directory import audit, notify, settings
from directory.audit import AuditAction
from directory.clock import utcnow
from directory.db import read_session, write_session
from directory.i18n import N_
from directory.listings.changes import listing_for_link
from directory.models import LinkKind, ListingLinkPurpose, ListingState, Partner
from directory.private_links import add_listing_link

REMINDER_AFTER = timedelta(days=30)
STALE_AFTER = timedelta(days=60)
BATCH = 500
AGE_BUCKETS = ((183, N_("moins de 6 mois")), (365, N_("6 à 12 mois")), (730, N_("1 à 2 ans")),
               (None, N_("plus de 2 ans")))
NEVER = N_("jamais vérifiée")


@dataclass(frozen=True)
class Questions:
    asked: int
    reminded: int


def _unanswered():
    return or_(Partner.last_verified.is_(None), Partner.last_verified < func.date(Partner.confirmation_asked_at))


def ask_confirmations(engine: Engine, *, now: datetime | None = None) -> Questions:
    """Ask every contact whose listing was last checked a period ago, and remind once those who did
    not answer within 30 days. Safe to run from several processes at once."""
    now = now or utcnow()
    period = settings.confirmation_period()
    contact = and_(Partner.state == ListingState.PUBLISHED, Partner.contact_email != "",
                   Partner.contact_invalid.is_(False))
    due = and_(contact, or_(Partner.last_verified.is_(None), Partner.last_verified <= (now - period).date()),
               or_(Partner.confirmation_asked_at.is_(None), Partner.confirmation_asked_at <= now - period))
    reminder_due = and_(contact, Partner.confirmation_asked_at <= now - REMINDER_AFTER,
                        Partner.confirmation_asked_at > now - period, Partner.confirmation_reminded_at.is_(None),
                        _unanswered())
    asked = _send(engine, due, {"confirmation_asked_at": now, "confirmation_reminded_at": None},
                  "listing_confirm_question", period)
    reminded = _send(engine, reminder_due, {"confirmation_reminded_at": now}, "listing_confirm_reminder", period)
    return Questions(asked, reminded)


def _send(engine: Engine, due, claim: dict, template: str, period: timedelta) -> int:
    sent = 0
    while True:
        with write_session(engine) as session:
            batch = session.execute(select(Partner.id).where(due).order_by(Partner.id).limit(BATCH)).scalars().all()
            # Claimed only if still due: a concurrent run that took a row first leaves it out.
            partners = session.execute(update(Partner).where(Partner.id.in_(batch), due).values(**claim)
                                       .returning(Partner.id, Partner.name, Partner.contact_email)).all()
            for partner in partners:  # the link works until the listing is asked again
                seed = add_listing_link(session, partner, partner.contact_email, ListingLinkPurpose.CONFIRM, period)
                # The contact's language is not known: French, the directory's language.
                notify.queue(session, template=template, recipient=partner.contact_email, language="fr",
                             params={"organisation": partner.name}, link_kind=LinkKind.LISTING, link_seed=seed)
        sent += len(partners)
        if len(batch) < BATCH:
            return sent


def confirm_listing(engine: Engine, token: str) -> str:
    """"Toujours exacte": the listing's check date becomes today; returns its name.
    Raises UnknownListingLink."""
    linked = listing_for_link(engine, token)
    today = utcnow().date()
    with write_session(engine) as session:
        session.execute(update(Partner).where(Partner.id == linked.partner.id).values(last_verified=today))
        if linked.partner.last_verified != today:
            audit.record(session, actor="organisation", action=AuditAction.CONFIRMED, entity="partner",
                         entity_id=linked.partner.id)
    return linked.partner.name


def to_check(engine: Engine, *, now: datetime | None = None) -> pd.DataFrame:
    """Published listings whose contact did not answer for 60 days, whose address the mail server
    refused, or whose establishment the register says is closed; the oldest question first."""
    now = now or utcnow()
    query = (select(Partner.id, Partner.name, Partner.contact_email, Partner.contact_invalid, Partner.last_verified,
                    Partner.confirmation_asked_at, Partner.register_closed_at)
             .where(Partner.state == ListingState.PUBLISHED,
                    or_(Partner.contact_invalid.is_(True), Partner.register_closed_at.is_not(None),
                        and_(Partner.confirmation_asked_at <= now - STALE_AFTER, _unanswered())))
             .order_by(Partner.confirmation_asked_at, Partner.id))
    with engine.connect() as connection:
        return pd.read_sql(query, connection)


def verification_ages(engine: Engine, *, today: date | None = None) -> dict[str, int]:
    """How many published listings were last checked how long ago (the dashboard's chart)."""
    today = today or utcnow().date()
    with read_session(engine) as session:
        days = [None if verified is None else (today - verified).days for verified in session.execute(
            select(Partner.last_verified).where(Partner.state == ListingState.PUBLISHED)).scalars()]
    counts = {label: 0 for _, label in AGE_BUCKETS} | {NEVER: 0}
    for age in days:
        label = NEVER if age is None else next(label for limit, label in AGE_BUCKETS if limit is None or age < limit)
        counts[label] += 1
    return counts

