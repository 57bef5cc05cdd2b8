"""The staff's screens for listings kept true: organisations' changes as a diff, claims, history,
possible duplicates and listings to check."""

from __future__ import annotations

from html import escape
from typing import Any

import pandas as pd
import streamlit as st

from directory import addresses, listings
from directory.clock import aware, to_paris
from directory.i18n import N_, format_date, format_datetime, format_number
from directory.journal import actor_names
from directory.listings import (
    CHECK_STATE_LABELS,
    REASONS,
    SEARCH_MAX,
    decide_change,
    decide_claim,
    duplicates_of,
    mark_not_duplicate,
    pending_claims,
    relations,
    review_change,
    word_changes,
)
from directory.models import RELATION_LABELS, ListingState, RelationKind
from directory.ui import _, apply_change, as_markdown_text, current_language, engine, field_error, n_, site_url
from directory.ui.forms import kept_page, page_number_box

# The "to check" tab formats each row it shows (dates, states): a page of them at a time.
CHECK_PAGE_SIZE = 100
ORIGIN_LABELS = {"proposal": N_("proposition du public"), "import": N_("import"),
                 "history-start": N_("début de l'historique"), "report": N_("signalement n°{number}"),
                 "restore": N_("retour à la version {number}"), "merge": N_("fusion avec la fiche n°{number}"),
                 "change": N_("modification n°{number}"), "claim": N_("revendication n°{number}"),
                 "source": N_("synchronisation d'une source"),
                 "application": N_("candidature vitrine n°{number} acceptée")}


def _shown(name: str, value: Any) -> str:
    if value is None or value == "" or (isinstance(value, float) and pd.isna(value)):
        return "—"
    return str(value)


def word_diff_html(before: Any, after: Any) -> tuple[str, str]:
    """Before and after, the removed words struck and the added ones marked (escaped)."""
    runs = word_changes(_shown("", before), _shown("", after))
    old = " ".join(f"<del>{escape(text)}</del>" if kind == "removed" else escape(text)
                   for kind, text in runs if kind != "added")
    new = " ".join(f"<ins>{escape(text)}</ins>" if kind == "added" else escape(text)
                   for kind, text in runs if kind != "removed")
    return old, new


def logo_html(data_url: str) -> str:
    if not data_url:
        return "—"
    return f'<img src="{escape(data_url, quote=True)}" alt="{escape(_("Logo"), quote=True)}" width="96">'


DIFF_STYLE = """<style>
.vitrine-diff { width: 100%; border-collapse: collapse; overflow-wrap: break-word; }
.vitrine-diff th, .vitrine-diff td { border-bottom: 1px solid #DDD; padding: .3em .5em; text-align: left;
  vertical-align: top; }
/* On a phone each field is a block: its name, then the card's value, then the proposed one. */
@media (max-width: 640px) {
  .vitrine-diff thead { display: none; }
  .vitrine-diff tr, .vitrine-diff th, .vitrine-diff td { display: block; border: 0; }
  .vitrine-diff tr { border-bottom: 1px solid #DDD; padding: .3em 0; }
  .vitrine-diff td::before { content: attr(data-label); font-weight: 600; }
}
.vitrine-diff del { background: #FBE3E4; color: #7A1017; }
.vitrine-diff ins { background: #DDF4E4; color: #0B5A24; text-decoration: none; font-weight: 600; }
.vitrine-diff .meanwhile { color: #6B4E00; font-size: .9em; }
</style>"""


def diff_table_html(rows: list[tuple[str, str, str]], *, before: str, after: str) -> str:
    """Fields side by side: each field's name, then its two values (HTML the caller escaped)."""
    language = current_language()
    # On a phone each value is preceded by its column's name, punctuated as the language does.
    before_label, after_label = (escape(_("{label} : ", label=label), quote=True) for label in (before, after))
    cells = "".join(f"<tr><th scope='row'>{escape(listings.field_label(name, language))}</th>"
                    f"<td data-label='{before_label}'>{old}</td>"
                    f"<td data-label='{after_label}'>{new}</td></tr>" for name, old, new in rows)
    return (f"{DIFF_STYLE}<table class='vitrine-diff'><thead><tr><th scope='col'>{escape(_('Champ'))}</th>"
            f"<th scope='col'>{escape(before)}</th><th scope='col'>{escape(after)}</th></tr></thead>"
            f"<tbody>{cells}</tbody></table>")


def _value_change_html(change: listings.FieldChange) -> tuple[str, str, str]:
    """A field's values before and after, for a history (a logo is only said to have changed)."""
    if change.name == "logo":
        return change.name, escape(_("ancien logo") if change.before else "—"), escape(_("nouveau logo"))
    return (change.name, *word_diff_html(change.before, change.after))


def organisation_changes(changes: pd.DataFrame, who: str) -> None:
    """A pending change (of `changes.pending_changes`) field by field; accept all, some fields, or
    refuse with a reason."""
    language = current_language()
    if changes.empty:
        st.info(_("Aucune modification en attente."))
        return
    labels = {int(row.id): f"{row.partner_name} — {format_datetime(to_paris(row.created_at), language, style='short')}"
              for row in changes.itertuples()}
    chosen = st.selectbox(_("Modification ({count} en attente)", count=len(changes)), list(labels),
                          format_func=labels.get, key="care_change")
    review = review_change(engine(), chosen)
    st.caption(_("Envoyée par la source « {name} » à sa dernière synchronisation.",
                 name=as_markdown_text(review.source)) if review.source else
               _("Envoyée par {email}, contact de la fiche.", email=as_markdown_text(review.change.author_email)))
    if review.changed_meanwhile:
        st.warning(_("La fiche a changé depuis que l'organisation l'a ouverte : les champs marqués ont été modifiés "
                     "entre-temps ; vérifiez avant d'accepter."), icon=":material/history:")
    rows = []
    for field in review.fields:
        old, new = (logo_html(field.before), logo_html(field.after)) if field.name == "logo" else \
            word_diff_html(field.before, field.after)
        note = (f'<br><span class="meanwhile">{escape(_("modifié entre-temps ; l’organisation avait vu : {value}", value=_shown(field.name, field.seen)))}</span>'  # noqa: E501
                if field.meanwhile else "")
        rows.append((field.name, old + note, new))
    st.html(diff_table_html(rows, before=_("Sur la carte"), after=_("Proposé")))
    duplicate_flags(review.partner.id, who, changes={field.name: field.after for field in review.fields})
    names = [field.name for field in review.fields]
    st.markdown(_("**Champs à accepter**"))
    kept = [name for name in names if st.checkbox(listings.field_label(name, language), value=True,
                                                  key=f"care_take_{chosen}_{name}")]
    errors = st.session_state.get("care_errors", {})
    reason = st.text_area(_("Motif, pour l'organisation (obligatoire pour refuser)"), key=f"care_reason_{chosen}",
                          persist_state="page")
    field_error(errors, "reason")
    field_error(errors, "siret")
    accept_column, refuse_column = st.columns(2)
    version = review.partner.version
    def decide(accept: tuple[str, ...]) -> None:
        decide_change(engine(), chosen, accept=accept, staff=who, expected=version, reason=reason)

    if accept_column.button(_("Accepter les champs choisis") if len(kept) < len(names) else _("Tout accepter"),
                            type="primary", disabled=not kept, key="care_accept"):
        apply_change("care", lambda: decide(tuple(kept)), done=_("Modification publiée ; l'organisation est prévenue."))
    if refuse_column.button(_("Refuser la modification"), key="care_refuse"):
        apply_change("care", lambda: decide(()), done=_("Modification refusée ; l'organisation est prévenue."))


def claims(who: str) -> None:
    claims_waiting = pending_claims(engine())
    if claims_waiting.empty:
        st.info(_("Aucune revendication en attente."))
        return
    labels = {int(row.id): f"{row.partner_name} — {row.name}" for row in claims_waiting.itertuples()}
    chosen = st.selectbox(_("Revendication ({count} en attente)", count=len(claims_waiting)), list(labels),
                          format_func=labels.get, key="care_claim")
    claim = claims_waiting[claims_waiting["id"] == chosen].iloc[0]
    with st.container(border=True):
        st.markdown(_("**{name}**, {role} — {email}", name=as_markdown_text(claim["name"]),
                      role=as_markdown_text(claim["role"]), email=as_markdown_text(claim["email"])))
        if claim["message"]:
            st.text(claim["message"])
        current = claim["current_contact"] or _("aucune")
        st.caption(_("Contact actuel de la fiche : {email}", email=as_markdown_text(current))
                   + (" — " + _("refusée par le serveur de messagerie") if claim["contact_invalid"] else ""))
    errors = st.session_state.get("claim_review_errors", {})
    reason = st.text_input(_("Motif du refus"), key=f"care_claim_reason_{chosen}", persist_state="page")
    field_error(errors, "reason")
    accept_column, refuse_column = st.columns(2)
    if accept_column.button(_("En faire le contact de la fiche"), type="primary", key="care_claim_accept"):
        apply_change("claim_review", lambda: decide_claim(engine(), chosen, accept=True, staff=who),
                     done=_("C'est le nouveau contact ; un lien de mise à jour lui est envoyé."))
    if refuse_column.button(_("Refuser"), key="care_claim_refuse"):
        apply_change("claim_review", lambda: decide_claim(engine(), chosen, accept=False, staff=who, reason=reason),
                     done=_("Revendication refusée ; la personne est prévenue."))


def history(partner_id: int, who: str) -> None:
    """Every version of a listing, the newest first, each field with its value before and after,
    and the organisation's changes refused, with their reason; an earlier version can be restored."""
    language = current_language()
    versions = listings.history(engine(), partner_id)
    refused = listings.refused_changes(engine(), partner_id)
    merges = listings.merges(engine(), partner_id)
    actors = ({version.author for version in versions} | {entry.author for entry in refused}
              | {entry.staff for entry in (*refused, *merges)})
    authors = actor_names(engine(), sorted(actors), language)
    with st.expander(n_("Historique ({count} version)", "Historique ({count} versions)", len(versions)),
                     icon=":material/history:"):
        for entry in sorted([*versions, *refused, *merges], key=lambda entry: aware(entry.at), reverse=True):
            when = format_datetime(to_paris(entry.at), language, style="short")
            if isinstance(entry, listings.Merge):
                st.markdown(_merge_line(entry, when, authors[entry.staff]))
                continue
            if isinstance(entry, listings.RefusedChange):
                st.markdown(_("**Modification refusée** — {when}, par {staff} ; proposée par {who}. Motif : {reason}",
                              when=when, staff=as_markdown_text(authors[entry.staff]),
                              who=as_markdown_text(authors[entry.author]), reason=as_markdown_text(entry.reason)))
                st.html(diff_table_html([_value_change_html(change) for change in entry.changes],
                                        before=_("Sur la carte alors"), after=_("Refusé")))
                continue
            version = entry
            kind, _sep, number = version.origin.partition(":")
            origin = _(ORIGIN_LABELS[kind], number=number) if kind in ORIGIN_LABELS else ""
            st.markdown(_("**Version {number}** — {when}, {who}", number=version.number, when=when,
                          who=as_markdown_text(authors[version.author]))
                        + (f" ({as_markdown_text(origin)})" if origin else ""))
            if version.changes:
                st.html(diff_table_html([_value_change_html(change) for change in version.changes],
                                        before=_("Avant"), after=_("Après")))
            if version is not versions[0] and st.button(_("Restaurer la version {number}", number=version.number),
                                                        key=f"care_restore_{partner_id}_{version.number}"):
                apply_change("manage", lambda number=version.number: listings.restore_version(
                    engine(), partner_id, number, staff=who, expected=versions[0].number),
                    done=_("Version {number} restaurée : c'est la nouvelle version de la fiche.",
                           number=version.number))


def duplicate_flags(partner_id: int, who: str, *, changes: dict[str, Any] | None = None) -> None:
    """"Doublon possible de …" with a link, and "pas un doublon" (remembered)."""
    language = current_language()
    for duplicate in duplicates_of(engine(), partner_id, changes):
        reasons = ", ".join(_(REASONS[reason]) for reason in duplicate.reasons)
        with st.container(border=True):
            st.markdown(_("**Doublon possible de « {name} »** (fiche n°{number}) : {reasons}.",
                          name=as_markdown_text(duplicate.name), number=duplicate.id, reasons=reasons))
            if duplicate.slug and duplicate.state == "published":
                st.link_button(_("Voir cette fiche"), addresses.partner_page(site_url(), duplicate.slug, language),
                               icon=":material/open_in_new:")
            if st.button(_("Pas un doublon"), key=f"care_not_duplicate_{partner_id}_{duplicate.id}"):
                apply_change("manage", lambda other=duplicate.id: mark_not_duplicate(engine(), partner_id, other,
                                                                                      staff=who),
                             done=_("Noté : ces fiches ne seront plus signalées comme doublons."))


def merge_panel(partner_id: int, who: str) -> None:
    """Merge this listing into a published one: staff find it by name (possible duplicates first),
    see both side by side, tick what the kept one takes from this one, and confirm."""
    with st.expander(_("Fusionner avec une autre fiche"), icon=":material/merge:"):
        search = st.text_input(_("Chercher la fiche à garder, par son nom"), key=f"merge_search_{partner_id}",
                               max_chars=SEARCH_MAX, persist_state="page")
        targets = {target.id: _("{name} (fiche n°{number}, {city})", name=target.name, number=target.id,
                                city=target.city or "—") for target in listings.merge_targets(engine(), partner_id,
                                                                                               search)}
        if not targets:
            st.info(_("Aucune fiche publiée ne porte ce nom : essayez un autre mot."))
            return
        into = st.selectbox(_("Fiche à garder"), list(targets), format_func=targets.get, index=None,
                            key=f"merge_into_{partner_id}", placeholder=_("Choisissez la fiche à garder"))
        if into is None:
            return
        pairs = listings.merge_comparison(engine(), partner_id, into)
        st.html(diff_table_html([_pair_html(pair) for pair in pairs], before=_("Cette fiche"),
                                after=_("Fiche gardée")))
        st.markdown(_("**Ce que la fiche gardée reprend de celle-ci** (ses réseaux sont toujours ajoutés)"))
        take = tuple(pair.name for pair in pairs if st.checkbox(
            listings.field_label(pair.name, current_language()), value=bool(pair.merged) and not pair.kept,
            key=f"merge_take_{partner_id}_{into}_{pair.name}"))
        if st.button(_("Fusionner dans « {name} »", name=listings.get_partner(engine(), into).name), type="primary",
                     key=f"merge_confirm_{partner_id}"):
            apply_change("manage", lambda: listings.merge_partner(engine(), partner_id, into_id=into, staff=who,
                                                                  take=take),
                         done=_("Fiches fusionnées : l'adresse de celle-ci mène désormais à la fiche gardée."))


def _merge_line(merge: listings.Merge, when: str, staff: str) -> str:
    text = (N_("**Fusion** — {when}, {staff} : la fiche n°{number} « {name} » a été fusionnée dans celle-ci")
            if merge.absorbed else N_("**Fusion** — {when}, {staff} : fusionnée dans la fiche n°{number} « {name} »"))
    return _(text, when=when, staff=as_markdown_text(staff), number=merge.other_id,
             name=as_markdown_text(merge.other_name))


def _pair_html(pair: listings.FieldPair) -> tuple[str, str, str]:
    if pair.name == "logo":
        return pair.name, escape(_("un logo") if pair.merged else "—"), escape(_("un logo") if pair.kept else "—")
    return pair.name, escape(_shown(pair.name, pair.merged)), escape(_shown(pair.name, pair.kept))


def listings_to_check(stale: pd.DataFrame) -> None:
    """The listings `freshness.to_check` found, the oldest check first, each with where it stands."""
    language = current_language()
    if stale.empty:
        st.info(_("Aucune fiche à vérifier : chaque fiche publiée a été vérifiée dans sa période."))
        return
    st.caption(_("Chaque fiche publiée dont la dernière vérification date de plus d'une période (ou qui n'a "
                 "jamais été vérifiée), et celles dont l'adresse est refusée ou l'établissement fermé ; la plus "
                 "ancienne vérification d'abord."))
    page = kept_page("care_check_page", size=CHECK_PAGE_SIZE, total=len(stale))
    stale = stale.iloc[page.offset:page.last]
    st.dataframe(pd.DataFrame({
        _("Fiche"): stale["name"],
        _("Vérifiée le"): [format_date(pd.Timestamp(day).date(), language) if pd.notna(day) else _("jamais")
                           for day in stale["last_verified"]],
        _("Où en est-on"): [_(CHECK_STATE_LABELS[state], day=format_date(to_paris(since).date(), language)
                              if pd.notna(since) else "")
                            for state, since in zip(stale["check_state"], stale["state_since"], strict=True)],
        _("Contact"): stale["contact_email"],
    }), hide_index=True, width="stretch")
    if page.pages > 1:
        st.caption(_("Fiches {first} à {last} sur {total}", first=format_number(page.first, language),
                     last=format_number(page.last, language), total=format_number(page.total, language)))
        page_number_box(page, "care_check_page")


def relations_editor(partner_id: int, who: str) -> None:
    """The listing's relations to others, from both ends, each removable; and a new one."""
    outgoing, incoming = relations.relations_of(engine(), partner_id, published_only=False)
    with st.expander(n_("Relations ({count})", "Relations ({count})", len(outgoing) + len(incoming)),
                     icon=":material/hub:"):
        both_ends = ([(related, RELATION_LABELS[RelationKind(related.kind)][0]) for related in outgoing]
                     + [(related, RELATION_LABELS[RelationKind(related.kind)][1]) for related in incoming])
        for related, label in both_ends:
            text_column, remove_column = st.columns([3, 1])
            text_column.markdown(f"{as_markdown_text(_(label))} : {as_markdown_text(related.name)}")
            if remove_column.button(_("Retirer"), key=f"care_relation_remove_{related.relation_id}"):
                apply_change("manage", lambda relation_id=related.relation_id: relations.remove_relation(
                    engine(), relation_id, staff=who), done=_("Relation retirée."))
        errors = st.session_state.get("relation_errors", {})
        kind = st.selectbox(_("Cette organisation est…"), list(RelationKind), index=None,
                            format_func=lambda value: _(RELATION_LABELS[value][0]).lower(),
                            key=f"care_relation_kind_{partner_id}", placeholder=_("Choisissez une relation"))
        field_error(errors, "relation_kind")
        search = st.text_input(_("Organisation liée : cherchez par son nom"), key=f"care_relation_search_{partner_id}",
                               max_chars=SEARCH_MAX, persist_state="page")
        found = listings.staff_partners(engine(), states=(ListingState.PUBLISHED,), text=search, limit=50)
        names = {int(row.id): row.name for row in found.itertuples() if int(row.id) != partner_id}
        other = st.selectbox(_("Organisation liée"), list(names), index=None, format_func=names.get,
                             key=f"care_relation_other_{partner_id}", placeholder=_("Choisissez une fiche publiée"))
        field_error(errors, "relation_other")
        if st.button(_("Ajouter la relation"), key=f"care_relation_add_{partner_id}"):
            apply_change("relation", lambda: relations.add_relation(engine(), partner_id, kind or "", other, staff=who),
                         done=_("Relation ajoutée : elle paraît sur les deux fiches."), refusal_field="relation_other")
