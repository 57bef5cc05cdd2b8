"""State of the explore page: filters, sort, page and selected partner, mirrored in the URL."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from directory import partners
from directory.models import PartnerKind
from directory.partners import PartnerFilters
from directory.ui import engine

PAGE_SIZE = 50
FILTER_KEYS = {"explore_kinds": [], "explore_networks": [], "explore_sectors": [], "explore_q": ""}
VIEW_DEFAULTS = {"explore_sort": "name", "explore_order": "asc", "explore_page": 1}


def restore_state_from_url(version: str) -> None:
    """On arrival (a shared link, a reload), take the page's state from the URL."""
    if "explore_kinds" in st.session_state:
        return
    params = st.query_params
    wanted = PartnerFilters.from_query_params(params)
    networks = set(tag_choices(version, "networks"))
    sectors = set(tag_choices(version, "sectors"))
    st.session_state.explore_kinds = list(wanted.kinds)
    st.session_state.explore_networks = [n for n in wanted.networks if n in networks]
    st.session_state.explore_sectors = [s for s in wanted.sectors if s in sectors]
    st.session_state.explore_q = wanted.text
    st.session_state.explore_sort = params.get("sort") if params.get("sort") in partners.SORT_KEYS else "name"
    st.session_state.explore_order = "desc" if params.get("order") == "desc" else "asc"
    page = params.get("page", "1")
    st.session_state.explore_page = int(page) if page.isdigit() and 0 < int(page) < 100_000 else 1
    st.session_state.explore_partner = params.get("partner")


def clear_filters() -> None:
    for key, default in {**FILTER_KEYS, **VIEW_DEFAULTS}.items():
        st.session_state[key] = default if not isinstance(default, list) else []
    st.session_state.explore_partner = None


def select_partner(shown: pd.DataFrame, clicked: dict[str, Any] | None, *, clear: bool = False) -> None:
    """Open the card of the partner a new map click landed on (or close the card)."""
    if clear:
        st.session_state.explore_partner = None
        return
    point = (clicked or {}).get("last_object_clicked")
    if not point:
        return
    click = (point.get("lat"), point.get("lng"), clicked.get("last_object_clicked_tooltip"))
    if click == st.session_state.get("explore_last_click"):
        return  # the map repeats its last click on every rerun
    st.session_state.explore_last_click = click
    partner = partners.partner_at(shown, click[0], click[1], click[2])
    if partner:
        st.session_state.explore_partner = str(partner["id"])


def open_data_params(filters: PartnerFilters) -> dict[str, str]:
    """The open-data addresses' parameters for what the page shows: its filters and the list's order."""
    params = filters.to_query_params()
    for key in ("explore_sort", "explore_order"):
        if st.session_state.get(key) != VIEW_DEFAULTS[key]:
            params[key.removeprefix("explore_")] = str(st.session_state[key])
    return params


def remember_state_in_url(filters: PartnerFilters) -> None:
    params = filters.to_query_params()
    for key, default in VIEW_DEFAULTS.items():
        if st.session_state.get(key) != default:
            params[key.removeprefix("explore_")] = str(st.session_state[key])
    if st.session_state.get("explore_partner"):
        params["partner"] = str(st.session_state.explore_partner)
    if "lang" in st.query_params:
        params["lang"] = st.query_params["lang"]
    if dict(st.query_params) != params:
        st.query_params.from_dict(params)


def landmarks(everyone: pd.DataFrame) -> pd.DataFrame:
    return everyone[everyone["kind"] == PartnerKind.ATELIER]


# Every view is keyed on the data version, read once per run by the page, and cached by the
# package for the whole process (the web routes share it): public data only.

def data_version() -> str:
    return partners.data_version(engine())


def published_partners(version: str) -> pd.DataFrame:
    return partners.published_partners(engine(), version)


def tag_choices(version: str, column: str) -> list[str]:
    return list(partners.published_tags(engine(), version, column))


def filtered_partners(version: str, filters: PartnerFilters) -> pd.DataFrame:
    return partners.filtered_partners(engine(), version, filters)
