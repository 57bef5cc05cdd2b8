"""Messages to applicants, partners and registrants: the outbox, and delivery over SMTP (the
templates are `directory.emails`).

A notification is written in the same transaction as the change that causes it, so a crash
loses neither. Delivery happens afterwards and may fail: the message then stays queued and is
tried again later, with a growing delay, until it leaves. Without SMTP settings, messages stay
in the outbox and are written to the log.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
import threading
from dataclasses import dataclass
from datetime import timedelta
from email.message import EmailMessage
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.engine import Engine
from sqlmodel import Session

from directory import audit, settings
from directory.audit import AuditAction
from directory.clock import utcnow
from directory.db import read_session, write_session
from directory.emails import TEMPLATES
from directory.i18n import N_, translate
from directory.models import LinkKind, Notification, NotificationState, Partner
from directory.private_links import link_of

log = logging.getLogger("vitrine.notify")
LINK_PLACEHOLDER = "{private_link}"
STALE_CLAIM = timedelta(minutes=10)
SIGNATURE = N_("L'équipe de l'Atelier Numérique de Saint-Étienne")

def queue(session: Session, *, template: str, recipient: str, language: str,
          params: dict[str, Any], application_id: int | None = None, link_kind: LinkKind = LinkKind.NONE,
          link_seed: str = "", calendar: str = "") -> None:
    """Add a message to the outbox, inside the caller's transaction. Its private link, if any, is
    named by `link_kind` and `link_seed` and built when it is sent (see directory.private_links)."""
    subject_id, body_id = TEMPLATES[template]
    subject = translate(subject_id, language, **params)
    body = translate(body_id, language, **{"private_link": LINK_PLACEHOLDER, **params})
    body = f"{body}\n\n{translate(SIGNATURE, language)}\n"
    session.add(Notification(recipient=recipient, template=template, subject=subject, body=body,
                             language=language, link_kind=link_kind, link_seed=link_seed,
                             application_id=application_id, calendar=calendar))


def text_of(session: Session, notification: Notification) -> str:
    """The message's text as sent, its private link in place."""
    return notification.body.replace(LINK_PLACEHOLDER, link_of(session, notification))


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int = 587
    sender: str = "vitrine@localhost"
    security: str = "starttls"  # starttls, ssl or none
    username: str = ""
    password: str = ""
    timeout: float = 10

    @classmethod
    def from_environment(cls) -> SmtpSettings | None:
        configured = settings.smtp()
        return None if configured is None else cls(**configured)


def _send(settings: SmtpSettings, message: EmailMessage) -> None:
    if settings.security == "ssl":
        client = smtplib.SMTP_SSL(settings.host, settings.port, timeout=settings.timeout,
                                  context=ssl.create_default_context())
    else:
        client = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
    with client:
        if settings.security == "starttls":
            client.starttls(context=ssl.create_default_context())
        if settings.username:
            client.login(settings.username, settings.password)
        client.send_message(message)


def _retry_delay(attempts: int) -> timedelta:
    return timedelta(minutes=min(60, 2 ** attempts))


def deliver_outbox(engine: Engine, settings: SmtpSettings | None = None, *, limit: int = 50) -> int:
    """Send what is due; returns how many left. Safe to run from several processes at once."""
    settings = settings or SmtpSettings.from_environment()
    now = utcnow()
    with read_session(engine) as session:
        due = session.execute(select(Notification.id).where(_due(now)).order_by(Notification.id)
                              .limit(limit)).scalars().all()
    if settings is None:
        _log_kept(engine, due)
        return 0
    sent = 0
    for notification_id in due:
        notification = _claim(engine, notification_id, now)
        if notification is None:
            continue  # another process took it
        message = EmailMessage()
        message["From"], message["To"] = settings.sender, notification.recipient
        message["Subject"] = notification.subject
        with write_session(engine) as session:  # the link's digest may have to be kept
            message.set_content(text_of(session, notification))
        if notification.calendar:
            message.add_attachment(notification.calendar.encode(), maintype="text", subtype="calendar",
                                   filename="vitrine.ics", params={"method": "PUBLISH"})
        try:
            _send(settings, message)
        except smtplib.SMTPRecipientsRefused as error:
            _refused(engine, notification, error)
            continue
        except (OSError, smtplib.SMTPException) as error:
            _release(engine, notification, error)
            continue
        with write_session(engine) as session:
            session.execute(update(Notification).where(Notification.id == notification.id).values(
                state=NotificationState.SENT, sent_at=utcnow(),
                attempts=notification.attempts + 1))
        sent += 1
    return sent


def _due(now):
    """Queued and its time has come, or claimed by a sender that seems to have died."""
    return (((Notification.state == NotificationState.QUEUED) & (Notification.next_attempt_at <= now))
            | ((Notification.state == NotificationState.SENDING) & (Notification.claimed_at < now - STALE_CLAIM)))


def _claim(engine: Engine, notification_id: int, now) -> Notification | None:
    """Take a message for sending, unless another process took it first."""
    with write_session(engine) as session:
        claimed = session.execute(update(Notification).where(Notification.id == notification_id, _due(now))
                                  .values(state=NotificationState.SENDING, claimed_at=now))
        return session.get(Notification, notification_id) if claimed.rowcount == 1 else None


def _release(engine: Engine, notification: Notification, error: Exception) -> None:
    log.warning("Sending notification %s failed (%s); it stays in the outbox", notification.id, error)
    with write_session(engine) as session:
        session.execute(update(Notification).where(Notification.id == notification.id).values(
            state=NotificationState.QUEUED, attempts=notification.attempts + 1,
            last_error=str(error)[:300], next_attempt_at=utcnow() + _retry_delay(notification.attempts + 1)))


def _refused(engine: Engine, notification: Notification, error: Exception) -> None:
    """The address does not exist: the message is not retried, and a listing whose contact it is
    is marked for staff to find another (the "à vérifier" tab)."""
    log.warning("The mail server refused %s (notification %s): %s", notification.recipient, notification.id, error)
    with write_session(engine) as session:
        session.execute(update(Notification).where(Notification.id == notification.id).values(
            state=NotificationState.REFUSED, last_error=str(error)[:300]))
        contacts = session.execute(update(Partner).where(
            func.lower(Partner.contact_email) == notification.recipient.lower(), Partner.contact_invalid.is_(False))
            .values(contact_invalid=True).returning(Partner.id)).scalars().all()
        for partner_id in contacts:
            audit.record(session, actor="vitrine", action=AuditAction.CONTACT_REFUSED, entity="partner",
                         entity_id=partner_id, after={"email": notification.recipient})


# The messages (database, number) this process has said it keeps without SMTP: each is logged once.
_said_kept: set[tuple[str, int]] = set()
_said_kept_lock = threading.Lock()


def _log_kept(engine: Engine, due: list[int]) -> None:
    """Without SMTP, show each waiting message in the log once; it stays in the outbox on its
    schedule, so that a run with SMTP settings sends it at once."""
    database = str(engine.url)
    with _said_kept_lock:
        new = [notification_id for notification_id in due if (database, notification_id) not in _said_kept]
        _said_kept.update((database, notification_id) for notification_id in new)
    if not new:
        return
    with read_session(engine) as session:
        for notification in session.execute(select(Notification).where(Notification.id.in_(new))).scalars():
            log.warning("No SMTP configured (VITRINE_SMTP_HOST): message #%s to %s kept in the outbox: %s",
                        notification.id, notification.recipient, notification.subject)


def pending(engine: Engine) -> list[Notification]:
    """What is still waiting to leave."""
    with read_session(engine) as session:
        return list(session.execute(select(Notification).where(
            Notification.state.in_((NotificationState.QUEUED, NotificationState.SENDING)))
                                    .order_by(Notification.id)).scalars().all())
