"""Vitrine's own addresses in Chromium and through the real server: the embed on another site,
the subscribe and embed texts on the pages, what a private link leaks, deep links on a fresh server."""

import gzip
import http.client
import threading
import urllib.request
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from directory import listings
from tests.browser.conftest import (
    MAP_FRAME,
    start_server,
    stop_server,
    wait_until_ready,
)
from tests.conftest import partner_row
from tests.factories import make_slot, submit

pytestmark = pytest.mark.browser
TILES = "https://tile.openstreetmap.org/**"
PIXEL = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000" "1f15c4890000000d4944415478da63f8"
                      "ffff3f0005fe02fea73581e40000000049454e44ae426082")


def get(url: str, **headers) -> tuple[int, "http.client.HTTPMessage", bytes]:
    request = urllib.request.Request(url, headers=headers)
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, response.headers, response.read()


def test_the_real_server_serves_pages_and_addresses_compressed_with_safety_headers(server, server_database):
    _, engine = server_database
    listings.insert_partners(engine, [partner_row(name=f"Startup {i}") for i in range(50)])
    status, headers, body = get(server + "/donnees/partenaires.geojson", **{"Accept-Encoding": "gzip"})
    assert status == 200 and headers["content-encoding"] == "gzip"
    assert len(gzip.decompress(body)) > len(body)
    status, headers, _ = get(server + "/")  # Streamlit's own page
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Content-Security-Policy"] == "frame-ancestors 'self'"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert get(server + "/healthz")[0] == 200


@contextmanager
def another_site(html: str):
    """A page served from another origin of this machine (another port), as a pépinière's site."""
    class Host(BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(html.encode())

        def log_message(self, *args):
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Host)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_port}/"
    finally:
        httpd.shutdown()


def test_the_embed_shows_markers_inside_another_sites_page_with_no_internet(server, server_database, browser):
    _, engine = server_database
    listings.insert_partners(engine, [partner_row(name=f"Startup {i}", latitude=45.43 + i * 1e-3) for i in range(12)]
                             + [partner_row(name="École", kind="school")])
    context = browser.new_context()
    context.route(TILES, lambda route: route.abort())  # no internet
    page = context.new_page()
    failed = []
    page.on("response", lambda r: failed.append(r.url) if r.status >= 400 else None)
    host = (f'<!doctype html><title>Pépinière</title><h1>Notre écosystème</h1>'
            f'<iframe id="embed" src="{server}/embed?kinds=startup" width="800" height="500"></iframe>'
            f'<iframe id="app" src="{server}/agenda" width="400" height="300"></iframe>')
    with another_site(host) as address:
        page.goto(address)
        embed = page.frame_locator("#embed")
        embed.locator("html[data-partners-loaded='12']").wait_for(state="attached", timeout=30_000)
        assert embed.locator(".vitrine-cluster").count() >= 1
        embed.locator(".vitrine-cluster").first.click()
        embed.locator(".vitrine-marker").first.click()
        link = embed.locator(".leaflet-popup-content a")
        link.wait_for(timeout=10_000)
        assert link.get_attribute("target") == "_blank"
        assert link.get_attribute("href").startswith(server + "/partenaires/startup")
        # The app itself refuses to be framed by another site.
        app_frame = page.frame_locator("#app")
        page.wait_for_timeout(1000)
        assert app_frame.locator("[data-testid='stApp']").count() == 0
    assert failed == []
    context.close()


def test_the_explore_page_offers_the_addresses_and_embed_code_of_its_filters(server, server_database, page):
    _, engine = server_database
    listings.insert_partners(engine, [partner_row(name="Forez Robotique"), partner_row(name="École", kind="school")])
    page.goto(server + "/?kinds=school&lang=en")
    wait_until_ready(page)
    page.get_by_text("Embed this map").click()
    codes = page.locator("pre.vitrine-copy").all_inner_texts()
    assert f"{server}/donnees/partenaires.geojson?kinds=school&lang=en" in codes
    assert any(f'src="{server}/embed?kinds=school&amp;lang=en"' in code for code in codes)


def test_the_agenda_offers_a_subscription_to_its_feed(server, server_database, page):
    make_slot(server_database[1])
    page.goto(server + "/agenda?lang=en")
    wait_until_ready(page)
    feeds = (("Startups' showcases", "/agenda.ics?lang=en"), ("Partners' sessions", "/programme.ics?lang=en"))
    for name, feed in feeds:
        subscribe = page.get_by_role("link", name=name)
        address = server.removeprefix("http://") + feed
        assert subscribe.get_attribute("href") == f"webcal://{address}"
        assert f"http://{address}" in page.locator("pre.vitrine-copy").all_inner_texts()
        status, headers, _ = get(f"http://{address}")
        assert status == 200 and headers["Content-Type"].startswith("text/calendar")


def test_a_private_link_never_reaches_a_third_party_in_a_referer(server, server_database, browser):
    _, engine = server_database
    application = submit(engine, [make_slot(engine)])
    private = f"{server}/suivi?token={application.token}"
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    referers: dict[str, str | None] = {}

    def tile(route):
        referers.setdefault("tile", route.request.headers.get("referer"))
        route.fulfill(body=PIXEL, content_type="image/png")

    def website(route):
        referers["website"] = route.request.headers.get("referer")
        route.fulfill(body="<p>Forez</p>", content_type="text/html")

    context.route(TILES, tile)
    context.route("https://forez.example/**", website)
    page = context.new_page()
    page.goto(private)
    wait_until_ready(page)
    page.get_by_role("button", name="Modifier ma candidature").click()
    page.get_by_text("Choisir sur la carte").first.click()
    page.frame_locator(MAP_FRAME).first.locator("img.leaflet-tile-loaded").first.wait_for(timeout=30_000)
    # Any link to another site on the page: a partner's or a startup's website.
    page.evaluate("""() => { const a = document.createElement('a'); a.href = 'https://forez.example/';
                      a.textContent = 'site'; document.body.appendChild(a); a.click(); }""")
    page.wait_for_url("https://forez.example/**")
    assert referers["tile"] == f"{server}/" and referers["website"] == f"{server}/"
    assert application.token not in str(referers)
    context.close()


DEEP_LINKS = {
    "/agenda": "Agenda de l'atelier",
    "/candidater": "Présenter votre innovation à l'atelier",
    "/proposer": "Proposer un partenaire",
    "/connexion": "Espace équipe",
    "/suivi?token={token}": "Suivi de ma candidature",
    "/?lang=en": "The digital ecosystem of Saint-Étienne",
}


def test_deep_links_are_the_first_requests_of_a_fresh_server(server_database, browser, tmp_path):
    """Each address opened at once by a visitor of its own, before the fresh server has run any page
    (one server for all: each start costs about 8 s)."""
    url, engine = server_database
    token = submit(engine, [make_slot(engine)]).token
    process, base = start_server(url, tmp_path / "fresh.log")
    try:
        pages = {path: browser.new_page(locale="fr-FR") for path in DEEP_LINKS}
        for path, page in pages.items():
            page.goto(base + path.format(token=token), wait_until="commit")
        for path, page in pages.items():
            wait_until_ready(page)
            page.get_by_role("heading", name=DEEP_LINKS[path]).first.wait_for(timeout=20_000)
            assert page.get_by_text("Page not found").count() == 0, path
            assert page.locator("[role='dialog']").count() == 0, path
    finally:
        stop_server(process)
