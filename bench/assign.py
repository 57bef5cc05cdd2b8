"""Proposing and confirming an assignment of 1,000 applications over 50 slots.

    python bench/assign.py       # SQLite, and PostgreSQL when VITRINE_TEST_POSTGRES_URL is set

Each application ranks three slots; capacities run from 3 to 6. Prints the time to make the
proposal (reading the database and solving) and to confirm it (every approval and waiting-list
decision in one transaction, audited, with its email queued), best of three proposals.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import text  # noqa: E402

from bench.common import (  # noqa: E402
    fill_applications,
    on_both_engines,
)
from directory import db  # noqa: E402
from directory.showcase import assignment  # noqa: E402

SLOTS, APPLICATIONS = 50, 1_000


def run(url: str) -> tuple[float, float, int, int, int]:
    engine = db.make_engine(url)
    db.migrate(engine)
    slot_ids = fill_applications(engine, slots=SLOTS, applications=APPLICATIONS)
    with db.write_session(engine) as session:
        session.execute(text("UPDATE showcaseslot SET capacity = 3 + id % 4"))
        session.execute(text("UPDATE application SET state = 'submitted'"))
    proposals = []
    for _ in range(3):
        started = time.perf_counter()
        placements, _room = assignment.proposal(engine, slot_ids)
        proposals.append(time.perf_counter() - started)
    started = time.perf_counter()
    approved, waitlisted = assignment.confirm_assignment(engine, placements, staff="bench", waitlist_unplaced=True)
    confirmed = time.perf_counter() - started
    engine.dispose()
    return min(proposals), confirmed, len(placements), approved, waitlisted


def show(engine_name: str, figures: tuple[float, float, int, int, int]) -> None:
    proposed, confirmed, candidates, approved, waitlisted = figures
    print(f"  {engine_name:<11} proposal {proposed * 1000:7.1f} ms   confirmation {confirmed * 1000:7.1f} ms"
          f"   ({candidates:,} applications: {approved} approved, {waitlisted} waitlisted)")


def main() -> None:
    print(f"assignment of {APPLICATIONS:,} applications over {SLOTS} slots (capacities 3-6, 3 choices each)")
    on_both_engines(run, show)


if __name__ == "__main__":
    main()
