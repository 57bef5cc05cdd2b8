"""The private links emailed to applicants and to listings' contacts.

A link's token is derived from the server's secret (`tokens.link_secret`) and a label: an
application's number and link version, or a listing link's random seed. The outbox keeps the
label, never the link: `link_of` builds it when the email is sent, and the database keeps only
its digest. So every email of an application carries the same link, until the applicant asks
for a new one (`renew_application_link`)."""

from __future__ import annotations

import secrets
from datetime import timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.engine import Engine
from sqlmodel import Session

from directory import addresses, ratelimit, settings
from directory.clock import utcnow
from directory.db import insert_unless_present, write_session
from directory.models import Application, LinkKind, ListingLink, ListingLinkPurpose, Notification, Partner, PrivateLink
from directory.tokens import derived_token, link_secret, token_hash

# Emails carrying a private link to one address, whatever asked for them (a lost application
# link, a listing's update link): a person asks once or twice; more is someone flooding a mailbox.
LINK_EMAILS_PER_ADDRESS = 3
LINK_EMAIL_WINDOW = timedelta(hours=1)


def may_email_links(session: Session, email: str, emails: int) -> bool:
    """Count `emails` link emails to `email` (one at least: an address that gets none counts too,
    so that the answer tells nothing of it); False past the address's hourly allowance."""
    return ratelimit.take(session, ratelimit.limit_key(session, "link-emails", email), limit=LINK_EMAILS_PER_ADDRESS,
                          window=LINK_EMAIL_WINDOW, hits=max(1, emails))


def follow_link(token: str, language: str = "fr") -> str:
    """The private address of an application, in the applicant's language."""
    return addresses.with_query(_base() + addresses.PAGES["follow"], {"token": token}, language)


def listing_link(token: str, language: str = "fr", **params: str) -> str:
    """The private address of a listing's update form."""
    return addresses.with_query(_base() + addresses.PAGES["update_listing"], {"token": token, **params}, language)


def session_link(token: str, language: str = "fr") -> str:
    """The private address of a programme session, for the partner running it."""
    return addresses.with_query(_base() + addresses.PAGES["my_session"], {"token": token}, language)


def registration_link(token: str, language: str = "fr") -> str:
    """The private address of a registration, for the person registered."""
    return addresses.with_query(_base() + addresses.PAGES["registration"], {"token": token}, language)


def _base() -> str:
    return settings.public_url() or settings.LOCAL_URL


def application_token(session: Session, application: Application, *, replaces_earlier: bool = False) -> str:
    """The token of the application's current link, kept (as a digest) unless it already is."""
    version = application.link_version
    token = derived_token(link_secret(session), f"application:{application.id}:{version}")
    insert_unless_present(session, PrivateLink, token_hash=token_hash(token), application_id=application.id,
                          version=version, replaces_earlier=replaces_earlier, created_at=utcnow())
    return token


def renew_application_link(session: Session, application: Application) -> None:
    """A lost-link request: the next emails carry a new link, whose first use ends the earlier ones."""
    application.link_version = session.execute(
        update(Application).where(Application.id == application.id)
        .values(link_version=Application.link_version + 1).returning(Application.link_version)).scalar_one()
    application_token(session, application, replaces_earlier=True)


def replaces_earlier(session: Session, token: str) -> bool:
    """Whether `token` is a link sent on a lost-link request and not opened yet."""
    return bool(session.execute(select(PrivateLink.replaces_earlier)
                                .where(PrivateLink.token_hash == token_hash(token))).scalar())


def retire_earlier_links(engine: Engine, token: str) -> None:
    """The first use of a link sent on a lost-link request ends the application's earlier links
    (once, whoever opens it first); a later one, asked for since, stays."""
    with write_session(engine) as session:
        opened = session.execute(
            update(PrivateLink).where(PrivateLink.token_hash == token_hash(token), PrivateLink.replaces_earlier)
            .values(replaces_earlier=False).returning(PrivateLink.application_id, PrivateLink.version)).first()
        if opened is not None:
            session.execute(delete(PrivateLink).where(PrivateLink.application_id == opened.application_id,
                                                      PrivateLink.version < opened.version))


def add_listing_link(session: Session, partner: Partner, email: str, purpose: ListingLinkPurpose,
                     lifetime: timedelta) -> str:
    """A new private link to one listing for `email`; returns the seed its email is built from."""
    seed = secrets.token_urlsafe(16)
    session.add(ListingLink(token_hash=token_hash(_listing_token(session, seed)), partner_id=partner.id,
                            purpose=purpose, email=email, expires_at=utcnow() + lifetime))
    return seed


def _listing_token(session: Session, seed: str) -> str:
    return derived_token(link_secret(session), f"listing:{seed}")


def session_token(session: Session, session_id: int) -> str:
    """A programme session's link, derived from its id (the session keeps only its digest)."""
    return derived_token(link_secret(session), f"session:{session_id}")


def registration_token(session: Session, registration_id: int) -> str:
    """A registration's link, derived from its id (the registration keeps only its digest)."""
    return derived_token(link_secret(session), f"registration:{registration_id}")


def link_of(session: Session, notification: Notification) -> str:
    """The private link an email carries, built as it is sent ("" for none, or an application gone)."""
    if notification.link_kind == LinkKind.LISTING:
        return listing_link(_listing_token(session, notification.link_seed), notification.language)
    if notification.link_kind == LinkKind.SESSION:
        return session_link(session_token(session, int(notification.link_seed)), notification.language)
    if notification.link_kind == LinkKind.REGISTRATION:
        return registration_link(registration_token(session, int(notification.link_seed)), notification.language)
    if notification.link_kind == LinkKind.APPLICATION and notification.application_id is not None:
        application = session.get(Application, notification.application_id)
        if application is not None:
            return follow_link(application_token(session, application), notification.language)
    return ""
