"""The audit log: append-only, written in the same transaction as the change it records."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum

import pandas as pd
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlmodel import Session

from directory.clock import PARIS
from directory.db import read_session
from directory.i18n import N_
from directory.models import AuditEvent


class AuditAction(StrEnum):
    """Everything the journal records; the stored value is the enum's."""

    # Applications (states reached keep the state's name)
    SUBMITTED = "submitted"
    EDITED = "edited"
    SLOTS_CHANGED = "slots_changed"
    APPROVED = "approved"
    WAITLISTED = "waitlisted"
    OFFERED = "offered"
    OFFER_DECLINED = "offer_declined"
    OFFER_EXPIRED = "offer_expired"
    OFFER_CANCELLED = "offer_cancelled"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"
    MOVED = "moved"
    ATTENDANCE_CONFIRMED = "attendance_confirmed"
    ATTENDANCE_RECORDED = "attendance_recorded"
    LINK_RENEWED = "link_renewed"
    NO_SLOT_LEFT = "no_slot_left"
    ERASED = "erased"
    # Partner listings
    CREATED = "created"
    PUBLISHED = "published"
    MERGED = "merged"
    ARCHIVED = "archived"
    RESTORED = "restored"
    IMPORTED = "imported"
    REPORT_APPLIED = "report_applied"
    REPORT_DISMISSED = "report_dismissed"
    VERSION_RESTORED = "version_restored"
    CHANGE_ACCEPTED = "change_accepted"
    CHANGE_REFUSED = "change_refused"
    CLAIM_ACCEPTED = "claim_accepted"
    CLAIM_REFUSED = "claim_refused"
    NOT_DUPLICATE = "not_duplicate"
    CONFIRMED = "confirmed"
    CONTACT_REFUSED = "contact_refused"
    REGISTER_CLOSED = "register_closed"
    RELATION_ADDED = "relation_added"
    RELATION_REMOVED = "relation_removed"
    # External sources
    SOURCE_ADDED = "source_added"
    SOURCE_SYNCED = "source_synced"
    SOURCE_FILE_REPLACED = "source_file_replaced"
    SOURCE_REMOVED = "source_removed"
    # Slots
    SLOT_UPDATED = "slot_updated"
    SLOT_OPENED = "slot_opened"
    SLOT_CLOSED = "slot_closed"
    SLOT_CANCELLED = "slot_cancelled"
    # The programme: sessions partners run, and the public's registrations
    SESSION_PROPOSED = "session_proposed"
    SESSION_EDITED = "session_edited"
    SESSION_APPROVED = "session_approved"
    SESSION_CHANGES_REQUESTED = "session_changes_requested"
    SESSION_REFUSED = "session_refused"
    SESSION_CANCELLED = "session_cancelled"
    REGISTERED = "registered"
    REGISTRATION_WAITING = "registration_waiting"
    REGISTRATION_OFFERED = "registration_offered"
    REGISTRATION_ACCEPTED = "registration_accepted"
    REGISTRATION_CANCELLED = "registration_cancelled"
    REGISTRATION_OFFER_ENDED = "registration_offer_ended"
    ROOM_SAVED = "room_saved"
    # Staff accounts and sessions
    DEACTIVATED = "deactivated"
    REACTIVATED = "reactivated"
    PASSWORD_RESET = "password_reset"
    SIGNED_IN = "signed_in"
    SIGN_IN_FAILED = "sign_in_failed"
    LOCKED_OUT = "locked_out"
    SIGNED_OUT = "signed_out"
    SESSION_EXPIRED = "session_expired"


ACTION_LABELS: dict[AuditAction, str] = {
    AuditAction.SUBMITTED: N_("Candidature envoyée"),
    AuditAction.EDITED: N_("Modifié"),
    AuditAction.SLOTS_CHANGED: N_("Créneaux demandés modifiés par la startup"),
    AuditAction.APPROVED: N_("Acceptée"),
    AuditAction.WAITLISTED: N_("Mise en liste d'attente"),
    AuditAction.OFFERED: N_("Place libérée proposée"),
    AuditAction.OFFER_DECLINED: N_("Place proposée déclinée"),
    AuditAction.OFFER_EXPIRED: N_("Place proposée expirée sans réponse"),
    AuditAction.OFFER_CANCELLED: N_("Place proposée annulée avec la vitrine"),
    AuditAction.REJECTED: N_("Refusé"),
    AuditAction.WITHDRAWN: N_("Retirée par la startup"),
    AuditAction.MOVED: N_("Déplacée vers un autre créneau"),
    AuditAction.ATTENDANCE_CONFIRMED: N_("Venue confirmée par la startup"),
    AuditAction.ATTENDANCE_RECORDED: N_("Présence notée"),
    AuditAction.LINK_RENEWED: N_("Nouveau lien de suivi envoyé"),
    AuditAction.NO_SLOT_LEFT: N_("Prévenue qu'aucun de ses créneaux n'est encore possible"),
    AuditAction.ERASED: N_("Données personnelles effacées"),
    AuditAction.CREATED: N_("Créé"),
    AuditAction.PUBLISHED: N_("Publiée"),
    AuditAction.MERGED: N_("Fusionnée avec un doublon"),
    AuditAction.ARCHIVED: N_("Archivée"),
    AuditAction.RESTORED: N_("Republiée"),
    AuditAction.IMPORTED: N_("Import CSV"),
    AuditAction.REPORT_APPLIED: N_("Signalement pris en compte"),
    AuditAction.REPORT_DISMISSED: N_("Signalement classé sans suite"),
    AuditAction.VERSION_RESTORED: N_("Version antérieure restaurée"),
    AuditAction.CHANGE_ACCEPTED: N_("Modification de l'organisation acceptée"),
    AuditAction.CHANGE_REFUSED: N_("Modification de l'organisation refusée"),
    AuditAction.CLAIM_ACCEPTED: N_("Revendication acceptée : nouveau contact"),
    AuditAction.CLAIM_REFUSED: N_("Revendication refusée"),
    AuditAction.NOT_DUPLICATE: N_("Marquées « pas un doublon »"),
    AuditAction.CONFIRMED: N_("Fiche confirmée exacte par l'organisation"),
    AuditAction.CONTACT_REFUSED: N_("Adresse de contact refusée par le serveur de messagerie"),
    AuditAction.REGISTER_CLOSED: N_("Établissement fermé selon le répertoire des entreprises"),
    AuditAction.RELATION_ADDED: N_("Relation ajoutée"),
    AuditAction.RELATION_REMOVED: N_("Relation retirée"),
    AuditAction.SOURCE_ADDED: N_("Source ajoutée"),
    AuditAction.SOURCE_SYNCED: N_("Source synchronisée"),
    AuditAction.SOURCE_FILE_REPLACED: N_("Fichier d'une source remplacé"),
    AuditAction.SOURCE_REMOVED: N_("Source retirée"),
    AuditAction.SLOT_UPDATED: N_("Créneau modifié"),
    AuditAction.SLOT_OPENED: N_("Candidatures ouvertes"),
    AuditAction.SLOT_CLOSED: N_("Candidatures fermées"),
    AuditAction.SLOT_CANCELLED: N_("Créneau annulé"),
    AuditAction.SESSION_PROPOSED: N_("Séance proposée par le partenaire"),
    AuditAction.SESSION_EDITED: N_("Séance modifiée par le partenaire"),
    AuditAction.SESSION_APPROVED: N_("Séance mise au programme"),
    AuditAction.SESSION_CHANGES_REQUESTED: N_("Modifications demandées au partenaire"),
    AuditAction.SESSION_REFUSED: N_("Séance refusée"),
    AuditAction.SESSION_CANCELLED: N_("Séance annulée"),
    AuditAction.REGISTERED: N_("Inscription"),
    AuditAction.REGISTRATION_WAITING: N_("Inscription en liste d'attente"),
    AuditAction.REGISTRATION_OFFERED: N_("Place libérée proposée"),
    AuditAction.REGISTRATION_ACCEPTED: N_("Place proposée acceptée"),
    AuditAction.REGISTRATION_CANCELLED: N_("Inscription annulée"),
    AuditAction.REGISTRATION_OFFER_ENDED: N_("Place proposée déclinée ou expirée"),
    AuditAction.ROOM_SAVED: N_("Salle enregistrée"),
    AuditAction.DEACTIVATED: N_("Compte désactivé"),
    AuditAction.REACTIVATED: N_("Compte réactivé"),
    AuditAction.PASSWORD_RESET: N_("Mot de passe changé"),
    AuditAction.SIGNED_IN: N_("Connexion"),
    AuditAction.SIGN_IN_FAILED: N_("Échec de connexion"),
    AuditAction.LOCKED_OUT: N_("Connexion suspendue 15 minutes"),
    AuditAction.SIGNED_OUT: N_("Déconnexion"),
    AuditAction.SESSION_EXPIRED: N_("Session expirée"),
}


def source_actor(name: str) -> str:
    """How the journal and a listing's history name an external source."""
    return f"source:{name}"[:120]


def record(session: Session, *, actor: str, action: AuditAction, entity: str, entity_id: int,
           before: dict | None = None, after: dict | None = None) -> None:
    session.add(AuditEvent(actor=actor, action=action, entity=entity, entity_id=entity_id,
                           before=json.dumps(before, ensure_ascii=False, default=str) if before else "",
                           after=json.dumps(after, ensure_ascii=False, default=str) if after else ""))


def history(session: Session, entity: str, entity_id: int) -> list[AuditEvent]:
    return list(session.execute(
        select(AuditEvent).where(AuditEvent.entity == entity, AuditEvent.entity_id == entity_id)
        .order_by(AuditEvent.at, AuditEvent.id)).scalars())


@dataclass(frozen=True)
class AuditFilters:
    actors: tuple[str, ...] = ()
    entities: tuple[str, ...] = ()
    first_day: date | None = None
    last_day: date | None = None


def events(engine: Engine, filters: AuditFilters, *, limit: int = 1000) -> pd.DataFrame:
    """The newest events first, filtered by person, kind of record and day (Paris time)."""
    query = select(AuditEvent).order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).limit(limit)
    if filters.actors:
        query = query.where(AuditEvent.actor.in_(filters.actors))
    if filters.entities:
        query = query.where(AuditEvent.entity.in_(filters.entities))
    if filters.first_day:
        query = query.where(AuditEvent.at >= datetime.combine(filters.first_day, time(), PARIS))
    if filters.last_day:
        query = query.where(AuditEvent.at < datetime.combine(filters.last_day + timedelta(days=1), time(), PARIS))
    with read_session(engine) as session:
        rows = [event.model_dump() for event in session.execute(query).scalars()]
    return pd.DataFrame(rows, columns=["id", "at", "actor", "action", "entity", "entity_id", "before", "after"])


def actors(engine: Engine) -> list[str]:
    with read_session(engine) as session:
        return sorted(session.execute(select(AuditEvent.actor).distinct()).scalars())
