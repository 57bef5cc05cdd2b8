import re

import pytest

from directory import listings
from tests.browser.conftest import MAP_FRAME, wait_until_ready
from tests.conftest import partner_row

pytestmark = pytest.mark.browser
HOSTILE = "<img src=x onerror=\"window.pwned=1\"> `${window.pwned=2}` \\ </script> 🚀"


def map_frame(page):
    return page.frame_locator(MAP_FRAME).first


def test_the_map_shows_clustered_markers_with_no_internet(server, server_database, page):
    _, engine = server_database
    listings.insert_partners(engine, [partner_row(name="Atelier", kind="atelier", latitude=45.438, longitude=4.391)] + [
        partner_row(name=f"Startup {i}", latitude=45.43 + i * 1e-4, longitude=4.39 + i * 1e-4) for i in range(40)])
    page.goto(server)
    wait_until_ready(page)
    frame = map_frame(page)
    frame.locator("html[data-partners-loaded='41']").wait_for(timeout=30_000)
    assert frame.locator(".vitrine-cluster").count() >= 1
    assert frame.locator(".vitrine-landmark").count() == 1
    assert page.get_by_text("41 partenaires affichés sur 41, dont 41 sur la carte.").count() == 1


def test_a_hostile_name_is_shown_as_text_and_runs_nothing(server, server_database, page):
    _, engine = server_database
    listings.insert_partners(engine, [
        partner_row(name=HOSTILE, kind="atelier", latitude=45.438, longitude=4.391),
        partner_row(name=HOSTILE + " 2", latitude=45.425, longitude=4.40),
    ])
    page.goto(server)
    wait_until_ready(page)
    frame = map_frame(page)
    frame.locator("html[data-partners-loaded='2']").wait_for(timeout=30_000)
    # Each marker's tooltip shows the name, literally.
    shown = []
    for marker in frame.locator(".vitrine-marker").all():
        marker.hover()
        shown.append(frame.locator(".leaflet-tooltip").last.inner_text())
    assert sorted(shown) == [HOSTILE, HOSTILE + " 2"]
    frame.locator(".vitrine-landmark").dispatch_event("mouseover")  # beneath the atelier's own marker
    assert HOSTILE in frame.locator(".leaflet-tooltip").last.inner_text()
    # The card shows it as text too.
    page.goto(server + "/?partner=1")
    wait_until_ready(page)
    assert page.locator("#card-title").inner_text() == HOSTILE
    assert page.evaluate("window.pwned") is None
    assert frame.locator("html").evaluate("() => window.pwned === undefined")
    assert frame.locator("img[src='x']").count() == 0 and page.locator("img[src='x']").count() == 0
    assert page.dialogs == []


def test_clicking_a_marker_opens_its_card_and_puts_it_in_the_url(server, server_database, page):
    _, engine = server_database
    listings.insert_partners(engine, [partner_row(name="Forez Robotique", latitude=45.4347, longitude=4.3903,
                                                  short_description="Des cobots.")])
    sent: list[int] = []  # the messages the page sends its server
    page.on("websocket", lambda socket: socket.on("framesent", lambda message: sent.append(len(message))))
    page.goto(server)
    wait_until_ready(page)
    frame = map_frame(page)
    frame.locator("html[data-partners-loaded='1']").wait_for(timeout=30_000)
    page.wait_for_timeout(1_000)  # the map's first report of its view is sent and answered
    before = len(sent)
    frame.locator(".vitrine-marker").first.click()
    page.locator("#card-title").wait_for(timeout=20_000)
    assert page.locator("#card-title").inner_text() == "Forez Robotique"
    # The click is told at once, and only once: the map's own report, sent 250 ms later, is not.
    page.wait_for_timeout(1_000)
    assert len(sent) - before == 1
    page.wait_for_url("**partner=1**", timeout=10_000)
    # The map rings it; the URL keeps the view, which a reload restores, ring included.
    frame.locator("path.vitrine-highlight").wait_for(timeout=10_000)
    page.wait_for_url(re.compile(r"map=13%2F45\.43\d*%2F4\.39\d*"), timeout=10_000)
    page.reload()
    wait_until_ready(page)
    assert page.locator("#card-title").inner_text() == "Forez Robotique"
    map_frame(page).locator("path.vitrine-highlight").wait_for(timeout=20_000)


def test_a_shared_link_restores_the_filters(server, server_database, page):
    _, engine = server_database
    listings.insert_partners(engine, [partner_row(name="Forez Robotique"),
                                      partner_row(name="École", kind="school")])
    page.goto(server + "/?kinds=school")
    wait_until_ready(page)
    page.get_by_text("1 partenaire affiché sur 2, dont 1 sur la carte.").wait_for()
    map_frame(page).locator("html[data-partners-loaded='1']").wait_for(timeout=30_000)
    assert map_frame(page).locator(".vitrine-marker").count() == 1  # the school only
    assert "kinds=school" in page.url


def test_the_page_declares_its_language(server, page):
    page.goto(server + "/?lang=en")
    wait_until_ready(page)
    page.wait_for_function("document.documentElement.lang === 'en'", timeout=10_000)
    page.goto(server)
    wait_until_ready(page)
    page.wait_for_function("document.documentElement.lang === 'fr'", timeout=10_000)
    assert page.get_by_role("heading", level=1).first.inner_text() == "L'écosystème numérique de Saint-Étienne"


def test_the_map_works_behind_a_path_prefix(server_database, browser, tmp_path):
    from tests.browser.conftest import start_server, stop_server

    url, engine = server_database
    listings.insert_partners(engine, [partner_row(name="Forez Robotique")])
    process, base = start_server(url, tmp_path / "prefixed.log", base_path="vitrine")
    try:
        page = browser.new_page()
        failed = []
        page.on("requestfailed", lambda request: failed.append(request.url))
        page.on("response", lambda answer: answer.status >= 400 and failed.append(answer.url))
        page.goto(base + "/")
        wait_until_ready(page)
        map_frame(page).locator("html[data-partners-loaded='1']").wait_for(timeout=30_000)
        assert map_frame(page).locator(".vitrine-marker").count() == 1
        assert [url for url in failed if url.startswith("http://127.0.0.1")] == []  # the app's own files
    finally:
        stop_server(process)


def test_a_partner_chosen_in_the_list_is_centred_and_ringed_on_the_map(server, server_database, page):
    _, engine = server_database
    listings.insert_partners(engine, [partner_row(name="Loin", latitude=45.47, longitude=4.50),
                                      partner_row(name="Forez Robotique", latitude=45.4347, longitude=4.3903)])
    page.goto(server + "/?view=list")
    wait_until_ready(page)
    page.get_by_role("button", name="Loin").click()
    page.locator("#card-title").wait_for(timeout=20_000)
    page.get_by_text("Carte", exact=True).click()
    wait_until_ready(page)
    frame = map_frame(page)
    frame.locator("path.vitrine-highlight").wait_for(timeout=20_000)
    frame.locator("html").evaluate("() => new Promise(done => setTimeout(done, 500))")  # the view settles
    centre = frame.locator("html").evaluate("() => [window.map.getZoom(), window.map.getCenter().lat.toFixed(3), "
                                            "window.map.getCenter().lng.toFixed(3)]")
    assert centre == [16, "45.470", "4.500"]
    assert page.locator("#card-title").inner_text() == "Loin"
