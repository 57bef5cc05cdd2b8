"""Showcases at the atelier: slots, and the life of a startup's application in them.

Read in the order of the life cycle:

- `rules`: the one place where an application changes state (`change_state`: conditional on
  the state read, audited, the applicant told), what a freed place does (`place_freed`: offered
  to the waiting list), how a slot's capacity is counted, and the time rules;
- `slots`: staff create, change, close and cancel slots;
- `applications`: a startup applies, follows, edits or withdraws through its private link;
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
    ApplicationView,
    Submitted,
    application_by_token,
    change_waiting_slots,
    choice_field,
    edit_application,
    history_line,
    submit_application,
    withdraw_application,
)
from directory.showcase.calendar import calendar_showcases, calendar_version, showcases
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
from directory.showcase.lost_link import LINK_REQUESTS_PER_CLIENT, send_fresh_links
from directory.showcase.review import (
    ReviewFilters,
    candidates_per_slot,
    choices_of,
    count_review_queue,
    logos_of,
    review_queue,
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
    retention_end,
    slot_label,
    token_hash,
)
from directory.showcase.slots import (
    SlotTimes,
    cancel_slot,
    create_slot,
    create_slot_series,
    open_slots,
    parse_days,
    series_days,
    set_slot_open,
    slots_with_counts,
    update_slot,
)

__all__ = [
    "ATELIER_ADDRESS", "ATELIER_POSITION", "DEFAULT_DEADLINE_DAYS", "LINK_REQUESTS_PER_CLIENT",
    "MAX_CAPACITY", "MAX_CHOICES", "MAX_DEADLINE_DAYS", "MAX_TEAM", "OFFER_TIME",
    "REJECTION_REASONS", "RETENTION", "AlreadyDecided", "ApplicationForm", "ApplicationView", "DecisionReport",
    "ReviewFilters", "ShowcaseError", "SlotFull", "SlotTimes", "Submitted", "TooLate", "TooManyRequests",
    "UnknownToken", "application_by_token", "history_line", "application_number", "approve_application", "approve_in",
    "by_token", "calendar_showcases", "calendar_version", "cancel_slot", "change_waiting_slots", "choice_field",
    "candidates_per_slot", "choices_of",
    "count_review_queue", "create_slot", "create_slot_series", "decide_many", "edit_application",
    "lock_slot", "logos_of", "message_params", "move_application", "open_slots", "parse_days",
    "reject_application", "retention_end", "review_queue", "send_fresh_links", "series_days", "set_slot_open",
    "showcases", "slot_label", "slots_with_counts", "submit_application", "token_hash", "update_slot",
    "waitlist_application", "waitlist_in", "withdraw_application",
]
