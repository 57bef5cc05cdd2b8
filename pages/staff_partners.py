"""Staff manage the directory: proposals from the public, listings, CSV import and export."""

import pandas as pd
import streamlit as st

from directory.accounts import actor_of
from directory.clock import to_paris
from directory.i18n import format_datetime
from directory.listings import (
    SEARCH_MAX,
    apply_import,
    apply_report,
    archive_partner,
    count_to_check,
    create_partner,
    dismiss_report,
    exports,
    get_partner,
    logo_data_url,
    open_reports,
    pending_changes,
    publish_partner,
    read_partner_csv,
    reject_partner,
    restore_partner,
    staff_partners,
    to_check,
    update_partner,
)
from directory.models import ListingState
from directory.ui import (
    _,
    apply_change,
    as_markdown_text,
    current_language,
    engine,
    errors_summary,
    n_,
    read_or_explain,
    say,
    show_notice,
)
from directory.ui.auth import require_staff
from directory.ui.cards import partner_card_html
from directory.ui.external_sources import sources_tab as external_sources
from directory.ui.forms import draw_open_tab
from directory.ui.listing_care import (
    claims,
    duplicate_flags,
    history,
    listings_to_check,
    merge_panel,
    organisation_changes,
    relations_editor,
)
from directory.ui.partner_form import (
    fill_partner_form,
    partner_fields,
    read_partner_form,
)

staff = require_staff()
who = actor_of(staff)
language = current_language()
st.title(_("Gérer l'annuaire"))

for notice in ("manage_notice", "care_notice", "claim_review_notice", "relation_notice"):
    show_notice(notice)


def act(action, done_message: str, *args, **kwargs) -> None:
    """Run one listing change as staff; a listing edited meanwhile or bad input is said plainly."""
    def change() -> None:
        action(engine(), *args, staff=who, **kwargs)
        st.session_state.manage_editing = None
    apply_change("manage", change, done=done_message)


errors = st.session_state.get("manage_errors", {})
reports = open_reports(engine())
changes = pending_changes(engine())


def proposals_tab() -> None:
    proposed = staff_partners(engine(), states=(ListingState.PROPOSED,))
    if proposed.empty:
        st.info(_("Aucune proposition en attente."))
    else:
        names = dict(zip(proposed["id"].astype(int), proposed["name"], strict=True))
        chosen = st.selectbox(_("Proposition ({count} en attente)", count=len(proposed)), list(names),
                              format_func=names.get, key="manage_proposal")
        proposal = proposed[proposed["id"] == chosen].iloc[0].to_dict()
        st.html(partner_card_html(proposal, language, logo=logo_data_url(proposal["logo"], proposal["logo_type"])))
        if proposal["proposer_email"] and proposal["proposer_name"]:
            st.caption(_("Proposée par {name} ({email})", name=as_markdown_text(proposal["proposer_name"]),
                         email=as_markdown_text(proposal["proposer_email"])))
        elif proposal["proposer_email"]:
            st.caption(_("Proposée par {email}, sans nom", email=as_markdown_text(proposal["proposer_email"])))
        elif proposal["source"]:
            st.caption(_("Venue de la source « {name} »", name=as_markdown_text(proposal["source"])))
        duplicate_flags(chosen, who)
        if st.session_state.get("manage_editing") == ("proposal", chosen):
            errors_summary(errors)
            partner_fields("manage_proposal_form", errors, for_staff=True)
            if st.button(_("Publier avec ces corrections"), type="primary", key="manage_publish_edited"):
                act(publish_partner, _("Fiche publiée."), chosen, form=read_partner_form("manage_proposal_form"))
        else:
            publish_column, edit_column = st.columns(2)
            if publish_column.button(_("Publier telle quelle"), type="primary", key="manage_publish"):
                act(publish_partner, _("Fiche publiée."), chosen)
            if edit_column.button(_("Corriger puis publier"), key="manage_edit_proposal"):
                fill_partner_form("manage_proposal_form", get_partner(engine(), chosen))
                st.session_state.manage_editing = ("proposal", chosen)
                st.rerun()
        reason = st.text_input(_("Motif du refus"), key="manage_reject_reason", persist_state="page")
        if st.button(_("Refuser"), disabled=not reason.strip(), key="manage_reject"):
            act(reject_partner, _("Proposition refusée."), chosen, reason=reason)
        merge_panel(chosen, who)


def requests_tab() -> None:
    st.subheader(_("Modifications envoyées par les organisations"))
    organisation_changes(changes, who)
    st.subheader(_("Demandes pour devenir le contact d'une fiche"))
    claims(who)


def reports_tab() -> None:
    if reports.empty:
        st.info(_("Aucun signalement en attente."))
    else:
        labels = {int(r.id): f"{r.partner_name} — {format_datetime(to_paris(r.created_at), language, style='short')}"
                  for r in reports.itertuples()}
        chosen = st.selectbox(_("Signalement ({count} en attente)", count=len(reports)), list(labels),
                              format_func=labels.get, key="manage_report")
        report = reports[reports["id"] == chosen].iloc[0]
        with st.container(border=True):
            st.markdown(_("**Ce qui serait faux :**"))
            st.text(report["message"])
            if report["reporter_email"]:
                st.caption(_("Signalé par {email}", email=as_markdown_text(report["reporter_email"])))
        if st.session_state.get("manage_editing") == ("report", chosen):
            errors_summary(errors)
            partner_fields("manage_report_form", errors, for_staff=True)
            if st.button(_("Enregistrer la fiche et clore le signalement"), type="primary", key="manage_apply_report"):
                act(apply_report, _("Fiche corrigée ; signalement clos."), chosen,
                    form=read_partner_form("manage_report_form"))
        else:
            correct_column, dismiss_column = st.columns(2)
            if correct_column.button(_("Corriger la fiche"), type="primary", key="manage_correct"):
                fill_partner_form("manage_report_form", get_partner(engine(), int(report["partner_id"])))
                st.session_state.manage_editing = ("report", chosen)
                st.session_state.manage_errors = {}
                st.rerun()
            if dismiss_column.button(_("Classer sans suite"), key="manage_dismiss"):
                act(dismiss_report, _("Signalement classé sans suite."), chosen)


def directory_tab() -> None:
    state_labels = {ListingState.PUBLISHED: _("Publiées"), ListingState.ARCHIVED: _("Archivées")}
    state = st.radio(_("Fiches"), list(state_labels), horizontal=True, key="manage_state",
                     format_func=state_labels.get)
    search = st.text_input(_("Rechercher par nom"), key="manage_search", max_chars=SEARCH_MAX, persist_state="page")
    found = staff_partners(engine(), states=(state,), text=search, limit=100)
    st.caption(n_("{count} fiche (100 au plus).", "{count} fiches (100 au plus).", len(found)))
    if not found.empty:
        names = dict(zip(found["id"].astype(int), found["name"], strict=True))
        chosen = st.selectbox(_("Fiche"), list(names), format_func=names.get, key="manage_listing")
        if st.session_state.get("manage_editing") == ("listing", chosen):
            errors_summary(errors)
            partner_fields("manage_listing_form", errors, for_staff=True)
            save_column, cancel_column = st.columns(2)
            if save_column.button(_("Enregistrer"), type="primary", key="manage_save"):
                act(update_partner, _("Fiche enregistrée."), chosen, form=read_partner_form("manage_listing_form"),
                    expected=st.session_state.manage_edited_version)
            if cancel_column.button(_("Annuler"), key="manage_cancel"):
                st.session_state.manage_editing = None
                st.rerun()
        else:
            listing = found[found["id"] == chosen].iloc[0].to_dict()
            st.html(partner_card_html(listing, language, logo=logo_data_url(listing["logo"], listing["logo_type"])))
            if listing["notes"]:
                st.caption(_("Notes de l'équipe : {notes}", notes=as_markdown_text(listing["notes"])))
            duplicate_flags(chosen, who)
            merge_panel(chosen, who)
            history(chosen, who)
            relations_editor(chosen, who)
            edit_column, archive_column = st.columns(2)
            if edit_column.button(_("Modifier"), key="manage_edit"):
                editing = get_partner(engine(), chosen)
                fill_partner_form("manage_listing_form", editing)
                st.session_state.manage_edited_version = editing.version
                st.session_state.manage_editing = ("listing", chosen)
                st.session_state.manage_errors = {}
                st.rerun()
            if state == ListingState.PUBLISHED and archive_column.button(_("Archiver"), key="manage_archive"):
                act(archive_partner, _("Fiche archivée : elle n'est plus publique."), chosen)
            if state == ListingState.ARCHIVED and archive_column.button(_("Restaurer"), key="manage_restore"):
                act(restore_partner, _("Fiche restaurée et publiée."), chosen)


def new_tab() -> None:
    errors_summary(errors if st.session_state.get("manage_editing") == ("new", None) else {})
    partner_fields("manage_new", errors if st.session_state.get("manage_editing") == ("new", None) else {},
                   for_staff=True)
    if st.button(_("Créer la fiche"), type="primary", key="manage_create"):
        st.session_state.manage_editing = ("new", None)
        act(create_partner, _("Fiche créée et publiée."), read_partner_form("manage_new"))


def import_tab() -> None:
    st.markdown(_("Fichier CSV (UTF-8 ou Windows-1252, séparateur « ; », « , » ou tabulation) avec au moins les "
                  "colonnes `name` et `kind`. Rien n'est écrit avant votre confirmation."))
    upload = st.file_uploader(_("Fichier CSV"), type=["csv"], key="manage_import_file")
    preview = read_or_explain(lambda: read_partner_csv(upload.getvalue(), engine())) if upload else None
    if preview is not None:
        st.caption(_("Lignes lues : {rows} ({encoding}, séparateur « {delimiter} ») ; valides : {valid} ; "
                     "en erreur : {invalid}.", rows=len(preview.rows), encoding=preview.encoding,
                     delimiter=preview.delimiter, valid=len(preview.valid_rows),
                     invalid=len(preview.invalid_rows)))
        report = pd.DataFrame([{
            _("Ligne"): row.line, _("Nom"): row.name,
            _("Résultat"): (_("valide") if row.ok else "; ".join(f"{field} : {say(message)}"
                                                                for field, message in row.errors.items()))
            + (" — " + _("doublon possible de « {name} »", name=row.looks_like) if row.looks_like else ""),
        } for row in preview.rows])
        st.dataframe(report, hide_index=True, width="stretch")
        only_valid = st.checkbox(_("Importer seulement les lignes valides"), key="manage_import_skip",
                                 disabled=not preview.invalid_rows)
        ready = not preview.invalid_rows or only_valid
        if st.button(_("Confirmer l'import"), type="primary", disabled=not ready or not preview.valid_rows,
                     key="manage_import"):
            apply_change("manage", lambda: apply_import(engine(), preview, skip_invalid=only_valid, staff=who),
                         done=lambda count: n_("{count} fiche importée.", "{count} fiches importées.", count))


def export_tab() -> None:
    st.download_button(_("Exporter toutes les fiches (CSV, avec leur état)"),
                       lambda: exports.partners_csv(staff_partners(engine()), for_staff=True),
                       file_name="vitrine-annuaire-complet.csv", mime="text/csv", icon=":material/download:",
                       on_click="ignore")


draw_open_tab({_("Propositions"): proposals_tab, _("Organisations ({count})", count=len(changes)): requests_tab,
               _("Signalements ({count})", count=len(reports)): reports_tab, _("Fiches publiées"): directory_tab,
               _("À vérifier ({count})", count=count_to_check(engine())): lambda: listings_to_check(to_check(engine())),
               _("Nouvelle fiche"): new_tab, _("Import CSV"): import_tab, _("Sources"): lambda: external_sources(who),
               _("Export"): export_tab}, key="manage_tab")
