"""Listings kept fresh: each contact is asked once per period whether its listing is still right.

The emailed link opens the listing's current facts with a "Oui, toujours exacte" button: only that
button stamps `last_verified` (mail scanners open links, they do not press buttons), once per link;
the same page offers the update form. No answer after 30 days: one reminder. Staff see every
published listing past its period ("à vérifier") with what became of the question, listings
without a contact address included. Each question is claimed by one UPDATE … RETURNING, so
concurrent cron runs and replicas send it once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

import pandas as pd
from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.engine import Engine

from directory import audit, notify, settings
from directory.audit import AuditAction
from directory.clock import utcnow
from directory.db import read_session, update_if_unchanged, write_session
from directory.errors import Refusal
from directory.i18n import N_
from directory.listings.changes import listing_for_link
from directory.models import LinkKind, ListingLink, ListingLinkPurpose, ListingState, Partner
from directory.private_links import add_listing_link
from directory.tokens import token_hash

REMINDER_AFTER = timedelta(days=30)
BATCH = 500
AGE_BUCKETS = ((183, N_("moins de 6 mois")), (365, N_("6 à 12 mois")), (730, N_("1 à 2 ans")),
               (None, N_("plus de 2 ans")))
NEVER = N_("jamais vérifiée")


@dataclass(frozen=True)
class Questions:
    asked: int
    reminded: int


def _unanswered():
    """Not checked since the last question (or never)."""
    return or_(Partner.last_verified.is_(None), Partner.last_verified < func.date(Partner.confirmation_asked_at))


def _past_period(now: datetime, period: timedelta):
    """Never checked, or last checked a period ago: what is asked again, and what staff see to check."""
    return or_(Partner.last_verified.is_(None), Partner.last_verified <= (now - period).date())


def ask_confirmations(engine: Engine, *, now: datetime | None = None) -> Questions:
    """Ask every contact whose listing was last checked a period ago, and remind once those who did
    not answer within 30 days. Safe to run from several processes at once."""
    now = now or utcnow()
    period = settings.confirmation_period()
    contact = and_(Partner.state == ListingState.PUBLISHED, Partner.contact_email != "",
                   Partner.contact_invalid.is_(False))
    due = and_(contact, _past_period(now, period),
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


class AlreadyConfirmed(Refusal):
    text = N_("Cette fiche a déjà été confirmée exacte avec ce lien.")


def confirm_listing(engine: Engine, token: str, *, now: datetime | None = None) -> str:
    """"Oui, toujours exacte", pressed on the link's page: the listing's check date becomes today,
    once per link (the link's first press wins, whatever runs at once); returns its name.
    Raises UnknownListingLink or AlreadyConfirmed."""
    now = now or utcnow()
    linked = listing_for_link(engine, token)
    with write_session(engine) as session:
        if not update_if_unchanged(session, ListingLink, where={"token_hash": token_hash(token), "confirmed_at": None},
                                   values={"confirmed_at": now}):
            raise AlreadyConfirmed()
        session.execute(update(Partner).where(Partner.id == linked.partner.id).values(last_verified=now.date()))
        audit.record(session, actor="organisation", action=AuditAction.CONFIRMED, entity="partner",
                     entity_id=linked.partner.id)
    return linked.partner.name


class CheckState(StrEnum):
    """Why a listing past its period is still unchecked, as the "À vérifier" tab says it."""

    CLOSED = "closed"  # the company register says its establishment closed
    REFUSED = "refused"  # the mail server refused its contact address
    NO_CONTACT = "no_contact"  # nobody to ask: staff call, or find an address
    REMINDED = "reminded"
    ASKED = "asked"
    NOT_ASKED = "not_asked"  # asked at the next daily run


CHECK_STATE_LABELS = {
    CheckState.CLOSED: N_("Établissement fermé selon le répertoire des entreprises"),
    CheckState.REFUSED: N_("Adresse de contact refusée par le serveur de messagerie"),
    CheckState.NO_CONTACT: N_("Pas d'adresse de contact : à appeler, ou trouver une adresse"),
    CheckState.REMINDED: N_("Relancée le {day}, sans réponse"),
    CheckState.ASKED: N_("Demandée le {day}, sans réponse"),
    CheckState.NOT_ASKED: N_("Pas encore demandée (question envoyée à la prochaine tournée quotidienne)"),
}


def _to_check_where(now: datetime) -> list:
    return [Partner.state == ListingState.PUBLISHED,
            or_(_past_period(now, settings.confirmation_period()), Partner.contact_invalid.is_(True),
                Partner.register_closed_at.is_not(None))]


def to_check(engine: Engine, *, now: datetime | None = None) -> pd.DataFrame:
    """Every published listing past its period (never checked, or checked a period ago), and any
    whose contact address was refused or whose establishment the register says is closed; the
    oldest check first, each with its `check_state` and the day that state began (`state_since`)."""
    query = (select(Partner.id, Partner.name, Partner.contact_email, Partner.contact_invalid, Partner.last_verified,
                    Partner.confirmation_asked_at, Partner.confirmation_reminded_at, Partner.register_closed_at,
                    _unanswered().label("unanswered"))
             .where(*_to_check_where(now or utcnow()))
             .order_by(Partner.last_verified.is_not(None), Partner.last_verified, Partner.id))
    with engine.connect() as connection:
        found = pd.read_sql(query, connection)
    found["check_state"], found["state_since"] = zip(*(_check_state(row) for row in found.itertuples()),
                                                     strict=True) if len(found) else ([], [])
    return found


def count_to_check(engine: Engine, *, now: datetime | None = None) -> int:
    """How many listings `to_check` holds (the dashboard's figure), counted by the database."""
    query = select(func.count()).select_from(Partner).where(*_to_check_where(now or utcnow()))
    with read_session(engine) as session:
        return session.execute(query).scalar_one()


def _check_state(row) -> tuple[CheckState, datetime | None]:
    if pd.notna(row.register_closed_at):
        return CheckState.CLOSED, row.register_closed_at
    if row.contact_invalid:
        return CheckState.REFUSED, None
    if not row.contact_email:
        return CheckState.NO_CONTACT, None
    if pd.notna(row.confirmation_reminded_at) and row.unanswered:
        return CheckState.REMINDED, row.confirmation_reminded_at
    if pd.notna(row.confirmation_asked_at) and row.unanswered:
        return CheckState.ASKED, row.confirmation_asked_at
    return CheckState.NOT_ASKED, None


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

