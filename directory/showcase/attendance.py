"""After approval: reminders before the showcase (with the event attached), the startup's
confirmation that it comes, and staff's record of who came.

Reminders go 7 days and 1 day before the showcase, each once, whichever process sends it (the
background worker every minute, or `vitrine send-reminders` from cron); only the one that fits the
time left goes, and none whose moment came before the approval (its email said the same).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pandas as pd
from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.engine import Engine
from sqlmodel import Session

from directory import addresses, audit, settings
from directory.audit import AuditAction
from directory.clock import aware, to_paris, utcnow
from directory.db import read_session, retry_on_conflict, update_if_unchanged, write_session
from directory.i18n import N_, format_time, translate
from directory.listings.hours import atelier_practical
from directory.models import Application, ApplicationState, Attendance, ShowcaseSlot
from directory.showcase.calendar import presentation_ics
from directory.showcase.errors import AlreadyDecided, ShowcaseError
from directory.showcase.rules import (
    ATELIER_ADDRESS,
    by_token,
    has_begun,
    slot_label,
    tell,
)

# (how long before the showcase, the column that says it was sent, what the subject calls it),
# the nearest last.
REMINDERS = ((timedelta(days=7), "reminded_week_at", N_("dans une semaine")),
             (timedelta(days=1), "reminded_day_at", N_("demain")))
SET_UP_TIME = timedelta(minutes=30)
UNCONFIRMED_WARNING = timedelta(hours=48)


class NotYet(ShowcaseError):
    text = N_("Cette vitrine n'a pas encore eu lieu : les présences se notent après.")


def due_reminder(starts_at: datetime, approved_at: datetime | None, now: datetime) -> int | None:
    """Which reminder (an index of REMINDERS) fits the time left before the showcase: the nearest
    whose moment has come. None when no moment has come yet, or when the approval came after that
    moment: the approval email already carried the same details and the event."""
    fitting = None
    for index, (ahead, _column, _when) in enumerate(REMINDERS):
        if aware(starts_at) - ahead <= now:
            fitting = index
    if fitting is None or approved_at is None or aware(approved_at) >= aware(starts_at) - REMINDERS[fitting][0]:
        return None
    return fitting


def send_reminders(engine: Engine, *, now: datetime | None = None) -> int:
    """Queues the reminders now due, at most one per startup (the one that fits the time left);
    returns how many. Each goes once, even from two replicas."""
    now = now or utcnow()
    with read_session(engine) as session:
        rows = session.execute(
            select(Application.id, Application.decided_at, Application.reminded_week_at,
                   Application.reminded_day_at, ShowcaseSlot.starts_at)
            .join(ShowcaseSlot, ShowcaseSlot.id == Application.slot_id)
            .where(Application.state == ApplicationState.APPROVED, ShowcaseSlot.cancelled_at.is_(None),
                   ShowcaseSlot.starts_at > now, ShowcaseSlot.starts_at <= now + REMINDERS[0][0])).mappings().all()
    sent = 0
    for row in rows:
        due = due_reminder(row["starts_at"], row["decided_at"], now)
        if due is None or row[REMINDERS[due][1]] is not None:
            continue
        _ahead, column, when = REMINDERS[due]
        sent += retry_on_conflict(lambda application_id=row["id"], column=column, when=when:
                                  _remind(engine, application_id, column, when, now))
    return sent


def _remind(engine: Engine, application_id: int, column: str, when: str, now: datetime) -> int:
    with write_session(engine) as session:
        application = session.get(Application, application_id)
        slot = session.get(ShowcaseSlot, application.slot_id)
        if not update_if_unchanged(session, Application, where={
                "id": application_id, column: None, "state": ApplicationState.APPROVED, "slot_id": slot.id,
        }, values={column: now}):
            return 0  # sent by another process meanwhile, or no longer approved there
        tell(session, application, "reminder",
             calendar=presentation_calendar(session, application, slot),
             params={**presentation_details(session, slot, application.language),
                     "when": translate(when, application.language)})
    return 1


def arrival_time(slot: ShowcaseSlot) -> datetime:
    return aware(slot.starts_at) - SET_UP_TIME


def presentation_details(session: Session, slot: ShowcaseSlot, language: str) -> dict[str, str]:
    """What the approval and the reminders tell a startup: when, where (with the atelier's hours
    that day and its access, as its listing says), and when to arrive."""
    practical = atelier_practical(session, to_paris(slot.starts_at).date(), language)
    return {"slot": slot_label(slot.starts_at, slot.ends_at, language),
            "address": f"{ATELIER_ADDRESS}\n{practical}" if practical else ATELIER_ADDRESS,
            "arrival": format_time(to_paris(arrival_time(slot)), language)}


def presentation_calendar(session: Session, application: Application, slot: ShowcaseSlot) -> str:
    """The startup's presentation as one event (.ics text), from its arrival time, with the
    practical details and the programme (itself, and the others that agreed to be shown)."""
    language = application.language
    programme = session.execute(
        select(Application.organisation, Application.pitch_title)
        .where(or_(Application.id == application.id,  # itself, even while being approved
                   and_(Application.slot_id == slot.id, Application.state == ApplicationState.APPROVED,
                        Application.consent_publication.is_(True))))
        .order_by(Application.organisation)).all()
    description = translate(PRESENTATION_DESCRIPTION, language, **presentation_details(session, slot, language),
                            opening=format_time(to_paris(slot.starts_at), language),
                            programme="\n".join(f"• {name} — {pitch}" for name, pitch in programme))
    base = settings.public_url() or settings.LOCAL_URL
    return presentation_ics(
        uid=f"presentation-{application.id}@vitrine.saint-etienne", sequence=slot.sequence,
        arrival=arrival_time(slot), ends_at=aware(slot.ends_at), description=description,
        summary=translate(N_("Présentation de {organisation} à l'Atelier Numérique"), language,
                          organisation=application.organisation),
        url=addresses.showcase_page(base, slot.id, language)).decode()


def presentation_event(engine: Engine, application_id: int) -> str:
    """`presentation_calendar` for an approved application, as its follow page offers it."""
    with read_session(engine) as session:
        application = session.get(Application, application_id)
        return presentation_calendar(session, application, session.get(ShowcaseSlot, application.slot_id))


PRESENTATION_DESCRIPTION = N_(
    "Arrivée et installation à partir de {arrival} ; ouverture au public à {opening}.\nAdresse : {address}.\n"
    "L'équipe vous accueille et vous montre votre table (prises électriques à disposition).\n\n"
    "Au programme :\n{programme}")


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
            select(Application.id, Application.organisation, Application.contact_name, Application.contact_phone,
                   Application.contact_email, ShowcaseSlot.starts_at, ShowcaseSlot.ends_at)
            .join(ShowcaseSlot, ShowcaseSlot.id == Application.slot_id)
            .where(Application.state == ApplicationState.APPROVED, Application.confirmed_at.is_(None),
                   ShowcaseSlot.cancelled_at.is_(None), ShowcaseSlot.starts_at > now,
                   ShowcaseSlot.starts_at <= now + UNCONFIRMED_WARNING)
            .order_by(ShowcaseSlot.starts_at)).mappings().all()
    return pd.DataFrame(rows, columns=["id", "organisation", "contact_name", "contact_phone", "contact_email",
                                       "starts_at", "ends_at"])


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
