"""Staff ask for a proposed assignment of the waiting applications to chosen slots, adjust it,
then confirm it in one step."""

import pandas as pd
import streamlit as st

from directory.accounts import actor_of
from directory.i18n import format_number
from directory.models import LONG_TEXT_MAX
from directory.showcase import (
    Placement,
    application_number,
    confirm_assignment,
    placed_by_hand,
    proposal,
    slot_label,
    slots_to_come,
    slots_with_counts,
)
from directory.ui import (
    _,
    apply_change,
    current_language,
    engine,
    n_,
    show_notice,
)
from directory.ui.auth import require_staff
from directory.ui.forms import multiselect_by_id, text_field

staff = require_staff()
language = current_language()
st.title(_("Proposer une répartition"))
st.caption(_("Vitrine place le plus de candidatures possible dans les créneaux choisis, chacune dans un "
             "créneau qu'elle a demandé et sans dépasser les places libres ; à nombre égal, elle préfère les "
             "premiers choix, puis les candidatures les plus anciennes. Vous pouvez modifier la proposition "
             "avant de la confirmer."))
show_notice("assignment_notice")

slots = slots_with_counts(engine())
upcoming = slots_to_come(slots)
places_left = dict(zip(upcoming["id"].astype(int), upcoming["places_left"], strict=True))
slot_names = {int(slot.id): slot_label(slot.starts_at, slot.ends_at, language, slot.theme)
              for slot in upcoming.itertuples()}
labels = {slot_id: n_("{slot} ({count} place libre)", "{slot} ({count} places libres)", int(places),
                      slot=slot_names[slot_id])
          for slot_id, places in places_left.items()}
chosen = multiselect_by_id(_("Créneaux à remplir"), labels, key="assignment_slots",
                           placeholder=_("Choisissez des créneaux"))
if st.button(_("Proposer"), type="primary", disabled=not chosen, key="assignment_propose"):
    st.session_state.assignment_proposal = proposal(engine(), chosen)[0]
    st.session_state.assignment_table_version = st.session_state.get("assignment_table_version", 0) + 1

placements: list[Placement] | None = st.session_state.get("assignment_proposal")
if placements is not None:
    if not placements:
        st.info(_("Aucune candidature en attente n'a demandé ces créneaux."))
        st.stop()
    unplaced_label = _("Non placée")
    choice_labels = {1: _("1er choix"), 2: _("2e choix"), 3: _("3e choix")}
    by_name = {name: slot_id for slot_id, name in slot_names.items()}
    table_key = f"assignment_table_{st.session_state.get('assignment_table_version', 0)}"

    def take_edits() -> None:
        """A slot changed by hand: the proposal follows, and its choice and reason columns with it."""
        edited_rows = st.session_state[table_key]["edited_rows"]
        st.session_state.assignment_proposal = [
            placed_by_hand(p, by_name.get(edited_rows[row]["slot"])) if "slot" in edited_rows.get(row, {}) else p
            for row, p in enumerate(st.session_state.assignment_proposal)]
        st.session_state.assignment_table_version += 1

    placed = sum(p.slot_id is not None for p in placements)
    st.subheader(_("{placed} sur {total} placées", placed=format_number(placed, language),
                   total=format_number(len(placements), language)))
    table = pd.DataFrame({
        "number": [application_number(p.application_id) for p in placements],
        "organisation": [p.organisation for p in placements],
        "slot": [slot_names[p.slot_id] if p.slot_id is not None else unplaced_label for p in placements],
        "choice": [choice_labels.get(p.choice, _("non demandé") if p.slot_id else "") for p in placements],
        "why": ["" if p.slot_id is not None else _("Laissée sans créneau à la main.") if p.by_hand
                else _("Les créneaux qu'elle a demandés sont complets.") for p in placements],
    })
    st.data_editor(table, hide_index=True, width="stretch", key=table_key, on_change=take_edits,
                   disabled=["number", "organisation", "choice", "why"], column_config={
                       "number": _("N°"), "organisation": _("Startup"),
                       "slot": st.column_config.SelectboxColumn(
                           _("Créneau proposé"), options=[*slot_names.values(), unplaced_label],
                           required=True, width="large"),
                       "choice": _("Choix"), "why": _("Pourquoi non placée")})
    waitlist_unplaced = st.radio(
        _("Candidatures non placées"), [True, False], key="assignment_unplaced", horizontal=True,
        format_func=lambda choice: _("Mettre en liste d'attente") if choice else _("Laisser sans décision"))
    message = text_field(_("Message aux candidats (facultatif)"), key="assignment_message",
                         max_length=LONG_TEXT_MAX, area=True)
    if st.button(n_("Confirmer : {count} acceptation", "Confirmer : {count} acceptations", placed),
                 type="primary", key="assignment_confirm"):
        def confirm() -> tuple[int, int]:
            decided = confirm_assignment(engine(), placements, staff=actor_of(staff),
                                         waitlist_unplaced=waitlist_unplaced, message=message)
            st.session_state.pop("assignment_proposal")
            return decided
        apply_change("assignment", confirm, done=lambda decided: " ".join([
            n_("{count} candidature acceptée.", "{count} candidatures acceptées.", decided[0]),
            n_("{count} mise en liste d'attente.", "{count} mises en liste d'attente.", decided[1])]))
