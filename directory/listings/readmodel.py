"""The public directory as the pages and the addresses read it: published partners in a
DataFrame, reloaded from the rows changed since the last version, searched, filtered and
sorted, and the views cached per data version."""

from __future__ import annotations

import threading
import weakref
from collections.abc import Mapping
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from directory.clock import utcnow
from directory.db import read_session
from directory.i18n import LANGUAGES
from directory.listings import hours
from directory.listings.links import PartnerFilters
from directory.listings.relations import RelationTable, in_relation
from directory.listings.vocabulary import fold, fold_column, kind_words, tag_label
from directory.models import (
    Application,
    ApplicationState,
    ListingState,
    Partner,
    PartnerSlug,
    ShowcaseSlot,
)
from directory.validation import (
    split_tags,
)

PUBLIC_COLUMNS = [
    "id", "name", "kind", "short_description", "description", "short_description_en",
    "description_en", "sectors", "networks", "other_names", "address", "city", "latitude", "longitude",
    "precision", "website", "contact_email", "contact_phone", "siret", "opening_hours", "accessibility_url",
    "accessibility_note", "is_demo", "last_verified", "slug", "logo_type",
]


# --- Reading the public directory ------------------------------------------------------------

def data_version(engine: Engine) -> str:
    """The key of every cached view of the data: changes whenever a partner row, a decision or a
    slot is written, and when the next approved showcase ends (its startups stop "presenting")."""
    presenting_until = (select(func.min(ShowcaseSlot.ends_at))
                        .join(Application, Application.slot_id == ShowcaseSlot.id)
                        .where(Application.state == ApplicationState.APPROVED, ShowcaseSlot.ends_at > utcnow()))
    with read_session(engine) as session:
        count, latest, decided, slots, next_end = session.execute(select(
            select(func.count(Partner.id)).scalar_subquery(),
            select(func.max(Partner.updated_at)).scalar_subquery(),
            select(func.max(Application.updated_at)).scalar_subquery(),
            select(func.max(ShowcaseSlot.updated_at)).scalar_subquery(),
            presenting_until.scalar_subquery(),
        )).one()
    return f"{count}:{latest}:{decided}:{slots}:{next_end}"


def load_published(engine: Engine) -> pd.DataFrame:
    """Every published partner, with a folded text column for search."""
    query = select(*(getattr(Partner, c) for c in PUBLIC_COLUMNS)).where(
        Partner.state == ListingState.PUBLISHED
    ).order_by(Partner.name, Partner.id)
    with engine.connect() as connection:
        frame = pd.read_sql(query, connection)
    return _prepared(frame, presenting_partner_ids(engine), RelationTable.read(engine))


def _prepared(frame: pd.DataFrame, presenting: set[int], relations: RelationTable, *,
              network_names: Mapping[str, str] | None = None) -> pd.DataFrame:
    frame["is_demo"] = frame["is_demo"].astype(bool)
    frame["presenting"] = frame["id"].isin(presenting)
    frame["relations"] = frame["id"].map(lambda partner_id: relations.of.get(partner_id, ()))
    frame["search_text"] = fold_column(search_words(frame, network_names))
    # Folded once here, so sorting a page of the list costs no per-row Python.
    frame["sort_name"] = fold_column(frame["name"])
    frame["sort_city"] = fold_column(frame["city"])
    return frame.reset_index(drop=True)


@dataclass(frozen=True)
class _Loaded:
    version: str
    frame: pd.DataFrame
    changed_up_to: Any  # the latest partner change the frame holds
    partners: int


def _reloaded(engine: Engine, before: _Loaded | None) -> _Loaded:
    """The published directory, from `before` and the partners changed since when that is safe:
    a write changes one or a few rows, and the next reader reads those, not the whole directory."""
    with read_session(engine) as session:
        latest, count = session.execute(select(func.max(Partner.updated_at), func.count(Partner.id))).one()
    if before is None or count < before.partners or before.changed_up_to is None:
        return _Loaded("", load_published(engine), latest, count)
    query = select(*(getattr(Partner, c) for c in PUBLIC_COLUMNS), Partner.state).where(
        Partner.updated_at >= before.changed_up_to)
    with engine.connect() as connection:
        changed = pd.read_sql(query, connection)
    aliases = {fold(name): other for name, other in zip(before.frame["name"], before.frame["other_names"],
                                                         strict=True) if other}
    if (changed["other_names"] != "").any() or changed["name"].map(fold).isin(aliases).any():
        # A network's other names are in its members' search text: those change too.
        return _Loaded("", load_published(engine), latest, count)
    presenting = presenting_partner_ids(engine)
    added = changed[changed["state"] == ListingState.PUBLISHED][PUBLIC_COLUMNS].copy()
    kept = before.frame[~before.frame["id"].isin(changed["id"])]
    relations = RelationTable.read(engine)
    if changed["id"].isin(relations.named).any():  # a named listing changed: its name is in others' rows
        return _Loaded("", load_published(engine), latest, count)
    parts = [kept] + ([_prepared(added, presenting, relations, network_names=aliases)] if not added.empty else [])
    frame = pd.concat(parts, ignore_index=True).sort_values(["name", "id"]).reset_index(drop=True)
    frame["presenting"] = frame["id"].isin(presenting)
    return _Loaded("", frame, latest, count)


def search_words(frame: pd.DataFrame, network_names: Mapping[str, str] | None = None) -> pd.Series:
    """What the search looks through: names (other names too), descriptions, the city, and the
    kind, sectors and networks in every language, with the other names of each network (members
    of the Digital League are found as "Digital Ligue")."""
    def per_value(column: str, words) -> pd.Series:
        # Tag lists repeat a lot: one Python call per distinct value, not per row.
        return frame[column].map({value: words(value) for value in frame[column].unique()})

    if network_names is None:
        network_names = {fold(name): other for name, other in zip(frame["name"], frame["other_names"], strict=True)
                         if other}
    sector_words = per_value("sectors", lambda value: " ".join(
        tag_label(tag, language) for tag in split_tags(value) for language in LANGUAGES))
    network_words = per_value("networks", lambda value: " ".join(
        f"{tag} {network_names.get(fold(tag), '')}" for tag in split_tags(value)))
    kinds = per_value("kind", kind_words)
    return (frame["name"] + " " + frame["other_names"] + " " + frame["short_description"] + " "
            + frame["description"] + " " + frame["short_description_en"] + " " + frame["description_en"] + " "
            + frame["city"] + " " + kinds + " " + sector_words + " " + network_words)


def presenting_partner_ids(engine: Engine) -> set[int]:
    """Startups approved for a showcase still to come: marked on the map and on their card."""
    with read_session(engine) as session:
        return set(session.execute(
            select(Application.partner_id).join(ShowcaseSlot, ShowcaseSlot.id == Application.slot_id)
            .where(Application.state == ApplicationState.APPROVED, Application.partner_id.is_not(None),
                   ShowcaseSlot.ends_at > utcnow())).scalars())


def filter_partners(partners: pd.DataFrame, filters: PartnerFilters) -> pd.DataFrame:
    """The rows the map, the list, the counts and the exports all show."""
    keep = pd.Series(True, index=partners.index)
    if filters.kinds:
        keep &= partners["kind"].isin(filters.kinds)
    if filters.networks:
        keep &= _has_any_tag(partners["networks"], filters.networks)
    if filters.sectors:
        keep &= _has_any_tag(partners["sectors"], filters.sectors)
    for word in fold(filters.text).split():
        keep &= partners["search_text"].str.contains(word, regex=False)
    if filters.open_now:
        keep &= hours.open_now(partners["opening_hours"], utcnow())
    if filters.relation:
        keep &= partners["relations"].map(lambda related: in_relation(related, filters.relation)).astype(bool)
    return partners[keep]


def _has_any_tag(column: pd.Series, wanted: tuple[str, ...]) -> pd.Series:
    wanted_folded = {fold(tag) for tag in wanted}
    return column.map(lambda value: any(fold(tag) in wanted_folded for tag in split_tags(value)))


def tag_values(partners: pd.DataFrame, column: str) -> list[str]:
    """The distinct tags of a column, sorted the way a French reader expects."""
    seen: dict[str, str] = {}
    for value in partners[column].drop_duplicates():
        for tag in split_tags(value):
            seen.setdefault(fold(tag), tag)
    return [seen[key] for key in sorted(seen)]


def sort_partners(partners: pd.DataFrame, by: str, *, descending: bool = False) -> pd.DataFrame:
    columns = {"name": ["sort_name"], "kind": ["kind", "sort_name"], "city": ["sort_city", "sort_name"]}
    return partners.sort_values(by=columns.get(by, ["sort_name"]), ascending=not descending,
                                kind="stable")


def find_partner(partners: pd.DataFrame, partner_id: Any) -> dict[str, Any] | None:
    try:
        wanted = int(partner_id)
    except (TypeError, ValueError):
        return None
    rows = partners[partners["id"] == wanted]
    return None if rows.empty else rows.iloc[0].to_dict()


def partner_at(partners: pd.DataFrame, latitude: float, longitude: float,
               name: str | None) -> dict[str, Any] | None:
    """The partner a map click landed on: the nearest placed one, by name when the map gave it."""
    placed = partners.dropna(subset=["latitude", "longitude"])
    if name:
        named = placed[placed["name"] == name.strip()]
        placed = named if not named.empty else placed
    if placed.empty:
        return None
    distance = (placed["latitude"] - latitude) ** 2 + (placed["longitude"] - longitude) ** 2
    return placed.loc[distance.idxmin()].to_dict()


# --- Views cached per data version: shared by the pages and the web routes of one process --------
# Keyed on the engine and the data version, so a write (which changes the version) is seen by the
# next reader; public data only, never anything about a user.

_loaded: weakref.WeakKeyDictionary[Engine, _Loaded] = weakref.WeakKeyDictionary()
_loading = threading.Lock()


def published_partners(engine: Engine, version: str) -> pd.DataFrame:
    """The published directory at `version`: built once per version and process, from the
    previous version and the rows changed since."""
    with _loading:
        before = _loaded.get(engine)
        if before is not None and before.version == version:
            return before.frame
        loaded = replace(_reloaded(engine, before), version=version)
        _loaded[engine] = loaded
        return loaded.frame


def filtered_partners(engine: Engine, version: str, filters: PartnerFilters) -> pd.DataFrame:
    """`filter_partners` on the published directory; cached per version, but for "open now",
    which the clock changes: that part is applied afresh to the cached rest."""
    if filters.open_now:
        cached = _filtered(engine, version, replace(filters, open_now=False))
        return filter_partners(cached, PartnerFilters(open_now=True))
    return _filtered(engine, version, filters)


@lru_cache(maxsize=256)
def _filtered(engine: Engine, version: str, filters: PartnerFilters) -> pd.DataFrame:
    return filter_partners(published_partners(engine, version), filters)


@lru_cache(maxsize=4)
def published_slugs(engine: Engine, version: str) -> dict[str, int]:
    """Each published partner's current slug and id."""
    frame = published_partners(engine, version)
    return dict(zip(frame["slug"], frame["id"].astype(int), strict=True))


@lru_cache(maxsize=16)
def published_tags(engine: Engine, version: str, column: str) -> tuple[str, ...]:
    return tuple(tag_values(published_partners(engine, version), column))


def count_partners(engine: Engine, *, state: str | None = None) -> int:
    query = select(func.count(Partner.id))
    if state:
        query = query.where(Partner.state == state)
    with read_session(engine) as session:
        return session.execute(query).scalar_one()




def staff_partners(engine: Engine, *, states: tuple[str, ...] = (), text: str = "",
                   limit: int | None = None) -> pd.DataFrame:
    """Every column, for staff screens and the full export; filtered by state and name."""
    query = select(Partner).order_by(Partner.name, Partner.id)
    if states:
        query = query.where(Partner.state.in_(states))
    for word in text.split():
        query = query.where(func.lower(Partner.name).like(f"%{word.lower()}%"))
    if limit:
        query = query.limit(limit)
    with engine.connect() as connection:
        return pd.read_sql(query, connection)


def partner_by_slug(engine: Engine, slug: str) -> Partner | None:
    """The partner a slug names, now or formerly, whatever its state."""
    with read_session(engine) as session:
        return session.execute(select(Partner).join(PartnerSlug, PartnerSlug.partner_id == Partner.id)
                               .where(PartnerSlug.slug == slug)).scalar_one_or_none()


def public_pages(engine: Engine) -> list[tuple[str, Any]]:
    """(slug, last change) of every published partner, for the sitemap."""
    with read_session(engine) as session:
        return list(session.execute(select(Partner.slug, Partner.updated_at).where(
            Partner.state == ListingState.PUBLISHED, Partner.slug.is_not(None)).order_by(Partner.id)).all())


def get_partner(engine: Engine, partner_id: int) -> Partner | None:
    with read_session(engine) as session:
        return session.get(Partner, partner_id)
