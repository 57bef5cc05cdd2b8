"""The calendar files: the feed calendar apps subscribe to, read back by another library."""

from datetime import UTC, datetime, timedelta

from directory.showcase import ATELIER_POSITION, calendar


def show(number, starts_at, *, theme="", startups=(), cancelled=False, sequence=0):
    return {"id": number, "starts_at": starts_at, "ends_at": starts_at + timedelta(hours=3), "theme": theme,
            "startups": list(startups), "cancelled": cancelled, "sequence": sequence,
            "last_modified": datetime(2026, 11, 20, 9, tzinfo=UTC)}


def test_the_calendar_feed_reads_back_in_another_library():
    import ics

    shows = [show(1, datetime(2026, 12, 2, 13, tzinfo=UTC), theme="Santé", startups=[
                 {"organisation": "Kiosque, Santé; \\ <b>", "pitch_summary": "Téléconsultation"}]),
             show(2, datetime(2026, 12, 9, 13, tzinfo=UTC))]
    parsed = ics.Calendar(calendar.showcases_ics(shows, "fr", base_url="https://vitrine.example/").decode())
    events = sorted(parsed.events, key=lambda e: e.begin)
    assert [e.name for e in events] == ["Vitrine des startups — Santé", "Vitrine des startups"]
    assert events[0].begin.datetime == shows[0]["starts_at"] and events[0].end.datetime == shows[0]["ends_at"]
    assert "Kiosque, Santé; \\ <b> : Téléconsultation" in events[0].description
    assert "place Jean-Moulin" in events[0].location
    assert events[0].url == "https://vitrine.example/vitrines/1"
    assert len({e.uid for e in events}) == 2


def test_a_subscribed_calendar_sees_a_moved_or_cancelled_showcase_as_the_same_event_changed():
    import icalendar

    before = show(1, datetime(2026, 12, 2, 13, tzinfo=UTC))
    after = {**before, "cancelled": True, "sequence": 1, "last_modified": datetime(2026, 11, 25, 8, tzinfo=UTC)}
    feeds = [icalendar.Calendar.from_ical(calendar.showcases_ics([s], "en", base_url="https://v.example/"))
             for s in (before, after)]
    first, second = [next(iter(feed.walk("VEVENT"))) for feed in feeds]
    assert first["UID"] == second["UID"]
    assert (int(first["SEQUENCE"]), str(first["STATUS"])) == (0, "CONFIRMED")
    assert (int(second["SEQUENCE"]), str(second["STATUS"])) == (1, "CANCELLED")
    assert second.decoded("LAST-MODIFIED") > first.decoded("LAST-MODIFIED")
    assert (second["GEO"].latitude, second["GEO"].longitude) == ATELIER_POSITION
    assert str(feeds[1]["X-WR-CALNAME"]) == "Startup showcases — Atelier Numérique"
    assert str(second["URL"]) == "https://v.example/vitrines/1?lang=en"


def test_the_feed_is_the_same_bytes_for_the_same_data():
    shows = [show(1, datetime(2026, 12, 2, 13, tzinfo=UTC))]
    assert calendar.showcases_ics(shows, "fr", base_url="x/") == calendar.showcases_ics(shows, "fr", base_url="x/")
