"""An applicant who lost the private link gets a fresh one by email; the old one stops working
once the new one is opened."""

import re

import pytest
from sqlmodel import Session, select

from directory import notify, showcase
from directory.models import Application, Notification, ServerSecret
from directory.private_links import LINK_EMAILS_PER_ADDRESS
from directory.showcase import TooManyRequests, UnknownToken
from directory.tokens import derived_token, server_secret
from directory.validation import FormErrors
from tests.factories import at_once, emailed_token, make_slot, settings_for, submit


def new_links(smtp_server) -> list[str]:
    return [re.search(r"/suivi\?token=[\w-]{43}(&lang=en)?", m.get_payload(decode=True).decode()).group(0)
            for m in smtp_server.messages if "nouveau lien" in m.get_payload(decode=True).decode()
            or "new link" in m.get_payload(decode=True).decode()]


def test_each_open_application_gets_a_new_link_and_the_old_one_dies_when_it_is_opened(engine, smtp_server):
    first, second = make_slot(engine), make_slot(engine, weeks=3)
    old = submit(engine, [first], key="a").token
    other = submit(engine, [second], key="b", language="en").token
    notify.deliver_outbox(engine, settings_for(smtp_server.port))
    smtp_server.messages.clear()

    showcase.send_fresh_links(engine, "CAMILLE@forez.example.org", client="1.2.3.4")
    assert notify.deliver_outbox(engine, settings_for(smtp_server.port)) == 2
    links = new_links(smtp_server)
    assert len(links) == 2 and any(link.endswith("&lang=en") for link in links)
    # Anyone may ask for a new link for this address: until it is opened, the old ones still work.
    for token in (old, other):
        assert isinstance(showcase.application_by_token(engine, token).application, Application)
    for link in links:
        token = link.split("token=")[1].split("&")[0]
        assert isinstance(showcase.application_by_token(engine, token).application, Application)
        assert isinstance(showcase.application_by_token(engine, token).application, Application)  # again
    for token in (old, other):
        with pytest.raises(UnknownToken):
            showcase.application_by_token(engine, token)


def test_an_unknown_or_closed_address_is_answered_the_same_and_sent_nothing(engine):
    slot = make_slot(engine)
    token = submit(engine, [slot]).token
    showcase.withdraw_application(engine, token)
    pending = len(notify.pending(engine))
    showcase.send_fresh_links(engine, "personne@example.org", client="1.2.3.4")
    showcase.send_fresh_links(engine, "camille@forez.example.org", client="1.2.3.4")  # only a withdrawn one
    assert len(notify.pending(engine)) == pending
    with pytest.raises(FormErrors):
        showcase.send_fresh_links(engine, "pas une adresse", client="1.2.3.4")


def test_requests_are_limited_per_address_and_per_client(engine):
    for _ in range(LINK_EMAILS_PER_ADDRESS):
        showcase.send_fresh_links(engine, "cible@example.org", client="1.1.1.1")
    with pytest.raises(TooManyRequests):  # whoever asks, from wherever
        showcase.send_fresh_links(engine, "cible@example.org", client="2.2.2.2")
    for number in range(showcase.LINK_REQUESTS_PER_CLIENT):
        showcase.send_fresh_links(engine, f"autre{number}@example.org", client="3.3.3.3")
    with pytest.raises(TooManyRequests):
        showcase.send_fresh_links(engine, "encore@example.org", client="3.3.3.3")


def test_every_email_carries_the_same_link_until_a_new_one_is_asked_for(engine):
    slot = make_slot(engine)
    submitted = submit(engine, [slot])
    showcase.approve_application(engine, submitted.application_id, slot_id=slot, staff="staff:1")
    assert emailed_token(engine, Notification.template == "receipt") == submitted.token
    assert emailed_token(engine, Notification.template == "approved") == submitted.token

    # Someone else asks twice for a new link for the applicant's address: nothing dies yet.
    showcase.send_fresh_links(engine, "camille@forez.example.org", client="6.6.6.6")
    second = emailed_token(engine, Notification.template == "new_link")
    showcase.send_fresh_links(engine, "camille@forez.example.org", client="6.6.6.6")
    third = emailed_token(engine, Notification.template == "new_link")
    assert len({submitted.token, second, third}) == 3
    assert showcase.application_by_token(engine, submitted.token).application.id == submitted.application_id
    # The applicant opens the second: the first dies, the one asked for since stays.
    showcase.application_by_token(engine, second)
    with pytest.raises(UnknownToken):
        showcase.application_by_token(engine, submitted.token)
    for token in (second, third):
        assert showcase.application_by_token(engine, token).application.id == submitted.application_id


def test_links_come_from_the_configured_secret_when_there_is_one(engine, monkeypatch):
    monkeypatch.setenv("VITRINE_SECRET_KEY", "a-secret-only-the-deployment-holds")
    slot = make_slot(engine)
    submitted = submit(engine, [slot])
    assert submitted.token == derived_token(b"a-secret-only-the-deployment-holds",
                                            f"application:{submitted.application_id}:1")
    with Session(engine) as session:  # a copy of the database alone builds no working link
        server_secret(session, "private-links")  # as kept before the deployment set its key
        session.commit()
        kept_secret = session.exec(select(ServerSecret.value)).all()
    for secret in kept_secret:
        guess = derived_token(secret.encode(), f"application:{submitted.application_id}:1")
        with pytest.raises(UnknownToken):
            showcase.application_by_token(engine, guess)


def test_an_address_receives_at_most_three_link_emails_an_hour_whatever_asks_and_however_many_at_once(engine):
    """Issue 31: one address got 4 "lien perdu"/update-link emails in 10 minutes (the limit counted
    requests, each per path, and a request sends one email per open application)."""
    from directory import listings
    from directory.listings import PartnerForm
    from directory.listings.changes import TooManyLinkRequests, request_update_link

    address = "camille@forez.example.org"
    slot, later = make_slot(engine), make_slot(engine, weeks=3)
    submit(engine, [slot], key="a", contact_email=address)
    submit(engine, [later], key="b", contact_email=address)  # two open applications: two emails a request
    partner_id = listings.create_partner(engine, PartnerForm(
        name="Forez Robotique", kind="startup", short_description="Des cobots.", contact_email=address), staff="s")

    def ask(number: int) -> bool:
        try:
            if number % 2:
                showcase.send_fresh_links(engine, address, client=f"10.0.0.{number}")
            else:
                request_update_link(engine, partner_id, address, client=f"10.0.0.{number}", language="fr")
        except (TooManyRequests, TooManyLinkRequests):
            return False
        return True
    at_once(ask, range(30))
    with Session(engine) as session:
        sent = session.exec(select(Notification).where(Notification.recipient == address, Notification.template.in_(
            ("new_link", "listing_update_link")))).all()
    assert 1 <= len(sent) <= LINK_EMAILS_PER_ADDRESS
