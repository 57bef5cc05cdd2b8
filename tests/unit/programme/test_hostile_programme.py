"""Hostile values in every text field of a session and of a registration: each is refused with a
message on its field (nothing written), or stored and then shown inert wherever it appears — the
agenda's card, the staff's review card, the page's Event JSON-LD, the calendar and the open data."""

import csv
import dataclasses
import io
import json
from datetime import timedelta

import pytest
from sqlmodel import Session, select

from directory import db, programme
from directory.models import ProgrammeSession, Registration
from directory.programme import opendata
from directory.programme.rules import within_opening_hours
from directory.ui.cards import session_html, session_proposal_html
from directory.validation import FormErrors
from tests.factories import (
    ATELIER_HOURS,
    HOSTILE_TEXT,
    make_room,
    programme_partner,
    register_as,
    session_form,
    session_start,
)

SESSION_TEXT_FIELDS = ["title", "description", "title_en", "description_en", "bring", "accessibility", "contact_name"]
REGISTRATION_TEXT_FIELDS = ["name", "phone", "needs"]
VALUES = [(kind, value) for kind, values in HOSTILE_TEXT.items() for value in values]
SITE = "https://vitrine.example/"


@pytest.fixture
def sqlite_engine(sqlite_url):
    engine = db.make_engine(sqlite_url)
    db.migrate(engine)
    yield engine
    engine.dispose()


def inert(html: str) -> bool:
    return "<script" not in html and "<img" not in html and "<svg" not in html


def test_every_session_field_refuses_or_keeps_hostile_text_inert(sqlite_engine):
    engine = sqlite_engine
    token = programme_partner(engine)
    room = make_room(engine, capacity=50)
    stored = refused = 0
    starts = open_times()
    for number, ((kind, value), field) in enumerate((pair, field) for pair in VALUES for field in SESSION_TEXT_FIELDS):
        form = dataclasses.replace(session_form(choices=[(next(starts), None)]), **{field: value})
        try:
            proposed = programme.propose_session(engine, token, form, submission_key=f"k{number}")
        except FormErrors as error:
            assert set(error.errors) == {field}, (kind, field, error.errors)
            refused += 1
            continue
        stored += 1
        with Session(engine) as session:
            kept = session.get(ProgrammeSession, proposed.session_id)
            proposal_card = session_proposal_html(kept.model_dump(), "CCI", ["mercredi"], "fr", lambda t, **p: t)
        assert inert(proposal_card), (kind, field)
        programme.approve_session(engine, proposed.session_id, starts_at=form.choices[0][0], room_id=room,
                                  staff="staff:1 a")
    entries = programme.programme(engine)
    for entry in entries:
        for language in ("fr", "en"):
            assert inert(session_html(entry, "mercredi", site=SITE, language=language, _=lambda t, **p: t))
            json.loads(json.dumps(programme.event_json_ld(entry, language, base_url=SITE)))
    assert programme.programme_ics(entries, "fr", base_url=SITE, name="Programme").startswith(b"BEGIN:VCALENDAR")
    rows = list(csv.DictReader(io.StringIO(opendata.programme_csv(
        opendata.programme_rows(entries, base_url=SITE)).decode("utf-8-sig"))))
    assert not any(row[column].startswith(("=", "+", "-", "@")) for row in rows for column in opendata.FREE_TEXT)
    assert stored and refused  # both ends of the rule were met


def test_every_registration_field_refuses_or_stores_hostile_text(sqlite_engine):
    engine = sqlite_engine
    token = programme_partner(engine)
    room = make_room(engine, capacity=200)
    proposed = programme.propose_session(engine, token, session_form(places=200), submission_key="s")
    programme.approve_session(engine, proposed.session_id, starts_at=session_start(), room_id=room, staff="s")
    for number, ((kind, value), field) in enumerate(
            (pair, field) for pair in VALUES for field in REGISTRATION_TEXT_FIELDS):
        before = _count(engine)
        name, extra = (value, {}) if field == "name" else ("Ana", {field: value})
        try:
            register_as(engine, proposed.session_id, name, key=f"r{number}", email=f"r{number}@exemple.fr", **extra)
        except FormErrors as error:
            assert set(error.errors) == {field}, (kind, field, error.errors)
            assert _count(engine) == before  # nothing written
    # A hostile name is stored as typed; the partner sees only its first word (drawn as text by its page).
    register_as(engine, proposed.session_id, "<script>alert(1)</script>", key="n", email="n@exemple.fr")
    view = programme.session_view(engine, proposed.token)
    assert [name for _id, name, _came in view.attendees][-1] == "<script>alert(1)</script>"


def open_times():
    """Start times two hours apart while the atelier is open, public holidays skipped."""
    week = 2
    while True:
        for day in range(5):
            for hour in (9, 11, 13, 15):
                start = session_start(weeks=week, hour=hour) + timedelta(days=day - 2)
                if within_opening_hours(ATELIER_HOURS, start, start + timedelta(minutes=90)):
                    yield start
        week += 1


def _count(engine) -> int:
    with Session(engine) as session:
        return len(session.exec(select(Registration.id)).all())
