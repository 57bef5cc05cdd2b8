import json
from pathlib import Path

import pandas as pd
import pytest

from directory.listings import PartnerFilters, mapping
from directory.models import PartnerKind

ROOT = Path(__file__).resolve().parents[3]

HOSTILE = "</script><img src=x onerror=alert(1)> `${alert(2)}` \\ 'quote\" & 🚀"


def test_map_text_leaves_no_html_nor_template_literal_breakout():
    escaped = mapping.escape_for_map(HOSTILE)
    for dangerous in ("<", ">", "`", "${", "\\", '"', "'"):
        assert dangerous not in escaped
    assert "🚀" in escaped and "&amp;" in escaped


def test_a_hostile_landmark_name_reaches_the_map_script_inert():
    landmarks = pd.DataFrame([{"name": HOSTILE, "latitude": 45.438, "longitude": 4.391}])
    fmap = mapping.base_map(landmarks, landmark_label=HOSTILE)
    html = fmap.get_root().render()
    assert "<img src=x" not in html and "`${alert" not in html


def frame(rows):
    return pd.DataFrame([(*row, row[0].lower()) for row in rows],
                        columns=["name", "kind", "latitude", "longitude", "precision", "slug"])


def test_layer_rows_are_compact_and_skip_unplaced_partners():
    rows = mapping.layer_rows(frame([
        ("A", "startup", 45.4347123, 4.3903456, "exact"),
        ("B", "school", 45.1, 4.2, "approximate"),
        ("C", "startup", None, None, "unknown"),
    ]))
    startup, school = mapping.KIND_ORDER.index(PartnerKind.STARTUP), mapping.KIND_ORDER.index(PartnerKind.SCHOOL)
    assert rows == [[45.43471, 4.39035, "A", startup * 4, "a"], [45.1, 4.2, "B", school * 4 + 1, "b"]]


def test_the_map_fetches_its_rows_from_an_address_named_by_data_version_and_filters():
    filters = PartnerFilters(kinds=("startup",), text="capteur")
    url = mapping.layer_data_url("v1", filters)
    assert url.startswith(mapping.APP_URL_FROM_MAP + "carte/partenaires.json?")
    assert "kinds=startup" in url and "q=capteur" in url
    assert "_" not in url  # st_folium strips _[a-z0-9]+ from the script before keying the map
    assert mapping.layer_data_url("v2", filters) != url
    assert mapping.layer_data_url("v1", PartnerFilters()) != url


def test_layer_json_is_the_compact_rows():
    data = frame([("A", "startup", 45.4, 4.3, "exact")])
    assert json.loads(mapping.layer_json(data)) == [[45.4, 4.3, "A", mapping.KIND_ORDER.index(PartnerKind.STARTUP) * 4,
                                                     "a"]]


def test_the_map_loads_nothing_from_a_cdn():
    fmap = mapping.base_map()
    layer = mapping.partner_layer("../../carte/partenaires.json?v=x", kind_labels={}, language="fr", group_name="p")
    layer.add_to(fmap)
    links = []
    for element in [fmap, *layer._children.values()]:
        links += [url for _, url in element.default_js + element.default_css]
    assert links and all(url.startswith(mapping.STATIC_URL_FROM_MAP) for url in links)
    for url in links:
        assert (ROOT / "directory" / "ui" / "static" / url.removeprefix(mapping.STATIC_URL_FROM_MAP)).is_file()


def contrast(first: str, second: str) -> float:
    def luminance(hex_colour):
        channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


OKABE_ITO = {"#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#000000", "#999999"}


def test_kinds_differ_by_colour_blind_safe_colours_and_by_shape():
    colours = [colour for colour, _ in mapping.KIND_STYLES.values()]
    shapes = [shape for _, shape in mapping.KIND_STYLES.values()]
    assert set(mapping.KIND_STYLES) == set(PartnerKind)
    assert set(colours) <= OKABE_ITO and len(set(colours)) == len(colours)
    assert len(set(shapes)) == len(shapes) and set(shapes) <= set(mapping.SHAPES)


@pytest.mark.parametrize("background", ["#FFFFFF", "#F2EFE9", "#AAD3DF"])  # white, OSM land, OSM water
def test_every_marker_outline_stands_out_on_the_map(background):
    assert contrast(mapping.MARKER_OUTLINE, background) >= 3  # WCAG 1.4.11, graphics


def test_a_legend_picture_is_the_marker_of_its_kind():
    picture = mapping.marker_svg(PartnerKind.SCHOOL, approximate=True)
    assert mapping.SHAPES["square"] in picture and "#0072B2" in picture and "stroke-dasharray" in picture
