"""Writing the directory: the forms, proposals and imports that add listings, their slugs,
and the life cycle staff drive (publish, reject, merge, archive, restore, edit), audited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.engine import Engine
from sqlmodel import Session

from directory import audit, notify
from directory.audit import AuditAction
from directory.clock import utcnow
from directory.db import update_if_unchanged, write_session
from directory.i18n import N_
from directory.images import clean_logo
from directory.listings.hours import clean_opening_hours
from directory.listings.mediation import clean_postal_code, clean_services
from directory.listings.slugs import base_slug, unique_slugs
from directory.listings.versions import (
    ListingConflict,
    record_first_versions,
    record_version,
    snapshot,
)
from directory.listings.vocabulary import fold_name
from directory.models import (
    ADDRESS_MAX,
    CITY_MAX,
    LISTING_TRANSITIONS,
    LIVE_STATES,
    LONG_TEXT_MAX,
    NAME_MAX,
    SHORT_TEXT_MAX,
    TAGS_MAX,
    URL_MAX,
    ListingState,
    Partner,
    PartnerKind,
    PartnerSlug,
    Precision,
)
from directory.validation import (
    FormCheck,
    FormErrors,
    Message,
    clean_choice,
    clean_company_number,
    clean_coordinates,
    clean_email,
    clean_phone,
    clean_tags,
    clean_text,
    clean_url,
)

# --- Writing ----------------------------------------------------------------------------------

@dataclass
class PartnerForm:
    """What a person types to describe an organisation, before cleaning."""

    name: str = ""
    kind: str = ""
    short_description: str = ""
    description: str = ""
    sectors: str | list[str] = ""
    networks: str | list[str] = ""
    address: str = ""
    city: str = ""
    latitude: Any = None
    longitude: Any = None
    precision: str = Precision.EXACT
    website: str = ""
    contact_email: str = ""
    contact_phone: str = ""
    siret: str = ""
    opening_hours: str = ""
    accessibility_url: str = ""
    accessibility_note: str = ""
    logo: bytes | None = None  # a new logo uploaded; None keeps the current one
    # Written by staff only.
    mediation_services: str | list[str] = ""
    postal_code: str = ""
    short_description_en: str = ""
    description_en: str = ""
    other_names: str = ""
    notes: str = ""


def clean_partner_form(form: PartnerForm, check: FormCheck, *,
                       short_description_required: bool = True) -> dict[str, Any]:
    """The column values of a partner, or errors recorded in `check` for each faulty field."""
    values = {
        "name": check("name", clean_text, form.name, max_length=NAME_MAX, required=True),
        "kind": check("kind", clean_choice, form.kind, PartnerKind),
        "short_description": check("short_description", clean_text, form.short_description,
                                   max_length=SHORT_TEXT_MAX, required=short_description_required),
        "description": check("description", clean_text, form.description,
                             max_length=LONG_TEXT_MAX, multiline=True),
        "sectors": check("sectors", clean_tags, form.sectors, max_length=TAGS_MAX),
        "networks": check("networks", clean_tags, form.networks, max_length=TAGS_MAX),
        "address": check("address", clean_text, form.address, max_length=ADDRESS_MAX),
        "city": check("city", clean_text, form.city, max_length=CITY_MAX),
        "website": check("website", clean_url, form.website, max_length=URL_MAX),
        "contact_email": check("contact_email", clean_email, form.contact_email),
        "contact_phone": check("contact_phone", clean_phone, form.contact_phone),
        "siret": check("siret", clean_company_number, form.siret),
        "opening_hours": check("opening_hours", clean_opening_hours, form.opening_hours),
        "accessibility_url": check("accessibility_url", clean_url, form.accessibility_url, max_length=URL_MAX),
        "accessibility_note": check("accessibility_note", clean_text, form.accessibility_note,
                                    max_length=SHORT_TEXT_MAX),
        "short_description_en": check("short_description_en", clean_text, form.short_description_en,
                                      max_length=SHORT_TEXT_MAX),
        "description_en": check("description_en", clean_text, form.description_en,
                                max_length=LONG_TEXT_MAX, multiline=True),
        "other_names": check("other_names", clean_tags, form.other_names, max_length=TAGS_MAX),
        "notes": check("notes", clean_text, form.notes, max_length=LONG_TEXT_MAX, multiline=True),
        "mediation_services": check("mediation_services", clean_services, form.mediation_services),
        "postal_code": check("postal_code", clean_postal_code, form.postal_code),
    }
    if values["mediation_services"]:  # the national standard requires where the place is
        for name in ("address", "postal_code", "city"):
            if not values[name] and name not in check.errors:
                check.errors[name] = Message(N_("Obligatoire pour un lieu de médiation numérique (standard "
                                                "national)."))
    if form.logo:
        logo, logo_type = check("logo", clean_logo, form.logo) or (None, "")
        if logo:
            values["logo"], values["logo_type"] = logo, logo_type
    position = check("position", clean_coordinates, form.latitude, form.longitude)
    latitude, longitude = position or (None, None)
    values["latitude"], values["longitude"] = latitude, longitude
    values["precision"] = (
        Precision.UNKNOWN if latitude is None
        else check("precision", clean_choice, form.precision or Precision.EXACT, Precision)
    )
    return values


@dataclass(frozen=True)
class Proposal:
    number: int
    sent_before: bool  # the same person sent the same organisation within the hour: kept once


# A proposal sent twice (a double click, a reload, a second try) within this time is stored once.
REPEAT_WINDOW = timedelta(hours=1)


def propose_partner(engine: Engine, form: PartnerForm, *, proposer_name: str,
                    proposer_email: str, language: str = "fr") -> Proposal:
    """Store a listing proposed by the public, hidden until staff publish it.

    Raises FormErrors with every faulty field; writes nothing then.
    """
    check = FormCheck()
    values = clean_partner_form(form, check)
    values["proposer_name"] = check("proposer_name", clean_text, proposer_name, max_length=NAME_MAX)
    values["proposer_email"] = check("proposer_email", clean_email, proposer_email, required=True)
    values["proposer_language"] = language if language in ("fr", "en") else "fr"
    check.raise_if_invalid()
    with write_session(engine) as session:
        earlier = session.execute(select(Partner.id, Partner.name).where(
            Partner.state == ListingState.PROPOSED, Partner.created_at >= utcnow() - REPEAT_WINDOW,
            func.lower(Partner.proposer_email) == values["proposer_email"].lower())).all()
        for number, name in earlier:
            if fold_name(name) == fold_name(values["name"]):
                return Proposal(number, sent_before=True)
        refuse_taken_number(session, values["siret"])
        partner = Partner(**values, state=ListingState.PROPOSED)
        session.add(partner)
        session.flush()
        give_slug(session, partner)
        record_version(session, partner, author="public", origin="proposal")
        return Proposal(partner.id, sent_before=False)


def refuse_taken_number(session: Session, siret: str, partner_id: int | None = None) -> None:
    """A company number names one live listing: a second one is refused, naming the first."""
    if not siret:
        return
    taken = session.execute(select(Partner.id, Partner.name).where(
        Partner.siret == siret, Partner.state.in_(LIVE_STATES), Partner.id != (partner_id or 0))
        .order_by(Partner.id).limit(1)).first()
    if taken is not None:
        raise FormErrors({"siret": Message(N_("Ce numéro est déjà celui de la fiche « {name} » (n°{number}) : "
                                              "proposez plutôt une mise à jour de cette fiche."),
                                           {"name": taken.name, "number": taken.id})})


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
    slugs = unique_slugs([row["name"] for row in rows], taken=_taken_slugs(session))
    rows = [{"created_at": now, "updated_at": now, **row, "slug": slug, "version": 1}
            for row, slug in zip(rows, slugs, strict=True)]
    ids = session.execute(insert(Partner).returning(Partner.id, sort_by_parameter_order=True), rows).scalars().all()
    session.execute(insert(PartnerSlug), [{"slug": slug, "partner_id": id_}
                                          for slug, id_ in zip(slugs, ids, strict=True)])
    record_first_versions(session, rows, ids, author=author, origin=origin)
    return list(ids)


def _taken_slugs(session: Session, like: str | None = None) -> set[str]:
    query = select(PartnerSlug.slug)
    if like is not None:
        query = query.where(PartnerSlug.slug.like(f"{like}%"))
    return set(session.execute(query).scalars())


def give_slug(session: Session, partner: Partner) -> None:
    """A new slug when the partner has none or its name no longer reads in it; the former one
    stays in PartnerSlug, so its address redirects to the new one."""
    base = base_slug(partner.name)
    if partner.slug and (partner.slug == base or partner.slug.removeprefix(base + "-").isdigit()):
        return
    # Its own former slug comes back (renamed back, or a merged duplicate's name taken).
    slug = session.execute(select(PartnerSlug.slug).where(PartnerSlug.slug == base,
                                                          PartnerSlug.partner_id == partner.id)).scalar()
    if slug is None:
        [slug] = unique_slugs([partner.name], taken=_taken_slugs(session, like=base))
        session.add(PartnerSlug(slug=slug, partner_id=partner.id))
    session.execute(update(Partner).where(Partner.id == partner.id).values(slug=slug))
    partner.slug = slug


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


def _cleaned(form: PartnerForm) -> dict[str, Any]:
    check = FormCheck()
    values = clean_partner_form(form, check)
    check.raise_if_invalid()
    return values


def create_partner(engine: Engine, form: PartnerForm, *, staff: str) -> int:
    """A published listing written by staff. Raises FormErrors."""
    values = _cleaned(form)
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
    values = _cleaned(form)
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


def tell_proposer(session, partner: Partner, template: str, **params: str) -> None:
    """The person who proposed the listing hears what became of it (the form promised it)."""
    if partner.proposer_email:
        notify.queue(session, template=template, recipient=partner.proposer_email,
                     language=partner.proposer_language,
                     params={"name": partner.proposer_name or partner.proposer_email,
                             "organisation": partner.name, **params})


def publish_partner(engine: Engine, partner_id: int, *, staff: str, form: PartnerForm | None = None) -> None:
    """Publish a proposed listing, after staff corrections when `form` is given; the proposer is told."""
    values = _cleaned(form) if form is not None else {}
    with write_session(engine) as session:
        proposal = session.get(Partner, partner_id)
        if proposal is None:
            raise ListingConflict()
        refuse_taken_number(session, values.get("siret", proposal.siret), partner_id)
        content = snapshot(proposal)
        partner = transition(session, partner_id, ListingState.PUBLISHED, staff=staff, action=AuditAction.PUBLISHED,
                              values={**values, "last_verified": utcnow().date()})
        give_slug(session, partner)
        record_version(session, partner, author=staff, before=content)
        tell_proposer(session, partner, "proposal_published")


def reject_partner(engine: Engine, partner_id: int, *, staff: str, reason: str) -> None:
    """Refuse a proposal with a reason the proposer will read."""
    check = FormCheck()
    reason = check("reason", clean_text, reason, max_length=LONG_TEXT_MAX, required=True, multiline=True)
    check.raise_if_invalid()
    with write_session(engine) as session:
        partner = transition(session, partner_id, ListingState.REJECTED, staff=staff, action=AuditAction.REJECTED,
                              values={"rejection_reason": reason})
        tell_proposer(session, partner, "proposal_rejected", reason=reason)


def archive_partner(engine: Engine, partner_id: int, *, staff: str) -> None:
    with write_session(engine) as session:
        transition(session, partner_id, ListingState.ARCHIVED, staff=staff, action=AuditAction.ARCHIVED)


def restore_partner(engine: Engine, partner_id: int, *, staff: str) -> None:
    with write_session(engine) as session:
        transition(session, partner_id, ListingState.PUBLISHED, staff=staff, action=AuditAction.RESTORED)
