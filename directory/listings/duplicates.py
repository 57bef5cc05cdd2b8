"""Possible duplicates: two listings that look like one organisation.

Looks alike: the same company number, the same website (its host, without "www."), the same
phone number, or the same name once accents, case, punctuation, articles and legal forms are
folded ("La Cité du Design SAS" and "Cite du design"), wherever each is placed. Staff merge them
(`merging.merge_partner`) or say they are not the same (remembered here); the check runs on
proposals, organisations' changes, import rows and staff edits.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import and_, or_, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from directory import audit
from directory.audit import AuditAction
from directory.db import read_session, write_session
from directory.i18n import N_
from directory.listings.vocabulary import fold_name
from directory.models import LIVE_STATES, NotDuplicate, Partner

# Hosts many organisations share: the same one says nothing.
SHARED_HOSTS = frozenset({"facebook.com", "linkedin.com", "instagram.com", "twitter.com", "x.com", "youtube.com",
                          "sites.google.com", "google.com", "linktr.ee", "wixsite.com", "wordpress.com",
                          "helloasso.com"})
REASONS = {"siret": N_("même numéro SIRET, SIREN ou RNA"), "website": N_("même site web"),
           "phone": N_("même numéro de téléphone"), "name": N_("même nom")}


@dataclass(frozen=True)
class PossibleDuplicate:
    id: int
    name: str
    slug: str | None
    state: str
    reasons: tuple[str, ...]  # keys of REASONS


def web_host(url: str | None) -> str:
    try:
        host = (urlsplit(url or "").hostname or "").lower()
    except ValueError:
        return ""
    host = host.removeprefix("www.")
    return "" if host in SHARED_HOSTS else host


@dataclass(frozen=True)
class _Traits:
    """What two listings of one organisation would share."""

    siret: str
    host: str
    phone: str
    name: str

    @classmethod
    def of(cls, values: dict[str, Any] | Any) -> _Traits:
        return cls(values.get("siret") or "", web_host(values.get("website")), values.get("contact_phone") or "",
                   fold_name(values.get("name") or ""))

    def shared_with(self, other: _Traits) -> tuple[str, ...]:
        """The keys of REASONS the two share."""
        return tuple(reason for reason, mine, theirs in (
            ("siret", self.siret, other.siret), ("website", self.host, other.host),
            ("phone", self.phone, other.phone), ("name", self.name, other.name)) if mine and mine == theirs)


def _likeliest(found: list[PossibleDuplicate], limit: int) -> list[PossibleDuplicate]:
    found.sort(key=lambda duplicate: (-len(duplicate.reasons), duplicate.id))
    return found[:limit]


_COLUMNS = (Partner.id, Partner.name, Partner.slug, Partner.state, Partner.siret, Partner.website,
            Partner.contact_phone)


def possible_duplicates(session: Session, values: dict[str, Any], *, exclude: int | None = None,
                        limit: int = 5) -> list[PossibleDuplicate]:
    """The live listings that look like `values` (a listing's columns), the likeliest first."""
    traits = _Traits.of(values)
    near = []
    if traits.siret:
        near.append(Partner.siret == traits.siret)
    if traits.host:
        near.append(or_(Partner.website.ilike(f"%://{traits.host}%"), Partner.website.ilike(f"%://www.{traits.host}%")))
    if traits.phone:
        near.append(Partner.contact_phone == traits.phone)
    if traits.name:
        near.append(Partner.id.in_(_namesakes(session, traits.name)))
    if not near:
        return []
    rows = session.execute(select(*_COLUMNS).where(Partner.state.in_(LIVE_STATES), Partner.id != (exclude or 0),
                                                   or_(*near)).limit(500)).mappings().all()
    ruled_out = _not_duplicates(session, exclude, [row["id"] for row in rows]) if exclude else set()
    found = []
    for row in rows:
        reasons = traits.shared_with(_Traits.of(row))
        if reasons and row["id"] not in ruled_out:
            found.append(PossibleDuplicate(row["id"], row["name"], row["slug"], row["state"], reasons))
    return _likeliest(found, limit)


def _namesakes(session: Session, folded: str) -> list[int]:
    """The live listings whose name folds to `folded`. Folding (accents, articles, legal forms) has
    no SQL equivalent on both engines, so every live name is read and folded (folds are cached):
    at 10,000 listings about the time of reading them (bench/listings_care.py)."""
    names = session.execute(select(Partner.id, Partner.name).where(Partner.state.in_(LIVE_STATES))).all()
    return [partner_id for partner_id, name in names if fold_name(name) == folded]


class LiveListings:
    """Every live listing's traits in memory, indexed: thousands of rows (a source's run) are
    checked for duplicates at the cost of one query, with the same rules as `possible_duplicates`."""

    def __init__(self, session: Session) -> None:
        self.listings: dict[int, tuple[PossibleDuplicate, _Traits]] = {}
        self.index: dict[tuple[str, str], set[int]] = defaultdict(set)
        for row in session.execute(select(*_COLUMNS).where(Partner.state.in_(LIVE_STATES))).mappings():
            self.add(row["id"], row)

    def add(self, partner_id: int, values: dict[str, Any] | Any) -> None:
        traits = _Traits.of(values)
        self.listings[partner_id] = (PossibleDuplicate(partner_id, values["name"], values.get("slug"),
                                                       values.get("state", ""), ()), traits)
        for key in self._keys(traits):
            self.index[key].add(partner_id)

    @staticmethod
    def _keys(traits: _Traits) -> list[tuple[str, str]]:
        return [(kind, value) for kind, value in (("siret", traits.siret), ("host", traits.host),
                                                  ("phone", traits.phone), ("name", traits.name)) if value]

    def alike(self, values: dict[str, Any], limit: int = 5) -> list[PossibleDuplicate]:
        traits = _Traits.of(values)
        candidates = set().union(*(self.index.get(key, set()) for key in self._keys(traits)))
        found = []
        for partner_id in candidates:
            listing, other = self.listings[partner_id]
            reasons = traits.shared_with(other)
            if reasons:
                found.append(PossibleDuplicate(listing.id, listing.name, listing.slug, listing.state, reasons))
        return _likeliest(found, limit)


def duplicates_of(engine: Engine, partner_id: int, changes: dict[str, Any] | None = None) -> list[PossibleDuplicate]:
    """What a stored listing looks like (the staff screens' "Doublon possible de …"), or would look
    like with `changes` (an organisation's pending change)."""
    with read_session(engine) as session:
        partner = session.get(Partner, partner_id)
        if partner is None:
            return []
        return possible_duplicates(session, {**partner.model_dump(), **(changes or {})}, exclude=partner_id)


def _not_duplicates(session: Session, partner_id: int, others: list[int]) -> set[int]:
    pairs = session.execute(select(NotDuplicate.partner_id, NotDuplicate.other_id).where(or_(
        and_(NotDuplicate.partner_id == partner_id, NotDuplicate.other_id.in_(others)),
        and_(NotDuplicate.other_id == partner_id, NotDuplicate.partner_id.in_(others))))).all()
    return {a if b == partner_id else b for a, b in pairs}


def mark_not_duplicate(engine: Engine, partner_id: int, other_id: int, *, staff: str) -> None:
    """Remember that two listings are different organisations: they are no longer flagged."""
    first, second = sorted((partner_id, other_id))
    try:
        with write_session(engine) as session:
            session.add(NotDuplicate(partner_id=first, other_id=second, decided_by=staff))
            session.flush()
            audit.record(session, actor=staff, action=AuditAction.NOT_DUPLICATE, entity="partner",
                         entity_id=partner_id, after={"other": other_id})
    except IntegrityError:
        pass  # already said, by this member or another
