"""A startup on the waiting list takes a freed place from the link it was emailed."""

import re
from email.header import decode_header, make_header

import pytest
from sqlmodel import Session, select

from directory import notify, showcase
from directory.models import ApplicationState, Notification
from tests.browser.conftest import wait_until_ready
from tests.factories import emailed_link, make_slot, submit

pytestmark = pytest.mark.browser


def test_a_waitlisted_startup_accepts_a_freed_place_from_its_email(server, server_database, page, smtp_server):
    _, engine = server_database
    slot = make_slot(engine, capacity=1)
    first = submit(engine, [slot], key="a", organisation="Forez Robotique", contact_email="a@example.org")
    waiting = submit(engine, [slot], key="b", organisation="Kiosque Santé", contact_email="b@example.org")
    showcase.approve_application(engine, first.application_id, slot_id=slot, staff="staff:1")
    showcase.waitlist_application(engine, waiting.application_id, staff="staff:1")
    showcase.withdraw_application(engine, first.token)  # a place frees up
    notify.deliver_outbox(engine, notify.SmtpSettings(host="127.0.0.1", port=smtp_server.port, security="none"))

    [offer] = [m for m in smtp_server.messages
               if m["To"] == "b@example.org" and "libérée" in str(make_header(decode_header(m["Subject"])))]
    link = re.search(r"/suivi\?token=[\w-]{43}", offer.get_payload(decode=True).decode()).group(0)
    page.goto(server + link)
    wait_until_ready(page)
    page.get_by_text("Une place s'est libérée pour vous").wait_for(timeout=30_000)
    page.get_by_role("button", name="J'accepte cette place").click()
    page.get_by_text("C'est confirmé : la place est à vous.").wait_for(timeout=30_000)
    assert page.get_by_text("C'est confirmé").count() == 1  # one notice, not two saying the same
    page.get_by_text("Votre présentation", exact=True).wait_for()
    queue = showcase.review_queue(engine, showcase.ReviewFilters(states=())).set_index("id")
    assert queue.loc[waiting.application_id, "state"] == ApplicationState.APPROVED
    # The approval email carries a link and the event (the server, without SMTP, keeps it in its
    # outbox), and the offer's link still opens the same application.
    with Session(engine) as session:
        approval = session.exec(select(Notification).where(Notification.template == "approved",
                                                           Notification.recipient == "b@example.org")).one()
    approval_link = emailed_link(engine, Notification.id == approval.id).removeprefix("http://localhost:8501")
    assert "METHOD:PUBLISH" in approval.calendar and "{private_link}" in approval.body
    for address in (approval_link, link):
        page.goto(server + address)
        wait_until_ready(page)
        page.get_by_text("Votre présentation", exact=True).wait_for(timeout=30_000)
