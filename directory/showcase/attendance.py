"""After approval: reminders before the showcase (with the event attached), the startup's
confirmation that it comes, and staff's record of who came.

Reminders go 7 days and 1 day before the showcase, each once, whichever process sends it (the
background worker every minute, or `vitrine send-reminders` from cron).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pandas as pd
from sqlalchemy import func, select, update
from sqlalchemy.engine import Engine

from directory import addresses, audit, exports, notify
from directory.audit import AuditAction
from directory.clock import aware, to_paris, utcnow
from directory.db import read_session, retry_on_conflict, update_if_unchanged, write_session
from directory.i18n import N_, format_time, translate
from directory.models import Application, ApplicationState, Attendance, ShowcaseSlot
from directory.showcase.calendar import showcases
from directory.showcase.errors import AlreadyDecided, ShowcaseError
from directory.showcase.rules import (
    ATELIER_ADDRESS,
    by_token,
    follow_link,
    has_begun,
    message_params,
    slot_label,
)
from directory.tokens import new_token, token_hash

# (how long before the showcase, the column that says it was sent, what the subject calls it)
REMINDERS = ((timedelta(days=7), "reminded_week_at", N_("dans une semaine")),
             (timedelta(days=1), "reminded_day_at", N_("demain")))
SET_UP_TIME = timedelta(minutes=30)
UNCONFIRMED_WARNING = timedelta(hours=48)


class NotYet(ShowcaseError):
    text = N_("Cette vitrine n'a pas encore eu lieu : les présences se notent après.")


def send_reminders(engine: Engine, *, now: datetime | None = None) -> int:
    """Queues every reminder now due; returns how many. Each goes once, even from two replicas."""
    now = now or utcnow()
    sent = 0
    for ahead, column, when in REMINDERS:
        with read_session(engine) as session:
            due = session.execute(
                select(Application.id).join(ShowcaseSlot, ShowcaseSlot.id == Application.slot_id)
                .where(Application.state == ApplicationState.APPROVED, getattr(Application, column).is_(None),
                       ShowcaseSlot.cancelled_at.is_(None), ShowcaseSlot.starts_at > now,
                       ShowcaseSlot.starts_at <= now + ahead)).scalars().all()
        for application_id in due:
            sent += retry_on_conflict(lambda application_id=application_id, column=column, when=when:
                                      _remind(engine, application_id, column, when, now))
    return sent


def _remind(engine: Engine, application_id: int, column: str, when: str, now: datetime) -> int:
    with read_session(engine) as session:
        application = session.get(Application, application_id)
        slot = session.get(ShowcaseSlot, application.slot_id)
    language = application.language
    calendar = exports.showcases_ics(showcases(engine, slot_id=slot.id), language,
                                     base_url=addresses.configured_base_url() or "")
    with write_session(engine) as session:
        token = new_token()  # the reminder carries a fresh private link to confirm
        if not update_if_unchanged(session, Application, where={
                "id": application_id, column: None, "state": ApplicationState.APPROVED, "slot_id": slot.id,
        }, values={column: now, "token_hash": token_hash(token)}):
            return 0  # sent by another process meanwhile, or no longer approved there
        notify.queue(session, template="reminder", recipient=application.contact_email, language=language,
                     application_id=application.id, private_link=follow_link(token, language),
                     calendar=calendar.decode(), params={
                         **message_params(application), "when": translate(when, language),
                         "slot": slot_label(slot.starts_at, slot.ends_at, language), "address": ATELIER_ADDRESS,
                         "arrival": format_time(to_paris(aware(slot.starts_at) - SET_UP_TIME), language)})
    return 1


def confirm_attendance(engine: Engine, token: str) -> None:
    """The startup says it will come. Raises UnknownToken, or AlreadyDecided if it is not approved
    for a showcase to come."""
    def work() -> None:
        with write_session(engine) as session:
            application = by_token(session, token, for_update=True)
            slot = session.get(ShowcaseSlot, application.slot_id) if application.slot_id else None
            if application.state != ApplicationState.APPROVED or slot is None or has_begun(slot):
                raise AlreadyDecided()
            session.execute(update(Application).where(Application.id == application.id)
                            .values(confirmed_at=utcnow()))
            audit.record(session, actor="applicant", action=AuditAction.ATTENDANCE_CONFIRMED,
                         entity="application", entity_id=application.id)
    retry_on_conflict(work)


def presenters(engine: Engine, slot_id: int) -> pd.DataFrame:
    """The approved startups of a slot, with their confirmation and recorded attendance."""
    with read_session(engine) as session:
        rows = session.execute(select(Application.id, Application.organisation, Application.confirmed_at,
                                      Application.attendance)
                               .where(Application.slot_id == slot_id, Application.state == ApplicationState.APPROVED)
                               .order_by(Application.organisation)).mappings().all()
    return pd.DataFrame(rows, columns=["id", "organisation", "confirmed_at", "attendance"])


def record_attendance(engine: Engine, slot_id: int, attended: set[int], *, staff: str) -> None:
    """After the day: the startups in `attended` came, the slot's other approved ones did not.
    Raises NotYet before the showcase has begun."""
    with write_session(engine) as session:
        slot = session.get(ShowcaseSlot, slot_id)
        if slot is None or not has_begun(slot):
            raise NotYet()
        approved = session.execute(select(Application.id, Application.attendance).where(
            Application.slot_id == slot_id, Application.state == ApplicationState.APPROVED)).all()
        for application_id, before in approved:
            after = Attendance.ATTENDED if application_id in attended else Attendance.NO_SHOW
            if before == after:
                continue
            session.execute(update(Application).where(Application.id == application_id).values(attendance=after))
            audit.record(session, actor=staff, action=AuditAction.ATTENDANCE_RECORDED, entity="application",
                         entity_id=application_id, before={"attendance": before}, after={"attendance": after})


def unconfirmed_soon(engine: Engine, *, now: datetime | None = None) -> pd.DataFrame:
    """Approved startups presenting within 48 hours that have not confirmed they come."""
    now = now or utcnow()
    with read_session(engine) as session:
        rows = session.execute(
            select(Application.id, Application.organisation, Application.contact_email, ShowcaseSlot.starts_at,
                   ShowcaseSlot.ends_at)
            .join(ShowcaseSlot, ShowcaseSlot.id == Application.slot_id)
            .where(Application.state == ApplicationState.APPROVED, Application.confirmed_at.is_(None),
                   ShowcaseSlot.cancelled_at.is_(None), ShowcaseSlot.starts_at > now,
                   ShowcaseSlot.starts_at <= now + UNCONFIRMED_WARNING)
            .order_by(ShowcaseSlot.starts_at)).mappings().all()
    return pd.DataFrame(rows, columns=["id", "organisation", "contact_email", "starts_at", "ends_at"])


def attendance_counts(engine: Engine) -> dict[str, int]:
    """Confirmations received, startups that came, and no-shows, over all showcases."""
    with read_session(engine) as session:
        confirmed = session.execute(select(func.count()).where(
            Application.state == ApplicationState.APPROVED, Application.confirmed_at.is_not(None))).scalar_one()
        recorded = dict(session.execute(select(Application.attendance, func.count()).where(
            Application.attendance != "").group_by(Application.attendance)).all())
    return {"confirmed": confirmed, "attended": recorded.get(Attendance.ATTENDED, 0),
            "no_show": recorded.get(Attendance.NO_SHOW, 0)}


def presented_on(engine: Engine, partner_id: int) -> list[date]:
    """The days a partner presented at the atelier (attendance recorded), for its public card."""
    with read_session(engine) as session:
        starts = session.execute(
            select(ShowcaseSlot.starts_at).join(Application, Application.slot_id == ShowcaseSlot.id)
            .where(Application.partner_id == partner_id, Application.attendance == Attendance.ATTENDED,
                   Application.consent_publication.is_(True))
            .order_by(ShowcaseSlot.starts_at)).scalars().all()
    return [to_paris(aware(moment)).date() for moment in starts]
