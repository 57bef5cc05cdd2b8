"""Lost-link recovery: a startup that lost its private link asks for a new one by email."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from directory import audit, ratelimit
from directory.audit import AuditAction
from directory.db import write_session
from directory.models import (
    OPEN_STATES,
    Application,
)
from directory.private_links import may_email_links, renew_application_link
from directory.showcase.errors import TooManyRequests
from directory.showcase.rules import (
    tell,
)
from directory.validation import (
    FormCheck,
    clean_email,
)

# One client asking for many addresses is someone trying addresses (per address: `may_email_links`).
LINK_REQUESTS_PER_CLIENT = 10
LINK_REQUEST_WINDOW = timedelta(hours=1)


def send_fresh_links(engine: Engine, email: str, *, client: str) -> None:
    """Lost-link recovery: every open application of `email` gets a new private link by email,
    and its old links stop working once the new one is opened.

    Says nothing of whether the address is known (the same for any address). Raises FormErrors
    for a malformed address, TooManyRequests past the limits per address and per client address.
    """
    check = FormCheck()
    email = check("email", clean_email, email, required=True)
    check.raise_if_invalid()
    with write_session(engine) as session:
        applications = session.execute(select(Application).where(
            func.lower(Application.contact_email) == email.lower(), Application.state.in_(OPEN_STATES),
        ).with_for_update()).scalars().all()
        if not (ratelimit.take_each(session, [("link-client", client, LINK_REQUESTS_PER_CLIENT)],
                                    window=LINK_REQUEST_WINDOW)
                and may_email_links(session, email, len(applications))):
            raise TooManyRequests()
        # The old links may have leaked: they stop working once the new one is opened (not before:
        # anyone may ask for a new link for this address, and must not cut the applicant off).
        for application in applications:
            audit.record(session, actor="applicant", action=AuditAction.LINK_RENEWED, entity="application",
                         entity_id=application.id)
            renew_application_link(session, application)
            tell(session, application, "new_link")
