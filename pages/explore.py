"""The public map and its equivalent list, with filters, a partner card and open-data exports."""

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from directory import addresses
from directory.i18n import format_number
from directory.listings import (
    SEARCH_MAX,
    SORT_KEYS,
    exports,
    find_partner,
    in_reading_order,
    mapping,
    sort_partners,
    tag_label,
)
from directory.models import PartnerKind
from directory.ui import _, current_language, n_, site_url, text_to_copy
from directory.ui.cards import kind_label, legend_html, partner_summary_html
from directory.ui.explore import (
    PAGE_SIZE,
    back_to_first_page,
    chosen_filter_count,
    clear_filters,
    current_filters,
    data_version,
    filtered_partners,
    filters_active,
    follow_map,
    landmarks,
    map_position,
    open_data_params,
    open_partner,
    published_partners,
    relation_filter,
    remember_state_in_url,
    restore_state_from_url,
    say_what_the_link_left_out,
    show_partner_card,
    tag_choices,
)
from directory.ui.forms import kept_page, page_number_box


# The page is one fragment: a filter, a marker or a list item reruns it alone, not the navigation
# and sidebar around it (a third of a rerun's time on the server, and fewer changes for the browser).
@st.fragment
def explore() -> None:
    language, site = current_language(), site_url()
    kind_labels = {kind.value: kind_label(kind.value, _) for kind in PartnerKind}
    version = data_version()  # one query per run; every view below is cached on it
    everyone = published_partners(version)
    restore_state_from_url(version)

    st.title(_("L'écosystème numérique de Saint-Étienne"))
    say_what_the_link_left_out()
    relation_filter(everyone)
    search_and_filters(version, kind_labels, language)
    filters = current_filters()
    shown = filtered_partners(version, filters)
    count_and_view(shown, everyone, language)
    partner = chosen_partner(shown, everyone)
    if st.session_state.explore_view == "map":
        map_and_card(version, filters, shown, everyone, partner, kind_labels, language, site)
    else:
        partner_list(shown, partner, language, site)
    open_data(shown, filters, language, site)
    remember_state_in_url(filters)


def search_and_filters(version: str, kind_labels: dict[str, str], language: str) -> None:
    """The search, then every other filter behind one button: on a phone the map stays in the first screen."""
    search_column, filters_column = st.columns([3, 1], vertical_alignment="bottom")
    search_column.text_input(_("Rechercher"), key="explore_q", max_chars=SEARCH_MAX, on_change=back_to_first_page,
                             placeholder=_("Nom, type, secteur, ville…"))
    chosen = chosen_filter_count()
    with filters_column.popover(_("Filtres ({count})", count=chosen) if chosen else _("Filtres"),
                                icon=":material/filter_list:", width="stretch", key="explore_filters"):
        st.multiselect(_("Types"), list(kind_labels), key="explore_kinds", format_func=kind_labels.get,
                       placeholder=_("Tous les types"), on_change=back_to_first_page, select_all=False)
        st.multiselect(_("Secteurs"), in_reading_order(tag_choices(version, "sectors"), language),
                       key="explore_sectors", format_func=lambda tag: tag_label(tag, language),
                       placeholder=_("Tous les secteurs"), on_change=back_to_first_page, select_all=False)
        st.multiselect(_("Réseaux"), tag_choices(version, "networks"), key="explore_networks",
                       placeholder=_("Tous les réseaux"), on_change=back_to_first_page, select_all=False)
        st.toggle(_("Ouvert maintenant"), key="explore_open_now", on_change=back_to_first_page,
                  help=_("Seulement les lieux que leurs horaires disent ouverts en ce moment."))


def count_and_view(shown: pd.DataFrame, everyone: pd.DataFrame, language: str) -> None:
    """How many are shown, the way back to all of them, and map or list."""
    placed = int(shown["latitude"].notna().sum())
    count_column, view_column = st.columns([3, 2], vertical_alignment="center")
    count_column.markdown(n_("**{count}** partenaire affiché sur {total}, dont {placed} sur la carte.",
                             "**{count}** partenaires affichés sur {total}, dont {placed} sur la carte.", len(shown),
                             total=format_number(len(everyone), language), placed=format_number(placed, language)))
    if filters_active():
        count_column.button(_("Réinitialiser les filtres"), on_click=clear_filters, icon=":material/restart_alt:",
                            key="explore_reset")
    view_labels = {"map": _("Carte"), "list": _("Liste")}
    view_column.segmented_control(_("Affichage"), list(view_labels), key="explore_view", format_func=view_labels.get,
                                  selection_mode="single", required=True, label_visibility="collapsed")
    if shown.empty:
        st.info(_("Aucun partenaire ne correspond à ces critères. Essayez d'autres mots ou retirez un filtre."),
                icon=":material/search_off:")
        st.button(_("Voir tous les partenaires"), on_click=clear_filters, type="primary", key="explore_reset_empty")


def chosen_partner(shown: pd.DataFrame, everyone: pd.DataFrame) -> dict | None:
    """The partner chosen (by a link, the list or the map) among those shown; why not, if hidden."""
    partner = find_partner(shown, st.session_state.get("explore_partner"))
    if st.session_state.get("explore_partner") and partner is None:
        if find_partner(everyone, st.session_state.explore_partner):
            st.info(_("La fiche choisie est masquée par les filtres."), icon=":material/filter_alt:")
            st.button(_("Réinitialiser les filtres"), on_click=clear_filters, key="explore_reset_hidden")
        else:
            st.warning(_("Fiche introuvable : aucune organisation publiée ne porte ce numéro."),
                       icon=":material/search_off:")
            st.button(_("Retour à la carte"), on_click=open_partner, args=(None,), key="explore_forget_partner")
    return partner


def map_and_card(version: str, filters, shown: pd.DataFrame, everyone: pd.DataFrame, partner: dict | None,
                 kind_labels: dict[str, str], language: str, site: str) -> None:
    map_column, card_column = st.columns([3, 2])
    with map_column:
        # A partner chosen in the list or a link is ringed (and centred); one chosen on the map is
        # ringed by the map itself, whose layer is then not redrawn (that costs more than the card).
        ringed = map_position(partner) if st.session_state.explore_ring else None
        centre = ringed if st.session_state.explore_centre else None
        map_state = st_folium(
            mapping.base_map(landmarks(everyone), landmark_label=_("Atelier Numérique"),
                             view=st.session_state.explore_opening_view, language=language),
            feature_group_to_add=mapping.partner_layer(
                mapping.layer_data_url(version, filters), kind_labels=kind_labels,
                language=language, group_name=_("Partenaires"), selected=ringed),
            center=centre, zoom=16 if centre else None,
            key="explore_map", height=520, use_container_width=True,
            returned_objects=["last_object_clicked", "last_object_clicked_tooltip", "center", "zoom"],
        )
        follow_map(shown, map_state)
    with card_column:
        partner = find_partner(shown, st.session_state.get("explore_partner"))  # a marker may have chosen one
        if partner:
            show_partner_card(partner, site=site)
        elif not shown.empty:
            st.info(_("Choisissez un partenaire sur la carte ou dans la liste pour afficher sa fiche."),
                    icon=":material/touch_app:")
    st.html(legend_html(shown["kind"].value_counts().to_dict(), language, _))


def partner_list(shown: pd.DataFrame, partner: dict | None, language: str, site: str) -> None:
    """The map's equivalent: the partners shown, sorted, a page at a time; the chosen one opens its card."""
    sort_column, order_column, page_column = st.columns(3)
    sort_labels = {"name": _("Nom"), "kind": _("Type"), "city": _("Ville")}
    # Kept while the map is shown instead (the address keeps them too).
    sort_column.selectbox(_("Trier par"), SORT_KEYS, key="explore_sort", format_func=sort_labels.get,
                          on_change=back_to_first_page, persist_state="page")
    order_labels = {"asc": _("croissant"), "desc": _("décroissant")}
    order_column.radio(_("Ordre"), list(order_labels), key="explore_order", horizontal=True,
                       format_func=order_labels.get, on_change=back_to_first_page, persist_state="page")
    page = kept_page("explore_page", size=PAGE_SIZE, total=len(shown))
    page_number_box(page, "explore_page", page_column)
    ordered = sort_partners(shown, st.session_state.explore_sort, descending=st.session_state.explore_order == "desc")
    if page.total:
        st.caption(_("Partenaires {first} à {last} sur {count}", first=format_number(page.first, language),
                     last=format_number(page.last, language), count=format_number(page.total, language)))
    for row in ordered.iloc[page.offset:page.offset + page.size].to_dict("records"):
        chosen_row = partner is not None and row["id"] == partner["id"]
        with st.container(key=f"explore_item_{row['id']}", border=chosen_row):
            st.button(row["name"], key=f"explore_open_{row['id']}", type="tertiary", on_click=open_partner,
                      args=(row["id"],))
            st.html(partner_summary_html(row, language, _))
            if chosen_row:
                show_partner_card(partner, site=site)


def open_data(shown: pd.DataFrame, filters, language: str, site: str) -> None:
    """The partners shown as files, as addresses that follow the filters, and as a map to embed."""
    st.subheader(_("Données ouvertes"))
    st.caption(_("Les partenaires affichés, sous {licence}.", licence=addresses.LICENCE_NAME))
    csv_column, geojson_column, json_column = st.columns(3)
    csv_column.download_button(_("Télécharger en CSV"), lambda: exports.partners_csv(shown),
                               file_name="vitrine-partenaires.csv", mime="text/csv", icon=":material/download:",
                               on_click="ignore")
    geojson_column.download_button(_("Télécharger en GeoJSON"),
                                   lambda: exports.partners_geojson(shown, base_url=site, language=language),
                                   file_name="vitrine-partenaires.geojson", mime="application/geo+json",
                                   icon=":material/download:", on_click="ignore")
    json_column.download_button(_("Télécharger en JSON"),
                                lambda: exports.partners_json(shown, base_url=site, language=language),
                                file_name="vitrine-partenaires.json", mime="application/json",
                                icon=":material/download:", on_click="ignore")
    st.markdown(_("Ou lisez-les à ces adresses, qui suivent les filtres choisis et donnent toujours les données "
                  "du jour (QGIS, uMap, tableur, script) :"))
    for data_format in addresses.OPEN_DATA_FORMATS:
        text_to_copy(addresses.open_data(site, data_format, open_data_params(filters), language))
    with st.expander(_("Intégrer cette carte"), icon=":material/code:"):
        st.markdown(_("Collez ce code dans une page de votre site : la carte y montre les partenaires "
                      "choisis ici, et chaque fiche s'ouvre sur Vitrine."))
        text_to_copy(addresses.embed_snippet(addresses.embed(site, filters.to_query_params(), language),
                                             _("Carte de l'écosystème numérique de Saint-Étienne")))


explore()
