"""The public map: the only place that writes map HTML and JavaScript.

Partners do not travel inside the map's HTML: a small layer fetches the filtered set's public
fields as compact JSON from the app's own address (/carte/partenaires.json) and clusters the
markers in the browser. The map's own script then stays the same from one rerun to the next, so
the map keeps its view while the filters change.
"""

from __future__ import annotations

import hashlib
import html
import json
from urllib.parse import urlencode

import folium
import pandas as pd
from branca.element import MacroElement
from folium.elements import JSCSSMixin
from jinja2 import Template

from directory.models import PartnerKind
from directory.partners import PartnerFilters

# st_folium draws the map in an iframe served at <base>/component/<name>/index.html:
# these prefixes reach <base>/ and <base>/app/static/ from there, whatever the server's base path.
APP_URL_FROM_MAP = "../../"
STATIC_URL_FROM_MAP = APP_URL_FROM_MAP + "app/static/"

SAINT_ETIENNE = (45.4347, 4.3903)
DEFAULT_ZOOM = 13
MAX_ZOOM = 19

# Colours reach 4.5:1 against white and light map tiles (WCAG 1.4.11 asks 3:1 for graphics).
KIND_COLOURS: dict[PartnerKind, str] = {
    PartnerKind.ATELIER: "#B3261E",
    PartnerKind.INCUBATOR: "#1E6B52",
    PartnerKind.SCHOOL: "#1F4E9E",
    PartnerKind.CLUSTER: "#6A3D9A",
    PartnerKind.STARTUP: "#B4440B",
    PartnerKind.COWORKING: "#7A5200",
    PartnerKind.PUBLIC_BODY: "#37474F",
    PartnerKind.NETWORK: "#AD1457",
    PartnerKind.ASSOCIATION: "#00695C",
}
KIND_ORDER = list(PartnerKind)


def escape_for_map(text: object) -> str:
    """Text made inert for folium's popups and tooltips.

    folium puts them in raw HTML *and* inside JavaScript template literals, so besides HTML's
    special characters, the backtick, the dollar sign and the backslash become entities too.
    """
    escaped = html.escape(str(text), quote=True)
    return escaped.replace("`", "&#96;").replace("$", "&#36;").replace("\\", "&#92;")


def _json_for_script(value: object) -> str:
    """JSON that is also safe to place inside a <script> element."""
    return (json.dumps(value, ensure_ascii=False, separators=(",", ":"))
            .replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


# --- The data file ---------------------------------------------------------------------------

def layer_rows(partners: pd.DataFrame) -> list[list]:
    """One compact row per placed partner: [lat, lon, name, style code].

    The style code is the kind's index times 4, plus 1 for an approximate position and 2 for a
    startup presenting at the atelier.
    """
    placed = partners.dropna(subset=["latitude", "longitude"])
    codes = placed["kind"].map({k.value: i * 4 for i, k in enumerate(KIND_ORDER)}).fillna(0).astype(int)
    codes += (placed["precision"] == "approximate").astype(int)
    if "presenting" in placed:
        codes += 2 * placed["presenting"].astype(bool).astype(int)
    return [
        [round(lat, 5), round(lon, 5), name, int(code)]
        for lat, lon, name, code in zip(placed["latitude"], placed["longitude"], placed["name"], codes, strict=True)
    ]


def layer_data_url(version: str, filters: PartnerFilters) -> str:
    """Where the map fetches a filtered set's rows (the /carte/partenaires.json route), relative to
    the map's iframe. The data version is in the address, so a browser may keep each answer."""
    params = {"v": hashlib.sha256(version.encode()).hexdigest()[:16], **filters.to_query_params()}
    return APP_URL_FROM_MAP + "carte/partenaires.json?" + urlencode(params)


def layer_json(partners: pd.DataFrame) -> bytes:
    return json.dumps(layer_rows(partners), ensure_ascii=False, separators=(",", ":")).encode()


# --- The map ---------------------------------------------------------------------------------

def _static(path: str) -> str:
    return STATIC_URL_FROM_MAP + path


class PartnerClusterLayer(JSCSSMixin, MacroElement):
    """Fetches a filtered set's rows and clusters its partners in the browser."""

    _template = Template("""
{% macro script(this, kwargs) %}
var {{ this.get_name() }} = L.markerClusterGroup({maxClusterRadius: 45, chunkedLoading: true,
    showCoverageOnHover: false, spiderfyOnMaxZoom: true});
{{ this._parent.get_name() }}.addLayer({{ this.get_name() }});
(function (cluster) {
  var styles = {{ this.styles }};
  var approximateLabel = {{ this.approximate_label }};
  var presentingLabel = {{ this.presenting_label }};
  function inert(text) {
    return String(text).replace(/[&<>"'`$\\\\]/g, function (c) { return "&#" + c.charCodeAt(0) + ";"; });
  }
  var url = new URL({{ this.url }}, document.baseURI);
  fetch(url).then(function (response) { return response.json(); }).then(function (rows) {
    var markers = new Array(rows.length);
    for (var i = 0; i < rows.length; i++) {
      var row = rows[i], style = styles[row[3] >> 2] || styles[0];
      var approximate = (row[3] & 1) === 1, presenting = (row[3] & 2) === 2;
      var marker = L.circleMarker([row[0], row[1]], {
        radius: presenting ? 10 : 8, color: style[0], weight: presenting ? 4 : 2,
        fillColor: style[0], fillOpacity: approximate ? 0.3 : 0.85,
        dashArray: approximate ? "4 3" : null
      });
      marker.bindTooltip(inert(row[2]));
      marker.options.title = row[2] + " (" + style[1] + (approximate ? ", " + approximateLabel : "")
        + (presenting ? ", " + presentingLabel : "") + ")";
      markers[i] = marker;
    }
    cluster.addLayers(markers);
    document.documentElement.setAttribute("data-partners-loaded", String(rows.length));
  });
})({{ this.get_name() }});
{% endmacro %}
""")

    default_js = [("markercluster_js", _static("vendor/markercluster/leaflet.markercluster.js"))]
    default_css = [
        ("markercluster_css", _static("vendor/markercluster/MarkerCluster.css")),
        ("markercluster_default_css", _static("vendor/markercluster/MarkerCluster.Default.css")),
    ]

    def __init__(self, data_url: str, *, kind_labels: dict[str, str], approximate_label: str,
                 presenting_label: str) -> None:
        super().__init__()
        self._name = "PartnerClusterLayer"
        self.url = _json_for_script(data_url)
        self.styles = _json_for_script(
            [[KIND_COLOURS[kind], kind_labels.get(kind.value, kind.value)] for kind in KIND_ORDER]
        )
        self.approximate_label = _json_for_script(approximate_label)
        self.presenting_label = _json_for_script(presenting_label)


LANDMARK_STYLE = """<style>
.vitrine-landmark { background:#B3261E; color:#fff; font:600 13px/26px sans-serif; padding:0 8px;
  border-radius:14px; white-space:nowrap; box-shadow:0 1px 4px rgba(0,0,0,.4); display:inline-block; }
.vitrine-landmark-icon { background:none; border:none; }
</style>"""


def base_map(landmarks: pd.DataFrame | None = None, *, landmark_label: str = "") -> folium.Map:
    """The map that stays the same between reruns: tiles, and the atelier as a landmark."""
    fmap = folium.Map(location=SAINT_ETIENNE, zoom_start=DEFAULT_ZOOM, tiles=None,
                      max_zoom=MAX_ZOOM, control_scale=True)
    fmap.default_js = [("leaflet", _static("vendor/leaflet/leaflet.js"))]
    fmap.default_css = [("leaflet_css", _static("vendor/leaflet/leaflet.css"))]
    # Tiles need a max_zoom even when they cannot load, or clustering breaks.
    folium.TileLayer("OpenStreetMap", max_zoom=MAX_ZOOM, max_native_zoom=MAX_ZOOM).add_to(fmap)
    placed = landmarks.dropna(subset=["latitude", "longitude"]) if landmarks is not None else pd.DataFrame()
    for landmark in placed.itertuples():
        name = escape_for_map(landmark.name)
        icon = folium.DivIcon(
            html=f'<div class="vitrine-landmark" role="img" aria-label="{name}">'
                 f'<span aria-hidden="true">★</span> {escape_for_map(landmark_label)}</div>',
            icon_size=(170, 28), icon_anchor=(12, 14), class_name="vitrine-landmark-icon",
        )
        folium.Marker([landmark.latitude, landmark.longitude], icon=icon, tooltip=name).add_to(fmap)
    fmap.get_root().header.add_child(folium.Element(LANDMARK_STYLE))
    return fmap



def partner_layer(data_url: str, *, kind_labels: dict[str, str], approximate_label: str,
                  presenting_label: str, group_name: str) -> folium.FeatureGroup:
    """What changes with the filters: handed to st_folium as `feature_group_to_add`."""
    group = folium.FeatureGroup(name=group_name)
    group.add_child(PartnerClusterLayer(data_url, kind_labels=kind_labels,
                                        approximate_label=approximate_label,
                                        presenting_label=presenting_label))
    return group
