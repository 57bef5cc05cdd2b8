"""Test data shared by every layer: slots and applications made the way the app makes them."""

from __future__ import annotations

from datetime import date, time, timedelta

from sqlmodel import Session, select

from directory import showcase
from directory.clock import to_paris, utcnow
from directory.models import Notification
from directory.showcase import ApplicationForm, SlotTimes


def next_wednesday(weeks: int = 2) -> date:
    """A Wednesday at least `weeks` weeks ahead: with 2, its applications (closing a week before)
    are open whatever the time of day."""
    today = to_paris(utcnow()).date()
    return today + timedelta(days=(2 - today.weekday()) % 7 + 7 * weeks)


def make_slot(engine, *, weeks: int = 2, capacity: int = 3) -> int:
    return showcase.create_slot(engine, SlotTimes(next_wednesday(weeks), time(14), time(17)), capacity=capacity)


def form(slot_ids, **values) -> ApplicationForm:
    defaults = dict(organisation="Forez Robotique", short_description="Des cobots pour les ateliers.",
                    stage="prototype", team_size=4, pitch_title="Le cobot qui soude",
                    pitch_summary="Un bras robotisé à 5 000 €.", demo_description="Démonstration de soudure.",
                    contact_name="Camille Martin", contact_email="camille@forez.example.org",
                    consent_data=True, consent_publication=True, latitude="45.44", longitude="4.39")
    defaults.update(values)
    return ApplicationForm(slot_ids=list(slot_ids), **defaults)


def submit(engine, slot_ids, key="k1", **values):
    return showcase.submit_application(engine, form(slot_ids, **values), submission_key=key)


def outbox(engine) -> list[str]:
    """The templates of the queued messages, oldest first."""
    with Session(engine) as session:
        return [n.template for n in session.exec(select(Notification).order_by(Notification.id))]
