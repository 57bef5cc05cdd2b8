"""Moments kept right whatever the PostgreSQL server's own time zone: a French host often runs in
Paris time, and a column without a time zone would shift each moment by an hour or two."""

from datetime import date, timedelta

import pytest
from sqlalchemy import text

from directory import accounts, db, listings
from directory.clock import to_paris, utcnow
from directory.listings import freshness
from directory.models import Notification
from directory.showcase import open_slots
from tests.factories import emailed_token, make_slot


@pytest.fixture
def engine_on_a_paris_server(postgres_url):
    """The test server as one set to `timezone = 'Europe/Paris'` answers its clients."""
    the_engine = db.make_engine(f"{postgres_url}?options=-ctimezone%3DEurope/Paris")
    db.migrate(the_engine)
    yield the_engine
    the_engine.dispose()


def test_every_moment_is_stored_with_its_time_zone(engine_on_a_paris_server):
    with engine_on_a_paris_server.connect() as connection:
        without = connection.execute(text(
            "SELECT table_name || '.' || column_name FROM information_schema.columns "
            "WHERE table_schema = current_schema() AND data_type = 'timestamp without time zone'")).scalars().all()
    assert without == []


def test_a_showcase_at_two_in_the_afternoon_stays_at_two(engine_on_a_paris_server):
    make_slot(engine_on_a_paris_server)
    starts_at = open_slots(engine_on_a_paris_server).iloc[0]["starts_at"]
    assert (to_paris(starts_at).hour, to_paris(starts_at).minute) == (14, 0)


def test_a_staff_session_ends_after_30_minutes_idle(engine_on_a_paris_server):
    engine, start = engine_on_a_paris_server, utcnow()
    staff = accounts.get_staff(engine, accounts.create_staff(engine, email="camille@atelier.example.org",
                                                             name="Camille", password="Motdepasse-solide-2026"))
    secret = accounts.open_session(engine, staff, client_address="x", handoff=False, now=start)
    assert accounts.session_staff(engine, secret, now=start + timedelta(minutes=29)).id == staff.id
    with pytest.raises(accounts.SessionExpired):
        accounts.session_staff(engine, secret, now=start + timedelta(minutes=60))


def test_a_listing_confirmed_with_its_link_says_when_to_the_minute(engine_on_a_paris_server):
    engine = engine_on_a_paris_server
    listings.insert_partners(engine, [{"name": "Forez Robotique", "kind": "startup", "state": "published",
                                       "contact_email": "contact@forez.example.org",
                                       "last_verified": date.today() - timedelta(days=400)}])
    freshness.ask_confirmations(engine)
    token, pressed = emailed_token(engine, Notification.template == "listing_confirm_question"), utcnow()
    listings.confirm_listing(engine, token, now=pressed)
    assert listings.listing_for_link(engine, token).confirmed_at == pressed
