import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from directory import showcase
from directory.models import ApplicationState
from directory.showcase import assignment
from directory.showcase.assignment import (
    AssignmentConflict,
    Candidate,
    Placement,
    confirm_assignment,
    placed_by_hand,
    proposal,
)
from tests.factories import make_slot, outbox, state_of, submit


def objective(placements: list[Placement], candidates: list[Candidate]) -> tuple[int, int, int]:
    """What the proposal optimises: most placed, then best total rank, then earliest placed."""
    position = {c.application_id: index for index, c in enumerate(candidates)}
    placed = [p for p in placements if p.slot_id is not None]
    return (-len(placed), sum(p.choice for p in placed), sum(position[p.application_id] for p in placed))


def brute_force(candidates, room, ranks):
    best = None
    for chosen in itertools.product(*[(None, *c.ranked) for c in candidates]):
        used = {slot_id: chosen.count(slot_id) for slot_id in room}
        if any(used[slot_id] > room[slot_id] for slot_id in room):
            continue
        placements = [Placement(c.application_id, c.organisation, c.state, slot_id,
                                ranks[(c.application_id, slot_id)] if slot_id is not None else None)
                      for c, slot_id in zip(candidates, chosen, strict=True)]
        key = objective(placements, candidates)
        best = key if best is None or key < best else best
    return best


@st.composite
def instances(draw):
    """Up to 4 slots of 0 to 2 places, up to 7 applications each ranking 1 to 3 of them."""
    slots = list(range(1, draw(st.integers(1, 4)) + 1))
    room = {slot_id: draw(st.integers(0, 2)) for slot_id in slots}
    candidates, ranks = [], {}
    for application_id in range(1, draw(st.integers(1, 7)) + 1):
        ranked = tuple(draw(st.permutations(slots))[:draw(st.integers(1, min(3, len(slots))))])
        candidates.append(Candidate(application_id, f"S{application_id}", "submitted", ranked))
        ranks.update({(application_id, slot_id): rank for rank, slot_id in enumerate(ranked, start=1)})
    return candidates, room, ranks


@settings(max_examples=300, deadline=None)
@given(instances())
def test_the_proposal_is_as_good_as_the_best_of_every_possible_assignment(instance):
    candidates, room, ranks = instance
    placements = assignment.propose(candidates, room, ranks=ranks)
    assert [p.application_id for p in placements] == [c.application_id for c in candidates]
    for placement, candidate in zip(placements, candidates, strict=True):
        assert placement.slot_id is None or placement.slot_id in candidate.ranked
    for slot_id, places in room.items():
        assert sum(p.slot_id == slot_id for p in placements) <= places
    assert objective(placements, candidates) == brute_force(candidates, room, ranks)


def test_more_placed_beats_better_ranked_and_earlier_applications_win_ties():
    # A wants only slot 1; B ranked slot 1 first and slot 2 second; one place in each.
    candidates = [Candidate(1, "B", "submitted", (1, 2)), Candidate(2, "A", "submitted", (1,))]
    ranks = {(1, 1): 1, (1, 2): 2, (2, 1): 1}
    placed = {p.application_id: p.slot_id for p in assignment.propose(candidates, {1: 1, 2: 1}, ranks=ranks)}
    assert placed == {1: 2, 2: 1}  # both placed, though B gets its second choice
    tie = [Candidate(1, "First", "submitted", (1,)), Candidate(2, "Second", "submitted", (1,))]
    placed = {p.application_id: p.slot_id for p in assignment.propose(tie, {1: 1}, ranks={(1, 1): 1, (2, 1): 1})}
    assert placed == {1: 1, 2: None}


def test_a_confirmed_proposal_approves_and_waitlists_all_at_once_with_emails(engine):
    first, second = make_slot(engine, capacity=1), make_slot(engine, weeks=3, capacity=1)
    ids = [submit(engine, [first, second], key=f"k{n}", contact_email=f"s{n}@example.org").application_id
           for n in range(3)]
    placements, room = assignment.proposal(engine, [first, second])
    assert room == {first: 1, second: 1}
    assert [(p.application_id, p.slot_id, p.choice) for p in placements] == [
        (ids[0], first, 1), (ids[1], second, 2), (ids[2], None, None)]
    assert assignment.confirm_assignment(engine, placements, staff="staff:1", waitlist_unplaced=True) == (2, 1)
    states = showcase.review_queue(engine, showcase.ReviewFilters(states=()))
    assert dict(zip(states["id"], states["state"], strict=True)) == {
        ids[0]: ApplicationState.APPROVED, ids[1]: ApplicationState.APPROVED, ids[2]: ApplicationState.WAITLISTED}
    assert sorted(outbox(engine)) == ["approved", "approved", "receipt", "receipt", "receipt", "waitlisted"]


def test_a_proposal_that_went_stale_writes_nothing(engine):
    slot = make_slot(engine, capacity=2)
    sent = [submit(engine, [slot], key=f"k{n}", contact_email=f"s{n}@example.org") for n in range(2)]
    ids = [submitted.application_id for submitted in sent]
    placements, _ = assignment.proposal(engine, [slot])
    showcase.withdraw_application(engine, sent[1].token)  # meanwhile
    with pytest.raises(AssignmentConflict) as conflict:
        assignment.confirm_assignment(engine, placements, staff="staff:1", waitlist_unplaced=True)
    assert conflict.value.application_id == ids[1]
    assert showcase.slots_with_counts(engine)["places_taken"].tolist() == [0]  # the first approval was undone too


def test_a_place_held_by_a_pending_offer_is_not_proposed_again(engine):
    """Issue 22: the solver counted approved startups only, so a slot shown '0 place libre'
    still received an application, and every confirmation then failed."""
    slot = make_slot(engine, capacity=1)
    first = submit(engine, [slot], key="a", contact_email="a@example.org")
    waiting = submit(engine, [slot], key="b", contact_email="b@example.org")
    showcase.approve_application(engine, first.application_id, slot_id=slot, staff="staff:1")
    showcase.waitlist_application(engine, waiting.application_id, staff="staff:1")
    showcase.withdraw_application(engine, first.token)  # the freed place is offered to the waitlisted one
    newcomer = submit(engine, [slot], key="c", contact_email="c@example.org")
    placements, room = proposal(engine, [slot])
    assert room == {slot: 0}
    assert [(p.application_id, p.slot_id) for p in placements] == [(newcomer.application_id, None)]
    assert showcase.slots_with_counts(engine)["places_left"].tolist() == [0]


def test_a_hand_edit_updates_the_choice(engine):
    first, second = make_slot(engine, weeks=2), make_slot(engine, weeks=3)
    sent = submit(engine, [first, second], key="a")
    [placement], _room = proposal(engine, [first, second])
    assert (placement.slot_id, placement.choice) == (first, 1)
    moved = placed_by_hand(placement, second)
    assert (moved.slot_id, moved.choice, moved.by_hand) == (second, 2, True)
    assert placed_by_hand(placement, None).choice is None
    approved, _waitlisted = confirm_assignment(engine, [moved], staff="staff:1", waitlist_unplaced=False)
    assert approved == 1 and state_of(engine, sent.application_id) == "approved"


def test_a_conflict_names_its_reason_once(engine):
    slot = make_slot(engine, capacity=1)
    sent = [submit(engine, [slot], key=k, contact_email=f"{k}@example.org") for k in "ab"]
    placements, _room = proposal(engine, [slot])
    showcase.approve_application(engine, sent[0].application_id, slot_id=slot, staff="staff:2")
    stale = [placed_by_hand(p, slot) for p in placements]
    with pytest.raises(AssignmentConflict) as conflict:
        confirm_assignment(engine, stale, staff="staff:1", waitlist_unplaced=False)
    reason = conflict.value.message.params["reason"]
    assert "rien" not in reason.text.lower() and conflict.value.message.text.lower().count("rien") == 1
