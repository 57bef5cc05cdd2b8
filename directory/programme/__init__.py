"""The atelier's programme: workshops, conferences and drop-in hours that partners run there, and
the public's free registrations, on the showcases' engine of places and waiting lists.

Read in the order of a session's life:

- `rules`: where a session may take place (`check_placement`), its places counted and locked, the
  private links, and the one place a session or a registration changes state;
- `sessions`: a partner proposes, edits or cancels a session, sees who registered (first names),
  records who came and writes to them;
- `decisions`: staff put a session on the programme in a date and a room, ask for changes or
  refuse it; they keep the atelier's rooms;
- `registrations`: the public registers, waits, is offered a freed place, cancels;
- `agenda`: what the public sees, the calendar feeds and the schema.org Event.

The states and their transitions are in `directory.models` (`SessionState`, `SESSION_TRANSITIONS`,
`RegistrationState`, `REGISTRATION_TRANSITIONS`); freed places are offered by `directory.places`.
"""

from directory.programme.agenda import (
    AGENDA_KIND_LABELS,
    SHOWCASE,
    atelier_agenda,
    audience_labels,
    coming_programme,
    coming_sessions_of,
    event_json_ld,
    feed_name,
    programme,
    programme_feed,
    programme_ics,
    programme_version,
    registration_counts,
    session_ics,
    session_kind_label,
    session_page,
    session_page_entry,
)
from directory.programme.decisions import (
    ProposedSession,
    approve_session,
    refuse_session,
    request_changes,
    rooms,
    save_room,
    sessions_to_review,
)
from directory.programme.errors import (
    AlreadyRegistered,
    ProgrammeError,
    RegistrationChanged,
    RegistrationClosed,
    SessionChanged,
    UnknownRegistrationLink,
    UnknownSessionLink,
)
from directory.programme.registrations import (
    Registered,
    RegistrationForm,
    RegistrationView,
    accept_place,
    cancel_registration,
    decline_place,
    expire_place_offers,
    register,
    registration_view,
    send_reminders,
)
from directory.programme.rules import MAX_CHOICES, MAX_DURATION, MAX_PLACES, MIN_DURATION, takes_registrations
from directory.programme.sessions import (
    Proposed,
    SessionForm,
    SessionView,
    cancel_own_session,
    cancel_session,
    choice_field,
    edit_session,
    first_name,
    propose_session,
    record_attendance,
    session_view,
    store_proposal,
    write_to_registrants,
)

__all__ = [
    "accept_place", "AGENDA_KIND_LABELS", "AlreadyRegistered", "approve_session", "atelier_agenda", "audience_labels",
    "cancel_own_session", "cancel_registration", "cancel_session", "choice_field", "coming_programme",
    "coming_sessions_of", "decline_place", "edit_session", "event_json_ld", "expire_place_offers", "feed_name",
    "first_name", "MAX_CHOICES", "MAX_DURATION", "MAX_PLACES", "MIN_DURATION", "programme", "programme_feed",
    "programme_ics", "programme_version", "ProgrammeError", "propose_session", "Proposed", "ProposedSession",
    "record_attendance", "refuse_session", "register", "Registered", "registration_counts", "registration_view",
    "RegistrationChanged", "RegistrationClosed", "RegistrationForm", "RegistrationView", "request_changes", "rooms",
    "save_room", "send_reminders", "session_ics", "session_kind_label", "session_page", "session_page_entry",
    "session_view", "SessionChanged", "SessionForm", "sessions_to_review", "SessionView", "SHOWCASE", "store_proposal",
    "takes_registrations", "UnknownRegistrationLink", "UnknownSessionLink", "write_to_registrants"
]
