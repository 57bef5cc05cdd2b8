"""The public map: the only place that writes map HTML and JavaScript.

Partners do not travel inside the map's HTML: a small layer fetches the filtered set's public
fields as compact JSON from the app's own address (/carte/partenaires.json) and clusters the
markers in the browser. The map's own script then stays the same from one rerun to the next, so
the map keeps its view while the filters change.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import math
from urllib.parse import urlencode

import folium
import pandas as pd
from branca.element import MacroElement
from folium.elements import JSCSSMixin
from jinja2 import Template

from directory.clock import utcnow
from directory.i18n import N_, translate
from directory.listings.links import MapView, PartnerFilters
from directory.models import PartnerKind

# st_folium draws the map in an iframe served at <base>/component/<name>/index.html:
# these prefixes reach <base>/ and <base>/app/static/ from there, whatever the server's base path.
APP_URL_FROM_MAP = "../../"
STATIC_URL_FROM_MAP = APP_URL_FROM_MAP + "app/static/"

SAINT_ETIENNE = (MapView.latitude, MapView.longitude)
DEFAULT_ZOOM = MapView.zoom
MAX_ZOOM = MapView.MAX_ZOOM
# Every marker is outlined in near-black, which gives any fill 3:1 or more against the map
# (WCAG 1.4.11); the fill tells kinds apart, and so does the shape, for whoever cannot see it.
MARKER_OUTLINE = "#1A1A1A"


def _polygon(corners: int, *, inner: float | None = None, turn: float = -90) -> str:
    """An SVG path of a regular polygon (or a star, with `inner` radius) in a 20×20 box."""
    points = []
    steps = corners * (2 if inner else 1)
    for step in range(steps):
        radius = 9.5 if not inner or step % 2 == 0 else inner
        angle = math.radians(turn + 360 * step / steps)
        points.append(f"{10 + radius * math.cos(angle):.2f} {10 + radius * math.sin(angle):.2f}")
    return "M" + "L".join(points) + "Z"


SHAPES: dict[str, str] = {
    "circle": "M10 1.5a8.5 8.5 0 1 0 0.01 0Z",
    "square": "M2.5 2.5H17.5V17.5H2.5Z",
    "triangle": _polygon(3, turn=-90),
    "triangle-down": _polygon(3, turn=90),
    "diamond": _polygon(4),
    "pentagon": _polygon(5),
    "hexagon": _polygon(6, turn=0),
    "star": _polygon(5, inner=4.2),
    "cross": "M7 1.5H13V7H18.5V13H13V18.5H7V13H1.5V7H7Z",
}
# The Okabe–Ito palette, which people with the common colour-vision deficiencies tell apart.
KIND_STYLES: dict[PartnerKind, tuple[str, str]] = {
    PartnerKind.ATELIER: ("#D55E00", "star"),
    PartnerKind.INCUBATOR: ("#009E73", "triangle"),
    PartnerKind.SCHOOL: ("#0072B2", "square"),
    PartnerKind.CLUSTER: ("#CC79A7", "hexagon"),
    PartnerKind.STARTUP: ("#E69F00", "circle"),
    PartnerKind.COWORKING: ("#56B4E9", "diamond"),
    PartnerKind.PUBLIC_BODY: ("#000000", "pentagon"),
    PartnerKind.NETWORK: ("#F0E442", "triangle-down"),
    PartnerKind.ASSOCIATION: ("#999999", "cross"),
}
KIND_COLOURS: dict[PartnerKind, str] = {kind: colour for kind, (colour, _) in KIND_STYLES.items()}
KIND_ORDER = list(PartnerKind)


def marker_svg(kind: str, *, size: int = 18, approximate: bool = False, presenting: bool = False) -> str:
    """The marker of a kind as an SVG document (the map draws the same in static/markers.js
    from `marker_styles()`)."""
    colour, shape = KIND_STYLES.get(kind, ("#999999", "circle"))  # StrEnum keys match plain strings
    dash = ' stroke-dasharray="3 2"' if approximate else ""
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" viewBox="-2 -2 24 24">'
            f'<path d="{SHAPES[shape]}" fill="{colour}" fill-opacity="{0.35 if approximate else 0.95}" '
            f'stroke="{MARKER_OUTLINE}" stroke-width="{3.5 if presenting else 1.6}"{dash}/></svg>')


def marker_image(kind: str, **style: bool) -> str:
    """The marker as a decorative picture, for legends, cards and lists (HTML sanitizers keep
    an <img> where they drop inline SVG)."""
    data = base64.b64encode(marker_svg(kind, **style).encode()).decode()
    return (f'<img src="data:image/svg+xml;base64,{data}" alt="" width="18" height="18" '
            'style="vertical-align:-0.25em;margin-right:.35em">')


def marker_styles(kind_labels: dict[str, str]) -> list[dict[str, str]]:
    """What static/markers.js needs to draw each kind, in KIND_ORDER."""
    return [{"colour": KIND_STYLES[kind][0], "path": SHAPES[KIND_STYLES[kind][1]], "outline": MARKER_OUTLINE,
             "label": kind_labels.get(kind.value, kind.value)} for kind in KIND_ORDER]


def escape_for_map(text: object) -> str:
    """Text made inert for folium's popups and tooltips.

    folium puts them in raw HTML *and* inside JavaScript template literals, so besides HTML's
    special characters, the backtick, the dollar sign and the backslash become entities too.
    """
    escaped = html.escape(str(text), quote=True)
    return escaped.replace("`", "&#96;").replace("$", "&#36;").replace("\\", "&#92;")


def json_for_script(value: object) -> str:
    """JSON that is also safe to place inside a <script> element, and inside the JavaScript
    template literal st_folium may wrap the script in (no raw backtick or dollar sign)."""
    return (json.dumps(value, ensure_ascii=False, separators=(",", ":"))
            .replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("`", "\\u0060").replace("$", "\\u0024")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


# --- The data file ---------------------------------------------------------------------------

def layer_rows(partners: pd.DataFrame) -> list[list]:
    """One compact row per placed partner, what both maps draw: [lat, lon, name, style code, slug]
    (the slug names its public page).

    The style code is the kind's index times 4, plus 1 for an approximate position and 2 for a
    startup presenting at the atelier.
    """
    placed = partners.dropna(subset=["latitude", "longitude"])
    codes = placed["kind"].map({k.value: i * 4 for i, k in enumerate(KIND_ORDER)}).fillna(0).astype(int)
    codes += (placed["precision"] == "approximate").astype(int)
    if "presenting" in placed:
        codes += 2 * placed["presenting"].astype(bool).astype(int)
    return [
        [round(lat, 5), round(lon, 5), name, int(code), slug]
        for lat, lon, name, code, slug in zip(placed["latitude"], placed["longitude"], placed["name"], codes,
                                              placed["slug"], strict=True)
    ]


def layer_data_url(version: str, filters: PartnerFilters, *, base: str = APP_URL_FROM_MAP) -> str:
    """Where a map fetches a filtered set's rows (the /carte/partenaires.json route), relative to
    its page (the explore page's map is in an iframe). The data version is in the address, so a
    browser may keep each answer."""
    # "Open now" changes with the clock: its address changes each minute.
    moment = f":{utcnow():%Y%m%d%H%M}" if filters.open_now else ""
    params = {"v": hashlib.sha256((version + moment).encode()).hexdigest()[:16], **filters.to_query_params()}
    return base + "carte/partenaires.json?" + urlencode(params)


def layer_json(partners: pd.DataFrame) -> bytes:
    return json.dumps(layer_rows(partners), ensure_ascii=False, separators=(",", ":")).encode()


# --- The map ---------------------------------------------------------------------------------

def _static(path: str) -> str:
    return STATIC_URL_FROM_MAP + path


class PartnerClusterLayer(JSCSSMixin, MacroElement):
    """Fetches a filtered set's rows and clusters its partners in the browser; rings the selected one."""

    _template = Template("""
{% macro script(this, kwargs) %}
(function (group) {
  var map = window.map, styles = {{ this.styles }}, markers = VitrineMarkers(styles);
  var texts = {{ this.texts }};
  var selected = {{ this.selected }};
  var ring = selected ? markers.highlight(selected) : null;
  var points = markers.points(map, group, texts);
  if (ring) { group.addLayer(ring); }
  // The chosen marker is ringed at once, while the page fetches its card (told once the map's
  // own click handlers have run).
  group.on("click", function (event) {
    if (ring) { group.removeLayer(ring); }
    ring = markers.highlight(event.sourceTarget.getLatLng());
    group.addLayer(ring);
    setTimeout(markers.tellPageAtOnce, 0);
  });
  // The next filters bring a new group: this one's clusters and listeners go with it.
  group.on("remove", points.remove);
  function inert(text) {
    return String(text).replace(/[&<>"'`$\\\\]/g, function (c) { return "&#" + c.charCodeAt(0) + ";"; });
  }
  function tooltip(name) {
    return function (marker) { marker.bindTooltip(inert(name)); };
  }
  var url = new URL({{ this.url }}, document.baseURI);
  fetch(url).then(function (response) { return response.json(); }).then(function (rows) {
    points.load(rows, function (row) {
      var kind = row[3] >> 2, style = styles[kind] || styles[0];
      var approximate = (row[3] & 1) === 1, presenting = (row[3] & 2) === 2;
      return {kind: kind, approximate: approximate, presenting: presenting, dress: tooltip(row[2]),
              title: row[2] + " (" + style.label + (approximate ? ", " + texts.approximate : "")
                     + (presenting ? ", " + texts.presenting : "") + ")"};
    }, function () {
      document.documentElement.setAttribute("data-partners-loaded", String(rows.length));
    });
  });
})({{ this._parent.get_name() }});
{% endmacro %}
""")

    default_js = [("supercluster_js", _static("vendor/supercluster/supercluster.min.js")),
                  ("vitrine_markers_js", _static("markers.js"))]
    default_css = [("vitrine_map_css", _static("map.css"))]

    def __init__(self, data_url: str, *, kind_labels: dict[str, str], language: str,
                 selected: tuple[float, float] | None = None) -> None:
        super().__init__()
        self._name = "PartnerClusterLayer"
        self.url = json_for_script(data_url)
        self.styles = json_for_script(marker_styles(kind_labels))
        self.texts = json_for_script(point_texts(language))
        self.selected = json_for_script(list(selected) if selected else None)


def point_texts(language: str) -> dict[str, str]:
    """What both maps' partner layers say, in the visitor's language (static/markers.js)."""
    return {"locale": "fr-FR" if language == "fr" else "en-GB",
            "cluster": translate(N_("{count} partenaires regroupés ici : les afficher"), language),
            "approximate": translate(N_("position approximative"), language),
            "presenting": translate(N_("présente à l'atelier"), language)}


# What Leaflet writes in English, in the visitor's language (the folium map and the embed).
MAP_TEXTS = {"zoomInTitle": N_("Zoom avant"), "zoomOutTitle": N_("Zoom arrière"),
             "contributors": N_("contributeurs d'OpenStreetMap"),
             "library": N_("Une bibliothèque JavaScript de cartes interactives")}


def map_texts(language: str) -> dict[str, str]:
    """The map's controls and attribution: zoom buttons' titles, then both attribution lines as HTML."""
    texts = {name: translate(text, language) for name, text in MAP_TEXTS.items()}
    return {"zoomInTitle": texts["zoomInTitle"], "zoomOutTitle": texts["zoomOutTitle"],
            "attribution": f'&copy; <a href="https://www.openstreetmap.org/copyright">'
                           f'{html.escape(texts["contributors"])}</a>',
            "prefix": f'<a href="https://leafletjs.com" title="{html.escape(texts["library"])}">Leaflet</a>'}


class MapSettings(MacroElement):
    """Zoom buttons and attribution in the visitor's language, a metric scale only, and the atelier
    as a star beneath the clusters (no label to cover them)."""

    _template = Template("""
{% macro script(this, kwargs) %}
L.control.zoom({zoomInTitle: {{ this.texts.zoomInTitle }}, zoomOutTitle: {{ this.texts.zoomOutTitle }}})
  .addTo({{ this._parent.get_name() }});
{{ this._parent.get_name() }}.attributionControl.setPrefix({{ this.texts.prefix }});
L.control.scale({imperial: false}).addTo({{ this._parent.get_name() }});
{% for place in this.landmarks %}
L.marker([{{ place.latitude }}, {{ place.longitude }}], {
  icon: L.divIcon({html: {{ this.star }}, className: "vitrine-landmark", iconSize: [34, 34], iconAnchor: [17, 17]}),
  title: {{ place.title }}, zIndexOffset: -1000, keyboard: true
}).bindTooltip({{ place.tooltip }}).addTo({{ this._parent.get_name() }});
{% endfor %}
{% endmacro %}
""")

    def __init__(self, landmarks: pd.DataFrame, landmark_label: str, language: str) -> None:
        super().__init__()
        self._name = "MapSettings"
        self.texts = {name: json_for_script(text) for name, text in map_texts(language).items()}
        self.star = json_for_script(marker_svg(PartnerKind.ATELIER, size=34))
        self.landmarks = [
            {"latitude": float(place.latitude), "longitude": float(place.longitude),
             "title": json_for_script(f"{place.name} ({landmark_label})"),
             "tooltip": json_for_script(escape_for_map(f"★ {landmark_label} — {place.name}"))}
            for place in landmarks.dropna(subset=["latitude", "longitude"]).itertuples()
        ]


def base_map(landmarks: pd.DataFrame | None = None, *, landmark_label: str = "",
             view: MapView | None = None, language: str = "fr") -> folium.Map:
    """The map that stays the same between reruns: tiles, controls, scale, and the atelier as a landmark."""
    view = view or MapView()
    fmap = folium.Map(location=(view.latitude, view.longitude), zoom_start=view.zoom, tiles=None,
                      max_zoom=MAX_ZOOM, control_scale=False, zoom_control=False)
    fmap.default_js = [("leaflet", _static("vendor/leaflet/leaflet.js"))]
    fmap.default_css = [("leaflet_css", _static("vendor/leaflet/leaflet.css"))]
    # Tiles need a max_zoom even when they cannot load, or clustering breaks. The provider is
    # named, not looked up: TileLayer("OpenStreetMap") walks xyzservices' whole catalogue.
    folium.TileLayer(OSM_TILES, attr=map_texts(language)["attribution"], name="OpenStreetMap", max_zoom=MAX_ZOOM,
                     max_native_zoom=MAX_ZOOM).add_to(fmap)
    fmap.add_child(MapSettings(landmarks if landmarks is not None else pd.DataFrame(
        columns=["name", "latitude", "longitude"]), landmark_label, language))
    return fmap


OSM_TILES = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"


def partner_layer(data_url: str, *, kind_labels: dict[str, str], language: str, group_name: str,
                  selected: tuple[float, float] | None = None) -> folium.FeatureGroup:
    """What changes with the filters and the selection: handed to st_folium as `feature_group_to_add`."""
    group = folium.FeatureGroup(name=group_name)
    group.add_child(PartnerClusterLayer(data_url, kind_labels=kind_labels, language=language, selected=selected))
    return group
