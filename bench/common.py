"""Helpers shared by the benchmarks: a database of N synthetic partners, timing, memory."""

from __future__ import annotations

import random
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import TypeVar

from sqlalchemy import insert, text

from directory import db, listings
from directory.clock import utcnow
from directory.models import Application, PartnerKind, ShowcaseSlot, SlotChoice

T = TypeVar("T")

ROOT = Path(__file__).resolve().parent.parent
SECTORS = ["design", "santé", "robotique", "données", "formation", "mobilité", "énergie", "culture"]


def synthetic_partners(count: int, seed: int = 42) -> list[dict]:
    rng = random.Random(seed)
    kinds = [k.value for k in PartnerKind if k != PartnerKind.ATELIER]
    rows = [{"name": "Atelier Numérique", "kind": "atelier", "latitude": 45.438, "longitude": 4.391,
             "precision": "approximate", "state": "published"}]
    for i in range(count - 1):
        rows.append({
            "name": f"Partenaire {i} {rng.choice(SECTORS).title()}",
            "kind": rng.choice(kinds),
            "short_description": "Une organisation de l'écosystème numérique stéphanois.",
            "sectors": "; ".join(rng.sample(SECTORS, 2)),
            "networks": rng.choice(["", "Digital League", "French Tech", "Digital League; French Tech"]),
            "city": "Saint-Étienne",
            "latitude": 45.30 + rng.random() * 0.3, "longitude": 4.20 + rng.random() * 0.4,
            "precision": rng.choice(["exact", "approximate"]), "state": "published",
        })
    return rows


def database_with_partners(url: str, count: int):
    engine = db.make_engine(url)
    db.migrate(engine)
    listings.insert_partners(engine, synthetic_partners(count))
    return engine


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def p95_ms(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))] * 1000


def timed(work, repeat: int) -> list[float]:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        samples.append(time.perf_counter() - start)
    return samples


class ScriptTimer:
    """Times the script itself (what a server spends per rerun), without AppTest's polling."""

    def __init__(self) -> None:
        from streamlit.runtime.scriptrunner import script_runner

        self.samples: list[float] = []
        self._module = script_runner
        self._original = script_runner.exec_func_with_error_handling

        def timed_exec(func, ctx):
            start = time.perf_counter()
            try:
                return self._original(func, ctx)
            finally:
                self.samples.append(time.perf_counter() - start)

        script_runner.exec_func_with_error_handling = timed_exec

    def runs(self, app, count: int) -> list[float]:
        self.samples.clear()
        for _ in range(count):
            app.run()
        return list(self.samples)


def postgres_bench_url() -> str | None:
    """A fresh schema on the PostgreSQL server named by VITRINE_TEST_POSTGRES_URL, if any."""
    import os
    import uuid

    from sqlalchemy import create_engine, text

    url = os.environ.get("VITRINE_TEST_POSTGRES_URL")
    if not url:
        return None
    url = db.normalized_url(url)
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    with create_engine(url, isolation_level="AUTOCOMMIT").connect() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    return f"{url}{'&' if '?' in url else '?'}options=-csearch_path%3D{schema}"


def drop_postgres_schema(url: str) -> None:
    from sqlalchemy import create_engine, text

    schema = url.rsplit("%3D", 1)[1]
    base = url.split("?options=")[0].split("&options=")[0]
    with create_engine(base, isolation_level="AUTOCOMMIT").connect() as connection:
        connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))


def fill_applications(engine, *, slots: int, applications: int) -> list[int]:
    """`slots` upcoming slots and `applications` applications ranking three of them each."""
    rng = random.Random(7)
    now = utcnow()
    slot_rows = [{"id": i + 1, "starts_at": now + timedelta(days=1 + i, hours=13),
                  "ends_at": now + timedelta(days=1 + i, hours=16), "capacity": 3, "theme": "", "is_open": True,
                  "applications_close_at": now + timedelta(days=i, hours=13), "created_at": now, "updated_at": now}
                 for i in range(slots)]
    application_rows, choices = [], []
    for i in range(applications):
        application_rows.append({
            "id": i + 1, "token_hash": uuid.uuid4().hex * 2, "submission_key": uuid.uuid4().hex,
            "state": rng.choice(["submitted", "submitted", "waitlisted", "rejected", "withdrawn"]), "language": "fr",
            "organisation": f"Startup {i}", "website": "", "short_description": "Une startup.", "sectors": "",
            "stage": "idea", "team_size": 3, "address": "", "city": "", "logo_type": "",
            "pitch_title": "Pitch", "pitch_summary": "Résumé", "demo_description": "Démo", "equipment": "",
            "contact_name": "Contact", "contact_email": f"contact{i}@example.org", "contact_phone": "",
            "consent_data": True, "consent_publication": True, "decision_reason": "", "staff_message": "",
            "created_at": now, "updated_at": now,
        })
        for rank, slot_id in enumerate(rng.sample(range(1, slots + 1), 3), start=1):
            choices.append({"application_id": i + 1, "rank": rank, "slot_id": slot_id})
    with db.write_session(engine) as session:
        session.execute(insert(ShowcaseSlot), slot_rows)
        session.execute(insert(Application), application_rows)
        session.execute(insert(SlotChoice), choices)
    if engine.dialect.name == "postgresql":
        with db.write_session(engine) as session:
            for table in ("showcaseslot", "application"):
                session.execute(text(f"SELECT setval('{table}_id_seq', (SELECT max(id) FROM {table}))"))
    return list(range(1, slots + 1))


def on_both_engines(run: Callable[[str], T], show: Callable[[str, T], None]) -> None:
    """`run` on a fresh SQLite file, then on a fresh PostgreSQL schema when
    VITRINE_TEST_POSTGRES_URL is set (dropped afterwards); `show` prints each engine's figures."""
    with tempfile.TemporaryDirectory() as folder:
        show("SQLite", run(f"sqlite:///{folder}/bench.db"))
    url = postgres_bench_url()
    if url is None:
        print("  PostgreSQL  skipped: set VITRINE_TEST_POSTGRES_URL")
        return
    try:
        show("PostgreSQL", run(url))
    finally:
        drop_postgres_schema(url)
