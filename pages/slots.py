"""Staff manage the showcase slots (create one or a series, edit, close, cancel, note who came) and the
atelier's rooms where partners' sessions take place."""

import pandas as pd
import streamlit as st

from directory.accounts import actor_of
from directory.clock import to_paris
from directory.i18n import format_datetime
from directory.models import ATTENDANCE_LABELS, Attendance
from directory.showcase import (
    SlotTimes,
    cancel_slot,
    create_slot,
    create_slot_series,
    new_slot_days,
    parse_days,
    presenters,
    record_attendance,
    series_days,
    set_auto_offers,
    set_slot_open,
    slot_label,
    slot_overview,
    slots_held,
    slots_not_over,
    update_slot,
)
from directory.ui import (
    _,
    apply_change,
    current_language,
    engine,
    errors_summary,
    field_error,
    n_,
    say,
    show_notice,
)
from directory.ui.auth import require_staff
from directory.ui.forms import draw_open_tab
from directory.ui.programme_review import rooms_editor
from directory.ui.slot_form import slot_overview_table, slot_settings_fields

staff = require_staff()
who = actor_of(staff)
language = current_language()
st.title(_("Créneaux de vitrine"))

show_notice("slots_notice")
errors = st.session_state.get("slots_errors", {})

slots = slot_overview(engine())
upcoming = slots_not_over(slots)
st.subheader(_("À venir ({count})", count=len(upcoming)))
slot_overview_table(upcoming, ["when", "places", "status", "deadline", "waiting", "theme"])

days = new_slot_days()


def create_tab() -> None:
    errors_summary(errors if st.session_state.get("slots_form") == "one" else {})
    day = st.date_input(_("Jour"), key="slots_day", min_value=days.earliest, value=days.suggested,
                        format="DD/MM/YYYY")
    field_error(errors, "day")
    one = slot_settings_fields("slots")
    field_error(errors, "end")
    field_error(errors, "deadline_days")
    if st.button(_("Créer le créneau"), type="primary", key="slots_create"):
        st.session_state.slots_form = "one"
        apply_change("slots", lambda: create_slot(engine(), SlotTimes(day, one.start, one.end, one.deadline_days),
                                                  capacity=one.capacity, theme=one.theme),
                     done=_("Créneau créé."))


def series_tab() -> None:
    weekdays = [_("lundi"), _("mardi"), _("mercredi"), _("jeudi"), _("vendredi"), _("samedi"), _("dimanche")]
    first_column, last_column = st.columns(2)
    first = first_column.date_input(_("Du"), key="series_first", min_value=days.earliest, value=days.suggested,
                                    format="DD/MM/YYYY")
    last = last_column.date_input(_("Au"), key="series_last", min_value=days.earliest, value=days.series_end,
                                  format="DD/MM/YYYY")
    weekday = st.selectbox(_("Chaque"), range(7), index=2, key="series_weekday", format_func=weekdays.__getitem__)
    series = slot_settings_fields("series")
    skipped = st.text_input(_("Dates à sauter (JJ/MM/AAAA, séparées par des virgules)"), key="series_skip",
                            max_chars=500, persist_state="page")
    if st.button(_("Créer la série"), type="primary", key="series_create"):
        st.session_state.slots_form = "series"
        apply_change("slots", lambda: create_slot_series(
            engine(), series_days(first, last, weekday=weekday, skip=parse_days(skipped)), series.start, series.end,
            capacity=series.capacity, theme=series.theme, deadline_days=series.deadline_days),
            done=lambda count: n_("{count} créneau créé.", "{count} créneaux créés.", count))
    for message in (errors.values() if st.session_state.get("slots_form") == "series" else []):
        st.error(say(message))


def edit_tab() -> None:
    editable = upcoming[upcoming["cancelled_at"].isna()]
    if editable.empty:
        st.info(_("Aucun créneau à venir."))
    else:
        labels = {int(s.id): slot_label(s.starts_at, s.ends_at, language, s.theme) for s in editable.itertuples()}
        chosen = st.selectbox(_("Créneau"), list(labels), format_func=labels.get, key="edit_slot")
        slot = editable[editable["id"] == chosen].iloc[0]
        starts, ends = to_paris(slot["starts_at"]), to_paris(slot["ends_at"])
        edit_day = st.date_input(_("Jour"), value=starts.date(), key=f"edit_{chosen}_day", format="DD/MM/YYYY")
        edited = slot_settings_fields(f"edit_{chosen}", start=starts.time(), end=ends.time(),
                                      capacity=int(slot["capacity"]), theme=slot["theme"],
                                      deadline_days=(slot["starts_at"] - slot["applications_close_at"]).days)
        if st.session_state.get("slots_form") == "edit":
            for message in errors.values():
                st.error(say(message))
        offers_on = st.toggle(_("Proposer automatiquement toute place libérée à la liste d'attente"),
                              value=bool(slot["auto_offers"]), key=f"edit_{chosen}_auto_offers",
                              help=_("La startup suivante reçoit un lien pour accepter ou laisser la place "
                                     "sous 48 heures."))
        if offers_on != bool(slot["auto_offers"]):
            apply_change("slots", lambda: set_auto_offers(engine(), chosen, offers_on, staff=who),
                         done=_("Propositions automatiques activées.") if offers_on
                         else _("Propositions automatiques désactivées."))
        save_column, open_column, cancel_column = st.columns(3)
        if save_column.button(_("Enregistrer"), type="primary", key="edit_save"):
            st.session_state.slots_form = "edit"
            apply_change("slots", lambda: update_slot(
                engine(), chosen, SlotTimes(edit_day, edited.start, edited.end, edited.deadline_days),
                capacity=edited.capacity, theme=edited.theme, staff=who),
                done=_("Créneau enregistré ; les startups retenues sont prévenues d'un changement d'horaire."))
        toggle_label = _("Fermer aux candidatures") if slot["is_open"] else _("Rouvrir aux candidatures")
        if open_column.button(toggle_label, key="edit_toggle"):
            apply_change("slots", lambda: set_slot_open(engine(), chosen, not slot["is_open"], staff=who),
                         done=_("Créneau fermé aux candidatures.") if slot["is_open"]
                         else _("Créneau rouvert aux candidatures."))
        confirm = cancel_column.checkbox(_("Confirmer l'annulation"), key=f"edit_confirm_cancel_{chosen}")
        if cancel_column.button(_("Annuler la vitrine"), disabled=not confirm, key="edit_cancel"):
            apply_change("slots", lambda: cancel_slot(engine(), chosen, staff=who),
                         done=lambda told: n_("Vitrine annulée ; {count} startup prévenue.",
                                              "Vitrine annulée ; {count} startups prévenues.", told))


def attendance_tab() -> None:
    held = slots_held(slots)
    if held.empty:
        st.info(_("Aucune vitrine passée avec des startups retenues."))
    else:
        past_labels = {int(s.id): slot_label(s.starts_at, s.ends_at, language, s.theme)
                       for s in held.iloc[::-1].itertuples()}
        past = st.selectbox(_("Vitrine passée"), list(past_labels), format_func=past_labels.get, key="presence_slot")
        startups = presenters(engine(), past)
        st.dataframe(startups.assign(
            confirmed=[_("Oui, le {day}", day=format_datetime(to_paris(moment), language, style="d MMMM, HH:mm"))
                       if pd.notna(moment) else _("Non") for moment in startups["confirmed_at"]],
            recorded=[_(ATTENDANCE_LABELS[Attendance(a)]) if a else _("Pas encore notée")
                      for a in startups["attendance"]])[["organisation", "confirmed", "recorded"]],
            hide_index=True, width="stretch", column_config={
                "organisation": _("Startup"), "confirmed": _("Venue confirmée"), "recorded": _("Présence notée")})
        names = dict(zip(startups["id"].astype(int), startups["organisation"], strict=True))
        came = st.multiselect(
            _("Startups présentes (les autres seront notées absentes)"), list(names), format_func=names.get,
            default=[int(i) for i, a in zip(startups["id"], startups["attendance"], strict=True)
                     if a != Attendance.NO_SHOW], key=f"presence_{past}", placeholder=_("Personne"), select_all=False)
        if st.button(_("Enregistrer les présences"), type="primary", key="presence_save"):
            apply_change("slots", lambda: record_attendance(engine(), past, set(came), staff=who),
                         done=_("Présences enregistrées."))


def rooms_tab() -> None:
    rooms_editor(who)


# Short tab names: all five stay in view on a phone.
draw_open_tab({_("Nouveau"): create_tab, _("Série"): series_tab, _("Modifier"): edit_tab,
               _("Présences"): attendance_tab, _("Salles"): rooms_tab}, key="slots_tab")
