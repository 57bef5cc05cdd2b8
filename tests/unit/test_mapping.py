import json
import os
import time

import pandas as pd
import pytest

from directory import mapping
from directory.models import PartnerKind

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
    return pd.DataFrame(rows, columns=["name", "kind", "latitude", "longitude", "precision"])


def test_layer_rows_are_compact_and_skip_unplaced_partners():
    rows = mapping.layer_rows(frame([
        ("A", "startup", 45.4347123, 4.3903456, "exact"),
        ("B", "school", 45.1, 4.2, "approximate"),
        ("C", "startup", None, None, "unknown"),
    ]))
    startup, school = mapping.KIND_ORDER.index(PartnerKind.STARTUP), mapping.KIND_ORDER.index(PartnerKind.SCHOOL)
    assert rows == [[45.43471, 4.39035, "A", startup * 4], [45.1, 4.2, "B", school * 4 + 1]]


def test_layer_data_is_named_by_content_and_written_once(tmp_path):
    data = frame([("A", "startup", 45.4, 4.3, "exact")])
    name = mapping.publish_layer_data(data, tmp_path)
    assert name.startswith("partners-") and "_" not in name  # st_folium strips _[a-z0-9]+ from keys
    assert json.loads((tmp_path / name).read_text()) == [[45.4, 4.3, "A", mapping.KIND_ORDER.index(PartnerKind.STARTUP) * 4]]
    assert mapping.publish_layer_data(data, tmp_path) == name
    assert mapping.publish_layer_data(frame([("B", "startup", 45.4, 4.3, "exact")]), tmp_path) != name
    assert not list(tmp_path.glob(".tmp-*"))


def test_pruning_removes_only_files_nobody_asked_for_lately(tmp_path):
    old = mapping.publish_layer_data(frame([("Old", "startup", 45.4, 4.3, "exact")]), tmp_path)
    fresh = mapping.publish_layer_data(frame([("New", "startup", 45.4, 4.3, "exact")]), tmp_path)
    past = time.time() - 2 * mapping.LAYER_DATA_MAX_AGE_SECONDS
    os.utime(tmp_path / old, (past, past))
    assert mapping.prune_layer_data(tmp_path) == 1
    assert [p.name for p in tmp_path.iterdir()] == [fresh]
    # A cached view whose file was pruned gets it written again.
    assert mapping.ensure_layer_data(old, frame([("Old", "startup", 45.4, 4.3, "exact")]), tmp_path) == old


def test_the_map_loads_nothing_from_a_cdn():
    fmap = mapping.base_map()
    layer = mapping.partner_layer("partners-x.json", kind_labels={}, approximate_label="",
                                  presenting_label="", group_name="p")
    layer.add_to(fmap)
    links = []
    for element in [fmap, *layer._children.values()]:
        links += [url for _, url in element.default_js + element.default_css]
    assert links and all(url.startswith(mapping.STATIC_URL_FROM_MAP) for url in links)
    for url in links:
        assert (mapping.STATIC_DIR / url.removeprefix(mapping.STATIC_URL_FROM_MAP)).is_file()


@pytest.mark.parametrize("kind", list(PartnerKind))
def test_every_kind_has_a_colour_with_enough_contrast_on_white(kind):
    def luminance(hex_colour):
        channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    contrast = 1.05 / (luminance(mapping.KIND_COLOURS[kind]) + 0.05)
    assert contrast >= 4.5
