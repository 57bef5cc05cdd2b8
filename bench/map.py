"""Map page benchmark: script time, bytes per partner and peak memory at 1,000 / 10,000 / 50,000
partners, against two baselines (one folium.Marker per partner; FastMarkerCluster inline).

    python bench/map.py                 # all sizes, each in its own process
    python bench/map.py --sizes 1000    # some sizes only

Figures: median script time of reruns of the whole map page under AppTest (filters, map, list),
and of the map alone (building it + st_folium) for our layer and for each baseline. The script is
timed inside Streamlit's runner, so AppTest's own polling is not counted. "cold" is what the
first reader pays after a start (the whole published directory) / after a write (the changed rows). "server MB" is
the peak memory of a real `streamlit run` serving the page to Chromium until its markers show.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import ROOT, ScriptTimer, database_with_partners, median_ms, timed  # noqa: E402

RERUNS = 7


def map_alone_script(variant: str, database_url: str) -> None:
    """Runs inside AppTest: build one variant of the map and hand it to st_folium."""
    import streamlit as st
    from streamlit_folium import st_folium

    from directory import db, listings
    from directory.listings import PartnerFilters, mapping

    @st.cache_resource
    def data(url):
        # Loaded once, as the page does through its caches: only the map itself is timed.
        return listings.load_published(db.make_engine(url))

    frame = data(database_url)
    if variant == "layer":
        st_folium(mapping.base_map(frame[frame.kind == "atelier"], landmark_label="Atelier"),
                  feature_group_to_add=mapping.partner_layer(
                      mapping.layer_data_url("v", PartnerFilters()), kind_labels={}, approximate_label="",
                      presenting_label="", group_name="p"),
                  key="m", height=500, returned_objects=["last_object_clicked"])
        return
    from bench.map import baseline_map

    st_folium(baseline_map(variant, frame), key="m", height=500, returned_objects=["last_object_clicked"])


def time_map_alone(variant: str, database_url: str, repeat: int) -> float:
    from streamlit.testing.v1 import AppTest

    app = AppTest.from_function(map_alone_script, args=(variant, database_url), default_timeout=600)
    app.run()  # warm: imports, caches
    samples = ScriptTimer().runs(app, repeat)
    assert not app.exception, app.exception
    return median_ms(samples)


def baseline_map(variant: str, frame):
    """One of the two baselines: FastMarkerCluster with the data inline, or one Marker per partner."""
    import folium
    from folium.plugins import FastMarkerCluster

    from directory.listings import mapping

    fmap = folium.Map(location=mapping.SAINT_ETIENNE, zoom_start=13)
    if variant == "fast_cluster":
        FastMarkerCluster(frame[["latitude", "longitude"]].values.tolist()).add_to(fmap)
    else:
        for row in frame.itertuples():
            folium.Marker([row.latitude, row.longitude], tooltip=mapping.escape_for_map(row.name)).add_to(fmap)
    return fmap


def baseline_bytes(variant: str, frame) -> tuple[int, int]:
    html = baseline_map(variant, frame).get_root().render().encode()
    return len(html), len(gzip.compress(html, compresslevel=5))


def cold_loads_ms(engine) -> tuple[float, float]:
    """What the first reader pays: after a start (the whole directory), and after a write (one
    listing renamed), the medians of 7."""
    from directory import listings
    from directory.listings import PartnerForm

    start = median_ms(timed(lambda: listings.load_published(engine), RERUNS))
    after_write = []
    for number in range(RERUNS):
        listings.published_partners(engine, listings.data_version(engine))
        listings.update_partner(engine, 2, PartnerForm(name=f"Renommé {number}", kind="startup",
                                                       short_description="Une startup."), staff="bench")
        version = listings.data_version(engine)
        after_write += timed(lambda version=version: listings.published_partners(engine, version), 1)
    return start, median_ms(after_write)


def server_peak_mb(url: str) -> float:
    """Peak resident memory of a real server that has drawn the page, markers included, once."""
    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import MAP_FRAME, READY, start_server, stop_server

    with tempfile.TemporaryDirectory() as folder:
        process, base = start_server(url, Path(folder) / "server.log")
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", headless=True,
                                                     args=["--no-sandbox", "--disable-gpu"])
                page = browser.new_page()
                page.goto(base + "/")
                page.wait_for_selector(READY, timeout=300_000)
                page.frame_locator(MAP_FRAME).first.locator("html[data-partners-loaded]").wait_for(timeout=300_000)
                browser.close()
            status = Path(f"/proc/{process.pid}/status").read_text()
            return int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM"))) / 1024
        finally:
            stop_server(process)


def measure(size: int) -> dict:
    from streamlit.testing.v1 import AppTest

    from directory import listings
    from directory.listings import mapping

    workdir = tempfile.mkdtemp()
    url = f"sqlite:///{workdir}/bench.db"
    engine = database_with_partners(url, size)
    os.environ.update(DATABASE_URL=url, VITRINE_DEMO_DATA="0")

    page = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
    page.run()
    assert not page.exception, page.exception
    page_ms = median_ms(ScriptTimer().runs(page, RERUNS))

    layer_map_ms = time_map_alone("layer", url, RERUNS)
    frame = listings.load_published(engine)
    data = json.dumps(mapping.layer_rows(frame), ensure_ascii=False, separators=(",", ":")).encode()
    result = {
        "size": size, "page_rerun_ms": page_ms, "layer_map_ms": layer_map_ms,
        "layer_bytes_per_partner": len(data) / size,
        # As Streamlit's server sends it: gzip level 5 (starlette_server_config.GZIP_COMPRESSLEVEL).
        "layer_gzip_bytes_per_partner": len(gzip.compress(data, compresslevel=5)) / size,
        "fast_cluster_map_ms": time_map_alone("fast_cluster", url, 3),
    }
    raw, packed = baseline_bytes("fast_cluster", frame)
    result.update(fast_cluster_bytes_per_partner=raw / size, fast_cluster_gzip_bytes_per_partner=packed / size)
    if size <= 1000:
        result["marker_map_ms"] = time_map_alone("marker", url, 3)
        raw, packed = baseline_bytes("marker", frame)
        result.update(marker_bytes_per_partner=raw / size, marker_gzip_bytes_per_partner=packed / size)
    result["peak_rss_mb"] = server_peak_mb(url)
    result["cold_start_ms"], result["cold_write_ms"] = cold_loads_ms(engine)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="*", default=[1000, 10_000, 50_000])
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure(args.one)))
        return
    results = []
    for size in args.sizes:
        # One process per size, so peak memory is that size's own.
        output = subprocess.run([sys.executable, __file__, "--one", str(size)], capture_output=True,
                                text=True, check=True, cwd=ROOT)
        results.append(json.loads(output.stdout.strip().splitlines()[-1]))
    print(f"{'partners':>9} {'page ms':>8} {'map ms':>7} {'cold ms start/write':>19} {'B/p':>6} {'gz B/p':>7} "
          f"{'server MB':>9} | "
          f"{'FMC ms':>7} {'FMC gz B/p':>10} {'map x':>6} | {'Marker ms':>9} {'speed-up':>8}")
    for r in results:
        marker = (f"{r['marker_map_ms']:9.0f} {r['marker_map_ms'] / r['layer_map_ms']:7.0f}x"
                  if "marker_map_ms" in r else f"{'-':>9} {'-':>8}")
        print(f"{r['size']:>9,} {r['page_rerun_ms']:8.1f} {r['layer_map_ms']:7.1f} "
              f"{r['cold_start_ms']:11.1f} / {r['cold_write_ms']:5.1f} "
              f"{r['layer_bytes_per_partner']:6.1f} {r['layer_gzip_bytes_per_partner']:7.1f} "
              f"{r['peak_rss_mb']:9.0f} | {r['fast_cluster_map_ms']:7.1f} "
              f"{r['fast_cluster_gzip_bytes_per_partner']:10.1f} "
              f"{r['fast_cluster_map_ms'] / r['layer_map_ms']:5.1f}x | {marker}")


if __name__ == "__main__":
    main()
