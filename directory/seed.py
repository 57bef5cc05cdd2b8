"""Demo data: the real organisations of the ecosystem plus fictional startups marked as demo."""

from __future__ import annotations

import os

from sqlalchemy.engine import Engine

from directory import imports
from directory.db import PROJECT_ROOT

SEED_PARTNERS = PROJECT_ROOT / "data" / "partners.csv"


def wants_demo_data() -> bool:
    """Demo data on the zero-set-up SQLite database; elsewhere only when VITRINE_DEMO_DATA=1."""
    setting = os.environ.get("VITRINE_DEMO_DATA")
    if setting is not None:
        return setting == "1"
    return "DATABASE_URL" not in os.environ


def seed_demo(engine: Engine) -> int:
    """Load the seed partners; returns how many rows were written."""
    preview = imports.read_partner_csv(SEED_PARTNERS.read_bytes())
    return imports.apply_import(engine, preview)
