import pytest
from sqlmodel import Session, select

from directory import listings
from directory.listings import ListingConflict, PartnerForm
from directory.models import AuditEvent
from directory.validation import FormErrors
from tests.conftest import partner_row


def propose(engine, name="Le Fil Rouge"):
    return listings.propose_partner(engine, PartnerForm(name=name, kind="coworking",
                                                        short_description="Un tiers-lieu."),
                                    proposer_name="Camille", proposer_email="camille@exemple.fr").number


def actions(engine, partner_id):
    with Session(engine) as session:
        return [e.action for e in session.exec(select(AuditEvent).where(
            AuditEvent.entity == "partner", AuditEvent.entity_id == partner_id).order_by(AuditEvent.id))]


def test_publishing_a_proposal_shows_it_and_is_audited(engine):
    proposal = propose(engine)
    listings.publish_partner(engine, proposal, staff="staff:1")
    assert listings.load_published(engine)["name"].tolist() == ["Le Fil Rouge"]
    assert actions(engine, proposal) == ["published"]
    with pytest.raises(ListingConflict):  # a second click, or a colleague, finds it decided
        listings.publish_partner(engine, proposal, staff="staff:2")


def test_corrections_before_publishing_are_validated(engine):
    proposal = propose(engine)
    with pytest.raises(FormErrors):
        listings.publish_partner(engine, proposal, staff="staff:1",
                                 form=PartnerForm(name="Le Fil Rouge", kind="coworking", short_description="x",
                                                  website="javascript:alert(1)"))
    listings.publish_partner(engine, proposal, staff="staff:1",
                             form=PartnerForm(name="Le Fil Rouge (Sainté)", kind="coworking",
                                              short_description="Un tiers-lieu.", latitude="45.44", longitude="4.39",
                                              precision="approximate"))
    published = listings.load_published(engine).iloc[0]
    assert (published["name"], published["precision"]) == ("Le Fil Rouge (Sainté)", "approximate")


def test_rejecting_needs_a_reason_and_keeps_it_hidden(engine):
    proposal = propose(engine)
    with pytest.raises(FormErrors):
        listings.reject_partner(engine, proposal, staff="staff:1", reason=" ")
    listings.reject_partner(engine, proposal, staff="staff:1", reason="Hors de la Loire")
    assert listings.load_published(engine).empty
    assert listings.get_partner(engine, proposal).rejection_reason == "Hors de la Loire"


def test_a_duplicate_is_merged_into_the_listing_kept(engine):
    listings.insert_partners(engine, [partner_row(name="Le Fil Rouge")])
    kept = int(listings.load_published(engine)["id"].iloc[0])
    duplicate = propose(engine, "Fil Rouge")
    listings.merge_partner(engine, duplicate, into_id=kept, staff="staff:1")
    merged = listings.get_partner(engine, duplicate)
    assert (merged.state, merged.merged_into_id) == ("rejected", kept)
    with pytest.raises(ListingConflict):
        listings.merge_partner(engine, kept, into_id=kept, staff="staff:1")


def test_archive_and_restore(engine):
    created = listings.create_partner(engine, PartnerForm(name="Lieu", kind="coworking", short_description="Un lieu."),
                                      staff="staff:1")
    listings.archive_partner(engine, created, staff="staff:1")
    assert listings.load_published(engine).empty
    with pytest.raises(ListingConflict):
        listings.archive_partner(engine, created, staff="staff:1")
    listings.restore_partner(engine, created, staff="staff:1")
    assert listings.load_published(engine)["name"].tolist() == ["Lieu"]
    assert actions(engine, created) == ["created", "archived", "restored"]


def test_editing_keeps_the_state_and_records_before_and_after(engine):
    created = listings.create_partner(engine, PartnerForm(name="Lieu", kind="coworking", short_description="Un lieu."),
                                      staff="staff:1")
    listings.update_partner(engine, created, PartnerForm(name="Lieu renommé", kind="coworking",
                                                         short_description="Un lieu."), staff="staff:1")
    with Session(engine) as session:
        edit = session.exec(select(AuditEvent).where(AuditEvent.action == "edited")).one()
    assert '"name": "Lieu"' in edit.before and '"name": "Lieu renommé"' in edit.after
    assert listings.get_partner(engine, created).state == "published"


def test_the_proposer_hears_of_publication_and_refusal_in_their_language(engine):
    from directory.models import Notification

    published = listings.propose_partner(engine, PartnerForm(name="Lieu A", kind="coworking", short_description="A."),
                                         proposer_name="Camille", proposer_email="c@exemple.fr", language="en").number
    refused = listings.propose_partner(engine, PartnerForm(name="Lieu B", kind="coworking", short_description="B."),
                                       proposer_name="Dominique", proposer_email="d@exemple.fr").number
    listings.publish_partner(engine, published, staff="staff:1")
    listings.reject_partner(engine, refused, staff="staff:1", reason="Hors de la Loire")
    with Session(engine) as session:
        messages = {n.recipient: n for n in session.exec(select(Notification))}
    assert messages["c@exemple.fr"].subject == "Vitrine: “Lieu A” is on the map"
    assert "Motif : Hors de la Loire" in messages["d@exemple.fr"].body


def test_staff_find_the_listing_to_keep_by_name_and_the_merge_moves_networks_relations_and_addresses(engine):
    """Issue 31: the merge target picker was empty for a namesake typed otherwise."""
    from directory.listings import relations

    listings.insert_partners(engine, [
        partner_row(name="Cité du design", networks="French Tech", website="https://www.citedudesign.com"),
        partner_row(name="Cite du Design", networks="Digital League", website="", latitude=None, longitude=None),
        partner_row(name="Le Mixeur"), partner_row(name="Grande Usine Créative")])
    ids = dict(zip(*(listings.staff_partners(engine)[column] for column in ("name", "id")), strict=True))
    kept, duplicate = ids["Cité du design"], ids["Cite du Design"]
    relations.add_relation(engine, ids["Le Mixeur"], "hosted_at", duplicate, staff="s")
    assert [target.id for target in listings.merge_targets(engine, duplicate)] == [kept]  # its namesake, first
    assert [target.name for target in listings.merge_targets(engine, duplicate, "usine CREATIVE")] == [
        "Cité du design", "Grande Usine Créative"]
    pairs = {pair.name: (pair.merged, pair.kept) for pair in listings.merge_comparison(engine, duplicate, kept)}
    assert pairs["website"] == ("", "https://www.citedudesign.com") and "kind" not in pairs
    old_slug = listings.get_partner(engine, duplicate).slug
    listings.merge_partner(engine, duplicate, into_id=kept, staff="staff:1", take=("name",))
    merged = listings.get_partner(engine, kept)
    assert (merged.name, merged.networks) == ("Cite du Design", "French Tech; Digital League")
    assert listings.partner_by_slug(engine, old_slug).id == kept  # the old address leads to the kept listing
    outgoing, _incoming = relations.relations_of(engine, ids["Le Mixeur"])
    assert [(related.kind, related.partner_id) for related in outgoing] == [("hosted_at", kept)]
    assert [(m.absorbed, m.other_id) for m in listings.merges(engine, kept)] == [(True, duplicate)]
    assert [(m.absorbed, m.other_id) for m in listings.merges(engine, duplicate)] == [(False, kept)]
    assert listings.history(engine, kept)[0].origin == f"merge:{duplicate}"
