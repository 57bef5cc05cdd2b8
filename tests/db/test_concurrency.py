"""Two staff members acting at the same moment, on SQLite and PostgreSQL (DESIGN.md §3)."""

import threading
from concurrent.futures import ThreadPoolExecutor

from sqlmodel import Session, select

from directory import showcase
from directory.models import Application, AuditEvent
from directory.showcase import AlreadyDecided, SlotFull
from tests.factories import form, make_slot


def race(work, arguments):
    """Run `work` once per argument, all released at the same instant."""
    barrier = threading.Barrier(len(arguments))

    def one(argument):
        barrier.wait()
        try:
            work(argument)
            return "won"
        except SlotFull:
            return "full"
        except AlreadyDecided:
            return "already decided"

    with ThreadPoolExecutor(max_workers=len(arguments)) as pool:
        return list(pool.map(one, arguments))


def test_forty_parallel_approvals_fill_a_slot_of_three_exactly(engine):
    slot = make_slot(engine, capacity=3)
    other = make_slot(engine, weeks=3)
    ids = [showcase.submit_application(engine, form([slot, other], contact_email=f"s{i}@example.org"),
                                       submission_key=f"k{i}").application_id for i in range(40)]
    outcomes = race(lambda i: showcase.approve_application(engine, i, slot_id=slot, staff="staff:1"), ids)
    assert outcomes.count("won") == 3
    assert outcomes.count("full") == 37
    with Session(engine) as session:
        approved = session.exec(select(Application).where(Application.state == "approved")).all()
    assert len(approved) == 3 and {a.slot_id for a in approved} == {slot}
    assert showcase.slots_with_counts(engine).set_index("id").loc[slot, "approved"] == 3


def test_two_parallel_decisions_on_one_application_one_wins(engine):
    slot = make_slot(engine)
    application_id = showcase.submit_application(engine, form([slot]), submission_key="k").application_id
    decisions = {
        "approve": lambda: showcase.approve_application(engine, application_id, slot_id=slot, staff="staff:1"),
        "reject": lambda: showcase.reject_application(engine, application_id, staff="staff:2", reason="Non"),
    }
    outcomes = race(lambda name: decisions[name](), ["approve", "reject"])
    assert sorted(outcomes) == ["already decided", "won"]
    with Session(engine) as session:
        decided = session.exec(select(AuditEvent).where(AuditEvent.entity_id == application_id,
                                                        AuditEvent.action.in_(["approved", "rejected"]))).all()
    assert len(decided) == 1
