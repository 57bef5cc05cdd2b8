"""The dashboard's charts, as tables with bars: what they show is read by a screen reader, copied
and printed as text, and they cost the browser no chart library (five Vega-Lite charts took the
dashboard 0.23 s longer to be ready at 10,000 partners)."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from directory.ui import _, current_language
from directory.web import render

Figure = Callable[[float], str]


def bar_table(title: str, series: pd.Series, *, label_header: str, value_header: str, figure: Figure,
              maximum: float | None = None) -> None:
    """`series` (label → value) under its title, each bar's length its share of `maximum` (by
    default the largest value), its figure written by `figure`."""
    st.subheader(title)
    if series.empty:
        st.caption(_("Pas encore de données."))
        return
    top = maximum or series.max() or 1
    # A value too small to see still gets a sliver; zero gets none.
    bars = [{"label": label, "share": max(round(100 * value / top, 1), 0.5) if value else 0, "figure": figure(value)}
            for label, value in series.items()]
    st.html(render("bar_table.html", current_language(), bars=bars, label_header=label_header,
                   value_header=value_header))
