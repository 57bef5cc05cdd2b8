"""A 5,000-row source brought in step with a directory of 10,000 listings.

    python bench/sources.py    # SQLite, and PostgreSQL when VITRINE_TEST_POSTGRES_URL is set

Prints, for a member list in its own columns (a mapped CSV, untrusted: its rows become proposals):
- the first run (5,000 rows added, each checked like a form and against every live listing for
  duplicates), with its report's counts;
- a second run on the same data (nothing may change), and a third with 500 rows changed;
- as a baseline measured in the same run, the CSV import of the same 5,000 rows (read, checked,
  written), which does not look for duplicates nor keep track of rows.
"""

from __future__ import annotations

import csv
import io
import logging
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import delete, select  # noqa: E402
from sqlmodel import Session  # noqa: E402

from bench.common import database_with_partners, on_both_engines  # noqa: E402
from directory.listings import imports  # noqa: E402
from directory.models import Partner, Source, SourceFormat  # noqa: E402
from directory.sources import SourceForm, add_source, sync_source  # noqa: E402

LISTINGS, ROWS, CHANGED = 10_000, 5_000, 500
MAPPING = {"name": "Raison sociale", "short_description": "Activité", "sectors": "Secteurs", "city": "Ville",
           "website": "Site", "latitude": "Lat", "longitude": "Lon"}


def position(number: int) -> tuple[float, float]:
    return 45.40 + number % 100 / 1000, 4.35 + number // 100 / 1000


def member_list(changed: int = 0) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(["Numéro", *MAPPING.values()])
    for number in range(ROWS):
        activity = "Studio numérique" + (" et web" if number < changed else "")
        writer.writerow([f"M{number:05d}", f"Membre {number}", activity, "numérique; services", "Saint-Étienne",
                         f"https://membre{number}.example.org", *position(number)])
    return out.getvalue().encode()


def as_vitrine_csv() -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["name", "kind", "short_description", "sectors", "city", "website", "latitude", "longitude"])
    for number in range(ROWS):
        writer.writerow([f"Membre {number}", "cluster", "Studio numérique", "numérique; services", "Saint-Étienne",
                         f"https://membre{number}.example.org", *position(number)])
    return out.getvalue().encode()


def seconds(work):
    started = time.perf_counter()
    result = work()
    return time.perf_counter() - started, result


def run(url: str) -> dict:
    engine = database_with_partners(url, LISTINGS)
    baseline, _ = seconds(lambda: imports.apply_import(engine, imports.read_partner_csv(as_vitrine_csv()),
                                                       staff="bench"))
    with engine.begin() as connection:  # back to the 10,000 listings (their versions and slugs cascade)
        connection.execute(delete(Partner).where(Partner.id > LISTINGS))
    source_id = add_source(engine, SourceForm(name="Membres", file=member_list(), format=SourceFormat.MAPPED_CSV,
                                              id_column="Numéro", mapping=MAPPING, default_kind="cluster"),
                           staff="bench")
    figures = {"import": baseline}
    figures["first"] = seconds(lambda: sync_source(engine, source_id, actor="bench"))
    figures["second"] = seconds(lambda: sync_source(engine, source_id, actor="bench"))
    with Session(engine) as session, session.begin():
        session.execute(select(Source).where(Source.id == source_id)).scalar_one().file = member_list(CHANGED)
    figures["third"] = seconds(lambda: sync_source(engine, source_id, actor="bench"))
    engine.dispose()
    return figures


def show(engine_name: str, figures: dict) -> None:
    print(f"  {engine_name}")
    print(f"    baseline: CSV import of the same {ROWS:,} rows   {figures['import']:6.2f} s")
    for key, label in (("first", f"first run ({ROWS:,} new rows)"), ("second", "second run, same data"),
                       ("third", f"third run, {CHANGED} rows changed")):
        elapsed, result = figures[key]
        print(f"    {label:<38} {elapsed:6.2f} s  ({elapsed / figures['import']:.2f}× the import)  "
              f"added {result.added}, changed {result.changed}, gone {result.gone}, refused {result.refused}, "
              f"unchanged {result.unchanged}")


if __name__ == "__main__":
    logging.disable(logging.WARNING)
    print(f"Syncing a {ROWS:,}-row source into {LISTINGS:,} listings (goals: first run ≤ 15 s, second ≤ 5 s "
          "and nothing changed)")
    on_both_engines(run, show)
