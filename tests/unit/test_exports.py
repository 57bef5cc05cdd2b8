import csv
import io
import json

import pandas as pd

from directory import exports, imports, partners
from tests.conftest import partner_row


def frame(**values) -> pd.DataFrame:
    row = {"id": 1, "short_description_en": "", "description_en": "", "last_verified": None, **partner_row(**values)}
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
    partners.insert_partners(engine, [partner_row(name="Aller-retour", sectors="design; IoT",
                                                  website="https://exemple.fr", description="<b>=1</b>")])
    exported = exports.partners_csv(partners.load_published(engine))
    preview = imports.read_partner_csv(exported)
    assert not preview.invalid_rows
    values = preview.rows[0].values
    assert (values["name"], values["sectors"], values["website"]) == ("Aller-retour", "design; IoT", "https://exemple.fr")


def test_the_calendar_feed_reads_back_in_another_library():
    from datetime import UTC, datetime

    import ics

    shows = [
        {"id": 1, "starts_at": datetime(2026, 12, 2, 13, tzinfo=UTC), "ends_at": datetime(2026, 12, 2, 16, tzinfo=UTC),
         "theme": "Santé", "startups": [{"organisation": "Kiosque, Santé; \\ <b>", "pitch_summary": "Téléconsultation"}]},
        {"id": 2, "starts_at": datetime(2026, 12, 9, 13, tzinfo=UTC), "ends_at": datetime(2026, 12, 9, 16, tzinfo=UTC),
         "theme": "", "startups": []},
    ]
    parsed = ics.Calendar(exports.showcases_ics(shows, "fr").decode())
    events = sorted(parsed.events, key=lambda e: e.begin)
    assert [e.name for e in events] == ["Vitrine des startups — Santé", "Vitrine des startups"]
    assert events[0].begin.datetime == shows[0]["starts_at"] and events[0].end.datetime == shows[0]["ends_at"]
    assert "Kiosque, Santé; \\ <b> : Téléconsultation" in events[0].description
    assert "place Jean-Moulin" in events[0].location
    assert len({e.uid for e in events}) == 2
