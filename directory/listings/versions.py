"""Every version of a listing's content: who wrote it, when, each changed field's value before and
after; the organisation's changes staff refused, with their reason; restoring a version.

A version is written in the same transaction as the change it records, and moves the listing's
`version` number on conditionally: two writers who read the same version never both succeed, so a
change made on an older version is never applied blindly.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.engine import Engine
from sqlmodel import Session

from directory import audit
from directory.audit import AuditAction
from directory.clock import utcnow
from directory.db import read_session, write_session
from directory.errors import Refusal
from directory.i18n import N_, translate
from directory.models import ChangeState, ListingChange, ListingVersion, Partner, Source

# The content of a listing, as versions keep it (its state and slug have their own history).
VERSIONED_FIELDS = ("name", "kind", "short_description", "description", "short_description_en", "description_en",
                    "sectors", "networks", "other_names", "address", "city", "latitude", "longitude", "precision",
                    "website", "contact_email", "contact_phone", "siret", "opening_hours", "accessibility_url",
                    "accessibility_note", "mediation_services", "postal_code", "notes", "logo")
CONTACT_FIELDS = ("contact_email", "contact_phone")
FIELD_LABELS = {
    "name": N_("Nom"), "kind": N_("Type"), "short_description": N_("Description courte"),
    "description": N_("Description détaillée"), "short_description_en": N_("Description courte en anglais"),
    "description_en": N_("Description détaillée en anglais"), "sectors": N_("Secteurs"), "networks": N_("Réseaux"),
    "other_names": N_("Autres noms"), "address": N_("Adresse"), "city": N_("Ville"), "latitude": N_("Latitude"),
    "longitude": N_("Longitude"), "precision": N_("Précision de la position"), "website": N_("Site web"),
    "contact_email": N_("E-mail de contact"), "contact_phone": N_("Téléphone"),
    "mediation_services": N_("Services de médiation numérique"), "postal_code": N_("Code postal"),
    "siret": N_("SIRET, SIREN ou RNA"), "opening_hours": N_("Horaires d'ouverture"),
    "accessibility_url": N_("Page acceslibre"), "accessibility_note": N_("Accessibilité"),
    "notes": N_("Notes de l'équipe"), "logo": N_("Logo"),
}


class ListingConflict(Refusal):
    """The listing changed meanwhile (published, rejected, merged or edited by someone else)."""

    text = N_("Cette fiche a changé entre-temps : rien n'a été modifié.")


def field_label(name: str, language: str) -> str:
    return translate(FIELD_LABELS[name], language) if name in FIELD_LABELS else name


def snapshot(partner: Partner | dict[str, Any]) -> dict[str, Any]:
    """The versioned fields; the logo as a digest of its bytes (a version says it changed, and the
    image itself is not kept twice)."""
    read = partner.get if isinstance(partner, dict) else lambda name: getattr(partner, name, None)
    values = {name: read(name) for name in VERSIONED_FIELDS}
    values["logo"] = hashlib.sha256(values["logo"]).hexdigest()[:16] if values["logo"] else ""
    return values


def changed_fields(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    return [name for name in VERSIONED_FIELDS if (before.get(name) or None) != (after.get(name) or None)]


def record_version(session: Session, partner: Partner, *, author: str, origin: str = "",
                   before: dict[str, Any] | None = None, expected: int | None = None) -> ListingVersion | None:
    """After a write to `partner` (refreshed): its next version, unless nothing changed since `before`.

    Conditional on the version read (`expected`, else the one `partner` holds): raises
    ListingConflict when another writer got there first.
    """
    after = snapshot(partner)
    fields = changed_fields(before, after) if before is not None else []
    if before is not None and not fields:
        return None
    read = partner.version if expected is None else expected
    moved = session.execute(update(Partner).where(Partner.id == partner.id, Partner.version == read)
                            .values(version=read + 1))
    if moved.rowcount != 1:
        raise ListingConflict()
    partner.version = read + 1
    version = ListingVersion(partner_id=partner.id, number=read + 1, at=utcnow(), author=author, origin=origin,
                             fields=json.dumps(fields), snapshot=json.dumps(after, ensure_ascii=False))
    session.add(version)
    return version


def record_first_versions(session: Session, rows: list[dict[str, Any]], ids: list[int], *, author: str,
                          origin: str = "") -> None:
    """Version 1 of listings inserted in bulk (their rows carry version=1)."""
    now = utcnow()
    session.execute(insert(ListingVersion), [
        {"partner_id": id_, "number": 1, "at": now, "author": author, "origin": origin, "fields": "[]",
         "snapshot": json.dumps(snapshot(row), ensure_ascii=False)} for row, id_ in zip(rows, ids, strict=True)])


@dataclass(frozen=True)
class FieldChange:
    name: str
    before: Any
    after: Any


@dataclass(frozen=True)
class Version:
    number: int
    at: datetime
    author: str
    origin: str
    fields: list[str]
    values: dict[str, Any]
    changes: list[FieldChange]  # each changed field, from the version before this one


@dataclass(frozen=True)
class RefusedChange:
    """What an organisation (or a source) proposed and staff refused, field by field, and why."""

    at: datetime
    staff: str
    author: str
    reason: str
    changes: list[FieldChange]  # the listing's value then, and the value refused


def history(engine: Engine, partner_id: int) -> list[Version]:
    """A listing's versions, the newest first, each with its fields' values before and after."""
    with read_session(engine) as session:
        rows = session.execute(select(ListingVersion).where(ListingVersion.partner_id == partner_id)
                               .order_by(ListingVersion.number)).scalars().all()
    versions, previous = [], {}
    for row in rows:
        values, fields = json.loads(row.snapshot), json.loads(row.fields)
        versions.append(Version(row.number, row.at, row.author, row.origin, fields, values,
                                [FieldChange(name, previous.get(name), values.get(name)) for name in fields]))
        previous = values
    return versions[::-1]


def refused_changes(engine: Engine, partner_id: int) -> list[RefusedChange]:
    """The organisation's changes staff refused, wholly or in part, the newest first; each refused
    field with the listing's value in the version the organisation had seen."""
    with read_session(engine) as session:
        decided = session.execute(select(ListingChange).where(
            ListingChange.partner_id == partner_id, ListingChange.state != ChangeState.PENDING)
            .order_by(ListingChange.decided_at.desc())).scalars().all()
        found = []
        for change in decided:
            accepted = set(json.loads(change.accepted_fields))
            proposed = {name: value for name, value in json.loads(change.proposed).items() if name not in accepted}
            if not proposed:
                continue
            seen = version_values(session, partner_id, change.base_version) or {}
            source = session.get(Source, change.source_id) if change.source_id else None
            author = audit.source_actor(source.name) if source else "organisation"
            found.append(RefusedChange(change.decided_at, change.decided_by, author, change.reason, [
                FieldChange(name, seen.get(name), value) for name, value in proposed.items()]))
    return found


def version_values(session: Session, partner_id: int, number: int) -> dict[str, Any] | None:
    row = session.execute(select(ListingVersion.snapshot).where(
        ListingVersion.partner_id == partner_id, ListingVersion.number == number)).scalar_one_or_none()
    return None if row is None else json.loads(row)


def last_changed(engine: Engine, partner_id: int) -> datetime | None:
    """When the listing's content last changed (the public page's "Mis à jour le")."""
    with read_session(engine) as session:
        return session.execute(select(func.max(ListingVersion.at))
                               .where(ListingVersion.partner_id == partner_id)).scalar_one()


def restore_version(engine: Engine, partner_id: int, number: int, *, staff: str, expected: int) -> None:
    """Put an earlier version's content back, as a new version (audited). `expected` is the version
    the staff member was looking at. Raises ListingConflict."""
    with write_session(engine) as session:
        partner = session.get(Partner, partner_id)
        values = version_values(session, partner_id, number)
        if partner is None or values is None:
            raise ListingConflict()
        before = snapshot(partner)
        values.pop("logo", None)  # only its digest is kept: the logo stays as it is now
        session.execute(update(Partner).where(Partner.id == partner_id).values(**values, updated_at=utcnow()))
        session.refresh(partner)
        record_version(session, partner, author=staff, origin=f"restore:{number}", before=before, expected=expected)
        audit.record(session, actor=staff, action=AuditAction.VERSION_RESTORED, entity="partner",
                     entity_id=partner_id, before={"version": expected}, after={"version": number})


def erase_contact(session: Session, email: str) -> int:
    """Forget a person's address and phone in every version that held them (GDPR erasure);
    returns how many versions were rewritten."""
    wanted = email.strip().casefold()
    rewritten = 0
    candidates = session.execute(select(ListingVersion).where(
        func.lower(ListingVersion.snapshot).contains(wanted))).scalars().all()
    for version in candidates:
        values = json.loads(version.snapshot)
        if (values.get("contact_email") or "").casefold() == wanted:
            values.update({name: "" for name in CONTACT_FIELDS})
            version.snapshot = json.dumps(values, ensure_ascii=False)
            rewritten += 1
    return rewritten
