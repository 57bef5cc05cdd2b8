"""Opening hours as people write them on OpenStreetMap: read, told, and filtered on, around
midnight and on public holidays."""

from datetime import date, datetime

import pandas as pd
import pytest

from directory import listings
from directory.clock import PARIS
from directory.listings import PartnerFilters, hours
from directory.validation import Invalid
from tests.conftest import partner_row

TYPICAL = "Mo-Fr 09:00-18:00; Sa 10:00-12:00; PH off"


@pytest.mark.parametrize("typed", [TYPICAL, "24/7", "Mo-Fr 09:00-12:00,14:00-18:00", "Tu-Sa 10:00-19:00; Su off",
                                   "Mo-Su 22:00-02:00", "Mo-Fr 08:30-17:30; Jul-Aug off", "Sa 09:00-12:00; PH off"])
def test_real_world_hours_are_accepted_as_typed(typed):
    assert hours.clean_opening_hours(f"  {typed} ") == typed


@pytest.mark.parametrize("typed, part", [("Mo-Fr 9h-18h", "9h-18h"), ("lundi au vendredi 9-18", "lundi au vendredi"),
                                         ("Mo-Fr 09:00-18:00; Sa 25:00-26:00", "25:00-26:00")])
def test_unreadable_hours_name_where_they_stop_making_sense(typed, part):
    with pytest.raises(Invalid) as refused:
        hours.clean_opening_hours(typed)
    assert refused.value.message.params["part"].startswith(part[:6])


def at(day: int, hour: int, minute: int = 0, month: int = 12) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=PARIS)


@pytest.mark.parametrize("moment, french, english", [
    (at(4, 10), "Ouvert maintenant, jusqu'à 18:00", "Open now, until 18:00"),
    (at(4, 8), "Fermé, ouvre à 09:00", "Closed, opens at 09:00"),
    (at(5, 23, 59), "Fermé, ouvre lundi à 09:00", "Closed, opens Monday at 09:00"),
    (at(25, 10), "Fermé, ouvre samedi à 10:00", "Closed, opens Saturday at 10:00"),  # Christmas, a holiday
])
def test_the_status_says_until_when_or_from_when(moment, french, english):
    assert hours.status_text(TYPICAL, moment, "fr") == french
    assert hours.status_text(TYPICAL, moment, "en") == english


def test_hours_past_midnight_belong_to_the_evening_they_start():
    late = "Fr-Sa 20:00-02:00"
    assert hours.now_state(late, at(5, 1, 30)).open  # Saturday 01:30: Friday night's opening
    assert hours.status_text(late, at(5, 1, 30), "fr") == "Ouvert maintenant, jusqu'à 02:00"
    assert not hours.now_state(late, at(7, 1, 30)).open  # Monday 01:30


def test_a_week_is_told_day_by_day_with_holidays_closed():
    assert hours.week(TYPICAL, date(2026, 12, 21), "fr") == [
        ("lundi", "09:00–18:00"), ("mardi", "09:00–18:00"), ("mercredi", "09:00–18:00"), ("jeudi", "09:00–18:00"),
        ("vendredi", "fermé"), ("samedi", "10:00–12:00"), ("dimanche", "fermé")]
    assert hours.week("Mo-Su 22:00-02:00", date(2026, 12, 21), "en")[0] == ("Monday", "00:00–02:00, 22:00–24:00")


def test_the_open_now_filter_keeps_only_places_open_at_that_moment(engine, monkeypatch):
    listings.insert_partners(engine, [partner_row(name="Bureau", opening_hours=TYPICAL),
                                      partner_row(name="Bar", opening_hours="Mo-Su 18:00-02:00"),
                                      partner_row(name="Sans horaires")])
    frame = listings.load_published(engine)
    open_at = lambda moment: sorted(frame[hours.open_now(frame["opening_hours"], moment)]["name"])  # noqa: E731
    assert open_at(at(4, 10)) == ["Bureau"]
    assert open_at(at(4, 23, 30)) == ["Bar"]
    assert open_at(at(1, 10, month=5)) == []  # 1 May, a public holiday
    monkeypatch.setattr("directory.listings.readmodel.utcnow", lambda: at(4, 10))
    version = listings.data_version(engine)
    shown = listings.filtered_partners(engine, version, PartnerFilters(open_now=True))
    assert shown["name"].tolist() == ["Bureau"]
    monkeypatch.setattr("directory.listings.readmodel.utcnow", lambda: at(4, 23, 30))
    assert listings.filtered_partners(engine, version, PartnerFilters(open_now=True))["name"].tolist() == ["Bar"]


def test_the_shared_link_carries_open_now():
    link = listings.read_shared_link({"open_now": ["1"]}, networks=(), sectors=())
    assert link.filters.open_now and link.filters.to_query_params() == {"open_now": "1"}
    with pytest.raises(Invalid):
        listings.read_shared_link({"open_now": ["yes"]}, networks=(), sectors=())
    lenient = listings.read_shared_link({"open_now": ["yes"]}, networks=(), sectors=(), strict=False)
    assert not lenient.filters.open_now and lenient.ignored


def test_many_listings_sharing_hours_are_evaluated_once_each():
    column = pd.Series([TYPICAL] * 5000 + ["24/7"] * 5000 + [""] * 10)
    assert hours.open_now(column, at(4, 10)).sum() == 10_000



def test_an_unreadable_value_is_quoted_whole_or_cut_with_an_ellipsis_past_80_characters():
    """Issue 31: the message quoted 24 characters of it."""
    long = "Mo-Fr 09:00-18:00; " + "du lundi au vendredi le matin seulement, sauf les jours de marché " * 3
    for typed, expected in (("lundi au vendredi de 9 heures à 18 heures", "lundi au vendredi de 9 heures à 18 heures"),
                            (long, None)):
        with pytest.raises(Invalid) as refused:
            hours.clean_opening_hours(typed)
        part = refused.value.message.params["part"]
        assert part == expected if expected else (len(part) == 80 and part.endswith("…"))
