"""Two listings of one organisation become one: staff find the listing to keep by its name, see
both side by side field by field, choose what the kept one takes, and confirm. The merged
listing's addresses then answer with a permanent redirect to the kept one, its networks and
relations move over, and both histories say so."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, or_, select, update
from sqlalchemy.engine import Engine

from directory import audit
from directory.audit import AuditAction
from directory.clock import utcnow
from directory.db import read_session, write_session
from directory.i18n import N_, translate
from directory.listings.duplicates import possible_duplicates
from directory.listings.lifecycle import transition
from directory.listings.proposals import tell_proposer
from directory.listings.slugs import give_slug
from directory.listings.versions import VERSIONED_FIELDS, ListingConflict, record_version, snapshot
from directory.listings.vocabulary import fold
from directory.models import (
    LIVE_STATES,
    TAGS_MAX,
    AuditEvent,
    ListingState,
    Partner,
    PartnerRelation,
    PartnerSlug,
)
from directory.validation import clean_tags, split_tags

MAX_TARGETS = 20


@dataclass(frozen=True)
class Target:
    id: int
    name: str
    city: str


@dataclass(frozen=True)
class FieldPair:
    """One content field of the listing merged and of the listing kept, where they differ."""

    name: str
    merged: Any
    kept: Any


@dataclass(frozen=True)
class Merge:
    """A merge, as a listing's history tells it: `absorbed` when the other listing came into this one."""

    at: datetime
    staff: str
    other_id: int
    other_name: str
    absorbed: bool


def merge_targets(engine: Engine, partner_id: int, text: str = "") -> list[Target]:
    """The published listings this one may be merged into: its possible duplicates first, then
    those whose name holds every word typed (accents and case folded); never itself."""
    words = fold(text).split()
    with read_session(engine) as session:
        partner = session.get(Partner, partner_id)
        if partner is None:
            return []
        alike = [d.id for d in possible_duplicates(session, partner.model_dump(), exclude=partner_id, limit=10)]
        rows = session.execute(select(Partner.id, Partner.name, Partner.city).where(
            Partner.state == ListingState.PUBLISHED, Partner.id != partner_id)).all()
    targets = {row.id: Target(*row) for row in rows}
    named = sorted((target for target in targets.values() if words and target.id not in alike
                    and all(word in fold(target.name) for word in words)), key=lambda target: fold(target.name))
    return ([targets[i] for i in alike if i in targets] + named)[:MAX_TARGETS]


def merge_comparison(engine: Engine, partner_id: int, into_id: int) -> list[FieldPair]:
    """The content fields where the two listings differ (the logo compared by its digest)."""
    with read_session(engine) as session:
        merged, kept = (snapshot(session.get(Partner, i)) for i in (partner_id, into_id))
    return [FieldPair(name, merged[name], kept[name]) for name in VERSIONED_FIELDS
            if (merged[name] or None) != (kept[name] or None)]


def merge_partner(engine: Engine, duplicate_id: int, *, into_id: int, staff: str,
                  take: tuple[str, ...] = ()) -> None:
    """Two listings of one organisation become one: the kept listing takes the fields `take` from
    the duplicate and every network it names (a new version), the duplicate closes pointing at it
    (a proposal is refused, a published listing archived), its addresses redirect to the kept one
    and its relations move over. Both histories say so. Raises ListingConflict."""
    with write_session(engine) as session:
        kept, duplicate = session.get(Partner, into_id), session.get(Partner, duplicate_id)
        if (kept is None or duplicate is None or into_id == duplicate_id
                or kept.state != ListingState.PUBLISHED or duplicate.state not in LIVE_STATES):
            raise ListingConflict()
        taken = {name: getattr(duplicate, name) for name in take if name in VERSIONED_FIELDS}
        if "networks" not in taken:
            taken["networks"] = clean_tags(split_tags(kept.networks) + split_tags(duplicate.networks),
                                           max_length=TAGS_MAX)
        closed = ListingState.REJECTED if duplicate.state == ListingState.PROPOSED else ListingState.ARCHIVED
        partner = transition(session, duplicate_id, closed, staff=staff, action=AuditAction.MERGED,
                             values={"merged_into_id": into_id, "rejection_reason": f"duplicate of #{into_id}",
                                     "slug": None})  # its addresses now lead to the kept listing
        before = snapshot(kept)
        session.execute(update(Partner).where(Partner.id == into_id).values(**taken, updated_at=utcnow()))
        session.refresh(kept)
        record_version(session, kept, author=staff, origin=f"merge:{duplicate_id}", before=before)
        audit.record(session, actor=staff, action=AuditAction.MERGED, entity="partner", entity_id=into_id,
                     after={"absorbed": duplicate_id, "name": duplicate.name})
        _move_relations(session, duplicate_id, into_id)
        session.execute(update(PartnerSlug).where(PartnerSlug.partner_id == duplicate_id).values(partner_id=into_id))
        give_slug(session, kept)
        if closed == ListingState.REJECTED:
            tell_proposer(session, partner, "proposal_rejected",
                          reason=translate(N_("elle figure déjà sur la carte sous le nom « {name} »."),
                                           partner.proposer_language, name=kept.name))


def _move_relations(session, duplicate_id: int, into_id: int) -> None:
    """The duplicate's relations become the kept listing's, but for one it already has or one to itself."""
    relations = session.execute(select(PartnerRelation).where(or_(
        PartnerRelation.partner_id == duplicate_id, PartnerRelation.other_id == duplicate_id))).scalars().all()
    for relation in relations:
        partner_id, other_id = (into_id if end == duplicate_id else end for end in (relation.partner_id,
                                                                                      relation.other_id))
        exists = session.execute(select(PartnerRelation.id).where(and_(
            PartnerRelation.partner_id == partner_id, PartnerRelation.kind == relation.kind,
            PartnerRelation.other_id == other_id))).first()
        if partner_id != other_id and exists is None:
            relation.partner_id, relation.other_id = partner_id, other_id
            session.flush()


def merges(engine: Engine, partner_id: int) -> list[Merge]:
    """The merges a listing took part in, either way, for its history."""
    with read_session(engine) as session:
        events = session.execute(select(AuditEvent).where(
            AuditEvent.entity == "partner", AuditEvent.entity_id == partner_id,
            AuditEvent.action == AuditAction.MERGED)).scalars().all()
        found = []
        for event in events:
            after = json.loads(event.after or "{}")
            if "absorbed" in after:
                found.append(Merge(event.at, event.actor, after["absorbed"], after["name"], True))
            elif after.get("merged_into_id"):
                kept = session.get(Partner, after["merged_into_id"])
                found.append(Merge(event.at, event.actor, kept.id, kept.name, False))
    return found
