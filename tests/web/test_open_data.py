import csv
import io
import json

import geojson
import pytest

from directory import listings
from directory.listings import PartnerFilters
from tests.conftest import partner_row

DIRECTORY = [
    partner_row(name="Cité du design", kind="public_body", sectors="design; culture", city="Saint-Étienne"),
    partner_row(name="Forez Robotique", kind="startup", sectors="robotique; IoT", networks="French Tech"),
    partner_row(name="Zèbre Capteurs", kind="startup", sectors="IoT", city="Firminy", latitude=None, longitude=None,
                precision="unknown"),
    partner_row(name="Design Tech Académie", kind="school", sectors="design; formation", networks="Digital League"),
    partner_row(name="=HYPERLINK(\"http://x\")", kind="association", sectors="culture"),
]
# Shareable map links, as the explore page writes them, and the filters and order they stand for.
LINKS = {
    "": (PartnerFilters(), "name", False),
    "kinds=startup": (PartnerFilters(kinds=("startup",)), "name", False),
    "kinds=startup,school&sectors=IoT": (PartnerFilters(kinds=("startup", "school"), sectors=("IoT",)), "name", False),
    "q=design&sort=city&order=desc": (PartnerFilters(text="design"), "city", True),
    "networks=French%20Tech&lang=en&page=1&partner=2": (PartnerFilters(networks=("French Tech",)), "name", False),
}


@pytest.fixture
def directory(engine):
    listings.insert_partners(engine, DIRECTORY)
    return engine


def expected_ids(engine, filters, sort, descending):
    everyone = listings.load_published(engine)
    return list(listings.sort_partners(listings.filter_partners(everyone, filters), sort, descending=descending)["id"])


@pytest.mark.parametrize("query", list(LINKS))
def test_every_format_returns_exactly_the_rows_the_map_and_list_show(site, directory, query):
    wanted = expected_ids(directory, *LINKS[query])
    exported = site.get(f"/donnees/partenaires.csv?{query}").content.decode("utf-8-sig")
    csv_rows = list(csv.DictReader(io.StringIO(exported)))
    collection = site.get(f"/donnees/partenaires.geojson?{query}").json()
    records = site.get(f"/donnees/partenaires.json?{query}").json()
    assert [int(row["id"]) for row in csv_rows] == wanted
    assert [feature["properties"]["id"] for feature in collection["features"]] == wanted
    assert [record["id"] for record in records["partners"]] == wanted and records["count"] == len(wanted)


def test_the_map_rows_are_the_same_set_as_the_open_data(site, directory):
    rows = site.get("/carte/partenaires.json?v=abc&kinds=startup").json()
    collection = site.get("/donnees/partenaires.geojson?kinds=startup").json()
    assert sorted(row[2] for row in rows) == sorted(
        f["properties"]["name"] for f in collection["features"] if f["geometry"])


def test_geojson_is_valid_rfc_7946_with_the_licence(site, directory):
    response = site.get("/donnees/partenaires.geojson")
    assert response.headers["content-type"] == "application/geo+json"
    collection = geojson.loads(response.text)
    assert collection.is_valid, collection.errors()
    assert collection["licence"].startswith("Licence Ouverte")
    unplaced = [f for f in collection["features"] if f["properties"]["name"] == "Zèbre Capteurs"]
    assert unplaced[0]["geometry"] is None
    placed = next(f for f in collection["features"] if f["properties"]["name"] == "Cité du design")
    assert placed["geometry"]["coordinates"] == [4.3903, 45.4347]  # longitude first
    assert placed["properties"]["url"] == "http://vitrine.test/partenaires/cite-du-design"


def test_csv_is_utf8_with_a_bom_and_formula_safe(site, directory):
    body = site.get("/donnees/partenaires.csv").content
    assert body.startswith("\ufeff".encode())
    names = [row["name"] for row in csv.DictReader(io.StringIO(body.decode("utf-8-sig")))]
    assert "'=HYPERLINK(\"http://x\")" in names


def test_open_data_may_be_fetched_from_any_site_and_names_its_licence(site, directory):
    response = site.get("/donnees/partenaires.json")
    assert response.headers["access-control-allow-origin"] == "*"
    assert 'rel="license"' in response.headers["link"]
    assert json.loads(response.content)["licence_url"].startswith("https://www.etalab.gouv.fr/")


def test_a_client_that_has_the_data_gets_304_until_it_changes(site, directory):
    first = site.get("/donnees/partenaires.geojson?kinds=startup")
    etag = first.headers["etag"]
    again = site.get("/donnees/partenaires.geojson?kinds=startup", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    other_filters = site.get("/donnees/partenaires.geojson?kinds=school", headers={"If-None-Match": etag})
    assert other_filters.status_code == 200
    listings.insert_partners(directory, [partner_row(name="Nouvelle Startup", kind="startup")])
    changed = site.get("/donnees/partenaires.geojson?kinds=startup", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and "Nouvelle Startup" in changed.text


def test_english_readers_get_english_kind_labels(site, directory):
    records = site.get("/donnees/partenaires.json?kinds=public_body&lang=en").json()["partners"]
    assert records[0]["kind_label"] == "Public body"
    assert records[0]["url"].endswith("/partenaires/cite-du-design?lang=en")


@pytest.mark.parametrize(("query", "message"), [
    ("colour=red", "Paramètre inconnu : « colour »"),
    ("kinds=startup&kinds=school", "donné plusieurs fois"),
    ("kinds=spaceship", "Valeur inconnue pour « kinds » : « spaceship »"),
    ("sectors=astrologie", "Valeur inconnue pour « sectors »"),
    ("sort=price", "Valeur inconnue pour « sort »"),
    ("page=deux", "« page » attend un nombre entier"),
    ("page=%C2%B2", "« page » attend un nombre entier"),  # "²" is a digit to Python's isdigit(), not to int()
    ("partner=0", "« partner » attend un nombre entier"),
    ("lang=de", "Valeur inconnue pour « lang »"),
    ("q=" + "x" * 201, "200 caractères au maximum"),
])
def test_a_wrong_query_is_told_what_is_wrong(site, directory, query, message):
    response = site.get(f"/donnees/partenaires.csv?{query}")
    assert response.status_code == 400
    assert message in response.text


def test_an_english_reader_is_told_in_english(site, directory):
    response = site.get("/donnees/partenaires.geojson?kinds=spaceship&lang=en")
    assert response.status_code == 400 and "Unknown value for “kinds”: “spaceship”" in response.text


def test_an_unknown_format_is_not_found(site, directory):
    assert site.get("/donnees/partenaires.xlsx").status_code == 404


def test_open_now_keeps_the_places_open_at_this_moment_and_is_a_new_answer_each_minute(site, engine, monkeypatch):
    from datetime import datetime

    from directory.clock import PARIS

    listings.insert_partners(engine, [partner_row(name="Toujours", opening_hours="24/7"),
                                      partner_row(name="Jamais", opening_hours="off"),
                                      partner_row(name="Sans horaires")])
    answer = site.get("/donnees/partenaires.json?open_now=1")
    assert [p["name"] for p in answer.json()["partners"]] == ["Toujours"]
    assert answer.json()["partners"][0]["opening_hours"] == "24/7"
    assert len(site.get("/donnees/partenaires.json").json()["partners"]) == 3
    assert site.get("/donnees/partenaires.json?open_now=oui").status_code == 400
    monkeypatch.setattr("directory.web.opendata.utcnow", lambda: datetime(2030, 1, 1, tzinfo=PARIS))
    later = site.get("/donnees/partenaires.json?open_now=1", headers={"If-None-Match": answer.headers["etag"]})
    assert later.status_code == 200  # another minute: not the answer kept from before
