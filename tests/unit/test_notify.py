import socket
import threading
from datetime import timedelta

from sqlmodel import Session, select

from directory import emails, notify, showcase
from directory.clock import utcnow
from directory.i18n import translate
from directory.models import Notification
from tests.factories import make_slot, settings_for, subject, submit


def queue_receipt(engine, language="fr") -> str:
    """An application's receipt waiting in the outbox; returns the application's private token."""
    return submit(engine, [make_slot(engine)], language=language, organisation="Forez <Robotique>",
                  contact_email="camille@exemple.fr").token


def stored(engine) -> Notification:
    with Session(engine) as session:
        return session.exec(select(Notification)).one()


def test_a_queued_message_is_sent_in_the_applicants_language(engine, smtp_server):
    token = queue_receipt(engine, language="en")
    assert token not in str(stored(engine).model_dump())  # the outbox never holds the link
    assert notify.deliver_outbox(engine, settings_for(smtp_server.port)) == 1
    [message] = smtp_server.messages
    assert message["To"] == "camille@exemple.fr"
    assert subject(message) == "Vitrine: application no. 00001 received"
    body = message.get_payload(decode=True).decode()
    assert f"http://localhost:8501/suivi?token={token}&lang=en" in body and "Forez <Robotique>" in body
    sent = stored(engine)
    assert sent.state == "sent" and token not in str(sent.model_dump())
    assert notify.deliver_outbox(engine, settings_for(smtp_server.port)) == 0


def test_smtp_down_keeps_the_message_and_delivers_it_when_back(engine, smtp_server):
    token = queue_receipt(engine)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    assert notify.deliver_outbox(engine, settings_for(closed_port)) == 0
    waiting = stored(engine)
    assert (waiting.state, waiting.attempts) == ("queued", 1) and waiting.last_error
    assert waiting.link_kind == "application"  # nothing lost
    with Session(engine) as session:  # the retry delay has passed
        waiting.next_attempt_at = utcnow() - timedelta(seconds=1)
        session.add(waiting)
        session.commit()
    assert notify.deliver_outbox(engine, settings_for(smtp_server.port)) == 1
    assert subject(smtp_server.messages[0]) == "Vitrine : candidature n°00001 reçue"
    assert token in smtp_server.messages[0].get_payload(decode=True).decode()


def test_without_smtp_messages_stay_in_the_outbox_and_show_in_the_log(engine, caplog, monkeypatch):
    monkeypatch.delenv("VITRINE_SMTP_HOST", raising=False)
    queue_receipt(engine)
    assert notify.deliver_outbox(engine) == 0
    assert "kept in the outbox" in caplog.text and "camille@exemple.fr" in caplog.text
    assert [n.id for n in notify.pending(engine)] == [stored(engine).id]


def test_a_run_without_smtp_leaves_the_schedule_alone(engine, smtp_server, monkeypatch, caplog):
    """Issue 20: a job run without SMTP settings pushed every queued email back an hour."""
    monkeypatch.delenv("VITRINE_SMTP_HOST", raising=False)
    queue_receipt(engine)
    assert notify.deliver_outbox(engine) == 0 and notify.deliver_outbox(engine) == 0
    # Said once, not at every pass. Counted in this thread: a previous test's background sender may
    # still be logging its own messages (seen in a CI run).
    said = [record for record in caplog.records
            if record.thread == threading.get_ident() and "kept in the outbox" in record.getMessage()]
    assert len(said) == 1
    assert notify.deliver_outbox(engine, settings_for(smtp_server.port)) == 1  # sent at once


def test_a_message_claimed_by_a_process_that_died_is_sent_later(engine, smtp_server):
    queue_receipt(engine)
    with Session(engine) as session:
        crashed = session.exec(select(Notification)).one()
        crashed.state, crashed.claimed_at = "sending", utcnow() - notify.STALE_CLAIM - timedelta(minutes=1)
        session.add(crashed)
        session.commit()
    assert notify.deliver_outbox(engine, settings_for(smtp_server.port)) == 1


def test_a_decision_and_its_message_are_written_together_or_not_at_all(engine, monkeypatch):
    import pytest

    from directory import audit, showcase
    from tests.factories import form, make_slot

    slot = make_slot(engine)
    application = showcase.submit_application(engine, form([slot]), submission_key="k").application_id

    def crash(*args, **kwargs):
        raise RuntimeError("the process dies mid-transaction")

    monkeypatch.setattr(audit, "record", crash)
    with pytest.raises(RuntimeError):
        showcase.approve_application(engine, application, slot_id=slot, staff="staff:1")
    monkeypatch.undo()
    with Session(engine) as session:
        assert [n.template for n in session.exec(select(Notification))] == ["receipt"]
    assert showcase.slots_with_counts(engine)["places_taken"].tolist() == [0]
    showcase.approve_application(engine, application, slot_id=slot, staff="staff:1")
    with Session(engine) as session:
        assert [n.template for n in session.exec(select(Notification).order_by(Notification.id))] == ["receipt",
                                                                                                      "approved"]


def test_every_email_of_an_application_carries_its_private_link_in_both_languages():
    """Issue 30: the waiting-list email had none (and a withdrawal, a refusal, a move neither)."""
    for template, (_subject, body) in emails.APPLICATION_TEMPLATES.items():
        for language in ("fr", "en"):
            text = translate(body, language, private_link="LINK", number="1", name="N", organisation="O", pitch="P",
                             slot="S", message="", reason="R", place="", future="", expires="E", address="A",
                             arrival="T", when="W")
            assert "LINK" in text, (template, language)


def test_the_waitlist_email_carries_the_link_and_a_staff_message_as_its_own_paragraph(engine, smtp_server):
    token = queue_receipt(engine)
    with Session(engine) as session:
        application_id = session.exec(select(Notification.application_id)).one()
    showcase.waitlist_application(engine, application_id, staff="staff:1")
    notify.deliver_outbox(engine, settings_for(smtp_server.port))
    body = smtp_server.messages[-1].get_payload(decode=True).decode()
    assert token in body and "\n\n\n" not in body.replace("\r\n", "\n")
    second = submit(engine, [make_slot(engine, weeks=3)], key="k2", contact_email="b@exemple.fr")
    showcase.waitlist_application(engine, second.application_id, staff="staff:1", message="À très vite !")
    notify.deliver_outbox(engine, settings_for(smtp_server.port))
    body = smtp_server.messages[-1].get_payload(decode=True).decode().replace("\r\n", "\n")
    assert "place se libère.\n\nÀ très vite !\n\nDepuis votre lien privé" in body and second.token in body
