"""The staff's Sources tab: the sources followed, their runs' reports, the listings gone from
them, and registering a new one (its columns read once to choose the mapping)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from directory import sources
from directory.clock import to_paris
from directory.i18n import N_, format_datetime
from directory.journal import LISTING_STATE_LABELS
from directory.listings import field_label, fold
from directory.models import KIND_LABELS, SOURCE_FORMAT_LABELS, PartnerKind, SourceFormat
from directory.ui import (
    _,
    apply_change,
    as_markdown_text,
    current_language,
    engine,
    errors_summary,
    field_error,
    n_,
    show_notice,
)

STATE_LABELS = {"published": N_("publiée"), "proposed": N_("proposée, à valider")}


def sources_tab(who: str) -> None:
    show_notice("source_notice")
    show_notice("source_form_notice")
    show_notice("source_replace_notice")
    followed = sources.all_sources(engine())
    if not followed:
        st.info(_("Aucune source suivie pour l'instant : ajoutez-en une ci-dessous."))
    for source in followed:
        _source(source, who)
    gone = sources.gone_listings(engine())
    if gone:
        st.subheader(n_("{count} fiche absente de sa source", "{count} fiches absentes de leur source", len(gone)))
        st.caption(_("Elles restent sur la carte : archivez-les si l'organisation n'existe plus."))
        st.dataframe(pd.DataFrame([{
            _("Fiche"): row.name, _("État"): _(LISTING_STATE_LABELS[row.state]), _("Source"): row.source,
            _("Identifiant"): row.external_id,
            _("Absente depuis"): format_datetime(to_paris(row.gone_at), current_language(), style="short"),
        } for row in gone]), hide_index=True, width="stretch")
    _new_source(who)


def _source(source, who: str) -> None:
    language = current_language()
    runs = sources.recent_runs(engine(), source.id)
    with st.container(border=True):
        st.markdown(f"**{as_markdown_text(source.name)}** — {_(SOURCE_FORMAT_LABELS[SourceFormat(source.format)])}, "
                    + (_("source de confiance (publiée sans relecture)") if source.trusted
                       else _("relue par l'équipe")))
        where = source.url or _("fichier déposé")
        interval = _(sources.INTERVAL_LABELS[source.interval_hours])
        st.caption(_("{where} · identifiant : colonne « {column} » · {interval}", where=as_markdown_text(where),
                     column=as_markdown_text(source.id_column), interval=interval)
                   + (" · " + _("prochain passage : {when}", when=format_datetime(
                       to_paris(source.next_run_at), language, style="short")) if source.next_run_at else ""))
        if runs:
            _report(runs[0])
            if len(runs) > 1:
                with st.expander(_("Passages précédents")):
                    for run in runs[1:]:
                        st.markdown(f"- {format_datetime(to_paris(run.started_at), language, style='short')} : "
                                    + as_markdown_text(sources.summary(run, language)))
        else:
            st.caption(_("Pas encore synchronisée."))
        if source.file is not None:
            upload = st.file_uploader(_("Nouvelle version du fichier"), type=["csv", "geojson", "json"],
                                      key=f"source_replace_file_{source.id}")
            field_error(st.session_state.get("source_replace_errors", {}), "file")
            if upload is not None and st.button(_("Remplacer le fichier et synchroniser"),
                                                key=f"source_replace_{source.id}", icon=":material/upload_file:"):
                apply_change("source_replace", lambda: _replaced(source.id, upload.getvalue(), who),
                             done=lambda run: _("Passage terminé : {summary}", summary=sources.summary(run, language)))
        sync_column, remove_column = st.columns(2)
        if sync_column.button(_("Synchroniser maintenant"), key=f"source_sync_{source.id}", icon=":material/sync:"):
            with st.spinner(_("Lecture de la source…")):
                apply_change("source", lambda: sources.sync_source(engine(), source.id, actor=who),
                             done=lambda run: _("Passage terminé : {summary}",
                                                summary=sources.summary(run, language)))
        with remove_column.popover(_("Ne plus suivre"), icon=":material/link_off:"):
            st.markdown(_("Les fiches venues de cette source restent ; seuls ses réglages et ses rapports partent."))
            if st.button(_("Ne plus suivre « {name} »", name=source.name), key=f"source_remove_{source.id}"):
                apply_change("source", lambda: sources.remove_source(engine(), source.id, staff=who),
                             done=_("Source retirée ; ses fiches restent."))


def _report(run) -> None:
    """The latest run: its counts, then its rows by kind."""
    language = current_language()
    report = sources.RunReport.of(run)
    when = format_datetime(to_paris(run.started_at), language, style="short")
    if report.error is not None:
        st.error(_("Dernier passage ({when}) : {summary}", when=when, summary=sources.summary(run, language)),
                 icon=":material/sync_problem:")
        return
    st.markdown(_("Dernier passage ({when}) : {summary}", when=when, summary=sources.summary(run, language)))
    parts = {
        "added": (_("Ajoutées"), lambda row: {
            _("Fiche"): row["name"], _("Identifiant"): row["id"], _("État"): _(STATE_LABELS[row["state"]]),
            _("Doublon possible de"): row["looks_like"]}),
        "changed": (_("Modifiées"), lambda row: {
            _("Fiche"): row["name"], _("Identifiant"): row["id"],
            _("Champs"): ", ".join(field_label(name, language) for name in row["fields"]),
            _("Suite"): _("appliquée") if row["applied"] else _("à valider (onglet Organisations)")}),
        "gone": (_("Disparues de la source"), lambda row: {_("Fiche"): row["name"], _("Identifiant"): row["id"]}),
        "refused": (_("Refusées"), lambda row: {
            _("Ligne"): row["line"], _("Identifiant"): row["id"], _("Nom"): row["name"],
            _("Raisons"): sources.refusal_reasons(row, language)}),
    }
    for part, (title, columns) in parts.items():
        rows = report.listed(part)
        if not rows:
            continue
        with st.expander(f"{title} ({getattr(run, part)})"):
            st.dataframe(pd.DataFrame([columns(row) for row in rows]), hide_index=True, width="stretch")
            if report.unlisted(part):
                st.caption(_("Les {shown} premières sont listées ; {count} autres sont comptées.",
                             shown=len(rows), count=report.unlisted(part)))


def _new_source(who: str) -> None:
    errors = st.session_state.get("source_form_errors", {})
    with st.expander(_("Suivre une nouvelle source"), icon=":material/add_link:", expanded=bool(errors)):
        errors_summary(errors)
        st.text_input(_("Nom de la source"), key="source_name", max_chars=160,
                      help=_("Tel que l'équipe le lira dans les rapports et l'historique des fiches."),
                      persist_state="page")
        field_error(errors, "name")
        st.text_input(_("Adresse du fichier (https://…)"), key="source_url", max_chars=500,
                      help=_("Par exemple l'adresse d'un CSV sur data.gouv.fr ; sinon déposez le fichier."),
                      persist_state="page")
        field_error(errors, "url")
        upload = st.file_uploader(_("Ou le fichier"), type=["csv", "geojson", "json"], key="source_file")
        field_error(errors, "file")
        source_format = st.radio(_("Format"), list(SourceFormat), key="source_format",
                                 format_func=lambda value: _(SOURCE_FORMAT_LABELS[value]))
        form = sources.SourceForm(url=st.session_state.get("source_url", ""),
                                  file=upload.getvalue() if upload is not None else None, format=source_format)
        if st.button(_("Lire les colonnes de la source"), key="source_peek"):
            apply_change("source_form", lambda: st.session_state.update(source_columns=sources.peek_columns(form)),
                         done=None, refusal_field="url")
        columns = st.session_state.get("source_columns")
        if not columns:
            st.caption(_("Lisez d'abord les colonnes : l'identifiant et la correspondance se choisissent parmi elles."))
            return
        st.caption(_("Colonnes lues : {columns}", columns=as_markdown_text(", ".join(columns))))
        id_choices = columns + (["id"] if source_format == SourceFormat.GEOJSON and "id" not in columns else [])
        form.id_column = st.selectbox(_("Colonne qui identifie une ligne d'un passage à l'autre"), id_choices,
                                      key="source_id_column", help=_("Un numéro d'adhérent, un SIRET… : pas le nom, "
                                                                     "qui peut changer."))
        field_error(errors, "id_column")
        if source_format == SourceFormat.MAPPED_CSV:
            st.markdown(_("**Correspondance des colonnes** (laissez vide ce que la source ne donne pas)"))
            for name in sources.MAPPABLE_COLUMNS:
                chosen = st.selectbox(field_label(name, current_language()), columns, index=_same_name(name, columns),
                                      key=f"source_map_{name}", placeholder=_("— pas dans la source —"))
                if chosen:
                    form.mapping[name] = chosen
            field_error(errors, "mapping")
        form.default_kind = st.selectbox(_("Type des lignes qui n'en donnent pas"), list(PartnerKind), index=None,
                                         format_func=lambda kind: _(KIND_LABELS[kind]), key="source_default_kind",
                                         placeholder=_("— aucun —")) or ""
        form.interval_hours = st.selectbox(_("Fréquence"), list(sources.INTERVAL_LABELS), index=3,
                                           format_func=lambda hours: _(sources.INTERVAL_LABELS[hours]),
                                           key="source_interval")
        form.trusted = st.checkbox(_("Source de confiance : publier ses lignes et appliquer ses modifications sans "
                                     "relecture (les doublons possibles restent à valider)"), key="source_trusted")
        form.name = st.session_state.get("source_name", "")
        if st.button(_("Suivre cette source"), type="primary", key="source_add"):
            first_run = (_("Source enregistrée : son premier passage a lieu dans la minute.") if form.interval_hours
                         else _("Source enregistrée : lancez son premier passage avec « Synchroniser maintenant »."))
            apply_change("source_form", lambda: _added(form, who), done=first_run)


def _same_name(name: str, columns: list[str]) -> int | None:
    """The column already named like the field ("Nom", "name", "Site web"…), chosen in advance."""
    names = {fold(name), fold(field_label(name, "fr")), fold(field_label(name, "en"))}
    return next((index for index, column in enumerate(columns) if fold(column) in names), None)


def _replaced(source_id: int, data: bytes, who: str):
    sources.replace_file(engine(), source_id, data, staff=who)
    return sources.sync_source(engine(), source_id, actor=who)


def _added(form: sources.SourceForm, who: str) -> None:
    sources.add_source(engine(), form, staff=who)
    st.session_state.pop("source_columns", None)  # the form starts again at reading a source's columns
