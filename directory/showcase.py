"""Showcase slots and startup applications: submit, edit, withdraw, approve, waitlist, reject.

Every change of state is one function here. It checks that the transition is allowed, runs in
one transaction, makes the update conditional on the state it read (so two people acting at
once cannot both win), writes an audit event and queues the applicant's notification.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

import pandas as pd
from sqlalchemy import func, insert, select, tuple_, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from directory import addresses, audit, notify, partners, ratelimit
from directory.audit import AuditAction
from directory.clock import aware, from_paris, to_paris, utcnow
from directory.db import is_sqlite, read_session, retry_on_conflict, write_session
from directory.i18n import N_, format_datetime, format_time, translate
from directory.images import clean_logo
from directory.models import (
    ADDRESS_MAX,
    APPLICATION_TRANSITIONS,
    CITY_MAX,
    HOLDING_STATES,
    LONG_TEXT_MAX,
    NAME_MAX,
    OPEN_STATES,
    SHORT_TEXT_MAX,
    TAGS_MAX,
    UNDECIDED_STATES,
    URL_MAX,
    Application,
    ApplicationState,
    AuditEvent,
    ListingState,
    Offer,
    OfferOutcome,
    Partner,
    PartnerKind,
    Precision,
    ShowcaseSlot,
    SlotChoice,
    StartupStage,
)
from directory.validation import (
    FormCheck,
    FormErrors,
    Invalid,
    Message,
    clean_choice,
    clean_coordinates,
    clean_email,
    clean_phone,
    clean_tags,
    clean_text,
    clean_url,
)

MAX_CHOICES = 3
MAX_CAPACITY = 50
# Applications close this many days before a slot, unless staff choose otherwise.
DEFAULT_DEADLINE_DAYS = 7
MAX_DEADLINE_DAYS = 90
MAX_SERIES = 500
MAX_TEAM = 10_000
RETENTION = timedelta(days=365)
CALENDAR_PAST = timedelta(days=90)
TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_-]{43}$")
ATELIER_ADDRESS = "Atelier Numérique Google, place Jean-Moulin, 42000 Saint-Étienne"
ATELIER_POSITION = (45.4380, 4.3910)  # approximate, as in the reference data


# --- Errors a person can be told about ---------------------------------------------------------

class ShowcaseError(Exception):
    text = N_("Cette action n'est pas possible.")

    def __init__(self, text: str | None = None, **params: Any) -> None:
        super().__init__(text or self.text)
        self.message = Message(text or self.text, params)


class UnknownToken(ShowcaseError):
    text = N_("Ce lien de suivi n'est pas valide ou a expiré. Vérifiez qu'il est complet, ou "
              "écrivez à l'atelier.")


class SlotFull(ShowcaseError):
    text = N_("Ce créneau est complet : aucune place n'a été attribuée.")


class AlreadyDecided(ShowcaseError):
    text = N_("Cette candidature a changé entre-temps (décidée ou retirée) : rien n'a été modifié.")


class TooLate(ShowcaseError):
    text = N_("La vitrine a déjà eu lieu : la candidature ne peut plus être retirée.")


class TooManyRequests(ShowcaseError):
    text = N_("Trop de demandes pour le moment : réessayez dans une heure. Les liens déjà envoyés restent "
              "valables.")


# --- Slots ----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class SlotTimes:
    """A slot's wall-clock window at the atelier (Europe/Paris)."""

    day: date
    start: time
    end: time
    # Applications close at the slot's start time, this many days before.
    deadline_days: int = DEFAULT_DEADLINE_DAYS


def _slot_values(check: FormCheck, times: SlotTimes, capacity: int, theme: str) -> dict:
    if times.end <= times.start:
        check.fail("end", N_("L'heure de fin doit suivre l'heure de début."))
    if not 1 <= capacity <= MAX_CAPACITY:
        check.fail("capacity", N_("La capacité va de 1 à {max} startups."), max=MAX_CAPACITY)
    if not 0 <= times.deadline_days <= MAX_DEADLINE_DAYS:
        check.fail("deadline_days", N_("Le délai va de 0 à {max} jours."), max=MAX_DEADLINE_DAYS)
    starts_at = from_paris(datetime.combine(times.day, times.start))
    if starts_at <= utcnow():
        check.fail("day", N_("Ce créneau serait déjà passé."))
    return {"starts_at": starts_at, "ends_at": from_paris(datetime.combine(times.day, times.end)),
            "applications_close_at": starts_at - timedelta(days=times.deadline_days),
            "capacity": capacity, "theme": check("theme", clean_text, theme, max_length=NAME_MAX)}


def _refuse_closed_on_creation(check: FormCheck, rows: list[dict]) -> None:
    """New slots that nobody could apply for are a typing mistake."""
    if rows and not check.errors and all(row["applications_close_at"] <= utcnow() for row in rows):
        check.fail("deadline_days", N_("Les candidatures seraient déjà closes : choisissez un délai plus court."))


def _refuse_duplicates(session: Session, rows: list[dict], *, ignore_id: int | None = None) -> None:
    """A slot at the very hours of another one (not cancelled) is a slip: refused, naming it."""
    query = select(ShowcaseSlot).where(
        ShowcaseSlot.cancelled_at.is_(None),
        tuple_(ShowcaseSlot.starts_at, ShowcaseSlot.ends_at).in_([(r["starts_at"], r["ends_at"]) for r in rows]))
    if ignore_id is not None:
        query = query.where(ShowcaseSlot.id != ignore_id)
    existing = session.execute(query.order_by(ShowcaseSlot.starts_at)).scalars().first()
    if existing is not None:
        start, end = to_paris(existing.starts_at), to_paris(existing.ends_at)
        raise FormErrors({"day": Message(N_("Un créneau existe déjà à ces heures : n°{number}, {slot}."),
                                         {"number": existing.id, "slot": f"{start:%d/%m/%Y %H:%M}–{end:%H:%M}"})})


def accepts_applications(slot: ShowcaseSlot, now: datetime) -> bool:
    """Open, not cancelled, and before its application deadline."""
    return slot.is_open and slot.cancelled_at is None and aware(slot.applications_close_at) > now


def create_slot(engine: Engine, times: SlotTimes, *, capacity: int, theme: str = "") -> int:
    """One slot. Raises FormErrors (nothing written) when a value is wrong."""
    check = FormCheck()
    values = _slot_values(check, times, capacity, theme)
    _refuse_closed_on_creation(check, [values])
    check.raise_if_invalid()
    with write_session(engine) as session:
        _refuse_duplicates(session, [values])
        slot = ShowcaseSlot(**values)
        session.add(slot)
        session.flush()
        return slot.id


def series_days(first: date, last: date, *, weekday: int, skip: frozenset[date] = frozenset()) -> list[date]:
    """Every `weekday` (0 = Monday) from `first` to `last`, but the skipped dates."""
    if last < first:
        raise Invalid(N_("La date de fin doit suivre la date de début."))
    day = first + timedelta(days=(weekday - first.weekday()) % 7)
    days = []
    while day <= last:
        if day not in skip:
            days.append(day)
        day += timedelta(days=7)
    if len(days) > MAX_SERIES:
        raise Invalid(N_("Une série compte {max} créneaux au maximum."), max=MAX_SERIES)
    return days


def parse_days(text: str) -> frozenset[date]:
    """Dates typed the French way (23/12/2026) or ISO (2026-12-23), separated by commas."""
    days = set()
    for part in (text or "").split(","):
        part = part.strip()
        if not part:
            continue
        try:
            days.add(date.fromisoformat(part) if "-" in part else
                     date(*reversed([int(n) for n in part.split("/")])))
        except (TypeError, ValueError) as error:
            raise Invalid(N_("Date invalide : « {text} » (format attendu : 23/12/2026)."), text=part) from error
    return frozenset(days)


def create_slot_series(engine: Engine, days: list[date], start: time, end: time, *,
                       capacity: int, theme: str = "", deadline_days: int = DEFAULT_DEADLINE_DAYS) -> int:
    """One slot per day, all or none: a wrong value on any day writes nothing. Days whose
    applications would all be closed already are refused too."""
    check = FormCheck()
    rows = [_slot_values(check, SlotTimes(day, start, end, deadline_days), capacity, theme) for day in days]
    _refuse_closed_on_creation(check, rows)
    check.raise_if_invalid()
    if rows:
        now = utcnow()
        with write_session(engine) as session:
            _refuse_duplicates(session, rows)
            session.execute(insert(ShowcaseSlot), [{**row, "created_at": now, "updated_at": now, "is_open": True}
                                                   for row in rows])
    return len(rows)


def slot_label(starts_at: datetime, ends_at: datetime, language: str, theme: str = "") -> str:
    """« mercredi 2 décembre 2026, 14:00–17:00 » in the atelier's time."""
    start, end = to_paris(starts_at), to_paris(ends_at)
    label = translate(N_("{day}, {start}–{end}"), language,
                      day=format_datetime(start, language, style="EEEE d MMMM y"),
                      start=format_time(start, language), end=format_time(end, language))
    return f"{label} — {theme}" if theme else label


def open_slots(engine: Engine, *, keeping: Iterable[int] = ()) -> pd.DataFrame:
    """Slots that still take applications (open, before their deadline), with places taken; plus
    the `keeping` ones (an application's earlier choices) while they are still to come."""
    frame = slots_with_counts(engine)
    if frame.empty:
        return frame
    now = utcnow()
    accepting = frame["is_open"] & (frame["applications_close_at"] > now)
    kept = frame["id"].isin(list(keeping)) & (frame["starts_at"] > now)
    return frame[frame["cancelled_at"].isna() & (accepting | kept)]


def slots_with_counts(engine: Engine) -> pd.DataFrame:
    """Every slot with its places taken in `approved`: given, or held for an offer's answer."""
    approved = (select(Application.slot_id, func.count().label("approved"))
                .where(Application.state.in_(HOLDING_STATES)).group_by(Application.slot_id).subquery())
    query = (select(ShowcaseSlot.id, ShowcaseSlot.starts_at, ShowcaseSlot.ends_at, ShowcaseSlot.capacity,
                    ShowcaseSlot.theme, ShowcaseSlot.is_open, ShowcaseSlot.cancelled_at, ShowcaseSlot.auto_offers,
                    ShowcaseSlot.applications_close_at, func.coalesce(approved.c.approved, 0).label("approved"))
             .outerjoin(approved, approved.c.slot_id == ShowcaseSlot.id).order_by(ShowcaseSlot.starts_at))
    with read_session(engine) as session:
        rows = session.execute(query).mappings().all()
    frame = pd.DataFrame(rows, columns=["id", "starts_at", "ends_at", "capacity", "theme", "is_open",
                                        "cancelled_at", "auto_offers", "applications_close_at", "approved"])
    for column in ("starts_at", "ends_at", "applications_close_at"):
        frame[column] = frame[column].map(aware)
    return frame


# --- Applying ------------------------------------------------------------------------------------

@dataclass
class ApplicationForm:
    """What a startup types, before cleaning."""

    organisation: str = ""
    website: str = ""
    short_description: str = ""
    sectors: str = ""
    stage: str = ""
    team_size: Any = None
    address: str = ""
    city: str = ""
    latitude: Any = None
    longitude: Any = None
    logo: bytes | None = None
    pitch_title: str = ""
    pitch_summary: str = ""
    demo_description: str = ""
    equipment: str = ""
    contact_name: str = ""
    contact_email: str = ""
    contact_phone: str = ""
    slot_ids: list[int | None] = field(default_factory=list)
    consent_data: bool = False
    consent_publication: bool = False
    language: str = "fr"


def _clean_team_size(value: Any) -> int:
    try:
        size = int(value)
    except (TypeError, ValueError) as error:
        raise Invalid(N_("Indiquez un nombre de personnes.")) from error
    if not 1 <= size <= MAX_TEAM:
        raise Invalid(N_("L'équipe compte de 1 à {max} personnes."), max=MAX_TEAM)
    return size


def _clean_application(session: Session, form: ApplicationForm, check: FormCheck, *,
                       kept_slots: frozenset[int] = frozenset()) -> tuple[dict, list[int]]:
    values = {
        "organisation": check("organisation", clean_text, form.organisation, max_length=NAME_MAX, required=True),
        "website": check("website", clean_url, form.website, max_length=URL_MAX),
        "short_description": check("short_description", clean_text, form.short_description,
                                   max_length=SHORT_TEXT_MAX, required=True),
        "sectors": check("sectors", clean_tags, form.sectors, max_length=TAGS_MAX),
        "stage": check("stage", clean_choice, form.stage, StartupStage),
        "team_size": check("team_size", _clean_team_size, form.team_size),
        "address": check("address", clean_text, form.address, max_length=ADDRESS_MAX),
        "city": check("city", clean_text, form.city, max_length=CITY_MAX),
        "pitch_title": check("pitch_title", clean_text, form.pitch_title, max_length=NAME_MAX, required=True),
        "pitch_summary": check("pitch_summary", clean_text, form.pitch_summary, max_length=SHORT_TEXT_MAX,
                               required=True),
        "demo_description": check("demo_description", clean_text, form.demo_description,
                                  max_length=LONG_TEXT_MAX, required=True, multiline=True),
        "equipment": check("equipment", clean_text, form.equipment, max_length=LONG_TEXT_MAX, multiline=True),
        "contact_name": check("contact_name", clean_text, form.contact_name, max_length=NAME_MAX, required=True),
        "contact_email": check("contact_email", clean_email, form.contact_email, required=True),
        "contact_phone": check("contact_phone", clean_phone, form.contact_phone),
        "consent_publication": bool(form.consent_publication),
        "language": form.language if form.language in ("fr", "en") else "fr",
    }
    position = check("position", clean_coordinates, form.latitude, form.longitude)
    values["latitude"], values["longitude"] = position or (None, None)
    logo = check("logo", clean_logo, form.logo)
    if form.logo is not None:
        values["logo"], values["logo_type"] = logo or (None, "")
    if not form.consent_data:
        check.fail("consent_data", N_("Cochez cette case pour que nous puissions traiter votre candidature."))
    values["consent_data"] = bool(form.consent_data)
    return values, _clean_choices(session, form.slot_ids, check, kept=kept_slots)


def _clean_choices(session: Session, slot_ids: list[int | None], check: FormCheck, *,
                   kept: frozenset[int] = frozenset()) -> list[int]:
    """The ranked slots, each still taking applications; `kept` are slots an application being
    edited already had, which stay valid after their deadline."""
    chosen = [int(slot_id) for slot_id in slot_ids if slot_id is not None]
    if not chosen:
        check.fail("slots", N_("Choisissez au moins un créneau."))
        return []
    if len(chosen) > MAX_CHOICES or len(set(chosen)) != len(chosen):
        check.fail("slots", N_("Choisissez jusqu'à {max} créneaux différents."), max=MAX_CHOICES)
        return []
    slots = {slot.id: slot for slot in session.execute(
        select(ShowcaseSlot).where(ShowcaseSlot.id.in_(chosen))).scalars()}
    now = utcnow()
    if any(slot_id not in slots or not (slot_id in kept or accepts_applications(slots[slot_id], now))
           for slot_id in chosen):
        check.fail("slots", N_("Un créneau choisi n'est plus ouvert aux candidatures : choisissez-en un autre."))
    return chosen


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def application_number(application_id: int) -> str:
    return f"{application_id:05d}"


def follow_link(token: str, language: str = "fr") -> str:
    """The private address of an application, in the applicant's language."""
    base = os.environ.get("VITRINE_PUBLIC_URL", "http://localhost:8501").rstrip("/")
    return addresses.with_query(f"{base}/suivi", {"token": token}, language)


@dataclass(frozen=True)
class Submitted:
    application_id: int
    token: str | None  # None when the same form had already been sent


def submit_application(engine: Engine, form: ApplicationForm, *, submission_key: str) -> Submitted:
    """Store a new application with its ranked slots; queue the receipt.

    The same `submission_key` twice (a double click, a resent form) returns the first
    application. Raises FormErrors (nothing written) with every faulty field, including a slot
    the same contact already holds an open application for.
    """
    try:
        return retry_on_conflict(lambda: _submit(engine, form, submission_key))
    except IntegrityError:
        # Two sends of the same form raced: the other one stored it.
        return Submitted(_application_id_for_key(engine, submission_key), None)


def _application_id_for_key(engine: Engine, submission_key: str) -> int:
    with read_session(engine) as session:
        return session.execute(select(Application.id).where(
            Application.submission_key == submission_key)).scalar_one()


def _submit(engine: Engine, form: ApplicationForm, submission_key: str) -> Submitted:
    with write_session(engine) as session:
        existing = session.execute(select(Application.id).where(
            Application.submission_key == submission_key)).scalar_one_or_none()
        if existing is not None:
            return Submitted(existing, None)
        check = FormCheck()
        values, choices = _clean_application(session, form, check)
        if values.get("contact_email") and choices:
            _refuse_duplicate(session, values["contact_email"], choices, check, form.language)
        check.raise_if_invalid()
        token = secrets.token_urlsafe(32)
        application = Application(**values, token_hash=token_hash(token), submission_key=submission_key)
        session.add(application)
        session.flush()
        session.add_all(SlotChoice(application_id=application.id, rank=rank, slot_id=slot_id)
                        for rank, slot_id in enumerate(choices, start=1))
        audit.record(session, actor="applicant", action=AuditAction.SUBMITTED, entity="application",
                     entity_id=application.id,
                     after=_public_fields(application))
        notify.queue(session, template="receipt", recipient=application.contact_email,
                     language=application.language, params=message_params(application),
                     application_id=application.id, private_link=follow_link(token, application.language))
        return Submitted(application.id, token)


def _refuse_duplicate(session: Session, email: str, choices: list[int], check: FormCheck,
                      language: str, *, ignore_id: int | None = None) -> None:
    query = (select(ShowcaseSlot).join(SlotChoice, SlotChoice.slot_id == ShowcaseSlot.id)
             .join(Application, Application.id == SlotChoice.application_id)
             .where(func.lower(Application.contact_email) == email.lower(),
                    Application.state.in_(OPEN_STATES), SlotChoice.slot_id.in_(choices)))
    if ignore_id is not None:
        query = query.where(Application.id != ignore_id)
    taken = session.execute(query).scalars().first()
    if taken is not None:
        check.fail("slots", N_("Vous avez déjà une candidature en cours pour le créneau du {slot} : "
                               "suivez-la avec le lien privé reçu par e-mail."),
                   slot=slot_label(taken.starts_at, taken.ends_at, language))


# --- Following one's application ----------------------------------------------------------------

# A person who lost their link asks once or twice; more is someone trying addresses.
LINK_REQUESTS_PER_ADDRESS = 3
LINK_REQUESTS_PER_CLIENT = 10
LINK_REQUEST_WINDOW = timedelta(hours=1)


def send_fresh_links(engine: Engine, email: str, *, client: str) -> None:
    """Lost-link recovery: every open application of `email` gets a new private link by email,
    and its old link stops working.

    Says nothing of whether the address is known (the same for any address). Raises FormErrors
    for a malformed address, TooManyRequests past the limits per address and per client address.
    """
    check = FormCheck()
    email = check("email", clean_email, email, required=True)
    check.raise_if_invalid()
    with write_session(engine) as session:
        for scope, value, limit in (("link-address", email, LINK_REQUESTS_PER_ADDRESS),
                                    ("link-client", client, LINK_REQUESTS_PER_CLIENT)):
            if not ratelimit.take(session, ratelimit.limit_key(scope, value), limit=limit,
                                  window=LINK_REQUEST_WINDOW):
                raise TooManyRequests()
        applications = session.execute(select(Application).where(
            func.lower(Application.contact_email) == email.lower(), Application.state.in_(OPEN_STATES),
        ).with_for_update()).scalars().all()
        for application in applications:
            token = secrets.token_urlsafe(32)
            session.execute(update(Application).where(Application.id == application.id)
                            .values(token_hash=token_hash(token)))
            audit.record(session, actor="applicant", action=AuditAction.LINK_RENEWED, entity="application",
                         entity_id=application.id)
            notify.queue(session, template="new_link", recipient=application.contact_email,
                         language=application.language, params=message_params(application),
                         application_id=application.id,
                         private_link=follow_link(token, application.language))

def by_token(session: Session, token: str | None, *, for_update: bool = False) -> Application:
    if not token or not TOKEN_PATTERN.match(token):
        raise UnknownToken()
    query = select(Application).where(Application.token_hash == token_hash(token))
    if for_update:
        query = query.with_for_update()
    application = session.execute(query).scalar_one_or_none()
    if application is None or utcnow() > retention_end(session, application):
        raise UnknownToken()
    return application


def retention_end(session: Session, application: Application) -> datetime:
    """Personal data is kept a year after the application's last event (its showcase, or its last change)."""
    last = application.updated_at
    if application.slot_id is not None:
        slot = session.get(ShowcaseSlot, application.slot_id)
        last = max(last, slot.ends_at)
    return last + RETENTION


@dataclass
class ApplicationView:
    application: Application
    choices: list[ShowcaseSlot]
    slot: ShowcaseSlot | None
    history: list[AuditEvent]

    @property
    def editable(self) -> bool:
        return self.application.state == ApplicationState.SUBMITTED

    @property
    def withdrawable(self) -> bool:
        state = ApplicationState(self.application.state)
        return ApplicationState.WITHDRAWN in APPLICATION_TRANSITIONS[state] and not (
            state == ApplicationState.APPROVED and self.slot is not None and self.slot.starts_at <= utcnow())


def application_by_token(engine: Engine, token: str | None) -> ApplicationView:
    """Everything the applicant may see. Raises UnknownToken for a bad, unknown or expired link."""
    with read_session(engine) as session:
        application = by_token(session, token)
        return _view(session, application)


def _view(session: Session, application: Application) -> ApplicationView:
    choices = session.execute(
        select(ShowcaseSlot).join(SlotChoice, SlotChoice.slot_id == ShowcaseSlot.id)
        .where(SlotChoice.application_id == application.id).order_by(SlotChoice.rank)).scalars().all()
    slot = session.get(ShowcaseSlot, application.slot_id) if application.slot_id else None
    return ApplicationView(application, list(choices), slot, audit.history(session, "application", application.id))


def edit_application(engine: Engine, token: str, form: ApplicationForm) -> None:
    """Change an application that nobody has decided on yet. Raises FormErrors or AlreadyDecided."""
    def work() -> None:
        with write_session(engine) as session:
            application = by_token(session, token, for_update=True)
            if application.state != ApplicationState.SUBMITTED:
                raise AlreadyDecided()
            check = FormCheck()
            earlier = frozenset(session.execute(select(SlotChoice.slot_id).where(
                SlotChoice.application_id == application.id)).scalars())
            values, choices = _clean_application(session, form, check, kept_slots=earlier)
            if values.get("contact_email") and choices:
                _refuse_duplicate(session, values["contact_email"], choices, check, form.language,
                                  ignore_id=application.id)
            check.raise_if_invalid()
            before = _public_fields(application)
            changed = session.execute(update(Application).where(
                Application.id == application.id, Application.state == ApplicationState.SUBMITTED,
            ).values(**values, updated_at=utcnow()))
            if changed.rowcount != 1:
                raise AlreadyDecided()
            session.execute(SlotChoice.__table__.delete().where(SlotChoice.application_id == application.id))
            session.add_all(SlotChoice(application_id=application.id, rank=rank, slot_id=slot_id)
                            for rank, slot_id in enumerate(choices, start=1))
            session.refresh(application)
            audit.record(session, actor="applicant", action=AuditAction.EDITED, entity="application",
                         entity_id=application.id, before=before, after=_public_fields(application))
    retry_on_conflict(work)


def withdraw_application(engine: Engine, token: str) -> None:
    """The applicant withdraws; an approved place is freed. Raises TooLate or AlreadyDecided."""
    def work() -> None:
        with write_session(engine) as session:
            application = by_token(session, token, for_update=True)
            view = _view(session, application)
            if not view.withdrawable:
                raise TooLate() if application.state == ApplicationState.APPROVED else AlreadyDecided()
            freed = application.slot_id if application.state in HOLDING_STATES else None
            change_state(session, application, ApplicationState.WITHDRAWN, actor="applicant",
                         template="withdrawn")
            if freed is not None:
                place_freed(session, freed)
    retry_on_conflict(work)


# --- Staff decisions --------------------------------------------------------------------------------

def lock_slot(session: Session, slot_id: int) -> ShowcaseSlot | None:
    """Serialise decisions on one slot: a row lock on PostgreSQL; SQLite's write transaction
    (BEGIN IMMEDIATE) already admits one writer at a time."""
    query = select(ShowcaseSlot).where(ShowcaseSlot.id == slot_id)
    if not is_sqlite(session.get_bind()):
        query = query.with_for_update()
    return session.execute(query).scalar_one_or_none()


def approve_application(engine: Engine, application_id: int, *, slot_id: int, staff: str,
                        message: str = "") -> None:
    """Give the application a place in the slot.

    Locks the slot, refuses if it is full or the application was already decided, then writes
    the new state, publishes the startup on the map (when it agreed to), an audit event and a
    queued notification, in one transaction. Raises SlotFull or AlreadyDecided.
    """
    message = clean_text(message, max_length=LONG_TEXT_MAX, multiline=True)

    def work() -> None:
        with write_session(engine) as session:
            approve_in(session, application_id, slot_id=slot_id, staff=staff, message=message)
    retry_on_conflict(work)


def approve_in(session: Session, application_id: int, *, slot_id: int, staff: str, message: str = "") -> None:
    """`approve_application`'s work inside the caller's transaction (several decisions at once)."""
    slot = _slot_with_room(session, slot_id, holder=application_id)
    application = _decidable(session, application_id, ApplicationState.APPROVED)
    partner_id = _publish_startup(session, application)
    change_state(session, application, ApplicationState.APPROVED, actor=staff, template="approved",
                  values={"slot_id": slot_id, "partner_id": partner_id, "staff_message": message},
                  params={"slot": slot_label(slot.starts_at, slot.ends_at, application.language), "message": message})


def waitlist_application(engine: Engine, application_id: int, *, staff: str, message: str = "") -> None:
    """Put a submitted application on the waiting list. Raises AlreadyDecided."""
    message = clean_text(message, max_length=LONG_TEXT_MAX, multiline=True)

    def work() -> None:
        with write_session(engine) as session:
            waitlist_in(session, application_id, staff=staff, message=message)
    retry_on_conflict(work)


def waitlist_in(session: Session, application_id: int, *, staff: str, message: str = "") -> None:
    """`waitlist_application`'s work inside the caller's transaction."""
    application = _decidable(session, application_id, ApplicationState.WAITLISTED)
    change_state(session, application, ApplicationState.WAITLISTED, actor=staff, template="waitlisted",
                  values={"staff_message": message}, params={"message": message})


def reject_application(engine: Engine, application_id: int, *, staff: str, reason: str,
                       message: str = "") -> None:
    """Refuse with a reason the applicant will read. Raises FormErrors or AlreadyDecided."""
    check = FormCheck()
    reason = check("reason", clean_text, reason, max_length=LONG_TEXT_MAX, required=True, multiline=True)
    message = check("message", clean_text, message, max_length=LONG_TEXT_MAX, multiline=True)
    check.raise_if_invalid()

    def work() -> None:
        with write_session(engine) as session:
            application = _decidable(session, application_id, ApplicationState.REJECTED)
            change_state(session, application, ApplicationState.REJECTED, actor=staff, template="rejected",
                          values={"decision_reason": reason, "staff_message": message},
                          params={"reason": reason, "message": message})
    retry_on_conflict(work)


def _decidable(session: Session, application_id: int, to: ApplicationState) -> Application:
    application = session.get(Application, application_id)
    if application is None or to not in APPLICATION_TRANSITIONS[ApplicationState(application.state)]:
        raise AlreadyDecided()
    return application


def change_state(session: Session, application: Application, to: ApplicationState, *, actor: str,
                 template: str, values: dict | None = None, params: dict | None = None,
                 action: AuditAction | None = None, private_link: str = "") -> None:
    """The one place a state changes: conditional on the state read, audited, notified."""
    before = _public_fields(application)
    now = utcnow()
    decided = {"decided_at": now} if to in (ApplicationState.APPROVED, ApplicationState.WAITLISTED,
                                           ApplicationState.REJECTED) else {}
    changed = session.execute(update(Application).where(
        Application.id == application.id, Application.state == application.state,
    ).values(state=to, updated_at=now, **decided, **(values or {})))
    if changed.rowcount != 1:
        raise AlreadyDecided()
    if before["state"] == ApplicationState.OFFERED:  # leaving it answers the offer, whoever acts
        session.execute(update(Offer).where(Offer.application_id == application.id,
                                            Offer.outcome == OfferOutcome.PENDING)
                        .values(outcome=OFFER_OUTCOMES[to], answered_at=now))
    session.refresh(application)
    audit.record(session, actor=actor, action=action or AuditAction(to.value), entity="application",
                 entity_id=application.id, before=before, after=_public_fields(application))
    notify.queue(session, template=template, recipient=application.contact_email, language=application.language,
                 params={**message_params(application), "message": "", **(params or {})},
                 application_id=application.id, private_link=private_link)


def _publish_startup(session: Session, application: Application) -> int | None:
    """The approved startup's card on the map, if it agreed to be published."""
    if not application.consent_publication:
        return application.partner_id
    if application.partner_id is not None:
        return application.partner_id
    partner = Partner(
        name=application.organisation, kind=PartnerKind.STARTUP, short_description=application.short_description,
        sectors=application.sectors, address=application.address, city=application.city,
        latitude=application.latitude, longitude=application.longitude,
        precision=Precision.EXACT if application.latitude is not None else Precision.UNKNOWN,
        website=application.website, state=ListingState.PUBLISHED, source="candidature vitrine")
    session.add(partner)
    session.flush()
    partners.give_slug(session, partner)
    return partner.id


# --- Freed places offered to the waiting list ------------------------------------------------------

OFFER_TIME = timedelta(hours=48)
# What leaving the offered state means for the offer (an expiry closes it itself, first).
OFFER_OUTCOMES = {ApplicationState.APPROVED: OfferOutcome.ACCEPTED, ApplicationState.WAITLISTED: OfferOutcome.DECLINED,
                  ApplicationState.WITHDRAWN: OfferOutcome.WITHDRAWN}


def place_freed(session: Session, slot_id: int) -> None:
    """A place may have freed up in the slot (a withdrawal, a move, a larger capacity, a declined
    or expired offer): while places are free, the next waitlisted application that ranked the slot
    gets an offer, unless staff turned automatic offers off or applications have closed.

    Next means: the slot ranked highest among its choices, then the longest on the waiting list;
    an application is never offered the same slot twice. The offer holds the place until it is
    answered or expires (48 hours, never past the slot's application deadline); the startup is
    emailed a private link to answer.
    """
    slot = lock_slot(session, slot_id)
    now = utcnow()
    if slot is None or not slot.auto_offers or not accepts_applications(slot, now):
        return
    while places_held(session, slot_id) < slot.capacity:
        already_offered = select(Offer.application_id).where(Offer.slot_id == slot_id)
        application = session.execute(
            select(Application).join(SlotChoice, SlotChoice.application_id == Application.id)
            .where(SlotChoice.slot_id == slot_id, Application.state == ApplicationState.WAITLISTED,
                   Application.id.not_in(already_offered))
            .order_by(SlotChoice.rank, Application.decided_at, Application.id).limit(1)).scalar_one_or_none()
        if application is None:
            return
        expires_at = min(now + OFFER_TIME, aware(slot.applications_close_at))
        session.add(Offer(application_id=application.id, slot_id=slot_id, created_at=now, expires_at=expires_at))
        # The startup answers through a fresh private link (only its hash is kept, so the old one is replaced).
        token = secrets.token_urlsafe(32)
        change_state(session, application, ApplicationState.OFFERED, actor="vitrine", template="offered",
                     values={"slot_id": slot_id, "token_hash": token_hash(token)},
                     params={"slot": slot_label(slot.starts_at, slot.ends_at, application.language),
                             "expires": format_datetime(to_paris(expires_at), application.language,
                                                        style="EEEE d MMMM, HH:mm")},
                     private_link=follow_link(token, application.language))


# --- The public calendar ---------------------------------------------------------------------------

def showcases(engine: Engine, *, slot_id: int | None = None, partner_id: int | None = None,
              include_cancelled: bool = False, ending_after: datetime | None = None) -> list[dict]:
    """Slots (one, those a partner presents in, or all), each with the startups approved for it
    that agreed to be published, in time order.

    `last_modified` is the latest change to the slot or to an application for it; `sequence`
    grows when its time moves or it is cancelled (what calendar subscribers compare).
    """
    query = select(ShowcaseSlot).order_by(ShowcaseSlot.starts_at, ShowcaseSlot.id)
    if not include_cancelled:
        query = query.where(ShowcaseSlot.cancelled_at.is_(None))
    if slot_id is not None:
        query = query.where(ShowcaseSlot.id == slot_id)
    if ending_after is not None:
        query = query.where(ShowcaseSlot.ends_at > ending_after)
    if partner_id is not None:
        query = query.where(ShowcaseSlot.id.in_(select(Application.slot_id).where(
            Application.partner_id == partner_id, Application.state == ApplicationState.APPROVED,
            Application.consent_publication.is_(True))))
    with read_session(engine) as session:
        slots = session.execute(query).scalars().all()
        ids = [slot.id for slot in slots]
        approved = session.execute(
            select(Application.slot_id, Application.organisation, Application.pitch_title,
                   Application.pitch_summary, Application.partner_id, Partner.slug)
            .outerjoin(Partner, Partner.id == Application.partner_id)
            .where(Application.slot_id.in_(ids), Application.state == ApplicationState.APPROVED,
                   Application.consent_publication.is_(True))
            .order_by(Application.organisation)).mappings().all()
        changed = dict(session.execute(
            select(Application.slot_id, func.max(Application.updated_at))
            .where(Application.slot_id.in_(ids)).group_by(Application.slot_id)).all())
    startups: dict[int, list[dict]] = {}
    for row in approved:
        startups.setdefault(row["slot_id"], []).append(dict(row))
    return [{"id": slot.id, "starts_at": slot.starts_at, "ends_at": slot.ends_at, "theme": slot.theme,
             "capacity": slot.capacity, "is_open": slot.is_open, "cancelled": slot.cancelled_at is not None,
             "applications_close_at": aware(slot.applications_close_at),
             "accepts_applications": accepts_applications(slot, utcnow()), "sequence": slot.sequence,
             "last_modified": max(aware(slot.updated_at), aware(changed.get(slot.id) or slot.updated_at)),
             "startups": startups.get(slot.id, [])}
            for slot in slots]


def calendar_showcases(engine: Engine, *, slot_id: int | None = None) -> list[dict]:
    """What a subscribed calendar lists: the showcases of the last 90 days and those to come,
    cancelled ones included (with their status), so that subscribers see every change."""
    return showcases(engine, slot_id=slot_id, include_cancelled=True, ending_after=utcnow() - CALENDAR_PAST)


def calendar_version(engine: Engine) -> str:
    """Changes whenever anything the calendar shows may have changed (and every day, as showcases
    pass): cheap enough to answer a calendar app's revalidation."""
    with read_session(engine) as session:
        count, slots_changed, applications_changed = session.execute(select(
            select(func.count(ShowcaseSlot.id)).scalar_subquery(),
            select(func.max(ShowcaseSlot.updated_at)).scalar_subquery(),
            select(func.max(Application.updated_at)).scalar_subquery(),
        )).one()
    return f"{count}:{slots_changed}:{applications_changed}:{utcnow():%Y%m%d}"


# --- Audit --------------------------------------------------------------------------------------

AUDITED_FIELDS = ("state", "organisation", "pitch_title", "slot_id", "decision_reason", "staff_message")


def _public_fields(application: Application) -> dict:
    return {name: getattr(application, name) for name in AUDITED_FIELDS}


def message_params(application: Application) -> dict:
    return {"number": application_number(application.id), "name": application.contact_name,
            "organisation": application.organisation, "pitch": application.pitch_title}


# --- Staff: slots and the review queue ------------------------------------------------------------

def move_application(engine: Engine, application_id: int, *, slot_id: int, staff: str, message: str = "") -> None:
    """Give an approved startup another slot (its own was cancelled, say). Raises SlotFull or
    AlreadyDecided; the applicant is told of the change."""
    message = clean_text(message, max_length=LONG_TEXT_MAX, multiline=True)

    def work() -> None:
        with write_session(engine) as session:
            slot = _slot_with_room(session, slot_id)
            application = session.get(Application, application_id)
            if application is None or application.state != ApplicationState.APPROVED:
                raise AlreadyDecided()
            before = _public_fields(application)
            moved = session.execute(update(Application).where(
                Application.id == application_id, Application.state == ApplicationState.APPROVED,
                Application.slot_id == application.slot_id,
            ).values(slot_id=slot_id, staff_message=message, updated_at=utcnow()))
            if moved.rowcount != 1:
                raise AlreadyDecided()
            if before["slot_id"] is not None:
                place_freed(session, before["slot_id"])
            session.refresh(application)
            audit.record(session, actor=staff, action=AuditAction.MOVED, entity="application", entity_id=application_id,
                         before=before, after=_public_fields(application))
            notify.queue(session, template="slot_changed", recipient=application.contact_email,
                         language=application.language, application_id=application_id,
                         params={**message_params(application), "message": message,
                                 "slot": slot_label(slot.starts_at, slot.ends_at, application.language)})
    retry_on_conflict(work)


def _slot_with_room(session: Session, slot_id: int, *, holder: int | None = None) -> ShowcaseSlot:
    """The slot, locked, if it is still to come and has a free place (or `holder` holds one
    there through an offer); else ShowcaseError/SlotFull."""
    slot = lock_slot(session, slot_id)
    if slot is None or aware(slot.starts_at) <= utcnow() or slot.cancelled_at is not None:
        raise ShowcaseError(N_("Ce créneau n'existe plus ou est déjà passé."))
    if places_held(session, slot.id, besides=holder) >= slot.capacity:
        raise SlotFull()
    return slot


def places_held(session: Session, slot_id: int, *, besides: int | None = None) -> int:
    """Places given (approved) or held for an answer (offered) in the slot: what its capacity counts."""
    query = select(func.count()).where(Application.slot_id == slot_id, Application.state.in_(HOLDING_STATES))
    if besides is not None:
        query = query.where(Application.id != besides)
    return session.execute(query).scalar_one()


def update_slot(engine: Engine, slot_id: int, times: SlotTimes, *, capacity: int, theme: str, staff: str) -> None:
    """Change a slot's time, capacity or theme; approved startups are told of a new time.
    Raises FormErrors, also for a capacity below the places already given."""
    check = FormCheck()
    values = _slot_values(check, times, capacity, theme)
    with write_session(engine) as session:
        slot = lock_slot(session, slot_id)
        if slot is None:
            raise ShowcaseError(N_("Ce créneau n'existe plus ou est déjà passé."))
        approved = session.execute(select(Application).where(
            Application.slot_id == slot_id, Application.state == ApplicationState.APPROVED)).scalars().all()
        held = places_held(session, slot_id)
        if capacity < held:
            check.fail("capacity", N_("{count} startups sont déjà retenues : la capacité ne peut pas être "
                                      "inférieure."), count=held)
        check.raise_if_invalid()
        _refuse_duplicates(session, [values], ignore_id=slot_id)
        before = {"starts_at": slot.starts_at, "ends_at": slot.ends_at, "capacity": slot.capacity,
                  "theme": slot.theme, "applications_close_at": slot.applications_close_at}
        moved = values["starts_at"] != slot.starts_at or values["ends_at"] != slot.ends_at
        session.execute(update(ShowcaseSlot).where(ShowcaseSlot.id == slot_id).values(
            **values, updated_at=utcnow(), sequence=ShowcaseSlot.sequence + int(moved)))
        audit.record(session, actor=staff, action=AuditAction.SLOT_UPDATED, entity="slot", entity_id=slot_id,
                     before=before, after=values)
        if moved:
            for application in approved:
                notify.queue(session, template="slot_changed", recipient=application.contact_email,
                             language=application.language, application_id=application.id,
                             params={**message_params(application), "message": "", "slot": slot_label(
                                 values["starts_at"], values["ends_at"], application.language)})
        if capacity > before["capacity"]:
            place_freed(session, slot_id)


def set_slot_open(engine: Engine, slot_id: int, is_open: bool, *, staff: str) -> None:
    with write_session(engine) as session:
        session.execute(update(ShowcaseSlot).where(ShowcaseSlot.id == slot_id).values(is_open=is_open))
        audit.record(session, actor=staff, action=AuditAction.SLOT_OPENED if is_open else AuditAction.SLOT_CLOSED,
                     entity="slot", entity_id=slot_id)


def cancel_slot(engine: Engine, slot_id: int, *, staff: str, message: str = "") -> int:
    """Cancel a showcase: closed to applications, off the calendar; its approved startups are told
    and wait for staff to move them. Returns how many were told."""
    message = clean_text(message, max_length=LONG_TEXT_MAX, multiline=True)
    with write_session(engine) as session:
        slot = lock_slot(session, slot_id)
        if slot is None or slot.cancelled_at is not None:
            raise ShowcaseError(N_("Ce créneau n'existe plus ou est déjà passé."))
        session.execute(update(ShowcaseSlot).where(ShowcaseSlot.id == slot_id).values(
            is_open=False, cancelled_at=utcnow(), updated_at=utcnow(), sequence=ShowcaseSlot.sequence + 1))
        approved = session.execute(select(Application).where(
            Application.slot_id == slot_id, Application.state == ApplicationState.APPROVED)).scalars().all()
        for application in approved:
            notify.queue(session, template="slot_cancelled", recipient=application.contact_email,
                         language=application.language, application_id=application.id,
                         params={**message_params(application), "message": message,
                                 "slot": slot_label(slot.starts_at, slot.ends_at, application.language)})
        audit.record(session, actor=staff, action=AuditAction.SLOT_CANCELLED, entity="slot", entity_id=slot_id,
                     after={"told": len(approved), "message": message})
        return len(approved)


@dataclass(frozen=True)
class ReviewFilters:
    states: tuple[str, ...] = (ApplicationState.SUBMITTED, ApplicationState.WAITLISTED)
    slot_id: int | None = None
    sector: str = ""
    text: str = ""


REVIEW_COLUMNS = ["id", "state", "organisation", "website", "short_description", "sectors", "stage", "team_size",
                  "city", "pitch_title", "pitch_summary", "demo_description", "equipment", "contact_name",
                  "contact_email", "contact_phone", "slot_id", "created_at", "decided_at", "staff_message",
                  "decision_reason", "rank", "ranked_slot"]


def _review_query(filters: ReviewFilters):
    """Candidates of one slot (each once, with the rank they gave it), or of every slot (each
    application once, with its first choice), as the filters say."""
    columns = [getattr(Application, c) for c in REVIEW_COLUMNS[:-2]]
    chosen = (SlotChoice.slot_id == filters.slot_id) if filters.slot_id is not None else (SlotChoice.rank == 1)
    query = (select(*columns, SlotChoice.rank, SlotChoice.slot_id.label("ranked_slot"))
             .join(SlotChoice, (SlotChoice.application_id == Application.id) & chosen))
    if filters.states:
        query = query.where(Application.state.in_(filters.states))
    if filters.sector.strip():
        query = query.where(func.lower(Application.sectors).contains(filters.sector.strip().lower()))
    for word in filters.text.split():
        pattern = f"%{word.lower()}%"
        query = query.where(func.lower(Application.organisation).like(pattern)
                            | func.lower(Application.pitch_title).like(pattern)
                            | func.lower(Application.pitch_summary).like(pattern))
    return query


def review_queue(engine: Engine, filters: ReviewFilters, *, offset: int = 0, limit: int = 200) -> pd.DataFrame:
    """One page of the queue: waitlisted first, then by rank and age."""
    waitlisted_first = (Application.state != ApplicationState.WAITLISTED)
    query = (_review_query(filters).order_by(waitlisted_first, SlotChoice.rank, Application.created_at,
                                             Application.id).offset(offset).limit(limit))
    with read_session(engine) as session:
        rows = session.execute(query).all()
    return pd.DataFrame(rows, columns=REVIEW_COLUMNS)


def count_review_queue(engine: Engine, filters: ReviewFilters) -> int:
    """How many applications the whole queue holds for these filters."""
    with read_session(engine) as session:
        return session.execute(select(func.count()).select_from(_review_query(filters).subquery())).scalar_one()


def candidates_per_slot(engine: Engine) -> dict[int, int]:
    """How many undecided applications (submitted or waitlisted) ranked each slot."""
    with read_session(engine) as session:
        rows = session.execute(
            select(SlotChoice.slot_id, func.count()).join(Application, Application.id == SlotChoice.application_id)
            .where(Application.state.in_(UNDECIDED_STATES)).group_by(SlotChoice.slot_id)).all()
    return dict(rows)


def logos_of(engine: Engine, application_ids: list[int]) -> dict[int, bytes]:
    """The re-encoded logos of a page of applications (only those that sent one)."""
    if not application_ids:
        return {}
    with read_session(engine) as session:
        rows = session.execute(select(Application.id, Application.logo).where(
            Application.id.in_(application_ids), Application.logo.is_not(None))).all()
    return dict(rows)


def choices_of(engine: Engine, application_ids: list[int]) -> dict[int, list[int]]:
    """Each application's slots, in its order of preference."""
    if not application_ids:
        return {}
    with read_session(engine) as session:
        rows = session.execute(select(SlotChoice.application_id, SlotChoice.slot_id)
                               .where(SlotChoice.application_id.in_(application_ids))
                               .order_by(SlotChoice.application_id, SlotChoice.rank)).all()
    ranked: dict[int, list[int]] = {}
    for application_id, slot_id in rows:
        ranked.setdefault(application_id, []).append(slot_id)
    return ranked


REJECTION_REASONS = (
    N_("Le projet ne correspond pas au thème du créneau."),
    N_("Le projet n'est pas encore assez avancé pour une démonstration au public."),
    N_("La startup n'est pas implantée dans la Loire."),
    N_("Le dossier est incomplet."),
)


@dataclass
class DecisionReport:
    """What a batch of decisions did: how many succeeded, and why the others did not."""

    done: int = 0
    refused: list[tuple[int, Message]] = field(default_factory=list)


def decide_many(application_ids: list[int], decide) -> DecisionReport:
    """Apply one decision to several applications, each in its own transaction, so one lost race
    does not undo the others."""
    report = DecisionReport()
    for application_id in application_ids:
        try:
            decide(application_id)
        except (ShowcaseError, FormErrors) as refused:
            message = refused.message if isinstance(refused, ShowcaseError) else next(iter(refused.errors.values()))
            report.refused.append((application_id, message))
        else:
            report.done += 1
    return report
