"""The company register's client against a local server answering in the API's documented format
(https://recherche-entreprises.api.gouv.fr/docs): look-ups, failures, and the closed-establishment check."""

from __future__ import annotations

import json
import threading
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest

from directory import listings
from directory.listings import register
from directory.listings.register import NotInRegister, RegisterUnavailable, check_register, look_up
from tests.unit.listings.test_kept_true import create

OPEN_SIRET, CLOSED_SIRET = "73282932000074", "35600000000048"


def company(siret: str, *, state: str = "A") -> dict:
    place = {"siret": siret, "adresse": "3 RUE JAVELIN PAGNON 42000 SAINT-ETIENNE", "code_postal": "42000",
             "libelle_commune": "SAINT-ETIENNE", "latitude": "45.4512", "longitude": "4.3990",
             "etat_administratif": state, "activite_principale": "72.19Z", "date_creation": "2009-06-01"}
    return {"siren": siret[:9], "nom_complet": "CITE DU DESIGN", "date_creation": "2005-01-01",
            "etat_administratif": "A", "activite_principale": "72.19Z", "siege": place,
            "matching_etablissements": [place]}


@contextmanager
def register_server(monkeypatch, answer):
    """`answer(query)` gives (status, content type, body) for each /search?q=<query>."""
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            parts = urlsplit(self.path)
            status, content_type, body = answer(parse_qs(parts.query).get("q", [""])[0]) if parts.path == "/search" \
                else (404, "text/plain", b"")
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    monkeypatch.setenv("VITRINE_SIRENE_URL", f"http://127.0.0.1:{server.server_port}/")
    try:
        yield
    finally:
        server.shutdown()


def documented(query: str):
    found = {OPEN_SIRET: [company(OPEN_SIRET)], OPEN_SIRET[:9]: [company(OPEN_SIRET)],
             CLOSED_SIRET: [company(CLOSED_SIRET, state="F")]}.get(query, [])
    return 200, "application/json", json.dumps({"results": found, "total_results": len(found)}).encode()


def test_a_siret_or_a_siren_gives_the_establishment_to_prefill(monkeypatch):
    with register_server(monkeypatch, documented):
        found = look_up(OPEN_SIRET)
        assert (found.name, found.address, found.city, found.activity, str(found.created), found.open) == (
            "CITE DU DESIGN", "3 RUE JAVELIN PAGNON", "Saint-Etienne", "72.19Z", "2009-06-01", True)
        assert (found.latitude, found.longitude) == (45.4512, 4.399)
        assert look_up(OPEN_SIRET[:9]).siret == OPEN_SIRET
        assert not look_up(CLOSED_SIRET).open
        with pytest.raises(NotInRegister):
            look_up("11111111111111")
        with pytest.raises(NotInRegister):
            look_up("W423001234")


@pytest.mark.parametrize("answer", [
    lambda q: (500, "text/plain", b"boom"),
    lambda q: (429, "application/json", b"{}"),
    lambda q: (200, "text/html", b"<html>maintenance</html>"),
    lambda q: (200, "application/json", b"[1, 2]"),
    lambda q: (200, "application/json", b" " * (2 * 1024 * 1024)),
])
def test_a_failing_register_says_so(monkeypatch, answer):
    with register_server(monkeypatch, answer), pytest.raises(RegisterUnavailable):
        look_up(OPEN_SIRET)


def test_a_slow_register_is_given_up_after_its_timeout(monkeypatch):
    monkeypatch.setattr(register, "TIMEOUT_SECONDS", 0.3)
    released, answered = threading.Event(), threading.Event()

    def slow(query):
        released.wait(30)  # the register answers only once the test has had its answer
        answered.set()
        return documented(query)

    with register_server(monkeypatch, slow):
        with pytest.raises(RegisterUnavailable):
            look_up(OPEN_SIRET)
        assert not answered.is_set()  # given up before the register answered, whatever the machine's speed
        released.set()


def test_nothing_is_called_without_the_setting(monkeypatch):
    monkeypatch.delenv("VITRINE_SIRENE_URL", raising=False)
    with pytest.raises(NotInRegister):
        look_up(OPEN_SIRET)


def test_the_check_flags_closed_establishments_for_staff_and_unflags_reopened_ones(engine, monkeypatch):
    from directory.listings.freshness import to_check

    open_id = create(engine, siret=OPEN_SIRET)
    closed_id = create(engine, name="La Poste", website="", contact_email="", siret=CLOSED_SIRET)
    with register_server(monkeypatch, documented):
        result = check_register(engine, pause=0)
    assert (result.checked, result.closed, result.failed) == (2, ["La Poste"], 0)
    assert to_check(engine)["id"].tolist() == [closed_id]
    assert listings.get_partner(engine, open_id).register_closed_at is None

    with register_server(monkeypatch, lambda q: (503, "text/plain", b"")):
        assert check_register(engine, pause=0).failed == 2
    assert to_check(engine)["id"].tolist() == [closed_id]  # a failing register changes nothing

    reopened = json.dumps({"results": [company(CLOSED_SIRET)]}).encode()
    with register_server(monkeypatch, lambda q: (200, "application/json", reopened) if q == CLOSED_SIRET
                         else documented(q)):
        check_register(engine, pause=0)
    assert to_check(engine).empty
