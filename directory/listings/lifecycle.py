"""The life of a listing staff drive, audited: listings added (one at a time or in bulk), edited,
and moved between states (`directory.models.LISTING_TRANSITIONS`), each change conditional on the
state read. Proposals by the public are in `proposals`, the form's checks in `forms`."""

from __future__ import annotations

from typing import Any

from sqlalchemy import insert, update
from sqlalchemy.engine import Engine
from sqlmodel import Session

from directory import audit
from directory.audit import AuditAction
from directory.clock import utcnow
from directory.db import update_if_unchanged, write_session
from directory.listings.forms import PartnerForm, cleaned_partner_form, refuse_taken_number
from directory.listings.slugs import give_slug, taken_slugs, unique_slugs
from directory.listings.versions import (
    ListingConflict,
    record_first_versions,
    record_version,
    snapshot,
)
from directory.models import (
    LISTING_TRANSITIONS,
    ListingState,
    Partner,
    PartnerSlug,
)


def insert_partners(engine: Engine, rows: list[dict[str, Any]], *, staff: str = "", skipped: int = 0,
                    author: str = "vitrine") -> int:
    """Bulk insert of already clean rows (seed, import, benchmarks) in one transaction, each with its
    first version, audited as one import event when `staff` says who did it."""
    if not rows:
        return 0
    with write_session(engine) as session:
        add_partners(session, rows, author=staff or author, origin="import")
        if staff:
            audit.record(session, actor=staff, action=AuditAction.IMPORTED, entity="partner", entity_id=0,
                         after={"rows": len(rows), "skipped": skipped})
    return len(rows)


def add_partners(session: Session, rows: list[dict[str, Any]], *, author: str, origin: str) -> list[int]:
    """`insert_partners` inside the caller's transaction: the new listings' ids, in the rows' order."""
    now = utcnow()
    slugs = unique_slugs([row["name"] for row in rows], taken=taken_slugs(session))
    rows = [{"created_at": now, "updated_at": now, **row, "slug": slug, "version": 1}
            for row, slug in zip(rows, slugs, strict=True)]
    ids = session.execute(insert(Partner).returning(Partner.id, sort_by_parameter_order=True), rows).scalars().all()
    session.execute(insert(PartnerSlug), [{"slug": slug, "partner_id": id_}
                                          for slug, id_ in zip(slugs, ids, strict=True)])
    record_first_versions(session, rows, ids, author=author, origin=origin)
    return list(ids)


# --- Staff: the listing life cycle ------------------------------------------------------------------

AUDITED_FIELDS = ("name", "kind", "state", "short_description", "sectors", "networks", "other_names", "address",
                  "city", "website", "latitude", "longitude", "rejection_reason", "merged_into_id")


def _snapshot(partner: Partner) -> dict:
    return {name: getattr(partner, name) for name in AUDITED_FIELDS}


def transition(session, partner_id: int, to: ListingState, *, staff: str, action: AuditAction,
                values: dict | None = None) -> Partner:
    """Change a listing's state if allowed, conditional on the state read; audited."""
    partner = session.get(Partner, partner_id)
    if partner is None or to not in LISTING_TRANSITIONS[ListingState(partner.state)]:
        raise ListingConflict()
    before = _snapshot(partner)
    if not update_if_unchanged(session, Partner, where={"id": partner_id, "state": partner.state},
                               values={"state": to, "updated_at": utcnow(), **(values or {})}):
        raise ListingConflict()
    session.refresh(partner)
    audit.record(session, actor=staff, action=action, entity="partner", entity_id=partner_id,
                 before=before, after=_snapshot(partner))
    return partner


def create_partner(engine: Engine, form: PartnerForm, *, staff: str) -> int:
    """A published listing written by staff. Raises FormErrors."""
    values = cleaned_partner_form(form)
    with write_session(engine) as session:
        return add_listing(session, values, author=staff).id


def add_listing(session: Session, values: dict[str, Any], *, author: str, origin: str = "") -> Partner:
    """A new published listing inside the caller's transaction, the one way a listing is made one at
    a time (by staff, or for an approved startup): its slug, its first version, the audit log; its
    company number refused if a live listing has it. Staff see its possible duplicates like any other's."""
    refuse_taken_number(session, values.get("siret", ""))
    partner = Partner(**values, state=ListingState.PUBLISHED, last_verified=utcnow().date())
    session.add(partner)
    session.flush()
    give_slug(session, partner)
    record_version(session, partner, author=author, origin=origin)
    audit.record(session, actor=author, action=AuditAction.CREATED, entity="partner", entity_id=partner.id,
                 after=_snapshot(partner))
    return partner


def update_partner(engine: Engine, partner_id: int, form: PartnerForm, *, staff: str,
                   expected: int | None = None) -> None:
    """Change a listing's fields (its state stays), on the version `expected` the staff member
    edited. Raises FormErrors or ListingConflict."""
    with write_session(engine) as session:
        edit_listing(session, partner_id, form, staff=staff, expected=expected)


def edit_listing(session: Session, partner_id: int, form: PartnerForm, *, staff: str, origin: str = "",
                 expected: int | None = None) -> None:
    """`update_partner` inside the caller's transaction."""
    values = cleaned_partner_form(form)
    partner = session.get(Partner, partner_id)
    if partner is None:
        raise ListingConflict()
    refuse_taken_number(session, values["siret"], partner_id)
    before, content = _snapshot(partner), snapshot(partner)
    session.execute(update(Partner).where(Partner.id == partner_id)
                    .values(**values, updated_at=utcnow(), last_verified=utcnow().date()))
    session.refresh(partner)
    give_slug(session, partner)
    record_version(session, partner, author=staff, origin=origin, before=content, expected=expected)
    audit.record(session, actor=staff, action=AuditAction.EDITED, entity="partner", entity_id=partner_id,
                 before=before, after=_snapshot(partner))


def archive_partner(engine: Engine, partner_id: int, *, staff: str) -> None:
    with write_session(engine) as session:
        transition(session, partner_id, ListingState.ARCHIVED, staff=staff, action=AuditAction.ARCHIVED)


def restore_partner(engine: Engine, partner_id: int, *, staff: str) -> None:
    with write_session(engine) as session:
        transition(session, partner_id, ListingState.PUBLISHED, staff=staff, action=AuditAction.RESTORED)
