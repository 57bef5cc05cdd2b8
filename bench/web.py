"""Vitrine's own addresses under load: 10,000 partners and 500 showcases, served by the real
server (`streamlit run app.py`) and fetched over keep-alive HTTP with gzip.

    python bench/web.py                    # SQLite
    python bench/web.py --requests 200     # more samples per address

Prints p50 / p95 of each address and the bytes it sends (gzip, as a browser receives them), the
first answer after a write (the one reader that builds a new version of the data), and what a
site embedding the map downloads on first load (tiles excluded).
"""

from __future__ import annotations

import argparse
import http.client
import random
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import database_with_partners, fill_applications, median_ms, p95_ms  # noqa: E402
from directory import listings  # noqa: E402

EMBED_ASSETS = ["app/static/vendor/leaflet/leaflet.css", "app/static/map.css", "app/static/vendor/leaflet/leaflet.js",
                "app/static/vendor/supercluster/supercluster.min.js", "app/static/markers.js", "app/static/embed.js"]


class Client:
    """One keep-alive connection, as a browser or a calendar app holds."""

    def __init__(self, base: str) -> None:
        parts = urlsplit(base)
        self.connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)

    def get(self, path: str, **headers: str) -> tuple[int, dict, bytes]:
        self.connection.request("GET", "/" + path.lstrip("/"), headers={"Accept-Encoding": "gzip", **headers})
        response = self.connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()


def measure(client: Client, paths: list[str], requests: int, **headers: str) -> tuple[list[float], int, int]:
    samples, status, size = [], 0, 0
    client.get(paths[0], **headers)  # warm the caches, as a running server has them
    for number in range(requests):
        start = time.perf_counter()
        status, _, body = client.get(paths[number % len(paths)], **headers)
        samples.append(time.perf_counter() - start)
        size = len(body)
    return samples, status, size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--partners", type=int, default=10_000)
    parser.add_argument("--showcases", type=int, default=500)
    parser.add_argument("--requests", type=int, default=100)
    args = parser.parse_args()

    from tests.browser.conftest import start_server, stop_server

    workdir = Path(tempfile.mkdtemp())
    url = f"sqlite:///{workdir}/web.db"
    engine = database_with_partners(url, args.partners)
    fill_applications(engine, slots=args.showcases, applications=args.showcases * 2)
    slugs = listings.staff_partners(engine)["slug"].tolist()
    process, base = start_server(url, workdir / "server.log")
    try:
        client = Client(base)
        _, headers, _ = client.get("donnees/partenaires.geojson")
        etag = headers["etag"]
        rng = random.Random(3)
        targets = [
            ("partner page", [f"partenaires/{slug}" for slug in rng.sample(slugs, 50)], {}),
            ("GeoJSON, all", ["donnees/partenaires.geojson"], {}),
            ("GeoJSON, kinds=school", ["donnees/partenaires.geojson?kinds=school"], {}),
            ("agenda.ics", ["agenda.ics"], {}),
            ("304 revalidation", ["donnees/partenaires.geojson"], {"If-None-Match": etag}),
            ("map rows (explore)", ["carte/partenaires.json?v=1"], {}),
        ]
        print(f"{args.partners:,} partners, {args.showcases} showcases, {args.requests} requests each (SQLite)")
        print(f"{'address':<24}{'status':>7}{'p50 ms':>9}{'p95 ms':>9}{'gzip bytes':>12}")
        for name, paths, extra in targets:
            samples, status, size = measure(client, paths, args.requests, **extra)
            print(f"{name:<24}{status:>7}{median_ms(samples):9.1f}{p95_ms(samples):9.1f}{size:>12,}")
        cold = {"partner page": [], "GeoJSON, all": [], "agenda.ics": []}
        for number in range(5):  # each write makes a new data version: the next reader builds it
            listings.insert_partners(engine, [{"name": f"Nouvelle {number}", "kind": "startup", "state": "published"}])
            for name, path in [("partner page", f"partenaires/{slugs[number]}"),
                               ("GeoJSON, all", "donnees/partenaires.geojson"), ("agenda.ics", "agenda.ics")]:
                start = time.perf_counter()
                client.get(path)
                cold[name].append(time.perf_counter() - start)
        print("first answer after a write (median of 5): " + ", ".join(
            f"{name} {median_ms(samples):.0f} ms" for name, samples in cold.items()))
        first_load = sum(len(client.get(path)[2]) for path in ["embed", *EMBED_ASSETS])
        data = len(client.get("donnees/partenaires.geojson")[2])
        print(f"embed first load: {first_load:,} B gzip for the page and its scripts and styles, "
              f"+ {data:,} B of GeoJSON for {args.partners:,} partners (tiles excluded)")
    finally:
        stop_server(process)


if __name__ == "__main__":
    main()
