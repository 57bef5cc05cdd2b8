"""A proposed assignment of undecided applications to chosen slots, solved as a linear assignment.

What the proposal optimises, in this order:
1. as many applications placed as possible (each in one of the slots it ranked, never over the
   places left in a slot);
2. among those, the best total preference (a first choice counts 1, a second 2, a third 3);
3. among those, the earliest applications placed (the smallest sum of submission positions).
The same applications and slots always give the same proposal.

Each slot is expanded into one column per place left, plus one "unplaced" column per application;
`scipy.optimize.linear_sum_assignment` then finds the cheapest one-to-one matching. The costs
are integers chosen so that each criterion outweighs everything below it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
from sqlalchemy import select
from sqlalchemy.engine import Engine

from directory.clock import utcnow
from directory.db import read_session, retry_on_conflict, write_session
from directory.i18n import N_
from directory.models import (
    UNDECIDED_STATES,
    Application,
    ApplicationState,
    SlotChoice,
)
from directory.showcase.decisions import approve_in, waitlist_in
from directory.showcase.errors import AlreadyDecided, ShowcaseError, SlotFull
from directory.showcase.rules import MAX_CHOICES, application_number, lock_slot
from directory.showcase.slots import slots_to_come, slots_with_counts
from directory.validation import Message


@dataclass(frozen=True)
class Candidate:
    """An undecided application as the solver sees it: its ranked slots among those chosen."""

    application_id: int
    organisation: str
    state: str
    ranked: tuple[int, ...]  # slot ids, first choice first (only the chosen slots)


@dataclass(frozen=True)
class Placement:
    application_id: int
    organisation: str
    state: str  # as read for the proposal: a waitlisted application left unplaced stays so
    slot_id: int | None  # None: stays unplaced
    choice: int | None  # 1 for its first choice…; None when unplaced or placed where it did not ask
    ranks: tuple[int, ...] = ()  # every slot it ranked, first choice first
    by_hand: bool = False  # staff changed the proposed slot


def placed_by_hand(placement: Placement, slot_id: int | None) -> Placement:
    """The placement after staff chose another slot (or none) in the table."""
    choice = placement.ranks.index(slot_id) + 1 if slot_id in placement.ranks else None
    return replace(placement, slot_id=slot_id, choice=choice, by_hand=True)


def candidates(engine: Engine, slot_ids: list[int]) -> tuple[list[Candidate], dict[int, int]]:
    """The undecided applications that ranked any of `slot_ids`, oldest first, and each slot's
    places left (to come and not cancelled only; places held by pending offers are taken)."""
    with read_session(engine) as session:
        rows = session.execute(
            select(Application.id, Application.organisation, Application.state, SlotChoice.slot_id)
            .join(SlotChoice, SlotChoice.application_id == Application.id)
            .where(Application.state.in_(UNDECIDED_STATES), SlotChoice.slot_id.in_(slot_ids))
            .order_by(Application.created_at, Application.id, SlotChoice.rank)).all()
    # The one count of places (given, or held by a pending offer), as every screen shows it.
    upcoming = slots_to_come(slots_with_counts(engine), utcnow())
    room = {slot_id: int(places) for slot_id, places in zip(upcoming["id"].astype(int), upcoming["places_left"],
                                                       strict=True) if slot_id in slot_ids}
    found: dict[int, Candidate] = {}
    for application_id, organisation, state, slot_id in rows:
        if slot_id not in room:
            continue
        known = found.get(application_id)
        ranked = (known.ranked if known else ()) + (slot_id,)
        found[application_id] = Candidate(application_id, organisation, state, ranked)
    return list(found.values()), room


def propose(candidates: list[Candidate], room: dict[int, int], *, ranks: dict[tuple[int, int], int]) -> list[Placement]:
    """The optimal placements (see the module's docstring), in the candidates' order.

    `ranks[(application_id, slot_id)]` is the slot's position in the application's whole list of
    choices (1 to 3), which may differ from its position among the chosen slots.
    """
    seats = [slot_id for slot_id, places in sorted(room.items()) for _ in range(places)]
    count = len(candidates)
    if not count:
        return []
    order_weight = count * (count + 1) // 2 + 1  # outweighs any difference in submission positions
    placed_cost = {(c.application_id, slot_id): ranks[(c.application_id, slot_id)] * order_weight - (count - position)
                   for position, c in enumerate(candidates) for slot_id in c.ranked}
    worst_change = (MAX_CHOICES * order_weight + count) * (count + 1)
    unplaced = worst_change + 1  # one more placement always beats any rearrangement of the others
    forbidden = 2 * unplaced * (count + 1)
    cost = np.full((count, len(seats) + count), float(forbidden))
    for row, candidate in enumerate(candidates):
        for column, slot_id in enumerate(seats):
            if slot_id in candidate.ranked:
                cost[row, column] = placed_cost[(candidate.application_id, slot_id)]
        cost[row, len(seats) + row] = unplaced
    # Imported here: SciPy's optimiser costs every process importing the showcase 0.5 s (the
    # app's start, the worker, each `vitrine` command), and only this proposal needs it.
    from scipy.optimize import linear_sum_assignment

    rows, columns = linear_sum_assignment(cost)
    every_choice: dict[int, list[int]] = {}  # each application's ranked slots, first choice first
    for (application_id, slot_id), _rank in sorted(ranks.items(), key=lambda item: item[1]):
        every_choice.setdefault(application_id, []).append(slot_id)
    chosen = dict(zip(rows.tolist(), columns.tolist(), strict=True))
    placements = []
    for row, candidate in enumerate(candidates):
        column = chosen[row]
        slot_id = seats[column] if column < len(seats) else None
        placements.append(Placement(candidate.application_id, candidate.organisation, candidate.state, slot_id,
                                    ranks[(candidate.application_id, slot_id)] if slot_id is not None else None,
                                    tuple(every_choice.get(candidate.application_id, ()))))
    return placements


def proposal(engine: Engine, slot_ids: list[int]) -> tuple[list[Placement], dict[int, int]]:
    """The proposal for these slots, and the places each had left."""
    found, room = candidates(engine, slot_ids)
    with read_session(engine) as session:
        ranks = {(application_id, slot_id): rank for application_id, slot_id, rank in session.execute(
            select(SlotChoice.application_id, SlotChoice.slot_id, SlotChoice.rank).where(
                SlotChoice.application_id.in_([c.application_id for c in found]))).all()}
    return propose(found, room, ranks=ranks), room


# Why one application stopped the whole confirmation, said briefly (the page adds that nothing was written).
CONFLICT_REASONS = {SlotFull: Message(N_("son créneau est complet")),
                    AlreadyDecided: Message(N_("elle a changé entre-temps : décidée ou retirée"))}


class AssignmentConflict(ShowcaseError):
    """Something changed since the proposal was made (a slot filled, an application withdrawn):
    nothing was written."""

    text = N_("Rien n'a été enregistré : la candidature n°{number} ne peut pas être décidée ainsi ({reason}). "
              "Proposez de nouveau.")

    def __init__(self, application_id: int, reason: Message) -> None:
        super().__init__(number=application_number(application_id), reason=reason)
        self.application_id = application_id


def confirm_assignment(engine: Engine, placements: list[Placement], *, staff: str, waitlist_unplaced: bool,
            message: str = "") -> tuple[int, int]:
    """Applies the whole proposal as staff left it, all or nothing, with the same capacity-safe
    steps as one approval each (slots locked, states conditional, audited, emails queued).
    Returns (approved, waitlisted). Raises AssignmentConflict naming the first application that
    could not be decided as proposed."""
    def work() -> tuple[int, int]:
        approved = waitlisted = 0
        with write_session(engine) as session, session.no_autoflush:  # audit rows and emails go in at commit
            # Slots locked in one order, so that two confirmations cannot wait for each other.
            for slot_id in sorted({p.slot_id for p in placements if p.slot_id is not None}):
                lock_slot(session, slot_id)
            for placement in placements:
                try:
                    if placement.slot_id is not None:
                        approve_in(session, placement.application_id, slot_id=placement.slot_id, staff=staff,
                                   message=message)
                        approved += 1
                    elif waitlist_unplaced and placement.state == ApplicationState.SUBMITTED:
                        waitlist_in(session, placement.application_id, staff=staff, message=message)
                        waitlisted += 1
                except ShowcaseError as refused:
                    raise AssignmentConflict(placement.application_id, CONFLICT_REASONS.get(
                        type(refused), refused.message)) from refused
        return approved, waitlisted
    return retry_on_conflict(work)
