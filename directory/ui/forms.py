"""Form pieces shared by several pages."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

import folium
import streamlit as st
from streamlit_folium import st_folium

from directory.i18n import format_number
from directory.images import MAX_LOGO_MEGABYTES
from directory.listings import mapping
from directory.paging import Page
from directory.ui import _, current_language, field_error
from directory.validation import Invalid, clean_coordinates


def text_field(label: str, *, key: str, max_length: int, area: bool = False, **options) -> str:
    """A text field that never cuts what is pasted into it (a widget limit would, silently): the
    form's check names the length instead, and the text stays there to be shortened. What was typed
    stays while the field is hidden (in a tab not open, say) and the person is on the page."""
    limit = _("{max} caractères au maximum.", max=format_number(max_length, current_language()))
    options["help"] = f"{options['help']} {limit}" if options.get("help") else limit
    return (st.text_area if area else st.text_input)(label, key=key, persist_state="page", **options)


def text_fields(prefix: str, errors: dict) -> Callable[..., None]:
    """`text(name, label, max_length, **options)`: a form's text field followed by its error."""
    def text(name: str, label: str, max_length: int, **options) -> None:
        text_field(label, key=f"{prefix}_{name}", max_length=max_length, **options)
        field_error(errors, name)
    return text


# Streamlit keeps a widget's choice as the label the browser was shown: a label that changes between
# reruns ("1 place libre" → "0 place libre", "À vérifier (3)" → "(2)") no longer matches its option.
# Such widgets keep their choice under `key` themselves, and are drawn afresh whenever a label changes.

def _drawn_for(key: str, labels: list[str]) -> str:
    """The widget's key for this set of labels."""
    return f"{key}_{hashlib.sha256(chr(31).join(labels).encode()).hexdigest()[:12]}"


def multiselect_by_id(label: str, labels: dict[int, str], *, key: str, placeholder: str) -> list[int]:
    """A multiselect of ids whose labels may change between reruns; the choice is kept by id."""
    chosen = [option for option in st.session_state.get(key, []) if option in labels]
    picked = st.multiselect(label, list(labels), default=chosen, format_func=labels.get,
                            key=_drawn_for(key, list(labels.values())), placeholder=placeholder, select_all=False)
    st.session_state[key] = picked
    return picked


def draw_open_tab(tabs: dict[str, Callable[[], None]], *, key: str) -> None:
    """Tabs of which only the open one is drawn: `tabs` maps each label to the function drawing its
    content. A staff page's first view then costs one tab, not all (the directory at 10,000
    partners: 1.56 → 0.77 s); opening another reruns the page. The open tab is kept by position
    under `key`, so that it stays open when an action in it changes a label's count ("À vérifier
    (16)" → "(15)"): the labels then draw new tabs, opened on that position."""
    labels = list(tabs)
    position = min(st.session_state.get(key, 0), len(labels) - 1)
    drawn = _drawn_for(key, labels)
    st.session_state[drawn] = labels[position]
    shown = st.tabs(labels, key=drawn, on_change=_keep_open_tab, args=(key, drawn, labels))
    with shown[position]:
        tabs[labels[position]]()


def _keep_open_tab(key: str, drawn: str, labels: list[str]) -> None:
    st.session_state[key] = labels.index(st.session_state[drawn])


def draw_when_open(label: str, draw: Callable[[], None], *, key: str, **options: Any) -> None:
    """A folded panel (st.expander) whose content `draw` draws only while it is open: folded
    content still costs the browser its elements (the review page's table of 500 upcoming slots,
    folded: 0.38 s). Opening it reruns the page; `key` keeps it open meanwhile."""
    panel = st.expander(label, key=key, on_change="rerun", **options)
    if panel.open:
        with panel:
            draw()


def kept_page(key: str, *, size: int, total: int) -> Page:
    """The page the number box `key` asks for, kept within the pages there are (filters or a
    decision may have shrunk the list)."""
    page = Page.of(st.session_state.get(key, 1), size=size, total=total)
    st.session_state[key] = page.number
    return page


def page_number_box(page: Page, key: str, where: Any = st) -> None:
    """The box that picks `page` (drawn in `where`, a column say); its page is kept while the box
    is hidden (the explore page's list while its map is shown)."""
    where.number_input(_("Page (sur {pages})", pages=format_number(page.pages, current_language())), min_value=1,
                       max_value=page.pages, key=key, persist_state="page")


def logo_uploader(key: str, **options) -> None:
    """A logo's file field: its label and the browser's own limit say the size the check accepts."""
    st.file_uploader(_("Logo (PNG ou JPEG, {max} Mo au maximum)", max=MAX_LOGO_MEGABYTES), type=["png", "jpg", "jpeg"],
                     max_upload_size=MAX_LOGO_MEGABYTES, key=key, **options)


def position_picker(prefix: str, help_text: str) -> None:
    """A map to click plus the two coordinates, kept in `<prefix>_latitude` / `<prefix>_longitude`."""
    lat_key, lon_key, click_key = f"{prefix}_latitude", f"{prefix}_longitude", f"{prefix}_last_click"
    st.caption(help_text)
    # The map is drawn on request: it is the heaviest part of a form page.
    if st.toggle(_("Choisir sur la carte"), key=f"{prefix}_show_map"):
        _map_picker(lat_key, lon_key, click_key, f"{prefix}_map")
    lat_column, lon_column = st.columns(2)
    lat_column.text_input(_("Latitude"), key=lat_key, max_chars=20, placeholder="45.4347")
    lon_column.text_input(_("Longitude"), key=lon_key, max_chars=20, placeholder="4.3903")


def _map_picker(lat_key: str, lon_key: str, click_key: str, map_key: str) -> None:
    chosen = _chosen_point(st.session_state.get(lat_key), st.session_state.get(lon_key))
    marker = folium.FeatureGroup(name="chosen")
    if chosen:
        folium.CircleMarker(chosen, radius=9, color="#B3261E", fill=True, fill_opacity=0.9,
                            tooltip=mapping.escape_for_map(_("Position choisie"))).add_to(marker)
    clicked = st_folium(mapping.base_map(language=current_language()),
                        feature_group_to_add=marker, key=map_key, height=320,
                        use_container_width=True, returned_objects=["last_clicked"])
    point = (clicked or {}).get("last_clicked")
    if point and (point["lat"], point["lng"]) != st.session_state.get(click_key):
        st.session_state[click_key] = (point["lat"], point["lng"])
        st.session_state[lat_key] = f"{point['lat']:.6f}"
        st.session_state[lon_key] = f"{point['lng']:.6f}"


def _chosen_point(latitude: str | None, longitude: str | None) -> tuple[float, float] | None:
    try:
        lat, lon = clean_coordinates(latitude, longitude)
    except Invalid:
        return None
    return None if lat is None else (lat, lon)
