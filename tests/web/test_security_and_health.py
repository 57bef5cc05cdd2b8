import pytest

from directory import db, listings
from tests.conftest import partner_row
from tests.web.conftest import client_for

pytestmark = pytest.mark.usefixtures("test_host")
EMBEDDABLE = ["/embed", "/partenaires/cite-du-design", "/vitrines/1"]
NOT_EMBEDDABLE = ["/donnees/partenaires.json", "/agenda.ics", "/sitemap.xml", "/robots.txt", "/healthz",
                  "/carte/partenaires.json?v=1"]


@pytest.fixture
def published(engine):
    from tests.factories import make_slot

    listings.insert_partners(engine, [partner_row(name="Cité du design")])
    make_slot(engine)
    return engine


@pytest.mark.parametrize("path", EMBEDDABLE + NOT_EMBEDDABLE)
def test_every_answer_carries_the_safety_headers(site, published, path):
    response = site.get(path)
    assert response.status_code == 200, path
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "strict-origin-when-cross-origin"


@pytest.mark.parametrize("path", EMBEDDABLE)
def test_pages_made_to_be_shared_may_be_framed_by_any_site(site, published, path):
    headers = site.get(path).headers
    assert "frame-ancestors *" in headers["content-security-policy"]
    assert "x-frame-options" not in headers


@pytest.mark.parametrize("path", NOT_EMBEDDABLE)
def test_everything_else_refuses_framing_by_other_sites(site, published, path):
    headers = site.get(path).headers
    assert headers["content-security-policy"] == "frame-ancestors 'self'"
    assert headers["x-frame-options"] == "SAMEORIGIN"


def test_server_rendered_pages_run_no_script_and_load_nothing_from_elsewhere(site, published):
    policy = site.get("/partenaires/cite-du-design").headers["content-security-policy"]
    assert policy.startswith("default-src 'none';") and "script-src" not in policy
    assert "'unsafe-inline'" not in policy
    embed = site.get("/embed").headers["content-security-policy"]
    assert "script-src 'self';" in embed and "connect-src 'self'" in embed


def test_health_is_ok_while_the_database_answers(site, published):
    response = site.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


def test_health_says_503_when_the_database_is_unreachable(tmp_path):
    unreachable = db.make_engine("postgresql://nobody@127.0.0.1:1/none")
    with client_for(lambda: unreachable) as client:
        response = client.get("/healthz")
    assert response.status_code == 503 and response.json()["status"] == "unavailable"


def test_health_says_503_when_the_engine_cannot_even_start(tmp_path):
    def broken():
        raise db.DatabaseUnavailable("no database")
    with client_for(broken) as client:
        assert client.get("/healthz").status_code == 503


def test_routes_follow_the_servers_path_prefix(engine):
    from starlette.applications import Starlette
    from starlette.testclient import TestClient

    from directory import web

    app = Starlette(routes=web.routes(lambda: engine, base_path="/vitrine/"),
                    middleware=web.middleware(base_path="/vitrine/"))
    with TestClient(app, base_url="http://vitrine.test") as client:
        assert client.get("/vitrine/healthz").status_code == 200
        assert client.get("/healthz").status_code == 404
        assert "Sitemap: http://vitrine.test/vitrine/sitemap.xml" in client.get("/vitrine/robots.txt").text
        assert "Disallow: /vitrine/suivi" in client.get("/vitrine/robots.txt").text


@pytest.mark.parametrize("path", ["/donnees/partenaires.csv", "/donnees/partenaires.geojson?lang=en",
                                  "/donnees/lieux-mediation-numerique.csv", "/donnees/catalogue.jsonld",
                                  "/partenaires/cite-du-design", "/partenaires/cite-du-design/image.png",
                                  "/agenda.ics", "/vitrines/1", "/vitrines/1.ics", "/embed", "/sitemap.xml",
                                  "/carte/partenaires.json?v=1", "/equipe/session?code=x"])
@pytest.mark.parametrize("outage", ["unreachable server", "engine cannot start"])
def test_every_public_address_says_503_during_an_outage(path, outage):
    """Issue 20, item 7: with its security headers, when to retry, and why, in the reader's language."""
    unreachable = db.make_engine("postgresql://nobody@127.0.0.1:1/none")

    def broken():
        raise db.DatabaseUnavailable("no database")

    with client_for((lambda: unreachable) if outage == "unreachable server" else broken) as client:
        answer = client.get(path)
    assert answer.status_code == 503, answer.text
    assert answer.headers["retry-after"] == "30" and answer.headers["x-content-type-options"] == "nosniff"
    assert answer.headers["cache-control"] == "no-store"
    assert answer.text.startswith("Vitrine is temporarily unavailable" if "lang=en" in path
                                  else "Vitrine est momentanément indisponible")
