"""The life cycle: every action from every state, generated from the transitions table."""


import pytest

from directory import showcase
from directory.models import (
    APPLICATION_TRANSITIONS,
    ApplicationState,
    Notification,
)
from directory.showcase import (
    AlreadyDecided,
    TooLate,
)
from tests.factories import emailed_token, events, make_slot, state_of, submit

ACTIONS = {ApplicationState.APPROVED: "approve", ApplicationState.WAITLISTED: "waitlist",
           ApplicationState.REJECTED: "reject", ApplicationState.WITHDRAWN: "withdraw"}


def reach(engine, state: ApplicationState):
    """An application in `state`, the way the app puts one there; returns (slot, id, its link)."""
    slot = make_slot(engine, capacity=1)
    if state == ApplicationState.OFFERED:  # a place freed while it waited
        holder = submit(engine, [slot], key="holder", contact_email="holder@example.org")
        showcase.approve_application(engine, holder.application_id, slot_id=slot, staff="staff:1")
    submitted = submit(engine, [slot])
    if state == ApplicationState.OFFERED:
        showcase.waitlist_application(engine, submitted.application_id, staff="staff:1")
        showcase.withdraw_application(engine, holder.token)
        return slot, submitted.application_id, latest_link(engine, submitted.application_id)
    if state != ApplicationState.SUBMITTED:
        act(engine, slot, submitted.application_id, submitted.token, ACTIONS[state])
    return slot, submitted.application_id, submitted.token


def act(engine, slot, application_id, token, action):
    return {
        "approve": lambda: showcase.approve_application(engine, application_id, slot_id=slot, staff="staff:1"),
        "waitlist": lambda: showcase.waitlist_application(engine, application_id, staff="staff:1"),
        "reject": lambda: showcase.reject_application(engine, application_id, staff="staff:1", reason="Hors sujet"),
        "withdraw": lambda: showcase.withdraw_application(engine, token),
    }[action]()


def latest_link(engine, application_id) -> str:
    return emailed_token(engine, Notification.application_id == application_id)


# Generated from the transitions table: every action from every state, allowed exactly when the
# table allows the state it leads to.
@pytest.mark.parametrize("start, target", [(start, target) for start in APPLICATION_TRANSITIONS
                                           for target in ACTIONS])
def test_every_action_from_every_state_follows_the_transitions_table(engine, start, target):
    slot, application_id, token = reach(engine, start)
    assert state_of(engine, application_id) == start
    history = events(engine, application_id)
    if target in APPLICATION_TRANSITIONS[start]:
        act(engine, slot, application_id, token, ACTIONS[target])
        assert state_of(engine, application_id) == target
    else:
        with pytest.raises((AlreadyDecided, TooLate)):
            act(engine, slot, application_id, token, ACTIONS[target])
        assert state_of(engine, application_id) == start and events(engine, application_id) == history


@pytest.mark.parametrize("state", list(ApplicationState))
def test_the_one_change_of_state_refuses_every_move_the_table_does_not_allow(engine, state):
    """Issue 33: `rules.change_state` itself checks the transitions table, whoever calls it."""
    from sqlmodel import Session

    from directory.db import write_session
    from directory.models import Application
    from directory.showcase.rules import change_state

    _slot, application_id, _link = reach(engine, state)
    for to in set(ApplicationState) - APPLICATION_TRANSITIONS[state]:
        with pytest.raises(AlreadyDecided), write_session(engine) as session:
            change_state(session, session.get(Application, application_id), to, actor="test", template=None)
    with Session(engine) as session:
        assert session.get(Application, application_id).state == state
