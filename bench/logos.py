"""Ten logos sent at once: the process's peak extra memory while `images.clean_logo` (what both
forms that take a logo call) judges them.

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


if __name__ == "__main__":
    if len(sys.argv) > 1:
        burst(sys.argv[1])
    else:
        for case in CASES:
            subprocess.run([sys.executable, __file__, case], check=True)
