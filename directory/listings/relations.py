"""Relations between organisations: a startup "incubée par" a pépinière, a company "hébergée à" a
coworking space, "membre de" a cluster, "fondée par" another organisation.

Staff write them; both listings' cards show them ("Incubée par : …" on one, "Startups incubées
ici : …" on the other), the map filters by them through the shareable link (`relation=incubated_by:12`:
the startups of pépinière n°12), the open data carries them, and so do the partner pages' JSON-LD
and the national export's `structure_parente`. Only published listings are ever named.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import and_, delete, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased

from directory import audit
from directory.audit import AuditAction
from directory.clock import utcnow
from directory.db import read_session, write_session
from directory.errors import Refusal
from directory.i18n import N_
from directory.models import LIVE_STATES, RELATION_LABELS, ListingState, Partner, PartnerRelation, RelationKind
from directory.validation import FormCheck, FormErrors, Message, clean_choice

# The national standard's "structure parente": the first of these a place has.
PARENT_KINDS = (RelationKind.MEMBER_OF, RelationKind.HOSTED_AT, RelationKind.INCUBATED_BY, RelationKind.FOUNDED_BY)


class RelationExists(Refusal):
    text = N_("Cette relation existe déjà.")


@dataclass(frozen=True)
class Related:
    relation_id: int
    kind: str
    partner_id: int  # the listing at the other end
    name: str
    slug: str | None


def relation_key(kind: str, other_id: int) -> str:
    """How a relation reads in a shareable link and in the read model: "incubated_by:12"."""
    return f"{kind}:{other_id}"


def add_relation(engine: Engine, partner_id: int, kind: str, other_id: int | None, *, staff: str) -> None:
    """"<partner> is <kind> <other>". Raises FormErrors or RelationExists; both listings are
    touched, so every cached view of them is rebuilt."""
    check = FormCheck()
    kind = check("relation_kind", clean_choice, kind, RelationKind)
    if other_id is None:
        check.errors["relation_other"] = Message(N_("Choisissez l'organisation liée."))
    elif other_id == partner_id:
        check.errors["relation_other"] = Message(N_("Une organisation ne peut être liée à elle-même."))
    check.raise_if_invalid()
    try:
        with write_session(engine) as session:
            found = session.execute(select(Partner.id).where(Partner.id.in_((partner_id, other_id)),
                                                             Partner.state.in_(LIVE_STATES))).scalars().all()
            if len(found) != 2:
                raise FormErrors({"relation_other": Message(N_("Cette fiche n'est plus dans l'annuaire."))})
            session.add(PartnerRelation(partner_id=partner_id, kind=kind, other_id=other_id, created_by=staff))
            session.flush()
            _touch(session, partner_id, other_id)
            audit.record(session, actor=staff, action=AuditAction.RELATION_ADDED, entity="partner",
                         entity_id=partner_id, after={"kind": kind, "other": other_id})
    except IntegrityError as taken:
        raise RelationExists() from taken


def remove_relation(engine: Engine, relation_id: int, *, staff: str) -> None:
    with write_session(engine) as session:
        relation = session.get(PartnerRelation, relation_id)
        if relation is None:
            return  # removed meanwhile: what was asked holds
        session.execute(delete(PartnerRelation).where(PartnerRelation.id == relation_id))
        _touch(session, relation.partner_id, relation.other_id)
        audit.record(session, actor=staff, action=AuditAction.RELATION_REMOVED, entity="partner",
                     entity_id=relation.partner_id, before={"kind": relation.kind, "other": relation.other_id})


def _touch(session, *partner_ids: int) -> None:
    session.execute(update(Partner).where(Partner.id.in_(partner_ids)).values(updated_at=utcnow()))


def relations_of(engine: Engine, partner_id: int, *, published_only: bool = True
                 ) -> tuple[list[Related], list[Related]]:
    """What the listing is to others ("incubée par X") and what others are to it ("Y, incubée ici"),
    each naming the other listing; only published ones unless staff ask (`published_only`)."""
    other = aliased(Partner)
    shown = [other.state == ListingState.PUBLISHED] if published_only else [other.state.in_(LIVE_STATES)]
    with read_session(engine) as session:
        outgoing = session.execute(
            select(PartnerRelation.id, PartnerRelation.kind, other.id, other.name, other.slug)
            .join(other, and_(other.id == PartnerRelation.other_id, *shown))
            .where(PartnerRelation.partner_id == partner_id).order_by(PartnerRelation.kind, other.name)).all()
        incoming = session.execute(
            select(PartnerRelation.id, PartnerRelation.kind, other.id, other.name, other.slug)
            .join(other, and_(other.id == PartnerRelation.partner_id, *shown))
            .where(PartnerRelation.other_id == partner_id).order_by(PartnerRelation.kind, other.name)).all()
    return [Related(*row) for row in outgoing], [Related(*row) for row in incoming]


@dataclass(frozen=True)
class RelationTable:
    """Every relation to a published listing, for the read model (a small table, read whole)."""

    of: dict[int, tuple[tuple[str, int, str], ...]]  # listing → ((kind, other listing, its name), …)
    named: frozenset[int]  # the listings others name: their change (a name, a state) reaches those others

    @classmethod
    def read(cls, engine: Engine) -> RelationTable:
        of: dict[int, list[tuple[str, int, str]]] = {}
        named = set()
        with read_session(engine) as session:
            for partner_id, kind, other_id, name, state in session.execute(
                    select(PartnerRelation.partner_id, PartnerRelation.kind, PartnerRelation.other_id, Partner.name,
                           Partner.state)
                    .join(Partner, Partner.id == PartnerRelation.other_id)
                    .order_by(PartnerRelation.kind, Partner.name)):
                named.add(other_id)
                if state == ListingState.PUBLISHED:
                    of.setdefault(partner_id, []).append((kind, other_id, name))
        return cls({partner_id: tuple(found) for partner_id, found in of.items()}, frozenset(named))


def in_relation(related: tuple[tuple[str, int, str], ...], key: str) -> bool:
    """Whether a listing's relations (the read model's column) hold "kind:other"."""
    return any(relation_key(kind, other_id) == key for kind, other_id, _name in related)


def parent_names(engine: Engine) -> dict[int, str]:
    """The national standard's "structure parente" of each listing that has one: the published
    organisation it is a member of, else hosted at, incubated by, founded by."""
    rank = {kind: number for number, kind in enumerate(PARENT_KINDS)}
    chosen: dict[int, tuple[int, str]] = {}
    with read_session(engine) as session:
        for partner_id, kind, name in session.execute(
                select(PartnerRelation.partner_id, PartnerRelation.kind, Partner.name)
                .join(Partner, Partner.id == PartnerRelation.other_id)
                .where(Partner.state == ListingState.PUBLISHED)):
            if partner_id not in chosen or rank[kind] < chosen[partner_id][0]:
                chosen[partner_id] = (rank[kind], name)
    return {partner_id: name for partner_id, (_rank, name) in chosen.items()}


@dataclass(frozen=True)
class RelationLine:
    """One line of a card's relations: "Incubée par : X, Y" or "Startups incubées ici : A, B (on the map)"."""

    label: str
    links: list[tuple[str, str]]  # (name, address) of each listing named
    on_map: str = ""  # the map filtered to them


def relation_lines(partner_id: int, outgoing: list[Related], incoming: list[Related], _: Callable[..., str], *,
                   listing_at: Callable[[Related], str], filtered_map: Callable[[str], str]) -> list[RelationLine]:
    """The relations of listing `partner_id`, kind by kind, from both ends (`relations.relations_of`)."""
    lines = []
    for kind in RelationKind:
        towards = [related for related in outgoing if related.kind == kind]
        if towards:
            lines.append(RelationLine(_(RELATION_LABELS[kind][0]),
                                      [(related.name, listing_at(related)) for related in towards]))
        from_others = [related for related in incoming if related.kind == kind]
        if from_others:
            lines.append(RelationLine(_(RELATION_LABELS[kind][1]),
                                      [(related.name, listing_at(related)) for related in from_others],
                                      filtered_map(relation_key(kind, partner_id))))
    return lines


# How schema.org says each relation, on the partner pages (a startup in a pépinière's programme is
# one of its members; the organisation that founded another is its parent; a host is where it is).
SCHEMA_ORG = {RelationKind.MEMBER_OF: ("memberOf", "Organization"),
              RelationKind.INCUBATED_BY: ("memberOf", "Organization"),
              RelationKind.FOUNDED_BY: ("parentOrganization", "Organization"),
              RelationKind.HOSTED_AT: ("location", "Place")}


def schema_org_relations(outgoing: list[Related], page_of: Callable[[Related], str]) -> dict[str, list[dict]]:
    """The JSON-LD members of a listing's relations: memberOf, parentOrganization, location."""
    members: dict[str, list[dict]] = {}
    for related in outgoing:
        member, type_ = SCHEMA_ORG[RelationKind(related.kind)]
        members.setdefault(member, []).append({"@type": type_, "name": related.name, "url": page_of(related)})
    return members
