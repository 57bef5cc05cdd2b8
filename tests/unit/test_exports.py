import csv
import io
import json
from datetime import UTC, datetime, timedelta

import pandas as pd

from directory import exports, imports, partners
from directory.showcase import ATELIER_POSITION
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
    partners.insert_partners(engine, [partner_row(name="Aller-retour", sectors="design; IoT",
                                                  website="https://exemple.fr", description="<b>=1</b>")])
    exported = exports.partners_csv(partners.load_published(engine))
    preview = imports.read_partner_csv(exported)
    assert not preview.invalid_rows
    values = preview.rows[0].values
    assert (values["name"], values["sectors"], values["website"]) == ("Aller-retour", "design; IoT", "https://exemple.fr")


def show(number, starts_at, *, theme="", startups=(), cancelled=False, sequence=0):
    return {"id": number, "starts_at": starts_at, "ends_at": starts_at + timedelta(hours=3), "theme": theme,
            "startups": list(startups), "cancelled": cancelled, "sequence": sequence,
            "last_modified": datetime(2026, 11, 20, 9, tzinfo=UTC)}


def test_the_calendar_feed_reads_back_in_another_library():
    import ics

    shows = [show(1, datetime(2026, 12, 2, 13, tzinfo=UTC), theme="Santé", startups=[
                 {"organisation": "Kiosque, Santé; \\ <b>", "pitch_summary": "Téléconsultation"}]),
             show(2, datetime(2026, 12, 9, 13, tzinfo=UTC))]
    parsed = ics.Calendar(exports.showcases_ics(shows, "fr", base_url="https://vitrine.example/").decode())
    events = sorted(parsed.events, key=lambda e: e.begin)
    assert [e.name for e in events] == ["Vitrine des startups — Santé", "Vitrine des startups"]
    assert events[0].begin.datetime == shows[0]["starts_at"] and events[0].end.datetime == shows[0]["ends_at"]
    assert "Kiosque, Santé; \\ <b> : Téléconsultation" in events[0].description
    assert "place Jean-Moulin" in events[0].location
    assert events[0].url == "https://vitrine.example/vitrines/1"
    assert len({e.uid for e in events}) == 2


def test_a_subscribed_calendar_sees_a_moved_or_cancelled_showcase_as_the_same_event_changed():
    import icalendar

    before = show(1, datetime(2026, 12, 2, 13, tzinfo=UTC))
    after = {**before, "cancelled": True, "sequence": 1, "last_modified": datetime(2026, 11, 25, 8, tzinfo=UTC)}
    feeds = [icalendar.Calendar.from_ical(exports.showcases_ics([s], "en", base_url="https://v.example/"))
             for s in (before, after)]
    first, second = [next(iter(feed.walk("VEVENT"))) for feed in feeds]
    assert first["UID"] == second["UID"]
    assert (int(first["SEQUENCE"]), str(first["STATUS"])) == (0, "CONFIRMED")
    assert (int(second["SEQUENCE"]), str(second["STATUS"])) == (1, "CANCELLED")
    assert second.decoded("LAST-MODIFIED") > first.decoded("LAST-MODIFIED")
    assert (second["GEO"].latitude, second["GEO"].longitude) == ATELIER_POSITION
    assert str(feeds[1]["X-WR-CALNAME"]) == "Startup showcases — Atelier Numérique"
    assert str(second["URL"]) == "https://v.example/vitrines/1?lang=en"


def test_the_feed_is_the_same_bytes_for_the_same_data():
    shows = [show(1, datetime(2026, 12, 2, 13, tzinfo=UTC))]
    assert exports.showcases_ics(shows, "fr", base_url="x/") == exports.showcases_ics(shows, "fr", base_url="x/")


def test_geojson_and_json_carry_the_licence_and_each_partner_page():
    partner = frame(name="Cité du design", kind="public_body")
    geojson = json.loads(exports.partners_geojson(partner, base_url="https://v.example/", language="en"))
    records = json.loads(exports.partners_json(partner, base_url="https://v.example/"))
    assert geojson["licence"] == records["licence"] == "Licence Ouverte / Open Licence 2.0 (Etalab)"
    properties = geojson["features"][0]["properties"]
    assert properties["url"] == "https://v.example/partenaires/partenaire?lang=en"
    assert properties["kind_label"] == "Public body"
    assert records["count"] == 1 and records["partners"][0]["kind_label"] == "Organisme public"
