import json
from datetime import timedelta

from sqlmodel import Session, select

from directory import privacy, showcase
from directory.clock import utcnow
from directory.models import Application, AuditEvent, Notification
from tests.factories import form, make_slot


def test_an_applicant_gets_everything_stored_about_them(engine):
    slot = make_slot(engine)
    showcase.submit_application(engine, form([slot]), submission_key="k")
    data = json.loads(privacy.applicant_data(engine, "CAMILLE@forez.example.org"))
    [application] = data["applications"]
    assert application["contact_name"] == "Camille Martin" and application["slot_choices"][0]["slot_id"] == slot
    assert "token_hash" not in application and data["messages"][0]["template"] == "receipt"
    assert "link_seed" not in data["messages"][0]
    assert data["history"][0]["action"] == "submitted"


def test_erasure_leaves_only_a_pseudonymous_trace(engine):
    slot = make_slot(engine)
    submitted = showcase.submit_application(engine, form([slot]), submission_key="k")
    assert privacy.erase_applicant(engine, "camille@forez.example.org", staff="staff:1") == 1
    with Session(engine) as session:
        assert session.exec(select(Application)).all() == []
        assert session.exec(select(Notification)).all() == []
        erased = session.exec(select(AuditEvent).where(AuditEvent.action == "erased")).one()
    assert erased.entity_id == submitted.application_id
    assert "camille" not in erased.after and privacy.pseudonym("camille@forez.example.org") in erased.after


def test_applications_past_retention_are_purged(engine):
    slot = make_slot(engine)
    showcase.submit_application(engine, form([slot]), submission_key="k")
    assert privacy.purge_expired(engine) == 0
    assert privacy.purge_expired(engine, now=utcnow() + showcase.RETENTION + timedelta(days=1)) == 1


def test_proposers_are_in_the_export_and_forgotten_after_a_year(engine):
    from directory import listings
    from directory.listings import PartnerForm

    listings.propose_partner(engine, PartnerForm(name="Lieu", kind="coworking", short_description="Un lieu."),
                             proposer_name="Camille", proposer_email="camille@forez.example.org")
    data = json.loads(privacy.applicant_data(engine, "camille@forez.example.org"))
    assert data["proposed_listings"][0]["name"] == "Lieu"
    privacy.purge_expired(engine, now=utcnow() + showcase.RETENTION + timedelta(days=1))
    assert json.loads(privacy.applicant_data(engine, "camille@forez.example.org"))["proposed_listings"] == []
