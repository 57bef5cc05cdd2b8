"""Submitting an application with 10,000 applications and 1,000 slots already stored.

    python bench/apply.py            # SQLite, and PostgreSQL when VITRINE_TEST_POSTGRES_URL is set

Prints the median and p95 server time of `submit_application` (validation, duplicate check,
insert, audit event and queued receipt, in one transaction).
"""

from __future__ import annotations

import random
import sys
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (  # noqa: E402
    fill_applications,
    median_ms,
    on_both_engines,
    p95_ms,
    timed,
)
from directory import db, showcase  # noqa: E402

SLOTS, APPLICATIONS, SUBMISSIONS = 1_000, 10_000, 200


def run(url: str) -> tuple[float, float]:
    engine = db.make_engine(url)
    db.migrate(engine)
    slot_ids = fill_applications(engine, slots=SLOTS, applications=APPLICATIONS)
    rng = random.Random(11)
    counter = iter(range(10**9))

    def submit_one():
        n = next(counter)
        form = showcase.ApplicationForm(
            organisation=f"Bench {n}", short_description="Une startup.", stage="prototype", team_size=4,
            pitch_title="Pitch", pitch_summary="Résumé", demo_description="Démo", contact_name="Camille",
            contact_email=f"bench{n}@example.org", consent_data=True, latitude="45.43", longitude="4.39",
            slot_ids=rng.sample(slot_ids, 3))
        showcase.submit_application(engine, form, submission_key=uuid.uuid4().hex)

    timed(submit_one, 10)  # warm-up
    samples = timed(submit_one, SUBMISSIONS)
    engine.dispose()
    return median_ms(samples), p95_ms(samples)


def show(engine_name: str, figures: tuple[float, float]) -> None:
    median, p95 = figures
    print(f"  {engine_name:<11} median {median:6.1f} ms   p95 {p95:6.1f} ms")


def main() -> None:
    print(f"submit_application with {APPLICATIONS:,} applications and {SLOTS:,} slots stored, "
          f"{SUBMISSIONS} submissions")
    on_both_engines(run, show)


if __name__ == "__main__":
    main()
