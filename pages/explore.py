"""The public map and its equivalent list, with filters, a partner card and open-data exports."""

import math

import streamlit as st
from streamlit_folium import st_folium

from directory import addresses, exports, mapping
from directory.i18n import format_number
from directory.models import PartnerKind
from directory.partners import SORT_KEYS, PartnerFilters, find_partner, sort_partners
from directory.ui import _, current_language, site_url
from directory.ui.cards import kind_label, legend_html, partner_card_html, partner_table_html
from directory.ui.explore import (
    PAGE_SIZE,
    clear_filters,
    data_version,
    filtered_partners,
    landmarks,
    open_data_params,
    published_partners,
    remember_state_in_url,
    restore_state_from_url,
    select_partner,
    tag_choices,
)

language = current_language()
site = site_url()
kind_labels = {kind.value: kind_label(kind.value, _) for kind in PartnerKind}
version = data_version()  # one query per run; every view below is cached on it
everyone = published_partners(version)
restore_state_from_url(version)

st.title(_("L'écosystème numérique de Saint-Étienne"))

with st.sidebar:
    st.header(_("Filtres"))
    st.multiselect(_("Types"), list(kind_labels), key="explore_kinds",
                   format_func=kind_labels.get, placeholder=_("Tous les types"))
    st.multiselect(_("Réseaux"), tag_choices(version, "networks"), key="explore_networks",
                   placeholder=_("Tous les réseaux"))
    st.multiselect(_("Secteurs"), tag_choices(version, "sectors"), key="explore_sectors",
                   placeholder=_("Tous les secteurs"))
    st.text_input(_("Rechercher (nom, description)"), key="explore_q", max_chars=200)
    st.button(_("Réinitialiser les filtres"), on_click=clear_filters, icon=":material/restart_alt:")

filters = PartnerFilters(
    kinds=tuple(st.session_state.explore_kinds), networks=tuple(st.session_state.explore_networks),
    sectors=tuple(st.session_state.explore_sectors), text=st.session_state.explore_q,
)
shown = filtered_partners(version, filters)
placed = int(shown["latitude"].notna().sum())
st.markdown(_("**{shown}** partenaires affichés sur {total}, dont {placed} sur la carte.",
              shown=format_number(len(shown), language), total=format_number(len(everyone), language),
              placed=format_number(placed, language)))

map_tab, list_tab = st.tabs([_("Carte"), _("Liste")])
with map_tab:
    map_column, card_column = st.columns([3, 2])
    with map_column:
        clicked = st_folium(
            mapping.base_map(landmarks(everyone), landmark_label=_("Atelier Numérique")),
            feature_group_to_add=mapping.partner_layer(
                mapping.layer_data_url(version, filters),
                kind_labels=kind_labels,
                approximate_label=_("position approximative"),
                presenting_label=_("présente à l'atelier"), group_name=_("Partenaires")),
            key="explore_map", height=520, use_container_width=True,
            returned_objects=["last_object_clicked", "last_object_clicked_tooltip"],
        )
        select_partner(shown, clicked)
        st.html(legend_html(shown["kind"].value_counts().to_dict(), _))
    with card_column:
        partner = find_partner(shown, st.session_state.get("explore_partner"))
        if partner:
            st.html(partner_card_html(partner, language, _, permalink=addresses.partner_page(
                site, partner["slug"], language) if partner.get("slug") else ""))
            st.button(_("Fermer la fiche"), on_click=select_partner, args=(shown, None),
                      kwargs={"clear": True}, icon=":material/close:")
        else:
            st.info(_("Choisissez un partenaire sur la carte ou dans la liste pour afficher sa fiche."))

with list_tab:
    sort_column, order_column, page_column = st.columns(3)
    sort_labels = {"name": _("Nom"), "kind": _("Type"), "city": _("Ville")}
    sort_column.selectbox(_("Trier par"), SORT_KEYS, key="explore_sort", format_func=sort_labels.get)
    order_labels = {"asc": _("croissant"), "desc": _("décroissant")}
    order_column.radio(_("Ordre"), list(order_labels), key="explore_order", horizontal=True,
                       format_func=order_labels.get)
    pages = max(1, math.ceil(len(shown) / PAGE_SIZE))
    page_column.number_input(_("Page (sur {pages})", pages=pages), min_value=1, max_value=pages,
                             key="explore_page")
    page = min(st.session_state.explore_page, pages)
    ordered = sort_partners(shown, st.session_state.explore_sort,
                            descending=st.session_state.explore_order == "desc")
    page_rows = ordered.iloc[(page - 1) * PAGE_SIZE: page * PAGE_SIZE]
    st.html(partner_table_html(
        page_rows, language=language, _=_, link_params=dict(st.query_params),
        caption=_("Partenaires {first} à {last} sur {count}", first=min(len(shown), (page - 1) * PAGE_SIZE + 1),
                  last=(page - 1) * PAGE_SIZE + len(page_rows), count=len(shown))))

st.subheader(_("Données ouvertes"))
st.caption(_("Les partenaires affichés, sous {licence}.", licence=addresses.LICENCE_NAME))
csv_column, geojson_column, json_column = st.columns(3)
csv_column.download_button(_("Télécharger en CSV"), lambda: exports.partners_csv(shown),
                           file_name="vitrine-partenaires.csv", mime="text/csv", icon=":material/download:")
geojson_column.download_button(_("Télécharger en GeoJSON"),
                               lambda: exports.partners_geojson(shown, base_url=site, language=language),
                               file_name="vitrine-partenaires.geojson", mime="application/geo+json",
                               icon=":material/download:")
json_column.download_button(_("Télécharger en JSON"),
                            lambda: exports.partners_json(shown, base_url=site, language=language),
                            file_name="vitrine-partenaires.json", mime="application/json", icon=":material/download:")
st.markdown(_("Ou lisez-les à ces adresses, qui suivent les filtres choisis et donnent toujours les données "
              "du jour (QGIS, uMap, tableur, script) :"))
for data_format in addresses.OPEN_DATA_FORMATS:
    st.code(addresses.open_data(site, data_format, open_data_params(filters), language), language=None,
            wrap_lines=True)

with st.expander(_("Intégrer cette carte"), icon=":material/code:"):
    st.markdown(_("Collez ce code dans une page de votre site : la carte y montre les partenaires "
                  "choisis ici, et chaque fiche s'ouvre sur Vitrine."))
    st.code(addresses.embed_snippet(addresses.embed(site, filters.to_query_params(), language),
                                    _("Carte de l'écosystème numérique de Saint-Étienne")),
            language="html", wrap_lines=True)
remember_state_in_url(filters)
