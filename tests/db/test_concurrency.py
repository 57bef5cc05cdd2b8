"""Two staff members acting at the same moment, on SQLite and PostgreSQL (DESIGN.md §3)."""

import os
import re
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

from sqlalchemy import update
from sqlmodel import Session, select

from directory import showcase
from directory.clock import utcnow
from directory.models import Application, AuditEvent, Notification, Offer, OfferOutcome
from directory.showcase import AlreadyDecided, SlotFull, assignment, offers
from tests.factories import at_once, emailed_link, form, make_slot

ROOT = Path(__file__).resolve().parents[2]


def race(work, arguments):
    """Run `work` once per argument, all released at the same instant: who won, who was refused."""
    def one(argument):
        try:
            work(argument)
            return "won"
        except SlotFull:
            return "full"
        except AlreadyDecided:
            return "already decided"

    return at_once(one, arguments)


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
    assert showcase.slots_with_counts(engine).set_index("id").loc[slot, "places_taken"] == 3


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


# --- Freed places, offers and proposals (issue 12) ------------------------------------------------

def offer_states(engine, slot):
    """Places held in the slot, its pending offers, and the emails each kind of event sent."""
    with Session(engine) as session:
        pending = session.exec(select(Offer).where(Offer.slot_id == slot, Offer.outcome == OfferOutcome.PENDING)).all()
        templates = [n.template for n in session.exec(select(Notification))]
    held = showcase.slots_with_counts(engine).set_index("id").loc[slot, "places_taken"]
    return held, len(pending), templates


def link_of(engine, application_id) -> str:
    link = emailed_link(engine, Notification.application_id == application_id, Notification.template == "offered")
    return link.split("token=")[1]


def test_a_withdrawal_racing_an_acceptance_never_overbooks_nor_offers_one_place_twice(engine):
    slot = make_slot(engine, capacity=2)
    sent = [showcase.submit_application(engine, form([slot], contact_email=f"s{i}@example.org"),
                                        submission_key=f"k{i}") for i in range(4)]
    a, b, c, d = sent
    for approved in (a, b):
        showcase.approve_application(engine, approved.application_id, slot_id=slot, staff="staff:1")
    for waiting in (c, d):
        showcase.waitlist_application(engine, waiting.application_id, staff="staff:1")
    showcase.withdraw_application(engine, b.token)  # C is offered B's place
    c_link = link_of(engine, c.application_id)
    race(lambda step: step(), [lambda: showcase.withdraw_application(engine, a.token),
                                lambda: offers.accept_offer(engine, c_link)])
    held, pending, templates = offer_states(engine, slot)
    assert held == 2 and pending == 1  # C approved, D holds A's place; never three
    assert templates.count("offered") == 2 and templates.count("approved") == 3


def test_confirming_a_proposal_while_an_applicant_withdraws_is_all_or_nothing(engine):
    slot = make_slot(engine, capacity=2)
    sent = [showcase.submit_application(engine, form([slot], contact_email=f"s{i}@example.org"),
                                        submission_key=f"k{i}") for i in range(2)]
    placements, _ = assignment.proposal(engine, [slot])
    outcomes = []

    def confirm():
        try:
            assignment.confirm_assignment(engine, placements, staff="staff:1", waitlist_unplaced=True)
            outcomes.append("confirmed")
        except assignment.AssignmentConflict:
            outcomes.append("conflict")

    race(lambda step: step(), [confirm, lambda: showcase.withdraw_application(engine, sent[1].token)])
    states = showcase.review_queue(engine, showcase.ReviewFilters(states=())).set_index("id")["state"]
    if outcomes == ["conflict"]:  # the withdrawal came first: nothing of the proposal was written
        assert states[sent[0].application_id] == "submitted"
    else:  # the proposal came first: both approved, then one withdrew
        assert states[sent[0].application_id] == "approved"
    assert states[sent[1].application_id] == "withdrawn"
    assert showcase.slots_with_counts(engine)["places_taken"].tolist() == [int(outcomes == ["confirmed"])]


def test_two_processes_expiring_the_same_offer_expire_it_once(engine):
    slot = make_slot(engine, capacity=1)
    sent = [showcase.submit_application(engine, form([slot], contact_email=f"s{i}@example.org"),
                                        submission_key=f"k{i}") for i in range(3)]
    showcase.approve_application(engine, sent[0].application_id, slot_id=slot, staff="staff:1")
    for waiting in sent[1:]:
        showcase.waitlist_application(engine, waiting.application_id, staff="staff:1")
    showcase.withdraw_application(engine, sent[0].token)
    with Session(engine) as session:  # the offer's time is up
        session.exec(update(Offer).values(expires_at=utcnow() - timedelta(minutes=1)))
        session.commit()
    environment = {**{name: value for name, value in os.environ.items() if not name.startswith("LC_")},
                   "DATABASE_URL": engine.url.render_as_string(hide_password=False), "VITRINE_SMTP_HOST": "",
                   "LANG": "en_GB.UTF-8"}
    workers = [subprocess.Popen([sys.executable, "-m", "directory", "expire-offers"], cwd=ROOT, env=environment,
                                stdout=subprocess.PIPE, text=True) for _ in range(2)]
    printed = [worker.communicate(timeout=120)[0] for worker in workers]
    expired = sum(int(re.search(r"Expired (\d+)", out).group(1)) for out in printed)
    held, pending, templates = offer_states(engine, slot)
    assert expired == 1 and templates.count("offer_expired") == 1
    assert (held, pending) == (1, 1) and templates.count("offered") == 2  # the third startup's turn
