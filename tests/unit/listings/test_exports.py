import csv
import io
import json

import pandas as pd

from directory import listings
from directory.listings import exports, imports
from tests.conftest import partner_row


def frame(**values) -> pd.DataFrame:
    row = {"id": 1, "short_description_en": "", "description_en": "", "last_verified": None, "slug": "partenaire",
           **partner_row(**values)}
    return pd.DataFrame([row])


def test_csv_cells_that_a_spreadsheet_would_run_are_neutralised():
    data = exports.partners_csv(frame(name="=HYPERLINK(\"http://x\")", description="+33 4 77",
                                      sectors="-1", address="@SUM(A1)", longitude=-1.5))
    row = next(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert row["name"].startswith("'=")
    assert row["description"] == "'+33 4 77"
    assert row["sectors"] == "'-1"
    assert row["address"] == "'@SUM(A1)"
    assert row["longitude"] == "-1.5"  # numbers stay numbers


def test_csv_starts_with_a_bom_so_spreadsheets_read_utf8():
    assert exports.partners_csv(frame(name="Cité du design")).startswith("\ufeff".encode())


def test_geojson_is_a_feature_collection_with_unplaced_partners_unlocated():
    data = json.loads(exports.partners_geojson(pd.concat([
        frame(name="Placé", latitude=45.43, longitude=4.39),
        frame(name="Sans position", latitude=None, longitude=None)])))
    assert data["type"] == "FeatureCollection"
    placed, unplaced = data["features"]
    assert placed["geometry"] == {"type": "Point", "coordinates": [4.39, 45.43]}
    assert placed["properties"]["name"] == "Placé"
    assert unplaced["geometry"] is None


def test_an_export_imports_back_unchanged(engine):
    listings.insert_partners(engine, [partner_row(name="Aller-retour", sectors="design; IoT",
                                                  website="https://exemple.fr", description="<b>=1</b>")])
    exported = exports.partners_csv(listings.load_published(engine))
    preview = imports.read_partner_csv(exported)
    assert not preview.invalid_rows
    values = preview.rows[0].values
    assert (values["name"], values["sectors"], values["website"]) == ("Aller-retour", "design; IoT", "https://exemple.fr")


def test_geojson_and_json_carry_the_licence_and_each_partner_page():
    partner = frame(name="Cité du design", kind="public_body")
    geojson = json.loads(exports.partners_geojson(partner, base_url="https://v.example/", language="en"))
    records = json.loads(exports.partners_json(partner, base_url="https://v.example/"))
    assert geojson["licence"] == records["licence"] == "Licence Ouverte / Open Licence 2.0 (Etalab)"
    properties = geojson["features"][0]["properties"]
    assert properties["url"] == "https://v.example/partenaires/partenaire?lang=en"
    assert properties["kind_label"] == "Public body"
    assert records["count"] == 1 and records["partners"][0]["kind_label"] == "Organisme public"
