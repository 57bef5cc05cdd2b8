"""External sources kept in step (issue 19, item 1): files and a local HTTP server, every failure,
a mapping, idempotence, rows gone and back, trusted and untrusted, on both engines."""

from __future__ import annotations

import json
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from sqlalchemy import func, select
from sqlmodel import Session

from directory import cli, sources
from directory.listings import history
from directory.listings.changes import decide_change, review_change
from directory.models import ListingChange, ListingState, Notification, Partner, SourceFormat, SourceRecord
from directory.seed import DEMO_SOURCE_NAME
from directory.sources import SourceBusy, SourceForm, add_source, gone_listings, sync_due_sources, sync_source
from directory.validation import FormErrors

HEADER = "N° adhérent;Raison sociale;Activité;Site internet;Latitude;Longitude\n"
MAPPING = {"name": "Raison sociale", "short_description": "Activité", "website": "Site internet",
           "latitude": "Latitude", "longitude": "Longitude"}
ROWS = {
    "A1": "A1;Atelier Pixel;Applications mobiles.;https://pixel.example.org;45.4381;4.3897\n",
    "A2": "A2;Loire Cloud;Hébergement de données.;https://cloud.example.org;45.4731;4.3765\n",
    "A3": "A3;Coop'Code;Développeurs web.;https://coopcode.example.org;45.4402;4.3851\n",
}


def member_list(*ids: str, **replaced: str) -> bytes:
    return (HEADER + "".join(replaced.get(row_id, ROWS[row_id]) for row_id in ids)).encode()


def add_members(engine, data: bytes, *, trusted: bool = False, url: str = "") -> int:
    return add_source(engine, SourceForm(name="Membres", file=None if url else data, url=url,
                                         format=SourceFormat.MAPPED_CSV, id_column="N° adhérent", mapping=MAPPING,
                                         default_kind="cluster", interval_hours=24, trusted=trusted),
                      staff="staff:1 Zoé")


def replace_file(engine, source_id: int, data: bytes) -> None:
    sources.replace_file(engine, source_id, data, staff="staff:1 Zoé")


def partners(engine) -> dict[str, Partner]:
    with Session(engine) as session:
        return {partner.name: partner for partner in session.execute(select(Partner)).scalars()}


def test_an_untrusted_source_proposes_its_rows_and_a_second_run_changes_nothing(engine):
    source_id = add_members(engine, member_list("A1", "A2", "A3"))
    run = sync_source(engine, source_id, actor="staff:1 Zoé")
    assert (run.ok, run.added, run.changed, run.gone, run.refused, run.unchanged) == (True, 3, 0, 0, 0, 0)
    listed = partners(engine)
    assert {listed[name].state for name in ("Atelier Pixel", "Loire Cloud", "Coop'Code")} == {ListingState.PROPOSED}
    assert listed["Atelier Pixel"].kind == "cluster" and listed["Atelier Pixel"].source == "Membres"
    assert history(engine, listed["Atelier Pixel"].id)[0].author == "source:Membres"

    again = sync_source(engine, source_id, actor="vitrine")
    assert (again.ok, again.added, again.changed, again.gone, again.unchanged) == (True, 0, 0, 0, 3)
    assert {name: partner.version for name, partner in partners(engine).items()} == \
        {name: partner.version for name, partner in listed.items()}


def test_a_trusted_source_publishes_versions_and_flags_rows_gone_without_deleting(engine):
    source_id = add_members(engine, member_list("A1", "A2"), trusted=True)
    sync_source(engine, source_id, actor="cli")
    pixel = partners(engine)["Atelier Pixel"]
    assert pixel.state == ListingState.PUBLISHED and pixel.last_verified is not None

    moved = "A1;Atelier Pixel;Applications mobiles et web.;https://pixel.example.org;45.4381;4.3897\n"
    replace_file(engine, source_id, member_list("A1", A1=moved))
    run = sync_source(engine, source_id, actor="cli")
    assert (run.changed, run.gone, run.unchanged) == (1, 1, 0)
    report = json.loads(run.report)
    assert report["changed"] == [{"id": "A1", "partner": pixel.id, "name": "Atelier Pixel",
                                  "fields": ["short_description"], "applied": True}]
    assert report["gone"][0]["name"] == "Loire Cloud"
    latest = history(engine, pixel.id)[0]
    assert (latest.author, latest.origin, latest.fields) == ("source:Membres", f"source:{source_id}",
                                                              ["short_description"])
    assert partners(engine)["Loire Cloud"].state == ListingState.PUBLISHED  # flagged, never deleted
    assert [row.name for row in gone_listings(engine)] == ["Loire Cloud"]

    replace_file(engine, source_id, member_list("A1", "A2", A1=moved))
    back = sync_source(engine, source_id, actor="cli")
    assert (back.added, back.changed, back.gone, back.unchanged) == (0, 0, 0, 2)
    assert json.loads(back.report)["back"][0]["name"] == "Loire Cloud"
    assert gone_listings(engine) == []


def test_an_untrusted_change_waits_for_staff_once_and_staff_accept_it_without_an_email(engine):
    source_id = add_members(engine, member_list("A1"))
    sync_source(engine, source_id, actor="cli")
    with Session(engine) as session, session.begin():  # staff published the proposal
        partner = session.execute(select(Partner)).scalar_one()
        partner.state = ListingState.PUBLISHED
    for text in ("Applications mobiles et web.", "Applications, web et bornes."):
        replace_file(engine, source_id, member_list(
            "A1", A1=f"A1;Atelier Pixel;{text};https://pixel.example.org;45.4381;4.3897\n"))
        run = sync_source(engine, source_id, actor="cli")
        assert json.loads(run.report)["changed"][0]["applied"] is False
    with Session(engine) as session:
        [change] = session.execute(select(ListingChange)).scalars().all()  # replaced, not stacked
        assert json.loads(change.proposed) == {"short_description": "Applications, web et bornes."}
    assert partners(engine)["Atelier Pixel"].short_description == "Applications mobiles."
    assert review_change(engine, change.id).source == "Membres"
    decide_change(engine, change.id, accept=("short_description",), staff="staff:1 Zoé",
                  expected=partners(engine)["Atelier Pixel"].version)
    assert partners(engine)["Atelier Pixel"].short_description == "Applications, web et bornes."
    with Session(engine) as session:
        assert session.execute(select(func.count()).select_from(Notification)).scalar() == 0
    assert sync_source(engine, source_id, actor="cli").unchanged == 1  # in step: nothing proposed again


def test_refused_rows_are_listed_with_their_reasons_and_the_others_go_in(engine):
    data = member_list("A1") + (
        "A2;Loire Cloud;Hébergement.;pas une adresse;45.47;4.37\n"
        ";Sans numéro;Rien.;;;\n"
        "A1;Atelier Pixel bis;Doublon d'identifiant.;;;\n").encode()
    run = sync_source(engine, add_members(engine, data), actor="cli")
    assert (run.added, run.refused) == (1, 3)
    refused = {row["line"]: row for row in json.loads(run.report)["refused"]}
    assert set(refused[3]["errors"]) == {"website"} and set(refused[4]["errors"]) == {"id"}
    assert sources.refusal_reasons(refused[5], "fr") == "Identifiant : Identifiant « A1 » déjà celui de la ligne 2."
    assert sources.refusal_reasons(refused[4], "en") == "Identifier: Empty identifier (column “N° adhérent”)."
    assert sources.refusal_reasons(refused[3], "fr").startswith("Site web : ")


def test_a_row_like_a_live_listing_is_proposed_even_from_a_trusted_source(engine):
    first = add_members(engine, member_list("A1"), trusted=True)
    sync_source(engine, first, actor="cli")
    second = add_source(engine, SourceForm(name="Pépinière", file=member_list("A1"), format=SourceFormat.MAPPED_CSV,
                                           id_column="N° adhérent", mapping=MAPPING, default_kind="startup",
                                           trusted=True), staff="cli")
    run = sync_source(engine, second, actor="cli")
    [added] = json.loads(run.report)["added"]
    assert (added["state"], added["looks_like"]) == ("proposed", "Atelier Pixel")


def test_a_geojson_source_reads_its_points(engine):
    collection = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "id": 7, "geometry": {"type": "Point", "coordinates": [4.3897, 45.4381]},
         "properties": {"name": "Atelier Pixel", "kind": "startup", "sectors": ["mobile", "commerce"]}}]}
    source_id = add_source(engine, SourceForm(name="Carte", file=json.dumps(collection).encode(),
                                              format=SourceFormat.GEOJSON, id_column="id"), staff="cli")
    assert sync_source(engine, source_id, actor="cli").added == 1
    pixel = partners(engine)["Atelier Pixel"]
    assert (pixel.latitude, pixel.longitude, pixel.sectors) == (45.4381, 4.3897, "mobile; commerce")


class _Answers(BaseHTTPRequestHandler):
    routes: dict[str, tuple[int, str, bytes]] = {}

    def do_GET(self):  # noqa: N802 (http.server's name)
        if self.path == "/slow.csv":  # a byte every 0.2 s: each read is quick, the whole is not
            self.send_response(200)
            self.send_header("Content-Type", "text/csv")
            self.end_headers()
            for byte in HEADER.encode() * 3:
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
                time.sleep(0.2)
            return
        status, content_type, body = self.routes.get(self.path, (404, "text/plain", b"not found"))
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def web_source(monkeypatch):
    monkeypatch.setenv("VITRINE_SOURCES_ALLOW_INTERNAL", "1")  # the test server is on this machine
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Answers)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}", _Answers.routes
    server.shutdown()
    _Answers.routes.clear()


def test_a_source_over_http_in_utf16_and_windows_1252(engine, web_source):
    base, routes = web_source
    routes["/utf16.csv"] = (200, "text/csv", member_list("A1", "A2").decode().encode("utf-16"))
    routes["/cp1252.csv"] = (200, "text/csv; charset=windows-1252", member_list("A3").decode().encode("cp1252"))
    for path, added in (("/utf16.csv", 2), ("/cp1252.csv", 1)):
        source_id = add_source(engine, SourceForm(name=path, url=base + path, format=SourceFormat.MAPPED_CSV,
                                                  id_column="N° adhérent", mapping=MAPPING,
                                                  default_kind="cluster"), staff="cli")
        assert sync_source(engine, source_id, actor="cli").added == added
    assert partners(engine)["Coop'Code"].short_description == "Développeurs web."


@pytest.mark.parametrize(("path", "reason"), [
    ("/missing.csv", "404"),
    ("/page.html", "page web"),
    ("/large.csv", "trop volumineuse"),
    ("/renamed.csv", "absentes : Raison sociale"),
    ("/empty.csv", "aucune ligne"),
    ("/unreachable", "Source injoignable : 127.0.0.1 refuse la connexion"),  # the system's words, in French
    ("/slow.csv", "127.0.0.1 ne répond pas après 1 s"),
])
def test_a_failing_source_changes_nothing_and_says_why(engine, web_source, path, reason, monkeypatch):
    monkeypatch.setenv("VITRINE_FETCH_SECONDS", "1")
    base, routes = web_source
    routes["/page.html"] = (200, "text/html", b"<!doctype html><title>Membres</title>")
    routes["/large.csv"] = (200, "text/csv", HEADER.encode() + b"x" * (sources.MAX_SOURCE_BYTES + 1))
    routes["/renamed.csv"] = (200, "text/csv", member_list("A1").replace(b"Raison sociale", b"Nom"))
    routes["/empty.csv"] = (200, "text/csv", HEADER.encode())
    routes["/good.csv"] = (200, "text/csv", member_list("A1", "A2"))
    url = "http://127.0.0.1:9/unreachable" if path == "/unreachable" else base + path
    source_id = add_members(engine, b"", url=base + "/good.csv")
    assert sync_source(engine, source_id, actor="cli").added == 2
    before = {name: (partner.version, partner.state) for name, partner in partners(engine).items()}
    with Session(engine) as session, session.begin():
        session.get(sources.registry.Source, source_id).url = url
    run = sync_source(engine, source_id, actor="cli")
    assert not run.ok
    assert reason in sources.summary(run, "fr") and "refused" not in sources.summary(run, "fr")
    assert {name: (partner.version, partner.state) for name, partner in partners(engine).items()} == before
    assert gone_listings(engine) == []  # a failed run never marks rows gone


def test_two_runs_at_once_make_one_and_due_sources_run_once_across_workers(engine):
    source_id = add_members(engine, member_list("A1", "A2", "A3"))
    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(lambda _: _try(lambda: sync_due_sources(engine)), range(8)))
    runs = [run for result in results if isinstance(result, list) for run in result]
    assert len(runs) == 1 and runs[0].added == 3
    assert sync_due_sources(engine) == []  # not due again before its interval
    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(lambda _: _try(lambda: sync_source(engine, source_id, actor="cli")), range(8)))
    done = [result for result in results if not isinstance(result, Exception)]
    assert done and all(isinstance(result, SourceBusy) for result in results if isinstance(result, Exception))
    with Session(engine) as session:
        assert session.execute(select(func.count()).select_from(SourceRecord)).scalar() == 3


def _try(call):
    try:
        return call()
    except Exception as error:  # noqa: BLE001 (collected and checked by the test)
        return error


def test_settings_are_checked_before_anything_is_stored(engine):
    with pytest.raises(FormErrors) as invalid:
        add_source(engine, SourceForm(name="", format=SourceFormat.MAPPED_CSV, id_column="", mapping={}), staff="cli")
    assert set(invalid.value.errors) == {"name", "url", "id_column", "mapping"}
    add_members(engine, member_list("A1"))
    with pytest.raises(FormErrors) as taken:
        add_members(engine, member_list("A1"))
    assert set(taken.value.errors) == {"name"}


def test_the_command_prints_the_report_and_the_demo_source_works_offline(database_url, monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("LANG", "en_GB.UTF-8")
    monkeypatch.delenv("LC_ALL", raising=False)
    assert cli.main(["seed"]) == 0
    capsys.readouterr()
    assert cli.main(["sync-source", DEMO_SOURCE_NAME]) == 0
    out = capsys.readouterr().out
    assert out.startswith("6 added, 0 changed, 0 gone, 0 refused, 0 unchanged")
    assert "+ Sainté Data Lab [DL-001] — possible duplicate of “Sainté Data Lab”" in out
    assert cli.main(["sync-source", DEMO_SOURCE_NAME]) == 0
    assert capsys.readouterr().out.startswith("0 added, 0 changed, 0 gone, 0 refused, 6 unchanged")
    assert cli.main(["sync-source", "Inconnue"]) == 1
    assert "No source is named “Inconnue”" in capsys.readouterr().err


def test_only_an_uploaded_source_takes_a_new_file(engine):
    source_id = add_members(engine, b"", url="https://membres.example.org/liste.csv")
    for data in (b"", b"x" * (sources.MAX_SOURCE_BYTES + 1), member_list("A1")):
        with pytest.raises(FormErrors):
            sources.replace_file(engine, source_id, data, staff="cli")


@pytest.mark.parametrize("url", ["http://127.0.0.1:5432/", "http://localhost/membres.csv", "http://[::1]/m.csv",
                                 "http://10.1.2.3/m.csv", "http://169.254.169.254/latest/meta-data/"])
def test_a_source_cannot_make_the_server_read_its_own_network(url):
    with pytest.raises(sources.SourceFailed) as refused:
        sources.fetching.fetch(url)
    assert refused.value.message.text.startswith("Cette adresse mène à une machine interne")
