"""What a visitor feels, measured in Chromium against the real server: the explore page at the
demo size and at 10,000 partners, side by side.

    python bench/visitor.py                      # demo data and 10,000 partners, 5 runs each
    python bench/visitor.py --sizes 10000 --runs 3

Figures (medians of the runs, each in a fresh browser context, so nothing is cached between
first visits): first visit until the page is ready and until the markers show, bytes on the
wire for that visit; a kind filter until the map shows the new set; a marker click until its
card shows; a list item until its card shows. A click is timed in the browser, from the press
(the event's own time) to the first animation frame that shows the result, so that the
automation's own delays do not count. Beside them, in the same run on the same server, the
baseline: the app's own light map (/embed, Leaflet on the same data) until its markers show, and
its bytes; and a repeat visit's bytes (the browser's cache kept). And the floor of any Streamlit
page with a map: a page holding nothing but st_folium's map (Vitrine's tiles and controls, no
partners), on a server of its own, until that map shows. Debian's Chromium (/usr/bin/chromium),
headless.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import database_with_partners  # noqa: E402
from directory import db, seed  # noqa: E402
from directory.ui import NAVIGATION_SCRIPT  # noqa: E402
from tests.browser.conftest import (  # noqa: E402
    MAP_FRAME,
    READY,
    start_server,
    stop_server,
    visible_marker,
)

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def demo_database(url: str):
    engine = db.make_engine(url)
    db.migrate(engine)
    seed.seed_demo(engine)
    return engine


def wire_counter(context, page) -> list[int]:
    """The bytes of every response of `page`, as they came over the network (compressed)."""
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    transferred = []
    cdp.on("Network.loadingFinished", lambda event: transferred.append(event["encodedDataLength"]))
    return transferred


# The time of the next press, in the page or in one of its frames, on the page's clock (ms).
ARM_PRESS = """() => {
  for (const w of [window, ...Array.from(document.querySelectorAll('iframe'), f => f.contentWindow)]) {
    w.document.addEventListener('pointerdown', e => { window.__pressed = w.performance.timeOrigin + e.timeStamp; },
                                {capture: true, once: true});
  }
}"""


def press_to(page, press, shown: str) -> float:
    """Seconds from the press that `press` makes to the first frame where the expression `shown` holds."""
    page.evaluate(ARM_PRESS)
    press()
    done = page.wait_for_function(f"() => ({shown}) && performance.timeOrigin + performance.now()",
                                  timeout=60_000).json_value()
    return (done - page.evaluate("window.__pressed")) / 1000


def embed_visit(browser, base: str) -> dict[str, float]:
    """The baseline: the app's own light map (/embed, Leaflet on the same data, no Streamlit)."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    transferred = wire_counter(context, page)
    started = time.perf_counter()
    page.goto(base + "/embed")
    page.locator("html[data-partners-loaded]").wait_for(timeout=120_000)
    markers = time.perf_counter() - started
    page.wait_for_timeout(300)
    context.close()
    return {"embed_markers_s": markers, "embed_wire_mb": sum(transferred) / 1e6}


BARE_LEAFLET_PAGE = """<!doctype html><html><head><meta charset="utf-8">
<link rel="stylesheet" href="app/static/vendor/leaflet/leaflet.css">
<style>html, body, #map { height: 100%; margin: 0; }</style></head><body><div id="map"></div>
<script src="app/static/vendor/leaflet/leaflet.js"></script>
<script>
var map = L.map("map").setView([45.4347, 4.3903], 13);
L.tileLayer("https://tile.openstreetmap.org/{z}/{x}/{y}.png", {maxZoom: 19}).addTo(map);
document.documentElement.setAttribute("data-map-shown", "1");
</script></body></html>"""


def bare_leaflet_visit(browser, base: str) -> dict[str, float]:
    """The floor of /embed: Leaflet alone on a page of the same origin, no markers, until it shows."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.route(base + "/bare-leaflet", lambda route: route.fulfill(content_type="text/html", body=BARE_LEAFLET_PAGE))
    started = time.perf_counter()
    page.goto(base + "/bare-leaflet")
    page.locator("html[data-map-shown]").wait_for(timeout=120_000)
    shown = time.perf_counter() - started
    context.close()
    return {"bare_leaflet_s": shown}


EMPTY_MAP_PAGE = """import streamlit as st
from streamlit_folium import st_folium

from directory.listings import mapping

st_folium(mapping.base_map(), key="map", height=520, use_container_width=True, returned_objects=[])
"""


def start_empty_map_server(folder: Path, database_url: str):
    """A Streamlit server whose one page is the empty map, with Vitrine's static files (Leaflet)."""
    (folder / "empty_map.py").write_text(EMPTY_MAP_PAGE)
    (folder / "static").symlink_to(NAVIGATION_SCRIPT.parent / "static")
    return start_server(database_url, folder / "empty_map.log", script=folder / "empty_map.py",
                        settings={"STREAMLIT_SERVER_ENABLE_STATIC_SERVING": "true"})


def empty_map_visit(browser, base: str) -> dict[str, float]:
    """The floor: a first visit of a Streamlit page holding only st_folium's map, until it shows."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    started = time.perf_counter()
    page.goto(base + "/")
    page.frame_locator(MAP_FRAME).first.locator(".leaflet-control-zoom").wait_for(timeout=120_000)
    shown = time.perf_counter() - started
    context.close()
    return {"empty_map_s": shown}


def repeat_visit_mb(browser, base: str) -> float:
    """A second visit in the same browser: what its cache does not spare."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.goto(base + "/")
    page.frame_locator(MAP_FRAME).first.locator("html[data-partners-loaded]").wait_for(timeout=120_000)
    page.wait_for_timeout(300)
    again = context.new_page()
    transferred = wire_counter(context, again)
    again.goto(base + "/")
    again.frame_locator(MAP_FRAME).first.locator("html[data-partners-loaded]").wait_for(timeout=120_000)
    again.wait_for_timeout(300)
    context.close()
    return sum(transferred) / 1e6


def one_visit(browser, base: str) -> dict[str, float]:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    transferred = wire_counter(context, page)
    started = time.perf_counter()
    page.goto(base + "/")
    page.wait_for_selector(READY, timeout=120_000)
    ready = time.perf_counter() - started
    frame = page.frame_locator(MAP_FRAME).first
    frame.locator("html[data-partners-loaded]").wait_for(timeout=120_000)
    markers = time.perf_counter() - started
    page.wait_for_timeout(300)  # what is still arriving (fonts, tiles that fail offline) counts too
    figures = {"ready_s": ready, "markers_s": markers, "wire_mb": sum(transferred) / 1e6}

    # A kind filter: from choosing it until the map holds the new set.
    loaded = frame.locator("html").get_attribute("data-partners-loaded")
    page.get_by_role("button", name="Filtres").click()
    page.get_by_label("Types", exact=True).click()
    option = page.get_by_role("option").filter(has_text="École / formation")
    figures["filter_s"] = press_to(page, option.click, f"""(() => {{
        const f = document.querySelector("{MAP_FRAME}");
        const v = f && f.contentDocument.documentElement.getAttribute('data-partners-loaded');
        return v && v !== '{loaded}'; }})()""")
    page.keyboard.press("Escape")  # the options, then the filters' panel
    page.keyboard.press("Escape")
    page.wait_for_selector(READY)

    # A marker: from the click until its card shows.
    marker = visible_marker(frame)
    figures["marker_card_s"] = press_to(page, marker.click, "document.querySelector('#card-title')")

    # The list: from choosing an item until its card shows, without loading a page.
    page.get_by_role("button", name="Fermer la fiche").click()
    page.wait_for_selector(READY)
    page.get_by_text("Liste", exact=True).click()
    item = page.locator("[class*='st-key-explore_open_'] button").first
    item.wait_for(timeout=60_000)
    loads = []
    page.on("load", lambda _page: loads.append(1))  # a full page load (a query-string change is not)
    figures["list_card_s"] = press_to(page, item.click, "document.querySelector('#card-title')")
    figures["list_page_loads"] = len(loads)
    context.close()
    return figures


def measure(database_url: str, runs: int) -> dict[str, float]:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as folder:
        process, base = start_server(database_url, Path(folder) / "server.log")
        floor_process, floor_base = start_empty_map_server(Path(folder), database_url)
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", headless=True,
                                                     args=CHROMIUM_ARGS)
                one_visit(browser, base)  # warm the servers' caches, as a visited site is
                embed_visit(browser, base)
                empty_map_visit(browser, floor_base)
                visits = [{**one_visit(browser, base), **embed_visit(browser, base),
                           **empty_map_visit(browser, floor_base), **bare_leaflet_visit(browser, base),
                           "repeat_wire_mb": repeat_visit_mb(browser, base)} for _ in range(runs)]
                browser.close()
        finally:
            stop_server(process)
            stop_server(floor_process)
    return {name: statistics.median(visit[name] for visit in visits) for name in visits[0]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", nargs="*", default=["demo", "10000"])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    results = {}
    for size in args.sizes:
        with tempfile.TemporaryDirectory() as folder:
            url = f"sqlite:///{folder}/visitor.db"
            engine = demo_database(url) if size == "demo" else database_with_partners(url, int(size))
            engine.dispose()
            results[size] = measure(url, args.runs)
    for figures in results.values():
        figures["markers_ratio"] = figures["markers_s"] / figures["embed_markers_s"]
        figures["empty_map_ratio"] = figures["empty_map_s"] / figures["embed_markers_s"]
        figures["markers_after_floor_s"] = figures["markers_s"] - figures["empty_map_s"]
        figures["embed_bare_ratio"] = figures["embed_markers_s"] / figures["bare_leaflet_s"]
    labels = {"ready_s": "first visit: page ready (s)", "markers_s": "first visit: markers shown (s)",
              "embed_markers_s": "baseline /embed: markers shown (s)",
              "markers_ratio": "markers: explore ÷ /embed",
              "empty_map_s": "floor: st_folium's empty map shown (s)",
              "empty_map_ratio": "floor: empty map ÷ /embed markers",
              "markers_after_floor_s": "markers shown after the floor (s)",
              "bare_leaflet_s": "bare Leaflet page, no markers (s)",
              "embed_bare_ratio": "/embed markers ÷ bare Leaflet",
              "wire_mb": "first visit: on the wire (MB)", "embed_wire_mb": "baseline /embed: on the wire (MB)",
              "repeat_wire_mb": "repeat visit: on the wire (MB)", "filter_s": "kind filter → map updated (s)",
              "marker_card_s": "marker click → card (s)", "list_card_s": "list item → card (s)",
              "list_page_loads": "page loads for a list item"}
    print(f"medians of {args.runs} runs, Chromium headless, this machine")
    print(f"{'':40}" + "".join(f"{size:>12}" for size in results))
    for key, label in labels.items():
        print(f"{label:40}" + "".join(f"{results[size][key]:12.2f}" for size in results))


if __name__ == "__main__":
    main()
