"""Slots: creation (one, a series), deadlines, labels, duplicates."""

from datetime import time, timedelta

import pytest

from directory import showcase
from directory.clock import to_paris, utcnow
from directory.validation import FormErrors
from tests.factories import close_applications, make_slot, next_wednesday, submit


def test_a_series_every_wednesday_skips_the_given_dates(engine):
    first = next_wednesday()
    days = showcase.series_days(first, first + timedelta(weeks=4), weekday=2,
                                skip=frozenset({first + timedelta(weeks=1)}))
    assert days == [first, first + timedelta(weeks=2), first + timedelta(weeks=3), first + timedelta(weeks=4)]
    assert showcase.create_slot_series(engine, days, time(14), time(17), capacity=3, theme="Santé") == 4
    slots = showcase.slots_with_counts(engine)
    assert len(slots) == 4 and (slots["places_taken"] == 0).all()
    assert to_paris(slots["starts_at"].iloc[0]).hour == 14  # Europe/Paris wall clock, summer or winter


def test_a_slot_in_the_past_or_upside_down_is_refused_and_nothing_written(engine):
    yesterday = to_paris(utcnow()).date() - timedelta(days=1)
    with pytest.raises(FormErrors) as failed:
        showcase.create_slot_series(engine, [next_wednesday(), yesterday], time(17), time(14), capacity=0)
    assert set(failed.value.errors) == {"day", "end", "capacity"}
    assert showcase.slots_with_counts(engine).empty


def test_applications_close_a_week_before_unless_staff_choose_another_deadline(engine):
    default = make_slot(engine)
    custom = showcase.create_slot(engine, showcase.SlotTimes(next_wednesday(3), time(14), time(17), deadline_days=2),
                                  capacity=3)
    slots = showcase.slots_with_counts(engine).set_index("id")
    assert slots.loc[default, "starts_at"] - slots.loc[default, "applications_close_at"] == timedelta(days=7)
    assert slots.loc[custom, "starts_at"] - slots.loc[custom, "applications_close_at"] == timedelta(days=2)


def test_a_slot_past_its_deadline_is_neither_offered_nor_accepted(engine):
    closed, still_open = make_slot(engine), make_slot(engine, weeks=3)
    close_applications(engine, closed)
    assert list(showcase.open_slots(engine)["id"]) == [still_open]
    with pytest.raises(FormErrors) as failed:
        submit(engine, [closed])
    assert "plus ouvert" in failed.value.errors["slot_1"].text


def test_new_slots_that_nobody_could_apply_for_are_refused(engine):
    tomorrow = to_paris(utcnow()).date() + timedelta(days=1)
    with pytest.raises(FormErrors) as failed:
        showcase.create_slot(engine, showcase.SlotTimes(tomorrow, time(14), time(17)), capacity=3)
    assert "déjà closes" in failed.value.errors["deadline_days"].text
    assert showcase.create_slot(engine, showcase.SlotTimes(tomorrow, time(14), time(17), deadline_days=0),
                                capacity=3)
    # A series whose first days are too close still opens the later ones.
    days = showcase.series_days(tomorrow, tomorrow + timedelta(weeks=3), weekday=tomorrow.weekday())
    assert showcase.create_slot_series(engine, days, time(9), time(12), capacity=3) == 4


def test_slot_labels_are_french():
    label = showcase.slot_label(to_paris(utcnow()).replace(year=2026, month=12, day=2, hour=14, minute=0),
                                to_paris(utcnow()).replace(year=2026, month=12, day=2, hour=17, minute=0), "fr")
    assert label == "mercredi 2 décembre 2026, 14:00–17:00"


def test_a_slot_at_the_hours_of_another_is_refused_naming_it(engine):
    first = make_slot(engine)
    with pytest.raises(FormErrors) as failed:
        make_slot(engine)
    message = failed.value.errors["day"]
    assert message.params["number"] == first and message.params["slot"].endswith("14:00–17:00")
    with pytest.raises(FormErrors):  # nor in a series, which then writes nothing
        showcase.create_slot_series(engine, [next_wednesday(), next_wednesday(3)], time(14), time(17), capacity=3)
    assert len(showcase.slots_with_counts(engine)) == 1
    other = make_slot(engine, weeks=3)
    with pytest.raises(FormErrors):
        showcase.update_slot(engine, other, showcase.SlotTimes(next_wednesday(), time(14), time(17)), capacity=3,
                             theme="", staff="staff:1")
    showcase.cancel_slot(engine, first, staff="staff:1")
    assert make_slot(engine)  # the hours of a cancelled showcase are free again


def test_two_slots_on_one_day_keep_their_own_bar_on_the_dashboard(engine):
    from directory import stats
    day = next_wednesday(2)
    for start in (time(10), time(14)):
        showcase.create_slot(engine, showcase.SlotTimes(day, start, time(start.hour + 2)), capacity=2)
    assert len(stats.dashboard(engine).slot_fill) == 2
