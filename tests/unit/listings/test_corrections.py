"""Reports of errors on published cards: from a visitor to the staff's queue, then applied or dismissed."""

import pytest
from sqlmodel import Session, select

from directory import listings, notify
from directory.listings import ListingConflict, PartnerForm, corrections
from directory.models import AuditEvent, Correction, Partner
from directory.validation import FormErrors
from tests.conftest import partner_row
from tests.factories import settings_for, subject


@pytest.fixture
def cite(engine) -> int:
    listings.insert_partners(engine, [partner_row(name="Cité du design", kind="public_body", address="3 rue Javelin")])
    return 1


def report(engine, partner_id, *, message="L'adresse a changé : 5 rue Javelin-Pagnon.", email="", client="1.2.3.4"):
    return corrections.report_error(engine, partner_id, message=message, email=email, language="en", client=client)


def test_a_report_waits_in_the_queue_and_the_reporter_is_thanked_in_their_language(engine, cite, smtp_server):
    report(engine, cite, email="visiteur@example.org")
    queued = corrections.open_reports(engine)
    assert queued[["partner_name", "message"]].values.tolist() == [
        ["Cité du design", "L'adresse a changé : 5 rue Javelin-Pagnon."]]
    assert notify.deliver_outbox(engine, settings_for(smtp_server.port)) == 1
    [message] = smtp_server.messages
    assert message["To"] == "visiteur@example.org" and subject(message) == "Vitrine: thank you for your report"


def test_a_report_without_email_sends_nothing_and_a_faulty_one_writes_nothing(engine, cite):
    report(engine, cite)
    assert notify.pending(engine) == []
    with pytest.raises(FormErrors) as failed:
        report(engine, cite, message=" ", email="pas-une-adresse")
    assert set(failed.value.errors) == {"message", "email"}
    assert len(corrections.open_reports(engine)) == 1


def test_only_published_cards_can_be_reported(engine, cite):
    listings.archive_partner(engine, cite, staff="staff:1")
    with pytest.raises(ListingConflict):
        report(engine, cite)


def test_applying_a_report_edits_the_listing_audited_and_closes_it_once(engine, cite):
    report_id = report(engine, cite)
    form = PartnerForm(name="Cité du design", kind="public_body", short_description="Design.",
                       address="5 rue Javelin-Pagnon")
    corrections.apply_report(engine, report_id, form, staff="staff:1 Camille")
    with Session(engine) as session:
        assert session.get(Partner, cite).address == "5 rue Javelin-Pagnon"
        assert session.get(Correction, report_id).state == "applied"
        actions = [e.action for e in session.exec(select(AuditEvent).where(AuditEvent.entity_id == cite))]
    assert {"edited", "report_applied"} <= set(actions)
    with pytest.raises(ListingConflict):  # a second member of staff acting on the same report
        corrections.dismiss_report(engine, report_id, staff="staff:2")
    assert len(corrections.open_reports(engine)) == 0


def test_a_faulty_correction_leaves_the_report_open_and_the_listing_unchanged(engine, cite):
    report_id = report(engine, cite)
    with pytest.raises(FormErrors):
        corrections.apply_report(engine, report_id, PartnerForm(name="", kind="public_body"), staff="staff:1")
    assert len(corrections.open_reports(engine)) == 1
    with Session(engine) as session:
        assert session.get(Partner, cite).name == "Cité du design"


def test_one_client_cannot_flood_the_queue(engine, cite):
    for _ in range(corrections.REPORTS_PER_CLIENT):
        report(engine, cite, client="5.6.7.8")
    with pytest.raises(corrections.TooManyReports):
        report(engine, cite, client="5.6.7.8")
    report(engine, cite, client="9.9.9.9")  # others still can
    assert len(corrections.open_reports(engine)) == corrections.REPORTS_PER_CLIENT + 1
