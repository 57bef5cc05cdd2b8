"""100 people registering at once for a session of 20 places, then 100 more for another session,
each pressing the button twice (a double click: the same form sent twice at the same instant).

    python bench/registrations.py       # SQLite, and PostgreSQL when VITRINE_TEST_POSTGRES_URL is set

Prints who got a place and who waits (it must be 20 and 80, nobody twice), and the median and
p95 time of one `register` call under that load, beside the same call made alone in the same run.
The calls are threads of one process, as a server's are; one session's registrations take its
lock one after the other, so the p95 is about the number of calls times one registration's time
inside the lock.
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


def another_session(engine, beside: int, *, hour: int, key: str) -> int:
    """Another session of the same partner, in the same room, at `hour`."""
    with db.read_session(engine) as session:
        first = session.get(ProgrammeSession, beside)
        partner_id, room_id = first.partner_id, first.room_id
    proposed = programme.store_proposal(engine, partner_id, session_form(title=key, places=PLACES),
                                        contact_email="bench@exemple.fr", submission_key=key, actor="bench")
    programme.approve_session(engine, proposed.session_id, starts_at=session_start(hour=hour), room_id=room_id,
                              staff="bench")
    return proposed.session_id


def crowd(engine, session_id: int, *, sends: int) -> dict:
    """PEOPLE people at once, each sending the form `sends` times at the same instant."""
    def one(n: int) -> float:
        person = n // sends
        started = time.perf_counter()
        register_as(engine, session_id, f"P{person}", key=f"form-{session_id}-{person}", email=f"p{person}@exemple.fr")
        return time.perf_counter() - started

    times = at_once(one, list(range(sends * PEOPLE)))
    with db.read_session(engine) as session:
        states = dict(session.execute(select(Registration.state, func.count()).where(
            Registration.session_id == session_id).group_by(Registration.state)).all())
        twice = session.execute(select(func.count()).select_from(select(Registration.email).where(
            Registration.session_id == session_id).group_by(Registration.email).having(func.count() > 1)
            .subquery())).scalar_one()
    return {"states": states, "twice": twice, "median": median_ms(times), "p95": p95_ms(times)}


def run(url: str) -> dict:
    engine = db.make_engine(url)
    db.migrate(engine)
    single_session, _ = session_on_programme(engine, places=PLACES, room_capacity=PLACES)
    double_session = another_session(engine, single_session, hour=10, key="double")
    alone_session = another_session(engine, single_session, hour=16, key="alone")
    alone = []
    for n in range(20):
        started = time.perf_counter()
        register_as(engine, alone_session, f"Seul{n}", email=f"seul{n}@exemple.fr")
        alone.append(time.perf_counter() - started)
    figures = {"alone": statistics.median(alone) * 1000, "once": crowd(engine, single_session, sends=1),
               "twice": crowd(engine, double_session, sends=2)}
    engine.dispose()
    return figures


def show(engine_name: str, figures: dict) -> None:
    print(f"  {engine_name}: one registration alone, median {figures['alone']:5.1f} ms")
    for label, key in (("each once ", "once"), ("each twice", "twice")):
        crowd_figures = figures[key]
        states = crowd_figures["states"]
        print(f"    {PEOPLE} people, {label}: registered {states.get('registered', 0):3}, waiting "
              f"{states.get('waiting', 0):3}, registered twice {crowd_figures['twice']}; one call: median "
              f"{crowd_figures['median']:6.1f} ms, p95 {crowd_figures['p95']:6.1f} ms")


def main() -> None:
    print(f"{PEOPLE} people registering at once for {PLACES} places")
    on_both_engines(run, show)


if __name__ == "__main__":
    main()
