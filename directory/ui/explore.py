"""State of the explore page: filters, view, sort, page, selected partner and map view, mirrored
in the URL so that any moment of a visit can be shared."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from directory import addresses, listings
from directory.listings import MapView, PartnerFilters, relation_lines, relations_of
from directory.models import RELATION_LABELS, PartnerKind
from directory.programme import coming_sessions_of
from directory.showcase import presented_on
from directory.ui import _, current_language, engine, language_params, page_file, say
from directory.ui.cards import partner_card_html
from directory.ui.corrections import report_error_form

PAGE_SIZE = 50
FILTER_DEFAULTS = {"explore_kinds": [], "explore_networks": [], "explore_sectors": [], "explore_q": "",
                   "explore_open_now": False, "explore_relation": ""}
LIST_DEFAULTS = {"explore_sort": "name", "explore_order": "asc", "explore_page": 1}


def restore_state_from_url(version: str) -> None:
    """On arrival (a shared link, a reload), take the page's state from the URL, read leniently:
    a wrong value is left out, and `explore_ignored` says which."""
    if "explore_kinds" in st.session_state:
        return
    link = listings.read_shared_link({name: st.query_params.get_all(name) for name in st.query_params},
                                     networks=tag_choices(version, "networks"),
                                     sectors=tag_choices(version, "sectors"), strict=False)
    st.session_state.explore_ignored = link.ignored
    st.session_state.explore_kinds = list(link.filters.kinds)
    st.session_state.explore_networks = list(link.filters.networks)
    st.session_state.explore_sectors = list(link.filters.sectors)
    st.session_state.explore_q = link.filters.text
    st.session_state.explore_open_now = link.filters.open_now
    st.session_state.explore_relation = link.filters.relation
    st.session_state.explore_view = link.view
    st.session_state.explore_sort = link.sort
    st.session_state.explore_order = "desc" if link.descending else "asc"
    st.session_state.explore_page = link.page
    st.session_state.explore_partner = str(link.partner) if link.partner is not None else None
    # A shared link rings its partner, and centres on it unless it also says where the map looks.
    st.session_state.explore_ring = True
    st.session_state.explore_centre = link.partner is not None and not link.shared_view
    # The map opens where the link says, for the whole visit: its HTML then never changes.
    st.session_state.explore_opening_view = link.map_view
    st.session_state.explore_map_view = link.map_view.to_param() if link.shared_view else None


def say_what_the_link_left_out() -> None:
    """The parts of the address that were wrong and left out, until the visitor changes the view."""
    ignored = st.session_state.get("explore_ignored", ())
    if ignored:
        st.caption(_("Adresse partiellement comprise, ceci est laissé de côté : {problems}",
                     problems=" ".join(say(message) for message in ignored)))


def current_filters() -> PartnerFilters:
    state = st.session_state
    return PartnerFilters(kinds=tuple(state.explore_kinds), networks=tuple(state.explore_networks),
                          sectors=tuple(state.explore_sectors), text=state.explore_q,
                          open_now=bool(state.get("explore_open_now")), relation=state.get("explore_relation", ""))


def relation_filter(everyone: pd.DataFrame) -> None:
    """A link from a card ("les voir sur la carte") keeps only the listings in one relation to
    another: said above the map, with a way out."""
    key = st.session_state.get("explore_relation")
    if not key:
        return
    kind, _sep, other_id = key.partition(":")
    other = listings.find_partner(everyone, other_id)
    name = other["name"] if other else _("une fiche retirée")
    text_column, button_column = st.columns([3, 1], vertical_alignment="center")
    text_column.info(_("Seulement les fiches « {relation} {name} ».", relation=_(RELATION_LABELS[kind][0]).lower(),
                       name=name), icon=":material/hub:")
    button_column.button(_("Retirer ce filtre"), on_click=_clear_relation, icon=":material/close:",
                         key="explore_relation_clear")


def _clear_relation() -> None:
    st.session_state.explore_relation = ""
    back_to_first_page()


def filters_active() -> bool:
    return any(st.session_state.get(key) for key in FILTER_DEFAULTS)


def chosen_filter_count() -> int:
    """How many kinds, sectors and networks are chosen, "open now" counting one: the filters button says it."""
    state = st.session_state
    return (len(state.get("explore_kinds") or ()) + len(state.get("explore_sectors") or ())
            + len(state.get("explore_networks") or ()) + int(bool(state.get("explore_open_now"))))


def clear_filters() -> None:
    """Callback of the reset buttons: every filter and the list's page back to their defaults."""
    for key, default in FILTER_DEFAULTS.items():
        st.session_state[key] = list(default) if isinstance(default, list) else default
    back_to_first_page()


def back_to_first_page() -> None:
    """Callback of the filters and the sort: a new set of rows starts on its first page (and the
    address no longer says what the arrival's did)."""
    st.session_state.explore_page = 1
    st.session_state.explore_ignored = ()


def open_partner(partner_id: int | None) -> None:
    """Callback of a list item or of the card's close button: the map will centre on the partner."""
    st.session_state.explore_partner = None if partner_id is None else str(partner_id)
    st.session_state.explore_ring = st.session_state.explore_centre = partner_id is not None


def follow_map(shown: pd.DataFrame, state: dict[str, Any] | None) -> None:
    """What the map reported: a click on a marker opens that partner's card (the map rings it
    itself, and stays where the visitor put it); a move is kept for the shareable URL."""
    state = state or {}
    if state.get("zoom") and state.get("center"):
        st.session_state.explore_map_view = MapView.around(state["center"], state["zoom"]).to_param()
    point = state.get("last_object_clicked")
    if not point:
        return
    click = (point.get("lat"), point.get("lng"), state.get("last_object_clicked_tooltip"))
    if click == st.session_state.get("explore_last_click"):
        return  # the map repeats its last click on every rerun
    st.session_state.explore_last_click = click
    partner = listings.partner_at(shown, click[0], click[1], click[2])
    if partner:
        st.session_state.explore_partner = str(partner["id"])
        st.session_state.explore_ring = st.session_state.explore_centre = False


def map_position(partner: dict[str, Any] | None) -> tuple[float, float] | None:
    """Where the map rings the selected partner, if it is placed."""
    if partner is None or pd.isna(partner.get("latitude")) or pd.isna(partner.get("longitude")):
        return None
    return float(partner["latitude"]), float(partner["longitude"])


def show_partner_card(partner: dict[str, Any], *, site: str) -> None:
    """The card, the way to report an error on it, and the button that closes it."""
    language = current_language()
    partner_id, slug = int(partner["id"]), partner.get("slug")
    outgoing, incoming = relations_of(engine(), partner_id)
    relations = relation_lines(partner_id, outgoing, incoming, _,
                               listing_at=lambda related: addresses.partner_on_map(site, related.partner_id, language),
                               filtered_map=lambda key: addresses.with_query(site, {"relation": key}, language))
    st.html(partner_card_html(
        partner, language, presented_on=presented_on(engine(), partner_id), relations=relations,
        sessions=coming_sessions_of(engine(), partner_id, base=site, language=language),
        permalink=addresses.partner_page(site, slug, language) if slug else "",
        logo=addresses.partner_logo(site, slug) if slug and partner.get("logo_type") else ""))
    if partner.get("slug"):
        st.page_link(page_file("update_listing"), label=_("Mettre à jour cette fiche"), icon=":material/edit:",
                     query_params={"fiche": partner["slug"], **language_params()})
    report_error_form(partner)
    st.button(_("Fermer la fiche"), on_click=open_partner, args=(None,), icon=":material/close:",
              key=f"explore_close_{partner['id']}")


def list_params() -> dict[str, str]:
    """The list's order and page, as the URL and the open-data addresses write them."""
    params = {}
    for key, default in LIST_DEFAULTS.items():
        if (value := st.session_state.get(key, default)) != default:
            params[key.removeprefix("explore_")] = str(value)
    return params


def open_data_params(filters: PartnerFilters) -> dict[str, str]:
    """The open-data addresses' parameters for what the page shows: its filters and the list's order."""
    params = {**filters.to_query_params(), **list_params()}
    params.pop("page", None)
    return params


def remember_state_in_url(filters: PartnerFilters) -> None:
    params = {**filters.to_query_params(), **list_params()}
    if st.session_state.get("explore_view") == "list":
        params["view"] = "list"
    if st.session_state.get("explore_partner"):
        params["partner"] = str(st.session_state.explore_partner)
    if st.session_state.get("explore_map_view"):
        params["map"] = st.session_state.explore_map_view
    if "lang" in st.query_params:
        params["lang"] = st.query_params["lang"]
    if dict(st.query_params) != params:
        st.query_params.from_dict(params)


def landmarks(everyone: pd.DataFrame) -> pd.DataFrame:
    return everyone[everyone["kind"] == PartnerKind.ATELIER]


# Every view is keyed on the data version, read once per run by the page, and cached by the
# package for the whole process (the web routes share it): public data only.

def data_version() -> str:
    return listings.data_version(engine())


def published_partners(version: str) -> pd.DataFrame:
    return listings.published_partners(engine(), version)


def tag_choices(version: str, column: str) -> list[str]:
    return list(listings.published_tags(engine(), version, column))


def filtered_partners(version: str, filters: PartnerFilters) -> pd.DataFrame:
    return listings.filtered_partners(engine(), version, filters)
