"""The slot widgets shared by the staff pages: the slot forms' fields, and the slots overview table."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time

import pandas as pd
import streamlit as st

from directory.clock import to_paris
from directory.i18n import format_datetime
from directory.models import NAME_MAX
from directory.showcase import DEFAULT_DEADLINE_DAYS, MAX_CAPACITY, MAX_DEADLINE_DAYS, SLOT_STATUS_LABELS, slot_label
from directory.ui import _, current_language
from directory.ui.forms import text_field


@dataclass(frozen=True)
class SlotSettings:
    """What the three forms ask alike: hours, capacity, theme and the application deadline."""

    start: time
    end: time
    capacity: int
    theme: str
    deadline_days: int


def slot_settings_fields(prefix: str, *, start: time = time(14), end: time = time(17), capacity: int = 3,
                         theme: str = "", deadline_days: int = DEFAULT_DEADLINE_DAYS) -> SlotSettings:
    start_column, end_column = st.columns(2)
    chosen_start = start_column.time_input(_("Début"), key=f"{prefix}_start", value=start, step=900)
    chosen_end = end_column.time_input(_("Fin"), key=f"{prefix}_end", value=end, step=900)
    capacity_column, deadline_column = st.columns(2)
    chosen_capacity = capacity_column.number_input(_("Capacité (startups)"), key=f"{prefix}_capacity", min_value=1,
                                                   max_value=MAX_CAPACITY, value=capacity)
    chosen_deadline = deadline_column.number_input(
        _("Candidatures closes (jours avant)"), key=f"{prefix}_deadline_days", min_value=0,
        max_value=MAX_DEADLINE_DAYS, value=deadline_days,
        help=_("Passé ce délai, le créneau n'est plus proposé aux startups."))
    chosen_theme = text_field(_("Thème (facultatif)"), key=f"{prefix}_theme", value=theme, max_length=NAME_MAX)
    return SlotSettings(chosen_start, chosen_end, int(chosen_capacity), chosen_theme, int(chosen_deadline))


def slot_overview_table(overview: pd.DataFrame, columns: list[str]) -> None:
    """The slots overview (`showcase.slots.slot_overview`) with the chosen columns: any of when,
    deadline, theme, places, waiting, status; the slot's number last, so that a phone shows
    when, places and status first."""
    language = current_language()
    table = overview.assign(
        when=[slot_label(s.starts_at, s.ends_at, language, day_style="EEE d MMM y") for s in overview.itertuples()],
        deadline=[format_datetime(to_paris(moment), language, style="short")
                  for moment in overview["applications_close_at"]],
        places=[f"{taken} / {capacity}" for taken, capacity in zip(overview["places_taken"], overview["capacity"],
                                                                     strict=True)],
        status=[_(SLOT_STATUS_LABELS[status]) for status in overview["status"]],
    )
    st.dataframe(table[[*columns, "id"]], hide_index=True, width="stretch", column_config={
        "id": _("N°"), "when": _("Quand"), "deadline": _("Candidatures jusqu'au"), "theme": _("Thème"),
        "places": _("Places prises"), "waiting": _("En attente"), "status": _("État")})
