"""The markers' script both maps share (directory/ui/static/markers.js), on a page of its own."""

import pytest

pytestmark = pytest.mark.browser

PAGE = """<!doctype html><html><head>
<link rel="stylesheet" href="app/static/vendor/leaflet/leaflet.css">
<link rel="stylesheet" href="app/static/vendor/markercluster/MarkerCluster.css">
<script src="app/static/vendor/leaflet/leaflet.js"></script>
<script src="app/static/vendor/markercluster/leaflet.markercluster.js"></script>
<script src="app/static/markers.js"></script>
</head><body><div id="map" style="width: 800px; height: 600px"></div></body></html>"""

# 20,000 markers on a grid around Saint-Étienne: clustering them takes several slices.
DRAW = """() => new Promise(resolve => {
    const map = window.map = L.map("map", {maxZoom: 19}).setView([45.44, 4.39], 12);
    const shapes = VitrineMarkers([{path: "M2 2H18V18H2Z", colour: "#0B6E4F", outline: "#1A1A1A", label: "x"}]);
    const cluster = shapes.clusterGroup();
    map.addLayer(cluster);
    window.dressed = 0;
    window.drawnCalls = 0;
    const made = [];
    for (let i = 0; i < 20000; i++) {
        const name = "Partenaire " + i;
        const dress = marker => { window.dressed++; marker.bindTooltip(name); };
        made.push(shapes.marker([45.34 + (i % 200) * 0.001, 4.29 + Math.floor(i / 200) * 0.002], 0, false, false,
                                name, dress));
    }
    cluster.draw(made, () => {
        window.drawnCalls++;
        resolve({clusters: document.querySelectorAll(".marker-cluster").length, dressed: window.dressed,
                 markers: document.querySelectorAll(".vitrine-marker").length});
    });
})"""


@pytest.fixture
def markers_page(page, server):
    """A bare page of the server's own origin that loads Leaflet, the clusters and markers.js."""
    page.route(server + "/markers-test", lambda route: route.fulfill(content_type="text/html", body=PAGE))
    page.goto(server + "/markers-test")
    return page


def test_the_clusters_say_they_are_drawn_only_once_they_are_on_the_map(markers_page):
    drawn = markers_page.evaluate(DRAW)
    assert drawn["clusters"] >= 1  # on the map when it says so (not after the first slice only)
    # Only the markers drawn so far were given a tooltip, not the 20,000.
    assert drawn["dressed"] == drawn["markers"] < 1000
    markers_page.wait_for_timeout(500)
    assert markers_page.evaluate("window.drawnCalls") == 1


def test_a_marker_gets_its_tooltip_when_it_is_drawn(markers_page):
    markers_page.evaluate(DRAW)
    markers_page.evaluate("map.setView([45.34, 4.29], 19)")
    marker = markers_page.locator(".vitrine-marker[title='Partenaire 0']")
    marker.hover()
    assert markers_page.locator(".leaflet-tooltip").inner_text() == "Partenaire 0"
    # And from the keyboard: focus opens it too, as for a marker bound from the start.
    markers_page.mouse.move(0, 0)
    markers_page.locator(".vitrine-marker[title='Partenaire 1']").focus()
    assert markers_page.locator(".leaflet-tooltip").last.inner_text() == "Partenaire 1"
