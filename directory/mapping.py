"""The public map: the only place that writes map HTML and JavaScript.

Partners do not travel inside the map's HTML: their public fields are written once per filtered
set as compact JSON into the app's static folder (named by a content hash), and a small layer
fetches that file and clusters the markers in the browser. The map's own script then stays the
same from one rerun to the next, so the map keeps its view while the filters change.
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import tempfile
import time
from pathlib import Path

import folium
import pandas as pd
from branca.element import MacroElement
from folium.elements import JSCSSMixin
from jinja2 import Template

from directory.db import PROJECT_ROOT
from directory.models import PartnerKind

STATIC_DIR = PROJECT_ROOT / "static"
LAYER_DATA_DIR = STATIC_DIR / "mapdata"
# st_folium draws the map in an iframe served at <base>/component/<name>/index.html:
# this prefix reaches <base>/app/static/ from there, whatever the server's base path.
STATIC_URL_FROM_MAP = "../../app/static/"
LAYER_DATA_MAX_AGE_SECONDS = 6 * 3600

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


def publish_layer_data(partners: pd.DataFrame, directory: Path = LAYER_DATA_DIR) -> str:
    """Write the filtered set's map data (only public fields) and return its file name.

    The name is a hash of the content, so every replica writes the same name for the same data,
    and a file is written once, atomically. Calling it again refreshes the file's age, which is
    what `prune_layer_data` reads.
    """
    payload = json.dumps(layer_rows(partners), ensure_ascii=False, separators=(",", ":")).encode()
    name = f"partners-{hashlib.sha256(payload).hexdigest()[:20]}.json"
    path = directory / name
    if path.exists():
        os.utime(path)
        return name
    directory.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=directory, prefix=".tmp-", delete=False) as tmp:
        tmp.write(payload)
    os.chmod(tmp.name, 0o644)  # public data, readable by a front web server too
    os.replace(tmp.name, path)
    return name


def ensure_layer_data(name: str, partners: pd.DataFrame, directory: Path = LAYER_DATA_DIR) -> str:
    """The file a cached view refers to, rewritten if it was pruned meanwhile."""
    path = directory / name
    if path.exists():
        os.utime(path)
        return name
    return publish_layer_data(partners, directory)


def prune_layer_data(directory: Path = LAYER_DATA_DIR, *, max_age: float = LAYER_DATA_MAX_AGE_SECONDS) -> int:
    """Remove data files no session has asked for in `max_age` seconds."""
    if not directory.exists():
        return 0
    limit = time.time() - max_age
    removed = 0
    for path in directory.glob("*partners-*.json"):
        try:
            if path.stat().st_mtime < limit:
                path.unlink()
                removed += 1
        except FileNotFoundError:
            pass  # another replica pruned it first
    return removed


# --- The map ---------------------------------------------------------------------------------

def _static(path: str) -> str:
    return STATIC_URL_FROM_MAP + path


class PartnerClusterLayer(JSCSSMixin, MacroElement):
    """Fetches a data file and clusters its partners in the browser."""

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

    def __init__(self, data_file: str, *, kind_labels: dict[str, str], approximate_label: str,
                 presenting_label: str) -> None:
        super().__init__()
        self._name = "PartnerClusterLayer"
        self.url = _json_for_script(_static(f"mapdata/{data_file}"))
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



def partner_layer(data_file: str, *, kind_labels: dict[str, str], approximate_label: str,
                  presenting_label: str, group_name: str) -> folium.FeatureGroup:
    """What changes with the filters: handed to st_folium as `feature_group_to_add`."""
    group = folium.FeatureGroup(name=group_name)
    group.add_child(PartnerClusterLayer(data_file, kind_labels=kind_labels,
                                        approximate_label=approximate_label,
                                        presenting_label=presenting_label))
    return group
