"""Relations between organisations (issue 19, item 6): written by staff, read from both ends,
filtered through the shareable link, in the open data and the partner pages, on both engines."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import update
from sqlmodel import Session

from directory import listings
from directory.listings import PartnerFilters, exports, read_shared_link
from directory.listings.relations import (
    RelationExists,
    add_relation,
    parent_names,
    relation_lines,
    relations_of,
    remove_relation,
    schema_org_relations,
)
from directory.models import ListingState, Partner, RelationKind
from directory.validation import FormErrors, Invalid
from tests.conftest import partner_row


def _(text, **params):
    return text.format(**params) if params else text


@pytest.fixture
def ecosystem(engine):
    listings.insert_partners(engine, [partner_row(name="Le Village", kind="incubator"),
                                      partner_row(name="Forez Robotique"), partner_row(name="Sainté Data Lab"),
                                      partner_row(name="Digital League", kind="cluster")])
    return engine, 1, 2, 3, 4


def shown(engine, filters):
    return list(listings.filtered_partners(engine, listings.data_version(engine), filters)["name"])


def test_a_relation_reads_from_both_ends_and_filters_the_map(ecosystem):
    engine, village, robotique, data_lab, league = ecosystem
    add_relation(engine, robotique, RelationKind.INCUBATED_BY, village, staff="staff:1 Zoé")
    add_relation(engine, data_lab, RelationKind.INCUBATED_BY, village, staff="staff:1 Zoé")
    add_relation(engine, robotique, RelationKind.MEMBER_OF, league, staff="staff:1 Zoé")
    outgoing, incoming = relations_of(engine, robotique)
    assert [(r.kind, r.name) for r in outgoing] == [("incubated_by", "Le Village"), ("member_of", "Digital League")]
    _outgoing, incoming = relations_of(engine, village)
    assert [r.name for r in incoming] == ["Forez Robotique", "Sainté Data Lab"]
    lines = relation_lines(village, [], incoming, _, listing_at=lambda r: f"/p/{r.slug}", filtered_map=lambda k: k)
    assert [(line.label, [name for name, _href in line.links], line.on_map) for line in lines] == [
        ("Startups incubées ici", ["Forez Robotique", "Sainté Data Lab"], f"incubated_by:{village}")]
    assert shown(engine, PartnerFilters(relation=f"incubated_by:{village}")) == ["Forez Robotique", "Sainté Data Lab"]
    assert shown(engine, PartnerFilters(relation=f"member_of:{league}", text="forez")) == ["Forez Robotique"]

    remove_relation(engine, outgoing[0].relation_id, staff="staff:1 Zoé")
    assert shown(engine, PartnerFilters(relation=f"incubated_by:{village}")) == ["Sainté Data Lab"]


def test_only_published_listings_are_named(ecosystem):
    engine, village, robotique, *_rest = ecosystem
    add_relation(engine, robotique, RelationKind.INCUBATED_BY, village, staff="cli")
    assert parent_names(engine) == {robotique: "Le Village"}
    with Session(engine) as session, session.begin():
        session.execute(update(Partner).where(Partner.id == village).values(state=ListingState.ARCHIVED))
    assert relations_of(engine, robotique) == ([], [])
    assert parent_names(engine) == {}
    assert list(listings.filtered_partners(engine, listings.data_version(engine), PartnerFilters())
                .set_index("name")["relations"]) == [(), (), ()]  # the cached view forgot it too


def test_wrong_relations_are_refused_with_a_reason(ecosystem):
    engine, village, robotique, *_rest = ecosystem
    for kind, other, field in (("adopted_by", village, "relation_kind"), ("member_of", robotique, "relation_other"),
                               ("member_of", None, "relation_other"), ("member_of", 99, "relation_other")):
        with pytest.raises(FormErrors) as refused:
            add_relation(engine, robotique, kind, other, staff="cli")
        assert set(refused.value.errors) == {field}
    add_relation(engine, robotique, "member_of", village, staff="cli")
    with pytest.raises(RelationExists):
        add_relation(engine, robotique, "member_of", village, staff="cli")


def test_the_shared_link_and_the_open_data_carry_relations(ecosystem):
    engine, village, robotique, *_rest = ecosystem
    add_relation(engine, robotique, RelationKind.INCUBATED_BY, village, staff="cli")
    link = read_shared_link({"relation": [f"incubated_by:{village}"]}, networks=[], sectors=[])
    assert link.filters.relation == f"incubated_by:{village}"
    assert link.filters.to_query_params() == {"relation": f"incubated_by:{village}"}
    for wrong in ("incubated_by", "adopted_by:1", "incubated_by:x", "incubated_by:1:2"):
        with pytest.raises(Invalid):
            read_shared_link({"relation": [wrong]}, networks=[], sectors=[])
        assert read_shared_link({"relation": [wrong]}, networks=[], sectors=[], strict=False).ignored
    frame = listings.filtered_partners(engine, listings.data_version(engine), link.filters)
    [record] = json.loads(exports.partners_json(frame, base_url="http://v.test/"))["partners"]
    assert record["relations"] == [{"relation": "incubated_by", "id": village, "name": "Le Village"}]
    [feature] = json.loads(exports.partners_geojson(frame))["features"]
    assert feature["properties"]["relations"] == record["relations"]
    outgoing, _incoming = relations_of(engine, robotique)
    assert schema_org_relations(outgoing, lambda r: f"http://v.test/partenaires/{r.slug}") == {
        "memberOf": [{"@type": "Organization", "name": "Le Village", "url": "http://v.test/partenaires/le-village"}]}
