"""Listings proposed by the public: stored hidden, stored once however often sent, then published
(after staff corrections) or refused with a reason, the proposer told in either case."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from directory import notify
from directory.audit import AuditAction
from directory.clock import utcnow
from directory.db import write_session
from directory.listings.forms import PartnerForm, clean_partner_form, cleaned_partner_form, refuse_taken_number
from directory.listings.lifecycle import transition
from directory.listings.slugs import give_slug
from directory.listings.versions import (
    ListingConflict,
    record_version,
    snapshot,
)
from directory.listings.vocabulary import fold_name
from directory.models import (
    LONG_TEXT_MAX,
    NAME_MAX,
    ListingState,
    Partner,
)
from directory.validation import (
    FormCheck,
    clean_email,
    clean_text,
)


@dataclass(frozen=True)
class Proposal:
    number: int
    sent_before: bool  # the same person sent the same organisation within the hour: kept once


# A proposal sent twice (a double click, a reload, a second try) within this time is stored once.
REPEAT_WINDOW = timedelta(hours=1)


def propose_partner(engine: Engine, form: PartnerForm, *, proposer_name: str,
                    proposer_email: str, language: str = "fr") -> Proposal:
    """Store a listing proposed by the public, hidden until staff publish it.

    Raises FormErrors with every faulty field; writes nothing then.
    """
    check = FormCheck()
    values = clean_partner_form(form, check)
    values["proposer_name"] = check("proposer_name", clean_text, proposer_name, max_length=NAME_MAX)
    values["proposer_email"] = check("proposer_email", clean_email, proposer_email, required=True)
    values["proposer_language"] = language if language in ("fr", "en") else "fr"
    check.raise_if_invalid()
    with write_session(engine) as session:
        earlier = session.execute(select(Partner.id, Partner.name).where(
            Partner.state == ListingState.PROPOSED, Partner.created_at >= utcnow() - REPEAT_WINDOW,
            func.lower(Partner.proposer_email) == values["proposer_email"].lower())).all()
        for number, name in earlier:
            if fold_name(name) == fold_name(values["name"]):
                return Proposal(number, sent_before=True)
        refuse_taken_number(session, values["siret"])
        partner = Partner(**values, state=ListingState.PROPOSED)
        session.add(partner)
        session.flush()
        give_slug(session, partner)
        record_version(session, partner, author="public", origin="proposal")
        return Proposal(partner.id, sent_before=False)


def tell_proposer(session, partner: Partner, template: str, **params: str) -> None:
    """The person who proposed the listing hears what became of it (the form promised it)."""
    if partner.proposer_email:
        notify.queue(session, template=template, recipient=partner.proposer_email,
                     language=partner.proposer_language,
                     params={"name": partner.proposer_name or partner.proposer_email,
                             "organisation": partner.name, **params})


def publish_partner(engine: Engine, partner_id: int, *, staff: str, form: PartnerForm | None = None) -> None:
    """Publish a proposed listing, after staff corrections when `form` is given; the proposer is told."""
    values = cleaned_partner_form(form) if form is not None else {}
    with write_session(engine) as session:
        proposal = session.get(Partner, partner_id)
        if proposal is None:
            raise ListingConflict()
        refuse_taken_number(session, values.get("siret", proposal.siret), partner_id)
        content = snapshot(proposal)
        partner = transition(session, partner_id, ListingState.PUBLISHED, staff=staff, action=AuditAction.PUBLISHED,
                              values={**values, "last_verified": utcnow().date()})
        give_slug(session, partner)
        record_version(session, partner, author=staff, before=content)
        tell_proposer(session, partner, "proposal_published")


def reject_partner(engine: Engine, partner_id: int, *, staff: str, reason: str) -> None:
    """Refuse a proposal with a reason the proposer will read."""
    check = FormCheck()
    reason = check("reason", clean_text, reason, max_length=LONG_TEXT_MAX, required=True, multiline=True)
    check.raise_if_invalid()
    with write_session(engine) as session:
        partner = transition(session, partner_id, ListingState.REJECTED, staff=staff, action=AuditAction.REJECTED,
                              values={"rejection_reason": reason})
        tell_proposer(session, partner, "proposal_rejected", reason=reason)
