from datetime import time, timedelta

import icalendar
import ics
import pytest

from directory import showcase
from directory.clock import to_paris, utcnow
from directory.showcase import SlotTimes, slots
from tests.factories import make_slot, next_wednesday, submit


def events_of(response) -> dict[str, icalendar.Event]:
    calendar = icalendar.Calendar.from_ical(response.content)
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


@pytest.fixture
def programme(engine):
    """Two showcases; a startup approved and published in the first."""
    first, second = make_slot(engine, weeks=2), make_slot(engine, weeks=3)
    application = submit(engine, [first], organisation="Forez Robotique")
    showcase.approve_application(engine, application.application_id, slot_id=first, staff="staff:1")
    return engine, first, second


def test_the_feed_is_a_subscribable_calendar_read_by_two_libraries(site, programme):
    _, first, second = programme
    response = site.get("/agenda.ics")
    assert response.headers["content-type"] == "text/calendar; charset=utf-8"
    calendar = icalendar.Calendar.from_ical(response.content)
    assert str(calendar["X-WR-CALNAME"]) == "Vitrines des startups — Atelier Numérique"
    events = events_of(response)
    assert set(events) == {f"showcase-{first}@vitrine.saint-etienne", f"showcase-{second}@vitrine.saint-etienne"}
    event = events[f"showcase-{first}@vitrine.saint-etienne"]
    assert "place Jean-Moulin" in str(event["LOCATION"])
    assert (event["GEO"].latitude, event["GEO"].longitude) == showcase.ATELIER_POSITION
    assert str(event["URL"]) == f"http://vitrine.test/vitrines/{first}"
    assert "Forez Robotique" in str(event["DESCRIPTION"])
    assert event.decoded("DTSTART").utcoffset().total_seconds() == 0  # UTC: every calendar agrees
    # 14:00 at the atelier, whatever the season.
    assert to_paris(event.decoded("DTSTART")).time() == time(14)
    other = ics.Calendar(response.text)
    assert {e.uid for e in other.events} == set(events)


def test_a_moved_showcase_keeps_its_uid_with_a_higher_sequence(site, programme, monkeypatch):
    engine, first, _ = programme
    before = events_of(site.get("/agenda.ics"))[f"showcase-{first}@vitrine.saint-etienne"]
    later = utcnow() + timedelta(minutes=5)  # iCalendar times have whole seconds
    monkeypatch.setattr(slots, "utcnow", lambda: later)
    showcase.update_slot(engine, first, SlotTimes(next_wednesday(2), time(15), time(18)), capacity=3, theme="",
                         staff="staff:1")
    after = events_of(site.get("/agenda.ics"))[f"showcase-{first}@vitrine.saint-etienne"]
    assert int(after["SEQUENCE"]) == int(before["SEQUENCE"]) + 1
    assert after.decoded("LAST-MODIFIED") > before.decoded("LAST-MODIFIED")
    assert after.decoded("DTSTART") != before.decoded("DTSTART")


def test_a_cancelled_showcase_stays_in_the_feed_as_cancelled(site, programme):
    engine, _, second = programme
    showcase.cancel_slot(engine, second, staff="staff:1")
    event = events_of(site.get("/agenda.ics"))[f"showcase-{second}@vitrine.saint-etienne"]
    assert str(event["STATUS"]) == "CANCELLED" and int(event["SEQUENCE"]) == 1


def test_a_calendar_app_revalidates_with_its_etag(site, programme):
    engine, first, _ = programme
    etag = site.get("/agenda.ics").headers["etag"]
    assert site.get("/agenda.ics", headers={"If-None-Match": etag}).status_code == 304
    showcase.cancel_slot(engine, first, staff="staff:1")
    assert site.get("/agenda.ics", headers={"If-None-Match": etag}).status_code == 200


def test_the_feed_speaks_english_when_asked(site, programme):
    calendar = icalendar.Calendar.from_ical(site.get("/agenda.ics?lang=en").content)
    assert str(calendar["X-WR-CALNAME"]) == "Startup showcases — Atelier Numérique"
    assert all(str(e["SUMMARY"]).startswith("Startup showcase") for e in calendar.walk("VEVENT"))


def test_one_showcase_as_a_file_and_an_unknown_one_not_found(site, programme):
    _, first, _ = programme
    answer = site.get(f"/vitrines/{first}.ics")
    assert list(events_of(answer)) == [f"showcase-{first}@vitrine.saint-etienne"]
    # An event to add, not a feed to subscribe to (issue 31): no calendar name nor refresh interval.
    feed_lines = ("X-WR-CALNAME", "NAME:", "REFRESH-INTERVAL", "X-PUBLISHED-TTL")
    assert not [line for line in answer.text.splitlines() if line.startswith(feed_lines)]
    assert "REFRESH-INTERVAL" in site.get("/agenda.ics").text
    assert site.get("/vitrines/99999.ics").status_code == 404
