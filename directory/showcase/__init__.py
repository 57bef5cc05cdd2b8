"""Showcases at the atelier: slots, and the life of a startup's application in them.

Read in the order of the life cycle:

- `rules`: the one place where an application changes state (`change_state`: conditional on
  the state read, audited, the applicant told), what a freed place does (`place_freed`: offered
  to the waiting list), how a slot's capacity is counted, and the time rules;
- `slots`: staff create, change, close and cancel slots;
- `applications`: a startup applies, edits or withdraws through its private link;
- `following`: what it reads there: its application, what it may do now, its history;
- `lost_link`: a new private link for a startup that lost its own;
- `decisions`: staff approve, waitlist, reject or move applications;
- `offers`: a startup answers an offer of a freed place; unanswered offers expire;
- `assignment`: a proposed assignment of the waiting applications to chosen slots;
- `attendance`: reminders, the startup's confirmation, and who came;
- `review` and `calendar`: what staff review, and what the public calendar shows.

The states, their groups and the allowed transitions are in `directory.models`
(`ApplicationState`, `APPLICATION_TRANSITIONS`, `UNDECIDED_STATES`, `HOLDING_STATES`).
Pages and other modules use the names below; the submodules import each other directly.
"""

from directory.showcase.applications import (
    ApplicationForm,
    Submitted,
    change_waiting_slots,
    choice_field,
    edit_application,
    submit_application,
    withdraw_application,
)
from directory.showcase.assignment import Placement, confirm_assignment, placed_by_hand, proposal
from directory.showcase.attendance import (
    arrival_time,
    attendance_counts,
    confirm_attendance,
    presentation_event,
    presented_on,
    presenters,
    record_attendance,
    unconfirmed_soon,
)
from directory.showcase.calendar import (
    calendar_showcases,
    calendar_version,
    published_calendar,
    showcases,
    upcoming_and_past,
)
from directory.showcase.decisions import (
    REJECTION_REASONS,
    DecisionReport,
    approve_application,
    approve_in,
    decide_many,
    move_application,
    reject_application,
    waitlist_application,
    waitlist_in,
)
from directory.showcase.errors import (
    AlreadyDecided,
    ShowcaseError,
    SlotFull,
    TooLate,
    TooManyRequests,
    UnknownToken,
)
from directory.showcase.following import ApplicationView, application_by_token, history_line
from directory.showcase.lost_link import LINK_REQUESTS_PER_CLIENT, send_fresh_links
from directory.showcase.offers import accept_offer, decline_offer, pending_offer, pending_offers, set_auto_offers
from directory.showcase.review import (
    REVIEWED_STATES,
    ReviewFilters,
    candidates_per_slot,
    choices_of,
    count_review_queue,
    logos_of,
    review_queue,
    stranded,
)
from directory.showcase.rules import (
    ATELIER_ADDRESS,
    ATELIER_POSITION,
    DEFAULT_DEADLINE_DAYS,
    MAX_CAPACITY,
    MAX_CHOICES,
    MAX_DEADLINE_DAYS,
    MAX_TEAM,
    OFFER_TIME,
    RETENTION,
    application_number,
    by_token,
    lock_slot,
    message_params,
    possible_slots_of,
    retention_end,
    slot_label,
    token_hash,
)
from directory.showcase.slots import (
    SLOT_STATUS_LABELS,
    NewSlotDays,
    SlotTimes,
    cancel_slot,
    create_slot,
    create_slot_series,
    new_slot_days,
    open_slots,
    parse_days,
    series_days,
    set_slot_open,
    slot_overview,
    slots_held,
    slots_not_over,
    slots_to_come,
    slots_with_counts,
    update_slot,
)

__all__ = [
    "accept_offer", "AlreadyDecided", "application_by_token", "application_number", "ApplicationForm",
    "ApplicationView", "approve_application", "approve_in", "arrival_time", "ATELIER_ADDRESS", "ATELIER_POSITION",
    "attendance_counts", "by_token", "calendar_showcases", "calendar_version", "cancel_slot", "candidates_per_slot",
    "change_waiting_slots", "choice_field", "choices_of", "confirm_assignment", "confirm_attendance",
    "count_review_queue", "create_slot", "create_slot_series", "decide_many", "DecisionReport", "decline_offer",
    "DEFAULT_DEADLINE_DAYS", "edit_application", "history_line", "LINK_REQUESTS_PER_CLIENT", "lock_slot", "logos_of",
    "MAX_CAPACITY", "MAX_CHOICES", "MAX_DEADLINE_DAYS", "MAX_TEAM", "message_params", "move_application",
    "new_slot_days", "NewSlotDays", "OFFER_TIME", "open_slots", "parse_days", "pending_offer", "pending_offers",
    "placed_by_hand", "Placement", "possible_slots_of", "presentation_event", "presented_on", "presenters", "proposal",
    "published_calendar", "record_attendance", "reject_application", "REJECTION_REASONS", "RETENTION", "retention_end",
    "review_queue", "REVIEWED_STATES", "ReviewFilters", "send_fresh_links", "series_days", "set_auto_offers",
    "set_slot_open", "ShowcaseError", "showcases", "slot_label", "slot_overview", "SLOT_STATUS_LABELS", "SlotFull",
    "slots_held", "slots_not_over", "slots_to_come", "slots_with_counts", "SlotTimes", "stranded", "submit_application",
    "Submitted", "token_hash", "TooLate", "TooManyRequests", "unconfirmed_soon", "UnknownToken", "upcoming_and_past",
    "update_slot", "waitlist_application", "waitlist_in", "withdraw_application"
]
