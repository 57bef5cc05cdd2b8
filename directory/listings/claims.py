"""Claims: someone of an organisation whose listing has no contact address, or one nobody reads
any more, asks to become its contact. Staff check who they are; accepting makes their work email
the listing's contact (a new version, audited), which then receives an update link.

Anyone may type any address: only an address the listing already trusts (its contact's, or one on
its website's domain) is told at once that a claim arrived, and no email ever carries what the
claimant typed (their name, their message): a claim cannot send someone else a stranger's words."""

from __future__ import annotations

from datetime import timedelta

import pandas as pd
from sqlalchemy import select, update
from sqlalchemy.engine import Engine

from directory import audit, notify, ratelimit
from directory.audit import AuditAction
from directory.clock import utcnow
from directory.db import write_session
from directory.listings.changes import TooManyLinkRequests, close_request, decision_reason, send_update_link
from directory.listings.duplicates import web_host
from directory.listings.versions import ListingConflict, record_version, snapshot
from directory.models import LONG_TEXT_MAX, NAME_MAX, ChangeState, ListingClaim, ListingState, Partner
from directory.validation import FormCheck, clean_email, clean_text

CLAIMS_PER_CLIENT = 5
CLAIM_WINDOW = timedelta(hours=1)


def claim_listing(engine: Engine, partner_id: int, *, name: str, role: str, email: str, message: str,
                  language: str, client: str) -> int:
    """Store a claim for staff. Raises FormErrors (nothing stored), ListingConflict if the listing
    is no longer published, TooManyLinkRequests past the limit per client address."""
    check = FormCheck()
    name = check("claim_name", clean_text, name, max_length=NAME_MAX, required=True)
    role = check("claim_role", clean_text, role, max_length=NAME_MAX, required=True)
    email = check("claim_email", clean_email, email, required=True)
    message = check("claim_message", clean_text, message, max_length=LONG_TEXT_MAX, multiline=True)
    check.raise_if_invalid()
    with write_session(engine) as session:
        partner = session.get(Partner, partner_id)
        if partner is None or partner.state != ListingState.PUBLISHED:
            raise ListingConflict()
        # An unknown client counts against the listing instead (`clients`): never one bucket for all.
        if not ratelimit.take(session, ratelimit.limit_key(session, "claim", client or f"partner:{partner_id}"),
                              limit=CLAIMS_PER_CLIENT, window=CLAIM_WINDOW):
            raise TooManyLinkRequests()
        claim = ListingClaim(partner_id=partner_id, name=name, role=role, email=email, message=message,
                             language=language if language in ("fr", "en") else "fr")
        session.add(claim)
        session.flush()
        if trusted_address(partner, email):
            notify.queue(session, template="claim_received", recipient=email, language=claim.language,
                         params={"organisation": partner.name})
        return claim.id


def trusted_address(partner: Partner, email: str) -> bool:
    """Whether the listing already trusts `email`: its contact address, or an address on the
    domain of its own website (not a shared host such as a social network)."""
    if partner.contact_email and email.lower() == partner.contact_email.lower():
        return True
    host, domain = web_host(partner.website), email.rpartition("@")[2].lower()
    return bool(host) and "." in domain and (domain == host or host.endswith(f".{domain}")
                                             or domain.endswith(f".{host}"))


def pending_claims(engine: Engine) -> pd.DataFrame:
    query = (select(ListingClaim, Partner.name.label("partner_name"), Partner.contact_email.label("current_contact"),
                    Partner.contact_invalid)
             .join(Partner, Partner.id == ListingClaim.partner_id)
             .where(ListingClaim.state == ChangeState.PENDING).order_by(ListingClaim.created_at, ListingClaim.id))
    with engine.connect() as connection:
        return pd.read_sql(query, connection)


def decide_claim(engine: Engine, claim_id: int, *, accept: bool, staff: str, reason: str = "") -> None:
    """Accept (the claimant becomes the contact and gets an update link) or refuse with a reason;
    the claimant is told. Raises FormErrors or AlreadyDecided."""
    reason = decision_reason(reason, refusing=not accept)
    with write_session(engine) as session:
        claim = close_request(session, ListingClaim, claim_id, accept=accept, staff=staff, reason=reason)
        partner = session.get(Partner, claim.partner_id)
        params = {"organisation": partner.name, "reason": reason}
        if not accept:
            audit.record(session, actor=staff, action=AuditAction.CLAIM_REFUSED, entity="partner",
                         entity_id=partner.id, after={"claim": claim_id, "reason": reason})
            notify.queue(session, template="claim_refused", recipient=claim.email, language=claim.language,
                         params=params)
            return
        before = snapshot(partner)
        session.execute(update(Partner).where(Partner.id == partner.id).values(
            contact_email=claim.email, contact_invalid=False, updated_at=utcnow()))
        session.refresh(partner)
        record_version(session, partner, author=staff, origin=f"claim:{claim_id}", before=before)
        audit.record(session, actor=staff, action=AuditAction.CLAIM_ACCEPTED, entity="partner", entity_id=partner.id,
                     before={"email": before["contact_email"]}, after={"claim": claim_id, "email": claim.email})
        send_update_link(session, partner, claim.email, claim.language)
