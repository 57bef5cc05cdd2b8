"""Visitors report what is wrong on a published card; staff apply the correction or dismiss it.

A report is a message attached to a partner, waiting in the staff's moderation queue. Applying
it means editing the listing (audited like any edit); the reporter, if they left an email, gets
an acknowledgement when the report arrives.
"""

from __future__ import annotations

from datetime import timedelta

import pandas as pd
from sqlalchemy import select
from sqlalchemy.engine import Engine

from directory import audit, listings, notify, ratelimit
from directory.audit import AuditAction
from directory.clock import utcnow
from directory.db import update_if_unchanged, write_session
from directory.errors import Refusal
from directory.i18n import N_
from directory.listings.forms import PartnerForm
from directory.listings.versions import ListingConflict
from directory.models import Correction, CorrectionState, ListingState, Partner
from directory.validation import FormCheck, clean_email, clean_text

REPORT_MAX = 2000
# A person reports a few errors in a visit; more from one client address is a robot.
REPORTS_PER_CLIENT = 10
REPORT_WINDOW = timedelta(hours=1)


class TooManyReports(Refusal):
    text = N_("Trop de signalements envoyés depuis votre connexion : réessayez dans une heure.")


def report_error(engine: Engine, partner_id: int, *, message: str, email: str, language: str,
                 client: str) -> int:
    """Store a report on a published partner and queue its acknowledgement.

    Raises FormErrors (nothing written), ListingConflict if the card is no longer published,
    TooManyReports past the limit for this client address.
    """
    check = FormCheck()
    message = check("message", clean_text, message, max_length=REPORT_MAX, required=True, multiline=True)
    email = check("email", clean_email, email)
    check.raise_if_invalid()
    with write_session(engine) as session:
        partner = session.get(Partner, partner_id)
        if partner is None or partner.state != ListingState.PUBLISHED:
            raise ListingConflict()
        # An unknown client counts against the card instead (`clients`): never one bucket for all.
        if not ratelimit.take(session, ratelimit.limit_key(session, "report", client or f"partner:{partner_id}"),
                              limit=REPORTS_PER_CLIENT, window=REPORT_WINDOW):
            raise TooManyReports()
        correction = Correction(partner_id=partner_id, message=message, reporter_email=email,
                                reporter_language=language if language in ("fr", "en") else "fr")
        session.add(correction)
        session.flush()
        if email:
            notify.queue(session, template="report_received", recipient=email, language=correction.reporter_language,
                         params={"organisation": partner.name})
        return correction.id


def open_reports(engine: Engine) -> pd.DataFrame:
    """Reports waiting for a decision, oldest first, with the partner they are about."""
    query = (select(Correction.id, Correction.partner_id, Correction.message, Correction.created_at,
                    Correction.reporter_email, Partner.name.label("partner_name"))
             .join(Partner, Partner.id == Correction.partner_id)
             .where(Correction.state == CorrectionState.OPEN).order_by(Correction.created_at, Correction.id))
    with engine.connect() as connection:
        return pd.read_sql(query, connection)


def _close(session, report_id: int, to: CorrectionState, *, staff: str) -> Correction:
    if not update_if_unchanged(session, Correction, where={"id": report_id, "state": CorrectionState.OPEN},
                               values={"state": to, "decided_at": utcnow(), "decided_by": staff}):
        raise ListingConflict()
    report = session.get(Correction, report_id)
    audit.record(session, actor=staff, action=AuditAction(f"report_{to.value}"), entity="partner",
                 entity_id=report.partner_id,
                 after={"report": report_id, "message": report.message})
    return report


def apply_report(engine: Engine, report_id: int, form: PartnerForm, *, staff: str) -> None:
    """Edit the listing as corrected by staff and close the report, in one transaction.
    Raises FormErrors or ListingConflict (already decided by someone else)."""
    with write_session(engine) as session:
        report = _close(session, report_id, CorrectionState.APPLIED, staff=staff)
        listings.edit_listing(session, report.partner_id, form, staff=staff, origin=f"report:{report_id}")


def dismiss_report(engine: Engine, report_id: int, *, staff: str) -> None:
    with write_session(engine) as session:
        _close(session, report_id, CorrectionState.DISMISSED, staff=staff)

