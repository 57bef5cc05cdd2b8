"""100 people registering at once for a session of 20 places, each pressing the button twice (a
double click: the same form sent twice at the same instant).

    python bench/registrations.py       # SQLite, and PostgreSQL when VITRINE_TEST_POSTGRES_URL is set

Prints who got a place and who waits (it must be 20 and 80, nobody twice), and the median and
p95 time of one `register` call under that load, beside the same call made alone in the same run.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, select  # noqa: E402

from bench.common import median_ms, on_both_engines, p95_ms  # noqa: E402
from directory import db, programme  # noqa: E402
from directory.models import ProgrammeSession, Registration  # noqa: E402
from tests.factories import at_once, register_as, session_form, session_on_programme, session_start  # noqa: E402

PEOPLE, PLACES = 100, 20


def run(url: str) -> dict:
    engine = db.make_engine(url)
    db.migrate(engine)
    session_id, _ = session_on_programme(engine, places=PLACES, room_capacity=PLACES)
    alone_session = another_session(engine, session_id)
    alone = []
    for n in range(20):
        started = time.perf_counter()
        register_as(engine, alone_session, f"Seul{n}", email=f"seul{n}@exemple.fr")
        alone.append(time.perf_counter() - started)

    def one(n: int) -> float:
        person = n // 2  # two sends per person, with the same form key
        started = time.perf_counter()
        register_as(engine, session_id, f"P{person}", key=f"form-{person}", email=f"p{person}@exemple.fr")
        return time.perf_counter() - started

    under_load = at_once(one, list(range(2 * PEOPLE)))
    with db.read_session(engine) as session:
        states = dict(session.execute(select(Registration.state, func.count()).where(
            Registration.session_id == session_id).group_by(Registration.state)).all())
        twice = session.execute(select(func.count()).select_from(select(Registration.email).where(
            Registration.session_id == session_id).group_by(Registration.email).having(func.count() > 1)
            .subquery())).scalar_one()
    engine.dispose()
    return {"states": states, "twice": twice, "median": median_ms(under_load), "p95": p95_ms(under_load),
            "alone": statistics.median(alone) * 1000}


def another_session(engine, beside: int) -> int:
    """A second session of the same partner, in the same room, in the morning."""
    with db.read_session(engine) as session:
        first = session.get(ProgrammeSession, beside)
        partner_id, room_id = first.partner_id, first.room_id
    proposed = programme.store_proposal(engine, partner_id, session_form(title="Seule", places=PLACES),
                                        contact_email="bench@exemple.fr", submission_key="alone", actor="bench")
    programme.approve_session(engine, proposed.session_id, starts_at=session_start(hour=10), room_id=room_id,
                              staff="bench")
    return proposed.session_id


def show(engine_name: str, figures: dict) -> None:
    states = figures["states"]
    print(f"  {engine_name:<11} registered {states.get('registered', 0):3}   waiting {states.get('waiting', 0):3}   "
          f"registered twice {figures['twice']}   one registration under load: median {figures['median']:6.1f} ms, "
          f"p95 {figures['p95']:6.1f} ms   (alone, same run: median {figures['alone']:5.1f} ms)")


def main() -> None:
    print(f"{PEOPLE} people registering at once for {PLACES} places, each sending the form twice")
    on_both_engines(run, show)


if __name__ == "__main__":
    main()
