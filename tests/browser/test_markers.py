"""The partner layer both maps share (directory/ui/static/markers.js), on a page of its own:
Supercluster's clusters as named buttons, markers drawn only when in view, places at one spot
spread out."""

import pytest

pytestmark = pytest.mark.browser

PAGE = """<!doctype html><html><head>
<link rel="stylesheet" href="app/static/vendor/leaflet/leaflet.css">
<link rel="stylesheet" href="app/static/map.css">
<script src="app/static/vendor/leaflet/leaflet.js"></script>
<script src="app/static/vendor/supercluster/supercluster.min.js"></script>
<script src="app/static/markers.js"></script>
</head><body><div id="map" style="width: 800px; height: 600px"></div></body></html>"""

# 20,000 places on a grid around Saint-Étienne, and three more sharing one spot.
DRAW = """() => new Promise(resolve => {
    const map = window.map = L.map("map", {maxZoom: 19}).setView([45.44, 4.39], 12);
    const shapes = VitrineMarkers([{path: "M2 2H18V18H2Z", colour: "#0B6E4F", outline: "#1A1A1A", label: "x"}]);
    const group = window.group = L.featureGroup().addTo(map);
    window.dressed = 0;
    window.clicked = [];
    group.on("click", event => window.clicked.push(event.sourceTarget.options.title));
    const rows = [];
    for (let i = 0; i < 20000; i++) {
        rows.push([45.34 + (i % 200) * 0.001, 4.29 + Math.floor(i / 200) * 0.002, "Partenaire " + i]);
    }
    ["Pépinière A", "Pépinière B", "Pépinière C"].forEach(name => rows.push([45.6, 4.6, name]));
    const describe = row => ({kind: 0, approximate: false, presenting: false, title: row[2],
                              dress: marker => { window.dressed++; marker.bindTooltip(row[2]); }});
    const points = window.points = shapes.points(map, group, {locale: "fr-FR", cluster: "{count} partenaires ici"});
    const started = performance.now();
    points.load(rows, describe, () => resolve({
        ms: performance.now() - started, clusters: document.querySelectorAll(".vitrine-cluster").length,
        dressed: window.dressed, markers: document.querySelectorAll(".vitrine-marker").length}));
})"""


@pytest.fixture
def markers_page(page, server):
    """A bare page of the server's own origin that loads Leaflet, Supercluster and markers.js."""
    page.route(server + "/markers-test", lambda route: route.fulfill(content_type="text/html", body=PAGE))
    page.goto(server + "/markers-test")
    return page


def test_twenty_thousand_places_draw_only_what_the_view_shows(markers_page):
    drawn = markers_page.evaluate(DRAW)
    assert drawn["clusters"] >= 1
    # Only the markers in view were made and given a tooltip, not the 20,000.
    assert drawn["dressed"] == drawn["markers"] < 1000
    total = markers_page.evaluate("""() => [...document.querySelectorAll(".vitrine-cluster")]
        .reduce((sum, b) => sum + Number(b.textContent.replace(/\\s/g, "")), 0)""")
    assert total + drawn["markers"] <= 20003 and total > 10000  # each place counted once
    # A cluster is a button named for screen readers, in the map's language.
    label = markers_page.locator(".vitrine-cluster").first.get_attribute("aria-label")
    assert label.endswith("partenaires ici") and label.split(" partenaires")[0].replace("\u202f", "").isdigit()


def test_a_cluster_opens_on_its_extent_from_the_keyboard_too(markers_page):
    markers_page.evaluate(DRAW)
    zoom = markers_page.evaluate("map.getZoom()")
    markers_page.locator(".vitrine-cluster").first.focus()
    markers_page.keyboard.press("Enter")
    markers_page.wait_for_function(f"map.getZoom() > {zoom}")
    markers_page.wait_for_function("document.querySelectorAll('.vitrine-cluster, .vitrine-marker').length > 0")


@pytest.mark.parametrize("zoom", [12, 19])  # one of Supercluster's clusters; past its last zoom, a spot
def test_places_at_one_spot_spread_out_and_each_is_reachable(markers_page, zoom):
    markers_page.evaluate(DRAW)
    markers_page.evaluate(f"map.setView([45.6, 4.6], {zoom}, {{animate: false}})")
    cluster = markers_page.get_by_role("button", name="3 partenaires ici")
    cluster.focus()
    markers_page.keyboard.press("Enter")
    # The keyboard lands on the first of them.
    markers_page.wait_for_function("document.activeElement.title === 'Pépinière A'")
    names = ["Pépinière A", "Pépinière B", "Pépinière C"]
    spots = set()
    for name in names:
        marker = markers_page.locator(f".vitrine-marker[title='{name}']")
        box = marker.bounding_box()
        spots.add((round(box["x"]), round(box["y"])))
        marker.click()
    assert len(spots) == 3  # apart, each under its own click
    assert markers_page.evaluate("window.clicked") == names


def test_a_marker_gets_its_tooltip_when_it_is_drawn(markers_page):
    markers_page.evaluate(DRAW)
    markers_page.evaluate("map.setView([45.34, 4.29], 17, {animate: false})")
    marker = markers_page.locator(".vitrine-marker[title='Partenaire 0']")
    marker.hover()
    assert markers_page.locator(".leaflet-tooltip").inner_text() == "Partenaire 0"
    # And from the keyboard: focus opens it too, as for a marker bound from the start.
    markers_page.mouse.move(0, 0)
    markers_page.locator(".vitrine-marker[title='Partenaire 1']").focus()
    assert markers_page.locator(".leaflet-tooltip").last.inner_text() == "Partenaire 1"


def test_a_layer_removed_takes_its_clusters_with_it(markers_page):
    markers_page.evaluate(DRAW)
    markers_page.evaluate("map.removeLayer(group); points.remove(); map.setView([45.35, 4.3], 14)")
    assert markers_page.locator(".vitrine-clusters").count() == 0
