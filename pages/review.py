"""Staff review what waits for a decision: the sessions partners propose, then the startups' applications,
slot by slot."""


import streamlit as st

from directory.accounts import actor_of
from directory.clock import to_paris
from directory.i18n import format_datetime, format_number
from directory.listings import SEARCH_MAX
from directory.models import APPLICATION_STATE_LABELS, LONG_TEXT_MAX, ApplicationState
from directory.showcase import (
    REJECTION_REASONS,
    REVIEWED_STATES,
    ReviewFilters,
    application_number,
    approve_application,
    choices_of,
    count_review_queue,
    decide_many,
    logos_of,
    move_application,
    pending_offers,
    reject_application,
    review_queue,
    slot_label,
    slot_overview,
    slots_to_come,
    stranded,
    waitlist_application,
)
from directory.ui import _, current_language, engine, n_, say, send_notifications_soon
from directory.ui.auth import require_staff
from directory.ui.cards import application_card_html
from directory.ui.forms import draw_when_open, kept_page, page_number_box, text_field
from directory.ui.programme_review import session_proposals
from directory.ui.slot_form import slot_overview_table
from directory.validation import TAG_MAX

PAGE_SIZE = 25

staff = require_staff()
language = current_language()
st.title(_("Candidatures"))

report = st.session_state.pop("review_report", None)
if report:
    if report.done:
        st.success(n_("{count} décision enregistrée.", "{count} décisions enregistrées.", report.done),
                   icon=":material/check_circle:")
    for application_id, message in report.refused:
        st.warning(_("Candidature n°{number} : {reason}", number=application_number(application_id),
                     reason=say(message)), icon=":material/sync_problem:")

session_proposals(actor_of(staff))
st.header(_("Candidatures des startups"))
slots = slot_overview(engine())
slot_labels = {int(s.id): slot_label(s.starts_at, s.ends_at, language, s.theme) for s in slots.itertuples()}
upcoming = slots_to_come(slots)
state_labels = {state.value: _(APPLICATION_STATE_LABELS[state]) for state in ApplicationState}

# Pills, not a multiselect: each chosen state reads whole ("Reçue, en attente d'examen").
st.pills(_("États"), list(state_labels), key="review_states", format_func=state_labels.get, selection_mode="multi",
         default=list(REVIEWED_STATES))
filter_columns = st.columns([3, 2, 2])
slot_choices = [None, *upcoming["id"].astype(int).tolist()]
slot_option_labels = {None: _("Tous les créneaux (1er choix)"), **slot_labels}
filter_columns[0].selectbox(_("Créneau"), slot_choices, key="review_slot", format_func=slot_option_labels.get)
filter_columns[1].text_input(_("Secteur"), key="review_sector", max_chars=TAG_MAX)
filter_columns[2].text_input(_("Recherche"), key="review_text", max_chars=SEARCH_MAX)

filters = ReviewFilters(states=tuple(st.session_state.review_states), slot_id=st.session_state.review_slot,
                        sector=st.session_state.review_sector, text=st.session_state.review_text)
page = kept_page("review_page", size=PAGE_SIZE, total=count_review_queue(engine(), filters))
queue = review_queue(engine(), filters, offset=page.offset, limit=page.size)

if filters.slot_id is None:
    draw_when_open(_("Les créneaux à venir : places et candidatures en attente"),
                   lambda: slot_overview_table(upcoming, ["when", "places", "status", "waiting"]),
                   key="review_slots_open")
else:
    slot = upcoming[upcoming["id"] == filters.slot_id].iloc[0]
    taken, capacity = int(slot["places_taken"]), int(slot["capacity"])
    st.progress(min(1.0, taken / capacity),
                text=_("Places attribuées : {taken} sur {capacity}", taken=taken, capacity=capacity))
    if taken < capacity and (queue["state"] == ApplicationState.WAITLISTED).any():
        st.info(_("Une place est libre : les candidatures en liste d'attente sont en tête."),
                icon=":material/event_seat:")

if page.total:
    st.caption(_("Candidatures {first} à {last} sur {total}", first=format_number(page.first, language),
                 last=format_number(page.last, language), total=format_number(page.total, language)))
else:
    st.info(_("Aucune candidature ne correspond à ces filtres."))
page_number_box(page, "review_page")
ranked = choices_of(engine(), queue["id"].astype(int).tolist())
offered = pending_offers(engine(), queue["id"].astype(int).tolist())
logos = logos_of(engine(), queue["id"].astype(int).tolist())
without_slot = stranded(engine(), queue["id"].astype(int).tolist())

for candidate in queue.to_dict("records"):
    with st.container(border=True):
        st.checkbox(_("Sélectionner n°{number}", number=application_number(candidate["id"])),
                    key=f"review_pick_{candidate['id']}")
        preferences = [slot_labels.get(slot_id, "?") for slot_id in ranked.get(candidate["id"], [])]
        if candidate["id"] in logos:
            st.image(logos[candidate["id"]], width=96, caption=_("Logo"))
        st.html(application_card_html(candidate, preferences, state_labels, language, _))
        if candidate["id"] in without_slot:
            st.warning(_("Plus aucun de ses créneaux ne peut lui donner une place : refusez-la, ou laissez-la "
                         "attendre qu'elle en choisisse d'autres depuis son lien."), icon=":material/event_busy:")
        if candidate["id"] in offered:
            offer = offered[candidate["id"]]
            st.caption(_("Place proposée automatiquement pour le {slot} ; réponse attendue avant le {expires}.",
                         slot=slot_labels.get(offer.slot_id, "?"),
                         expires=format_datetime(to_paris(offer.expires_at), language, style="d MMMM, HH:mm")))

# Read from the session, not from the refreshed queue: a pick a colleague decided meanwhile is
# still tried, and its loss reported.
picked = sorted(int(key.removeprefix("review_pick_")) for key, value in st.session_state.items()
                if key.startswith("review_pick_") and value)
st.subheader(_("Décider pour la sélection ({count})", count=len(picked)))
# The slot to give: the filtered slot, else the first choice (still to come) of a single picked
# application; a new pick asks afresh, so the picker never keeps a slot meant for another startup.
first_choice = next((slot_id for slot_id in choices_of(engine(), picked).get(picked[0], [])
                     if slot_id in slot_choices[1:]), None) if len(picked) == 1 else None
default_slot = filters.slot_id if filters.slot_id is not None else first_choice
target = st.selectbox(_("Créneau attribué"), slot_choices[1:], key=f"review_target_{'-'.join(map(str, picked))}",
                      index=slot_choices[1:].index(default_slot) if default_slot in slot_choices[1:] else None,
                      format_func=slot_labels.get, placeholder=_("Choisissez un créneau"))
reason_column, detail_column = st.columns(2)
reason_labels = {reason: _(reason) for reason in REJECTION_REASONS}
reason_choice = reason_column.selectbox(_("Motif du refus"), REJECTION_REASONS, key="review_reason", index=None,
                                        format_func=reason_labels.get, placeholder=_("Choisissez un motif"))
with detail_column:
    reason_detail = text_field(_("Précision (facultatif)"), key="review_reason_detail", max_length=LONG_TEXT_MAX)
message = text_field(_("Message au candidat (facultatif)"), key="review_message", max_length=LONG_TEXT_MAX,
                     area=True)

who = actor_of(staff)
reason = " ".join(part for part in (reason_labels.get(reason_choice, ""), reason_detail) if part)


def approve(application_id: int) -> None:
    approve_application(engine(), application_id, slot_id=target, staff=who, message=message)


def waitlist(application_id: int) -> None:
    waitlist_application(engine(), application_id, staff=who, message=message)


def reject(application_id: int) -> None:
    reject_application(engine(), application_id, staff=who, reason=reason, message=message)


def move(application_id: int) -> None:
    move_application(engine(), application_id, slot_id=target, staff=who, message=message)


decision = None
with st.container(horizontal=True):  # the buttons wrap on a narrow screen instead of being cut
    if st.button(_("Accepter"), type="primary", disabled=not picked or target is None, key="review_approve"):
        decision = approve
    if st.button(_("Mettre en liste d'attente"), disabled=not picked, key="review_waitlist"):
        decision = waitlist
    if st.button(_("Refuser"), disabled=not picked or not reason, key="review_reject"):
        decision = reject
    if st.button(_("Changer de créneau (acceptées)"), disabled=not picked or target is None, key="review_move",
                 help=_("Pour une startup déjà acceptée, par exemple quand sa vitrine est annulée.")):
        decision = move
if decision is not None:
    # Each decision is its own transaction: whoever lost a race is told, and sees the new state.
    st.session_state.review_report = decide_many(picked, decision)
    for application_id in picked:
        st.session_state.pop(f"review_pick_{application_id}", None)
    send_notifications_soon()
    st.rerun()
