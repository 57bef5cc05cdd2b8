import pytest

from directory import listings
from directory.listings import PartnerFilters, PartnerForm, read_shared_link
from directory.validation import FormErrors
from tests.conftest import partner_row


@pytest.fixture
def directory_rows(engine):
    listings.insert_partners(engine, [
        partner_row(name="École du Design", kind="school", sectors="design; formation",
                    networks="French Tech", short_description="Former au design."),
        partner_row(name="Forez Robotique", kind="startup", sectors="robotique",
                    networks="Digital League; French Tech", description="Des cobots pour l'industrie."),
        partner_row(name="Data Sainté", kind="startup", sectors="données", networks="Digital League",
                    latitude=None, longitude=None, precision="unknown"),
        partner_row(name="Projet caché", kind="startup", state="proposed"),
        partner_row(name="Ancien lieu", kind="coworking", state="archived"),
    ])
    return listings.load_published(engine)


def test_only_published_partners_are_public(directory_rows):
    assert sorted(directory_rows["name"]) == ["Data Sainté", "Forez Robotique", "École du Design"]


@pytest.mark.parametrize("filters, expected", [
    (PartnerFilters(), {"École du Design", "Forez Robotique", "Data Sainté"}),
    (PartnerFilters(kinds=("startup",)), {"Forez Robotique", "Data Sainté"}),
    (PartnerFilters(networks=("digital league",)), {"Forez Robotique", "Data Sainté"}),
    (PartnerFilters(networks=("French Tech",), kinds=("startup",)), {"Forez Robotique"}),
    (PartnerFilters(sectors=("Design",)), {"École du Design"}),
    (PartnerFilters(text="ecole"), {"École du Design"}),
    (PartnerFilters(text="COBOTS industrie"), {"Forez Robotique"}),
    (PartnerFilters(text="nothing-matches"), set()),
])
def test_filters_combine_kinds_networks_sectors_and_accent_free_search(directory_rows, filters, expected):
    assert set(listings.filter_partners(directory_rows, filters)["name"]) == expected


def test_filters_round_trip_through_the_url():
    filters = PartnerFilters(kinds=("startup", "school"), networks=("Digital League",),
                             sectors=("design",), text="robot")
    def read(params: dict[str, str]) -> PartnerFilters:
        return read_shared_link({name: [value] for name, value in params.items()}, networks={"Digital League"},
                                sectors={"design"}, strict=False).filters

    assert read(filters.to_query_params()) == filters
    assert read({"kinds": "startup,<script>", "q": "x" * 500}) == PartnerFilters(kinds=("startup",), text="x" * 200)


def test_tag_values_are_distinct_and_sorted(directory_rows):
    assert listings.tag_values(directory_rows, "networks") == ["Digital League", "French Tech"]


def test_sorting_ignores_accents_and_case(directory_rows):
    ordered = listings.sort_partners(directory_rows, "name")["name"].tolist()
    assert ordered == ["Data Sainté", "École du Design", "Forez Robotique"]
    assert listings.sort_partners(directory_rows, "name", descending=True)["name"].iloc[0] == "Forez Robotique"


def test_a_map_click_finds_the_partner_by_name_among_neighbours(engine):
    listings.insert_partners(engine, [
        partner_row(name="Village", latitude=45.451, longitude=4.386),
        partner_row(name="Hôtel d'entreprises", latitude=45.451, longitude=4.386),
        partner_row(name="Loin", latitude=45.2, longitude=4.1),
    ])
    frame = listings.load_published(engine)
    assert listings.partner_at(frame, 45.451, 4.386, "Hôtel d'entreprises")["name"] == "Hôtel d'entreprises"
    assert listings.partner_at(frame, 45.21, 4.11, None)["name"] == "Loin"


def test_a_proposal_is_stored_hidden_until_published(engine):
    new_id = listings.propose_partner(
        engine, PartnerForm(name="Le Fil Rouge", kind="coworking", short_description="Un tiers-lieu.",
                            website="lefilrouge.fr", latitude="45.44", longitude="4.39"),
        proposer_name="Camille", proposer_email="camille@exemple.fr").number
    assert new_id > 0
    assert listings.count_partners(engine, state="proposed") == 1
    assert listings.load_published(engine).empty


def test_a_faulty_proposal_reports_each_field_and_writes_nothing(engine):
    with pytest.raises(FormErrors) as failed:
        listings.propose_partner(
            engine, PartnerForm(name="", kind="castle", short_description="ok",
                                website="javascript:alert(1)", latitude="nan", longitude="4"),
            proposer_name="", proposer_email="not-an-email")
    assert set(failed.value.errors) == {"name", "kind", "website", "position", "proposer_email"}
    assert listings.count_partners(engine) == 0


def test_the_data_version_changes_with_every_write(engine):
    before = listings.data_version(engine)
    listings.insert_partners(engine, [partner_row()])
    assert listings.data_version(engine) != before


def test_after_each_write_the_cached_directory_equals_a_full_reload(engine):
    """The next reader after a write reads only the changed rows: the result must not differ."""
    import pandas.testing

    from directory.listings import PartnerForm

    listings.insert_partners(engine, [partner_row(name=f"Partenaire {i}", networks="Digital League")
                                      for i in range(5)] + [partner_row(name="Digital League", kind="cluster")])

    def same_as_full_reload():
        cached = listings.published_partners(engine, listings.data_version(engine))
        pandas.testing.assert_frame_equal(cached.reset_index(drop=True), listings.load_published(engine),
                                          check_dtype=False)

    same_as_full_reload()
    listings.archive_partner(engine, 2, staff="staff:1")
    same_as_full_reload()
    listings.update_partner(engine, 3, PartnerForm(name="Zéphyr Robotique", kind="startup",
                                                   short_description="Renommée."), staff="staff:1")
    same_as_full_reload()
    listings.restore_partner(engine, 2, staff="staff:1")
    listings.insert_partners(engine, [partner_row(name="Arrivée", networks="Digital League")])
    same_as_full_reload()
    # Other names of a network reach its members' search text.
    listings.update_partner(engine, 6, PartnerForm(name="Digital League", kind="cluster", short_description="Cluster.",
                                                   other_names="Digital Ligue"), staff="staff:1")
    same_as_full_reload()
    found = listings.filter_partners(listings.published_partners(engine, listings.data_version(engine)),
                                     listings.PartnerFilters(text="digital ligue"))
    assert len(found) == 6  # the cluster and its members (the renamed one left the network)
