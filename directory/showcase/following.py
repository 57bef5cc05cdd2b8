"""What an applicant reads through its private link: its application as it stands, what it may do
now (edit, confirm, withdraw), and its history in its own words."""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlmodel import Session

from directory import audit
from directory.audit import ACTION_LABELS, AuditAction
from directory.db import read_session
from directory.i18n import N_, translate
from directory.models import (
    APPLICATION_TRANSITIONS,
    HOLDING_STATES,
    Application,
    ApplicationState,
    AuditEvent,
    ShowcaseSlot,
    SlotChoice,
)
from directory.private_links import replaces_earlier, retire_earlier_links
from directory.showcase.rules import by_token, has_begun, has_ended

# What the applicant's history calls each event of its application (the staff journal has its own words).
HISTORY_LABELS: dict[AuditAction, str] = {
    AuditAction.SUBMITTED: N_("Candidature envoyée"),
    AuditAction.EDITED: N_("Candidature modifiée"),
    AuditAction.SLOTS_CHANGED: N_("Créneaux demandés modifiés"),
    AuditAction.APPROVED: N_("Candidature acceptée"),
    AuditAction.WAITLISTED: N_("Mise en liste d'attente"),
    AuditAction.REJECTED: N_("Candidature refusée"),
    AuditAction.WITHDRAWN: N_("Candidature retirée"),
    AuditAction.MOVED: N_("Présentation déplacée vers un autre créneau"),
    AuditAction.OFFERED: N_("Une place libérée vous est proposée"),
    AuditAction.OFFER_DECLINED: N_("Place proposée laissée"),
    AuditAction.OFFER_EXPIRED: N_("Place proposée plus réservée, faute de réponse à temps"),
    AuditAction.OFFER_CANCELLED: N_("Place proposée annulée avec la vitrine"),
    AuditAction.ATTENDANCE_CONFIRMED: N_("Venue confirmée"),
    AuditAction.ATTENDANCE_RECORDED: N_("Présence notée par l'équipe"),
    AuditAction.LINK_RENEWED: N_("Nouveau lien de suivi envoyé"),
    AuditAction.NO_SLOT_LEFT: N_("Aucun des créneaux demandés n'est encore possible : vous pouvez en choisir "
                                 "d'autres"),
}
# What became of a place the startup let go or did not answer for in time (noted with the event).
PLACE_FATES = {"passed_on": N_("elle est proposée à la startup suivante"),
               "to_staff": N_("elle revient à l'équipe de l'atelier")}


def history_line(event: AuditEvent, language: str) -> str:
    """One event of the applicant's history, as the applicant reads it, with what became of the place."""
    action = AuditAction(event.action)
    line = translate(HISTORY_LABELS.get(action, ACTION_LABELS[action]), language)
    fate = PLACE_FATES.get(json.loads(event.after).get("place", "")) if event.after else None
    return translate(N_("{event} : {fate}"), language, event=line, fate=translate(fate, language)) if fate else line


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
    def waiting(self) -> bool:
        """On the waiting list: it may change the slots it waits for."""
        return self.application.state == ApplicationState.WAITLISTED

    @property
    def holds_place(self) -> bool:
        return self.application.state in HOLDING_STATES

    @property
    def presented(self) -> bool:
        """The approved startup's showcase is over."""
        return (self.application.state == ApplicationState.APPROVED and self.slot is not None
                and has_ended(self.slot))

    @property
    def awaits_confirmation(self) -> bool:
        """Approved, not yet confirmed, and still before the showcase: it may confirm its coming."""
        return (self.application.state == ApplicationState.APPROVED and self.application.confirmed_at is None
                and self.slot is not None and not has_begun(self.slot))

    @property
    def withdrawable(self) -> bool:
        state = ApplicationState(self.application.state)
        return ApplicationState.WITHDRAWN in APPLICATION_TRANSITIONS[state] and not (
            state == ApplicationState.APPROVED and self.slot is not None and has_begun(self.slot))


def application_by_token(engine: Engine, token: str | None) -> ApplicationView:
    """Everything the applicant may see. Raises UnknownToken for a bad, unknown or expired link.
    Opening a link sent on a lost-link request ends the earlier links."""
    with read_session(engine) as session:
        view = view_of(session, by_token(session, token))
        renewing = replaces_earlier(session, token)  # read with the rest: a rerun writes nothing
    if renewing:
        retire_earlier_links(engine, token)
    return view


def view_of(session: Session, application: Application) -> ApplicationView:
    choices = session.execute(
        select(ShowcaseSlot).join(SlotChoice, SlotChoice.slot_id == ShowcaseSlot.id)
        .where(SlotChoice.application_id == application.id).order_by(SlotChoice.rank)).scalars().all()
    slot = session.get(ShowcaseSlot, application.slot_id) if application.slot_id else None
    return ApplicationView(application, list(choices), slot, audit.history(session, "application", application.id))
