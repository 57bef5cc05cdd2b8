"""Reminders before a showcase, the startup's confirmation, and who came."""

import html
from datetime import timedelta
from email.header import decode_header, make_header

import pytest
from sqlalchemy import update
from sqlmodel import Session, select

from directory import notify, showcase
from directory.clock import aware, utcnow
from directory.models import Application, Notification, ShowcaseSlot
from directory.showcase import attendance
from directory.ui.cards import partner_card_html
from tests.factories import at_once, emailed_link, emailed_token, make_slot, outbox, submit


@pytest.fixture
def approved(engine):
    """An approved startup (published on the map) in a slot two weeks ahead."""
    slot = make_slot(engine, capacity=2)
    sent = submit(engine, [slot], key="a", organisation="Forez Robotique", contact_email="a@example.org")
    showcase.approve_application(engine, sent.application_id, slot_id=slot, staff="staff:1")
    return slot, sent


def starts_at(engine, slot):
    with Session(engine) as session:
        return aware(session.get(ShowcaseSlot, slot).starts_at)


def reminder_token(engine) -> str:
    return emailed_token(engine, Notification.template == "reminder")


def test_a_reminder_goes_a_week_and_a_day_before_each_once_with_the_event(engine, approved, smtp_server):
    slot, _ = approved
    begins = starts_at(engine, slot)
    assert attendance.send_reminders(engine, now=begins - timedelta(days=8)) == 0
    assert attendance.send_reminders(engine, now=begins - timedelta(days=6, hours=23)) == 1
    assert attendance.send_reminders(engine, now=begins - timedelta(days=6)) == 0
    assert attendance.send_reminders(engine, now=begins - timedelta(hours=20)) == 1
    assert outbox(engine).count("reminder") == 2
    notify.deliver_outbox(engine, notify.SmtpSettings(host="127.0.0.1", port=smtp_server.port, security="none"))
    reminder = next(m for m in smtp_server.messages if "présentation" in str(make_header(decode_header(m["Subject"]))))
    body, event = reminder.get_payload()
    text = body.get_payload(decode=True).decode()
    assert "place Jean-Moulin" in text and "à partir de 13:30" in text
    assert event.get_content_type() == "text/calendar" and "BEGIN:VEVENT" in event.get_payload(decode=True).decode()


def test_two_workers_send_each_reminder_once(engine, approved):
    slot, _ = approved
    moment = starts_at(engine, slot) - timedelta(days=3)
    counts = at_once(lambda _: attendance.send_reminders(engine, now=moment), range(4))
    assert sum(counts) == 1 and outbox(engine).count("reminder") == 1


def test_the_startup_confirms_from_its_reminder_and_unconfirmed_ones_are_flagged(engine, approved):
    slot, sent = approved
    begins = starts_at(engine, slot)
    attendance.send_reminders(engine, now=begins - timedelta(days=6))
    assert attendance.unconfirmed_soon(engine, now=begins - timedelta(hours=40))["organisation"].tolist() == [
        "Forez Robotique"]
    assert attendance.unconfirmed_soon(engine, now=begins - timedelta(hours=50)).empty  # not yet within 48 h
    attendance.confirm_attendance(engine, reminder_token(engine))
    assert attendance.unconfirmed_soon(engine, now=begins - timedelta(hours=40)).empty
    assert attendance.attendance_counts(engine)["confirmed"] == 1


def test_staff_record_who_came_after_the_day_and_the_card_says_so(engine, approved):
    slot, sent = approved
    other = submit(engine, [slot], key="b", organisation="Kiosque Santé", contact_email="b@example.org")
    showcase.approve_application(engine, other.application_id, slot_id=slot, staff="staff:1")
    with pytest.raises(attendance.NotYet):
        attendance.record_attendance(engine, slot, {sent.application_id}, staff="staff:1")
    with Session(engine) as session:  # the day has come and gone
        session.execute(update(ShowcaseSlot).where(ShowcaseSlot.id == slot).values(
            starts_at=utcnow() - timedelta(days=2, hours=3), ends_at=utcnow() - timedelta(days=2)))
        session.commit()
    attendance.record_attendance(engine, slot, {sent.application_id}, staff="staff:1")
    assert attendance.attendance_counts(engine) == {"confirmed": 0, "attended": 1, "no_show": 1}
    with Session(engine) as session:
        partner_id = session.get(Application, sent.application_id).partner_id
    days = attendance.presented_on(engine, partner_id)
    assert len(days) == 1
    card = partner_card_html({"name": "Forez Robotique", "kind": "startup"}, "fr", presented_on=days)
    assert "Présentée à l'Atelier Numérique le " in html.unescape(card)


def test_only_the_reminder_that_fits_the_time_left_goes():
    """Issue 22: a late approval made the worker send every due reminder at once."""
    starts = utcnow() + timedelta(days=30)
    week_before, day_before = starts - timedelta(days=7), starts - timedelta(days=1)
    approved_early = starts - timedelta(days=20)
    assert attendance.due_reminder(starts, approved_early, week_before - timedelta(hours=1)) is None
    assert attendance.due_reminder(starts, approved_early, week_before + timedelta(hours=1)) == 0
    assert attendance.due_reminder(starts, approved_early, day_before + timedelta(hours=1)) == 1  # not both
    approved_three_days_before = starts - timedelta(days=3)  # the approval email said it all: no "week"
    assert attendance.due_reminder(starts, approved_three_days_before, starts - timedelta(days=2)) is None
    assert attendance.due_reminder(starts, approved_three_days_before, day_before + timedelta(minutes=1)) == 1
    just_approved = starts - timedelta(minutes=55)
    assert attendance.due_reminder(starts, just_approved, starts - timedelta(minutes=54)) is None


def test_an_approval_a_few_hours_ahead_sends_no_reminder(engine):
    slot = make_slot(engine)
    sent = submit(engine, [slot], key="late")
    begins = starts_at(engine, slot)
    with Session(engine) as session:  # the showcase is now under an hour away
        session.exec(update(ShowcaseSlot).where(ShowcaseSlot.id == slot).values(
            starts_at=utcnow() + timedelta(minutes=55), ends_at=utcnow() + timedelta(hours=3)))
        session.commit()
    showcase.approve_application(engine, sent.application_id, slot_id=slot, staff="staff:1")
    assert attendance.send_reminders(engine) == 0 and "reminder" not in outbox(engine)
    assert begins  # the slot existed two weeks ahead before being moved


def test_the_approval_and_reminder_carry_one_event_from_the_arrival_time(engine, approved):
    from icalendar import Calendar
    slot, sent = approved
    with Session(engine) as session:
        message = session.exec(select(Notification).where(Notification.template == "approved")).one()
    assert "token=" in emailed_link(engine, Notification.id == message.id) and "place Jean-Moulin" in message.body
    calendar = Calendar.from_ical(message.calendar)
    assert calendar["METHOD"] == "PUBLISH"
    for feed_header in ("X-WR-CALNAME", "NAME", "REFRESH-INTERVAL", "X-PUBLISHED-TTL"):
        assert feed_header not in calendar
    [event] = calendar.walk("VEVENT")
    assert event.decoded("DTSTART") == starts_at(engine, slot) - attendance.SET_UP_TIME
    description = str(event["DESCRIPTION"])
    assert "Programme à venir" not in description and "Forez Robotique" in description
    assert "Arrivée et installation" in description


def test_every_link_sent_keeps_working(engine, approved):
    """Reminders and the approval no longer kill the receipt's link."""
    slot, sent = approved
    begins = starts_at(engine, slot)
    attendance.send_reminders(engine, now=begins - timedelta(days=6))
    assert showcase.application_by_token(engine, sent.token).application.id == sent.application_id
    attendance.confirm_attendance(engine, reminder_token(engine))
