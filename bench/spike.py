"""A spike: N first visits of the explore page arriving within 10 s, against one app process and
against two replicas behind nginx (deploy/nginx-vitrine.conf, TLS), on the demo directory.

    python bench/spike.py                         # N = 50, 100, 200, every setup
    python bench/spike.py --visits 100 --setups one-sqlite

Setups: `one-sqlite` (one process, the default SQLite file), `one-postgres` and `two-nginx` (one
process, then two replicas behind nginx, on PostgreSQL: they need VITRINE_TEST_POSTGRES_URL).

Each visitor arrives at its moment (evenly spread over the 10 s) and asks the server for what a
first visit asks: the page, the scripts and styles it names (over six kept-alive connections, as a
browser does over HTTP/1.1), a Streamlit session running the
explore page (a WebSocket speaking Streamlit's protocol, as bench/load.py), then the partners'
layer the map fetches. "markers" is the time from arrival until that layer has arrived: what is
left is drawing it, on the visitor's own machine, which one real Chromium visit in the middle of
each spike measures beside ("chromium"). Visitors come from distinct addresses (127.0.k.1), as
nginx's sticky sessions (ip_hash) see them. Server CPU (seconds, and the share of the machine's
cores over the spike) and peak memory (the app processes and nginx) are read from /proc.
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import http.client
import os
import re
import ssl
import statistics
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import drop_postgres_schema, postgres_bench_url  # noqa: E402
from bench.load import FINISHED_SUCCESSFULLY  # noqa: E402
from bench.visitor import CHROMIUM_ARGS, demo_database  # noqa: E402
from tests.browser.conftest import MAP_FRAME, free_port, start_nginx, start_server, stop_server  # noqa: E402

SPREAD_S = 10
BROWSER_CONNECTIONS = 6
LAYER = re.compile(r"carte/partenaires\.json\?[^\"'\\\s]+")
ASSET = re.compile(r"""(?:src|href)="(\./)?(static/[^"]+\.(?:js|css))\"""")
NO_VERIFY = ssl._create_unverified_context()  # the throwaway certificate


def connect(base: str, source: str) -> http.client.HTTPConnection:
    """A kept-alive connection from `source`, the address this visitor comes from."""
    address = urlsplit(base)
    if address.scheme == "https":
        return http.client.HTTPSConnection(address.hostname, address.port, timeout=120, context=NO_VERIFY,
                                           source_address=(source, 0))
    return http.client.HTTPConnection(address.hostname, address.port, timeout=120, source_address=(source, 0))


def fetch_all(base: str, paths: list[str], source: str) -> list[bytes]:
    """GETs one after another over one kept-alive connection, as a browser's connection does."""
    connection = connect(base, source)
    bodies = []
    try:
        for path in paths:
            connection.request("GET", "/" + path.lstrip("/"), headers={"Accept-Encoding": "gzip"})
            answer = connection.getresponse()
            body = answer.read()
            if answer.status != 200:
                raise RuntimeError(f"{path}: {answer.status}")
            bodies.append(gzip.decompress(body) if answer.getheader("Content-Encoding") == "gzip" else body)
    finally:
        connection.close()
    return bodies


async def explore_session(base: str, source: str) -> str:
    """The explore page's first run over Streamlit's WebSocket; returns the map layer's address."""
    import websockets
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    layer, seen = "", []
    async with websockets.connect(
            base.replace("http", "ws", 1) + "/_stcore/stream", subprotocols=["streamlit"],
            additional_headers={"Origin": base}, max_size=2**26, open_timeout=120,
            ssl=NO_VERIFY if base.startswith("https") else None, local_addr=(source, 0)) as socket:
        message = BackMsg()
        message.rerun_script.page_name = ""
        await socket.send(message.SerializeToString())
        while True:
            forward = ForwardMsg()
            forward.ParseFromString(await asyncio.wait_for(socket.recv(), 120))
            kind = forward.WhichOneof("type")
            if kind == "delta" and forward.delta.WhichOneof("type") == "new_element":
                element = forward.delta.new_element
                seen.append(str(getattr(element, element.WhichOneof("type")))[:80])
                found = LAYER.search(str(forward.delta.new_element))
                layer = layer or (found.group(0) if found else "")
            elif kind == "script_finished" and forward.script_finished == FINISHED_SUCCESSFULLY:
                if not layer:
                    raise RuntimeError(f"the explore page drew no map layer: {seen}")
                return layer


async def first_visit(base: str, number: int, start: float, pool: ThreadPoolExecutor) -> float:
    await asyncio.sleep(max(0.0, start - time.perf_counter()))
    arrived = time.perf_counter()
    source = f"127.0.{1 + number % 250}.1"
    loop = asyncio.get_running_loop()
    [page] = await loop.run_in_executor(pool, fetch_all, base, ["/"], source)
    assets = [match.group(2) for match in ASSET.finditer(page.decode())]
    # Six connections at most, as a browser opens to one host over HTTP/1.1.
    await asyncio.gather(*(loop.run_in_executor(pool, fetch_all, base, assets[lane::BROWSER_CONNECTIONS], source)
                           for lane in range(BROWSER_CONNECTIONS)))
    layer = await explore_session(base, source)
    await loop.run_in_executor(pool, fetch_all, base, [layer], source)
    return time.perf_counter() - arrived


async def chromium_visit(base: str, at: float) -> float:
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path="/usr/bin/chromium", headless=True,
                                                   args=CHROMIUM_ARGS)
        context = await browser.new_context(ignore_https_errors=True, viewport={"width": 1400, "height": 1000})
        page = await context.new_page()
        await asyncio.sleep(max(0.0, at - time.perf_counter()))
        started = time.perf_counter()
        await page.goto(base + "/")
        await page.frame_locator(MAP_FRAME).first.locator("html[data-partners-loaded]").wait_for(timeout=120_000)
        elapsed = time.perf_counter() - started
        await browser.close()
        return elapsed


class ProcessWatch:
    """CPU seconds and peak resident memory of some processes and their children, from /proc."""

    def __init__(self, roots: list[int]) -> None:
        self.roots, self.peak_mb, self.running = roots, 0.0, True
        self.cpu_start = self._cpu()
        self.thread = threading.Thread(target=self._watch, daemon=True)
        self.thread.start()

    def _pids(self) -> list[int]:
        pids, parents = set(self.roots), {}
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    parents[int(entry.name)] = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
                except (OSError, IndexError):
                    continue
        pids |= {pid for pid, parent in parents.items() if parent in self.roots}
        return sorted(pids)

    def _cpu(self) -> float:
        ticks = 0
        for pid in self._pids():
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                ticks += int(fields[11]) + int(fields[12])
            except OSError:
                continue
        return ticks / os.sysconf("SC_CLK_TCK")

    def _rss_mb(self) -> float:
        total = 0
        for pid in self._pids():
            try:
                status = Path(f"/proc/{pid}/status").read_text()
                total += int(re.search(r"VmRSS:\s+(\d+)", status).group(1))
            except (OSError, AttributeError):
                continue
        return total / 1024

    def _watch(self) -> None:
        while self.running:
            self.peak_mb = max(self.peak_mb, self._rss_mb())
            time.sleep(0.2)

    def stop(self) -> tuple[float, float]:
        self.running = False
        self.thread.join()
        return self._cpu() - self.cpu_start, self.peak_mb


async def spike(base: str, visits: int) -> tuple[list[float], list[Exception], float, float]:
    pool = ThreadPoolExecutor(max_workers=400)
    begin = time.perf_counter() + 1
    tasks = [first_visit(base, number, begin + SPREAD_S * number / visits, pool) for number in range(visits)]
    started = time.perf_counter()
    results = await asyncio.gather(chromium_visit(base, begin + SPREAD_S / 2), *tasks, return_exceptions=True)
    pool.shutdown()
    chromium, results = results[0], results[1:]
    return ([r for r in results if isinstance(r, float)], [r for r in results if not isinstance(r, float)]
            + ([chromium] if isinstance(chromium, Exception) else []),
            chromium if isinstance(chromium, float) else float("nan"), time.perf_counter() - started)


def p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))] if ordered else float("nan")


def measure(setup: str, sizes: list[int], folder: Path) -> list[tuple]:
    url = f"sqlite:///{folder}/spike.db" if setup == "one-sqlite" else postgres_bench_url()
    demo_database(url).dispose()
    replicas = 2 if setup == "two-nginx" else 1
    servers = [start_server(url, folder / f"{setup}-{n}.log", settings={"VITRINE_TRUSTED_PROXIES": "127.0.0.1/32"})
               for n in range(replicas)]
    processes = [process for process, _ in servers]
    nginx = None
    base = servers[0][1]
    if setup == "two-nginx":
        tls = free_port()
        nginx = start_nginx(folder, [int(b.rsplit(":", 1)[1]) for _, b in servers], tls, free_port())
        processes.append(nginx)
        base = f"https://localhost:{tls}"
    rows = []
    try:
        asyncio.run(spike(base, 4))  # the server has served a visit or two, as a running site has
        for visits in sizes:
            watch = ProcessWatch([process.pid for process in processes])
            times, errors, chromium, wall = asyncio.run(spike(base, visits))
            cpu, peak = watch.stop()
            rows.append((setup, visits, statistics.median(times) if times else float("nan"), p95(times),
                         len(errors), chromium, cpu, 100 * cpu / (wall * os.cpu_count()), peak))
            for error in errors[:2]:
                print(f"  {setup}, N={visits}: {type(error).__name__}: {error}", file=sys.stderr)
    finally:
        if nginx:
            nginx.terminate()
            nginx.wait(timeout=10)
        for process, _ in servers:
            stop_server(process)
        if url.startswith("postgresql"):
            drop_postgres_schema(url)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--visits", type=int, nargs="*", default=[50, 100, 200])
    parser.add_argument("--setups", nargs="*", default=["one-sqlite", "one-postgres", "two-nginx"],
                        choices=["one-sqlite", "one-postgres", "two-nginx"])
    args = parser.parse_args()
    setups = [s for s in args.setups if s == "one-sqlite" or os.environ.get("VITRINE_TEST_POSTGRES_URL")]
    for skipped in set(args.setups) - set(setups):
        print(f"{skipped}: skipped, VITRINE_TEST_POSTGRES_URL is not set", file=sys.stderr)
    rows = []
    for setup in setups:
        with tempfile.TemporaryDirectory() as folder:
            rows += measure(setup, args.visits, Path(folder))
    print(f"first visits of the explore page within {SPREAD_S} s, this machine ({os.cpu_count()} cores)")
    print(f"{'setup':14}{'N':>5}{'median s':>10}{'p95 s':>8}{'errors':>8}{'chromium s':>12}{'cpu s':>8}"
          f"{'cpu %':>7}{'peak MB':>9}")
    for setup, visits, median, high, errors, chromium, cpu, share, peak in rows:
        print(f"{setup:14}{visits:5d}{median:10.2f}{high:8.2f}{errors:8d}{chromium:12.2f}{cpu:8.1f}{share:7.0f}"
              f"{peak:9.0f}")


if __name__ == "__main__":
    main()
