"""The audit log as staff read it: actions and changed fields in their language, people by name."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import pandas as pd
from sqlalchemy import select
from sqlalchemy.engine import Engine

from directory import audit
from directory.accounts import ANONYMOUS
from directory.audit import ACTION_LABELS, AuditAction, AuditFilters
from directory.clock import to_paris
from directory.db import read_session
from directory.i18n import N_, format_datetime, translate
from directory.listings import versions
from directory.models import (
    APPLICATION_STATE_LABELS,
    ATTENDANCE_LABELS,
    KIND_LABELS,
    ROLE_LABELS,
    ListingState,
    ShowcaseSlot,
    StaffUser,
)
from directory.showcase import slot_label

ENTITY_LABELS = {"application": N_("Candidature"), "partner": N_("Fiche"), "slot": N_("Créneau"),
                 "staff": N_("Compte"), "source": N_("Source")}
LISTING_STATE_LABELS = {ListingState.PROPOSED: N_("Proposée"), ListingState.PUBLISHED: N_("Publiée"),
                        ListingState.REJECTED: N_("Refusée"), ListingState.ARCHIVED: N_("Archivée")}
FIELD_LABELS = {
    "state": N_("Statut"), "slot_id": N_("Créneau"), "slots": N_("Créneaux demandés"), "organisation": N_("Startup"),
    "pitch_title": N_("Titre de la présentation"), "decision_reason": N_("Motif"), "staff_message": N_("Message"),
    **versions.FIELD_LABELS,
    "rejection_reason": N_("Motif du refus"), "merged_into_id": N_("Fusionnée dans la fiche n°"),
    "starts_at": N_("Début"), "ends_at": N_("Fin"), "capacity": N_("Places"), "theme": N_("Thème"),
    "applications_close_at": N_("Candidatures jusqu'au"), "email": N_("E-mail"), "role": N_("Rôle"),
    "client_address": N_("Adresse du poste"), "until": N_("Jusqu'à"), "rows": N_("Lignes importées"),
    "skipped": N_("Lignes écartées"), "told": N_("Startups prévenues"), "message": N_("Message"),
    "report": N_("Signalement n°"), "who": N_("Personne (pseudonyme)"),
    "auto_offers": N_("Places libérées proposées automatiquement"), "attendance": N_("Présence"),
    "version": N_("Version"), "change": N_("Modification n°"), "fields": N_("Champs acceptés"),
    "reason": N_("Motif"), "other": N_("Autre fiche n°"), "claim": N_("Revendication n°"),
}
ACTOR_LABELS = {"applicant": N_("La startup candidate"), "organisation": N_("L'organisation (contact de la fiche)"),
                "public": N_("Une personne du public"), "cli": N_("Ligne de commande"),
                "seed": N_("Données de démonstration"), "vitrine": N_("Vitrine (automatique)"),
                "retention": N_("Effacement automatique (durée de conservation)"), ANONYMOUS: N_("Compte inconnu")}
SHOWN_LENGTH = 80


def journal(engine: Engine, filters: AuditFilters, language: str) -> pd.DataFrame:
    """The newest events first, each in a sentence's parts: when, who, what, on which record, what changed."""
    log = audit.events(engine, filters)
    reader = _Reader(engine, language)
    return pd.DataFrame({
        "at": [format_datetime(to_paris(moment), language, style="short") for moment in log["at"]],
        "actor": [reader.actor(actor) for actor in log["actor"]],
        "action": [reader.action(action) for action in log["action"]],
        "entity": [translate(ENTITY_LABELS.get(entity, entity), language) for entity in log["entity"]],
        "entity_id": log["entity_id"].tolist(),
        "changes": [reader.changes(entity, before, after)
                    for entity, before, after in zip(log["entity"], log["before"], log["after"], strict=True)],
    }, columns=["at", "actor", "action", "entity", "entity_id", "changes"])


def actor_names(engine: Engine, actors: list[str], language: str) -> dict[str, str]:
    """How the journal's filter names each actor."""
    reader = _Reader(engine, language)
    return {actor: reader.actor(actor) for actor in actors}


class _Reader:
    """What one reading of the journal needs: staff names and slot dates, read once."""

    def __init__(self, engine: Engine, language: str) -> None:
        self.language = language
        with read_session(engine) as session:
            self.staff = dict(session.execute(select(StaffUser.id, StaffUser.name)).all())
            self.slots = {slot.id: slot_label(slot.starts_at, slot.ends_at, language, slot.theme)
                          for slot in session.execute(select(ShowcaseSlot)).scalars()}

    def actor(self, actor: str) -> str:
        if actor.startswith("staff:"):
            staff_id = actor.removeprefix("staff:").split(" ", 1)[0]
            if staff_id.isdigit() and int(staff_id) in self.staff:
                return self.staff[int(staff_id)]
        if actor.startswith("source:"):
            return translate(N_("la source « {name} »"), self.language, name=actor.removeprefix("source:"))
        return translate(ACTOR_LABELS[actor], self.language) if actor in ACTOR_LABELS else actor

    def action(self, action: str) -> str:
        known = action in {member.value for member in AuditAction}
        return translate(ACTION_LABELS[AuditAction(action)], self.language) if known else action

    def changes(self, entity: str, before: str, after: str) -> str:
        """"Statut : Reçue → Acceptée · Créneau : …": what changed, or what was recorded."""
        old, new = (json.loads(values) if values else {} for values in (before, after))
        parts = []
        for name in [*new, *(name for name in old if name not in new)]:
            if name in old and name in new and old[name] == new[name]:
                continue
            label = translate(FIELD_LABELS[name], self.language) if name in FIELD_LABELS else name
            value = self.value(entity, name, new.get(name))
            parts.append(translate(N_("{field} : {before} → {after}"), self.language, field=label,
                                   before=self.value(entity, name, old[name]), after=value) if name in old
                         else translate(N_("{field} : {value}"), self.language, field=label, value=value))
        return " · ".join(parts)

    def value(self, entity: str, name: str, value: Any) -> str:
        if value is None or value == "":
            return "—"
        labels = {"kind": KIND_LABELS, "role": ROLE_LABELS, "attendance": ATTENDANCE_LABELS,
                  "state": APPLICATION_STATE_LABELS if entity == "application" else LISTING_STATE_LABELS}.get(name)
        if labels is not None and value in labels:
            return translate(labels[value], self.language)
        if name == "slot_id":
            return self.slots.get(value, f"n°{value}")
        if name == "slots":
            return " ; ".join(self.slots.get(slot_id, f"n°{slot_id}") for slot_id in value)
        if isinstance(value, str) and name in ("starts_at", "ends_at", "applications_close_at", "until"):
            try:
                return format_datetime(to_paris(datetime.fromisoformat(value)), self.language, style="short")
            except ValueError:
                return value
        text = " ".join(str(value).split())
        return text if len(text) <= SHOWN_LENGTH else text[:SHOWN_LENGTH - 1] + "…"
