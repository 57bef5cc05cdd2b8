"""Ten logos sent at once: the process's peak extra memory while `images.clean_logo` (what both
forms that take a logo call) judges them, then the app's while ten browsers send the audit's bomb
through the proposal form (/proposer).

    python bench/logos.py

Each case runs in a fresh process; peak memory is the maximum resident size (ru_maxrss) above what
the process held before the burst. Cases: the audit's bomb (a 97 kB PNG declaring 4999 × 4999),
the largest PNG still accepted (4000 × 4000, decoded in full: PNG has no reduced decoding), and a
4000 × 4000 JPEG (decoded at 1/8 with `draft`). Baseline: one 4000 × 4000 PNG alone.
"""

from __future__ import annotations

import io
import resource
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CASES = {"bomb": ("PNG", 4999, 10), "largest-png": ("PNG", 4000, 10), "largest-jpeg": ("JPEG", 4000, 10),
         "one-png": ("PNG", 4000, 1)}


def burst(case: str) -> None:
    sys.path.insert(0, str(ROOT))
    from PIL import Image

    from directory.images import clean_logo
    from directory.validation import Invalid

    kind, side, count = CASES[case]
    data = io.BytesIO()
    Image.new("RGB", (side, side), "white").save(data, kind, optimize=True)
    data = data.getvalue()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()

    def send(_: int) -> str:
        try:
            clean_logo(data)
            return "accepted"
        except Invalid:
            return "refused"

    with ThreadPoolExecutor(count) as pool:
        answers = list(pool.map(send, range(count)))
    grown = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    print(f"{count:>2} × {kind} {side} × {side} ({len(data) / 1024:.0f} kB): peak memory +{grown:.0f} MB, "
          f"{answers.count('accepted')} accepted, {answers.count('refused')} refused, "
          f"in {time.perf_counter() - started:.2f} s")


def through_the_form(count: int = 10) -> None:
    """`streamlit run` on a fresh database; ten Chromium pages send the bomb on /proposer at once; the
    server's resident memory is sampled every 20 ms (peak above its level with the ten pages open)."""
    sys.path.insert(0, str(ROOT))
    import tempfile
    import threading

    from PIL import Image
    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import READY, start_server, stop_server

    with tempfile.TemporaryDirectory() as folder:
        server, base = start_server(f"sqlite:///{folder}/bench.db", Path(folder) / "server.log")
        resident = Path(f"/proc/{server.pid}/status")

        def rss_mb() -> float:
            line = next(line for line in resident.read_text().splitlines() if line.startswith("VmRSS:"))
            return int(line.split()[1]) / 1024

        bomb = io.BytesIO()
        Image.new("RGB", (4999, 4999)).save(bomb, "PNG", optimize=True)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path="/usr/bin/chromium", headless=True,
                args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
            pages = [browser.new_context(locale="fr-FR").new_page() for _ in range(count)]
            for page in pages:
                page.goto(base + "/proposer")
                page.wait_for_selector(READY, timeout=60_000)
                page.get_by_label("Nom *", exact=True).fill("Bombe")
                page.locator("[data-testid=stFileUploader] input[type=file]").set_input_files(
                    {"name": "logo.png", "mimeType": "image/png", "buffer": bomb.getvalue()})
            before, peak, done = rss_mb(), [0.0], threading.Event()

            def sample() -> None:
                while not done.is_set():
                    peak[0] = max(peak[0], rss_mb())
                    done.wait(0.02)

            sampler = threading.Thread(target=sample)
            sampler.start()
            started = time.perf_counter()
            for page in pages:
                page.get_by_role("button", name="Envoyer la proposition").click()
            for page in pages:
                page.get_by_text("Logo refusé : l'image mesure").first.wait_for(timeout=60_000)
            done.set()
            sampler.join()
            browser.close()
        stop_server(server)
    print(f"{count} × the bomb ({len(bomb.getvalue()) / 1024:.0f} kB) on /proposer at once: the app's peak memory "
          f"+{max(0.0, peak[0] - before):.0f} MB, each refused with its size, in {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    if len(sys.argv) > 1:
        burst(sys.argv[1])
    else:
        for case in CASES:
            subprocess.run([sys.executable, __file__, case], check=True)
        through_the_form()
