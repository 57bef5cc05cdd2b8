"""Figures for the staff dashboard."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from directory import listings, showcase
from directory.clock import to_paris
from directory.db import read_session
from directory.models import DECIDED_STATES, Application, ApplicationState
from directory.validation import split_tags


@dataclass
class DashboardFigures:
    published_partners: int
    applications: int
    acceptance_rate: float | None
    median_days_to_decision: float | None
    partners_by_kind: pd.Series
    partners_by_sector: pd.Series
    applications_by_month: pd.Series
    slot_fill: pd.Series


def dashboard(engine: Engine, *, recent_slots: int = 20) -> DashboardFigures:
    """The figures as the data now stands: computed once per data version and process, as the
    pages' other views of the data are (10,000 applications: 85 ms, then 4 ms). The version does
    not see applications erased (retention), so their count is part of the key."""
    with read_session(engine) as session:
        applications = session.execute(select(func.count(Application.id))).scalar_one()
    return _dashboard(engine, listings.data_version(engine), applications, recent_slots)


@lru_cache(maxsize=4)
def _dashboard(engine: Engine, version: str, _applications: int, recent_slots: int) -> DashboardFigures:
    published = listings.published_partners(engine, version)  # the pages' own cache
    with engine.connect() as connection:
        applications = pd.read_sql(select(Application.state, Application.created_at, Application.decided_at),
                                   connection)
    decided = applications[applications["state"].isin(DECIDED_STATES)]
    approved = (decided["state"] == ApplicationState.APPROVED).sum()
    waited = (pd.to_datetime(applications["decided_at"], utc=True)
              - pd.to_datetime(applications["created_at"], utc=True)).dropna()
    sectors = pd.Series([tag for value in published["sectors"] for tag in split_tags(value)], dtype=object)
    # Each application's month at the atelier, as its first day.
    months = pd.to_datetime(applications["created_at"], utc=True).dt.tz_convert("Europe/Paris").dt.date.map(
        lambda day: day.replace(day=1))
    slots = showcase.slots_with_counts(engine)
    slots = slots[slots["cancelled_at"].isna()].tail(recent_slots)
    # One bar per slot, named by its start: two slots on one day stay apart.
    fill = pd.Series((100 * slots["places_taken"] / slots["capacity"]).round().tolist(),
                     index=[to_paris(moment) for moment in slots["starts_at"]], dtype=float)
    return DashboardFigures(
        published_partners=len(published),
        applications=len(applications),
        acceptance_rate=float(approved / len(decided)) if len(decided) else None,
        median_days_to_decision=float(waited.median().total_seconds() / 86400) if len(waited) else None,
        partners_by_kind=published["kind"].value_counts().rename("partners"),
        partners_by_sector=sectors.value_counts().head(10).rename("partners"),
        applications_by_month=months.value_counts().sort_index().rename("applications"),
        slot_fill=fill.rename("fill"),
    )
