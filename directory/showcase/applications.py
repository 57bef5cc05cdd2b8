"""A startup applies without an account, then follows, edits or withdraws its application through
its private link (and can ask for a new link when it lost it)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from directory import audit
from directory.audit import AuditAction
from directory.clock import utcnow
from directory.db import read_session, retry_on_conflict, update_if_unchanged, write_session
from directory.i18n import N_
from directory.images import clean_logo
from directory.models import (
    ADDRESS_MAX,
    CITY_MAX,
    HOLDING_STATES,
    LONG_TEXT_MAX,
    NAME_MAX,
    OPEN_STATES,
    SHORT_TEXT_MAX,
    TAGS_MAX,
    URL_MAX,
    Application,
    ApplicationState,
    Offer,
    ShowcaseSlot,
    SlotChoice,
    StartupStage,
)
from directory.private_links import application_token
from directory.showcase.errors import AlreadyDecided, TooLate
from directory.showcase.following import view_of
from directory.showcase.rules import (
    MAX_CHOICES,
    MAX_TEAM,
    accepts_applications,
    by_token,
    change_state,
    place_freed,
    public_fields,
    slot_label,
    tell,
)
from directory.validation import (
    FormCheck,
    Invalid,
    clean_choice,
    clean_coordinates,
    clean_email,
    clean_phone,
    clean_tags,
    clean_text,
    clean_url,
)


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
    pitch_title_en: str = ""  # optional: shown to English readers
    pitch_summary_en: str = ""
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
        "pitch_title_en": check("pitch_title_en", clean_text, form.pitch_title_en, max_length=NAME_MAX),
        "pitch_summary_en": check("pitch_summary_en", clean_text, form.pitch_summary_en, max_length=SHORT_TEXT_MAX),
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
    choices = _clean_choices(session, form.slot_ids, check, kept=kept_slots)  # before consent, as in the form
    if not form.consent_data:
        check.fail("consent_data", N_("Cochez cette case pour que nous puissions traiter votre candidature."))
    values["consent_data"] = bool(form.consent_data)
    return values, choices


def _clean_choices(session: Session, slot_ids: list[int | None], check: FormCheck, *,
                   kept: frozenset[int] = frozenset()) -> list[int]:
    """The ranked slots, each still taking applications; `kept` are slots an application being
    edited already had, which stay valid after their deadline. A fault is the error of its rank's
    field (`choice_field`): of two equal choices, the later one."""
    ranked = {rank: int(slot_id) for rank, slot_id in enumerate(slot_ids, start=1) if slot_id is not None}
    if not ranked:
        check.fail(choice_field(1), N_("Choisissez au moins un créneau."))
        return []
    if max(ranked) > MAX_CHOICES:
        check.fail(choice_field(1), N_("Choisissez jusqu'à {max} créneaux différents."), max=MAX_CHOICES)
        return []
    slots = {slot.id: slot for slot in session.execute(
        select(ShowcaseSlot).where(ShowcaseSlot.id.in_(set(ranked.values())))).scalars()}
    now = utcnow()
    first_rank: dict[int, int] = {}
    for rank, slot_id in ranked.items():
        if slot_id in first_rank:
            check.fail(choice_field(rank), N_("Ce créneau est déjà votre choix n°{rank} : choisissez-en un autre."),
                       rank=first_rank[slot_id])
        elif slot_id not in slots or not (slot_id in kept or accepts_applications(slots[slot_id], now)):
            check.fail(choice_field(rank),
                       N_("Ce créneau n'est plus ouvert aux candidatures : choisissez-en un autre."))
        first_rank.setdefault(slot_id, rank)
    return list(ranked.values())


def choice_field(rank: int) -> str:
    """The form field of the rank-th slot choice (1 is the favourite)."""
    return f"slot_{rank}"


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
            _refuse_duplicate(session, values["contact_email"], form.slot_ids, check, form.language)
        check.raise_if_invalid()
        application = Application(**values, submission_key=submission_key)
        session.add(application)
        session.flush()
        token = application_token(session, application)
        session.add_all(SlotChoice(application_id=application.id, rank=rank, slot_id=slot_id)
                        for rank, slot_id in enumerate(choices, start=1))
        audit.record(session, actor="applicant", action=AuditAction.SUBMITTED, entity="application",
                     entity_id=application.id,
                     after=public_fields(application))
        tell(session, application, "receipt")
        return Submitted(application.id, token)


def _refuse_duplicate(session: Session, email: str, slot_ids: list[int | None], check: FormCheck,
                      language: str, *, ignore_id: int | None = None) -> None:
    """One open application per address and slot: the choice that repeats one is the faulty field."""
    ranked = [None if slot_id is None else int(slot_id) for slot_id in slot_ids]
    query = (select(ShowcaseSlot).join(SlotChoice, SlotChoice.slot_id == ShowcaseSlot.id)
             .join(Application, Application.id == SlotChoice.application_id)
             .where(func.lower(Application.contact_email) == email.lower(),
                    Application.state.in_(OPEN_STATES), SlotChoice.slot_id.in_([s for s in ranked if s])))
    if ignore_id is not None:
        query = query.where(Application.id != ignore_id)
    taken = session.execute(query).scalars().first()
    if taken is not None:
        check.fail(choice_field(ranked.index(taken.id) + 1),
                   N_("Vous avez déjà une candidature en cours pour le créneau du {slot} : "
                      "suivez-la avec le lien privé reçu par e-mail."),
                   slot=slot_label(taken.starts_at, taken.ends_at, language))
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
                _refuse_duplicate(session, values["contact_email"], form.slot_ids, check, form.language,
                                  ignore_id=application.id)
            check.raise_if_invalid()
            before = public_fields(application)
            if not update_if_unchanged(session, Application,
                                       where={"id": application.id, "state": ApplicationState.SUBMITTED},
                                       values={**values, "updated_at": utcnow()}):
                raise AlreadyDecided()
            session.execute(SlotChoice.__table__.delete().where(SlotChoice.application_id == application.id))
            session.add_all(SlotChoice(application_id=application.id, rank=rank, slot_id=slot_id)
                            for rank, slot_id in enumerate(choices, start=1))
            session.refresh(application)
            audit.record(session, actor="applicant", action=AuditAction.EDITED, entity="application",
                         entity_id=application.id, before=before, after=public_fields(application))
    retry_on_conflict(work)


def change_waiting_slots(engine: Engine, token: str, slot_ids: list[int | None]) -> None:
    """A waitlisted startup chooses the slots it waits for anew (its earlier ones may have passed,
    or been offered and let go). A chosen slot with a free place is offered at once to the next in
    line, which may be this startup. Raises FormErrors (nothing written) or AlreadyDecided."""
    def work() -> None:
        with write_session(engine) as session:
            application = by_token(session, token, for_update=True)
            if application.state != ApplicationState.WAITLISTED:
                raise AlreadyDecided()
            check = FormCheck()
            choices = _clean_choices(session, slot_ids, check)
            offered = set(session.execute(select(Offer.slot_id).where(
                Offer.application_id == application.id)).scalars())
            for rank, slot_id in enumerate(slot_ids, start=1):
                if slot_id is not None and int(slot_id) in offered:
                    check.fail(choice_field(rank), N_("Une place vous a déjà été proposée dans ce créneau : "
                                                      "choisissez-en un autre."))
            if choices:
                _refuse_duplicate(session, application.contact_email, slot_ids, check, application.language,
                                  ignore_id=application.id)
            check.raise_if_invalid()
            before = [slot.id for slot in view_of(session, application).choices]
            session.execute(SlotChoice.__table__.delete().where(SlotChoice.application_id == application.id))
            session.add_all(SlotChoice(application_id=application.id, rank=rank, slot_id=slot_id)
                            for rank, slot_id in enumerate(choices, start=1))
            session.execute(update(Application).where(Application.id == application.id).values(told_no_slot_at=None))
            session.flush()
            audit.record(session, actor="applicant", action=AuditAction.SLOTS_CHANGED, entity="application",
                         entity_id=application.id, before={"slots": before}, after={"slots": choices})
            for slot_id in choices:
                place_freed(session, slot_id)
    retry_on_conflict(work)


def withdraw_application(engine: Engine, token: str) -> None:
    """The applicant withdraws; an approved place is freed. Raises TooLate or AlreadyDecided."""
    def work() -> None:
        with write_session(engine) as session:
            application = by_token(session, token, for_update=True)
            view = view_of(session, application)
            if not view.withdrawable:
                raise TooLate() if application.state == ApplicationState.APPROVED else AlreadyDecided()
            freed = application.slot_id if application.state in HOLDING_STATES else None
            change_state(session, application, ApplicationState.WITHDRAWN, actor="applicant",
                         template="withdrawn")
            if freed is not None:
                place_freed(session, freed)
    retry_on_conflict(work)
