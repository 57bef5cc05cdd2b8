"""The directory: public queries, filters, and the listing life cycle.

proposed → published | rejected; published ⇄ archived. The public only ever sees published rows.
"""

from __future__ import annotations

import re
import threading
import weakref
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

import pandas as pd
from sqlalchemy import func, insert, select, update
from sqlalchemy.engine import Engine
from sqlmodel import Session

from directory import audit, notify
from directory.audit import AuditAction
from directory.clock import utcnow
from directory.db import read_session, update_if_unchanged, write_session
from directory.errors import Refusal
from directory.i18n import LANGUAGES, N_, translate
from directory.models import (
    ADDRESS_MAX,
    CITY_MAX,
    LISTING_TRANSITIONS,
    LONG_TEXT_MAX,
    NAME_MAX,
    SHORT_TEXT_MAX,
    TAGS_MAX,
    URL_MAX,
    Application,
    ApplicationState,
    ListingState,
    Partner,
    PartnerKind,
    PartnerSlug,
    Precision,
    ShowcaseSlot,
)
from directory.slugs import base_slug, unique_slugs
from directory.validation import (
    FormCheck,
    Invalid,
    Message,
    clean_choice,
    clean_coordinates,
    clean_email,
    clean_phone,
    clean_tags,
    clean_text,
    clean_url,
    split_tags,
)
from directory.vocabulary import fold, fold_column, kind_words, tag_label

PUBLIC_COLUMNS = [
    "id", "name", "kind", "short_description", "description", "short_description_en",
    "description_en", "sectors", "networks", "other_names", "address", "city", "latitude", "longitude",
    "precision", "website", "contact_email", "contact_phone", "is_demo", "last_verified", "slug",
]
SORT_KEYS = ("name", "kind", "city")


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
    return _prepared(frame, presenting_partner_ids(engine))


def _prepared(frame: pd.DataFrame, presenting: set[int], *,
              network_names: Mapping[str, str] | None = None) -> pd.DataFrame:
    frame["is_demo"] = frame["is_demo"].astype(bool)
    frame["presenting"] = frame["id"].isin(presenting)
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
    parts = [kept] + ([_prepared(added, presenting, network_names=aliases)] if not added.empty else [])
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


SEARCH_MAX = 200
# The parameters of the explore page's shareable URL; the open-data addresses take the same.
SHARED_LINK_PARAMETERS = ("kinds", "networks", "sectors", "q", "sort", "order", "page", "partner", "view", "map",
                          "lang")


@dataclass(frozen=True)
class MapView:
    """Where the map looks, written "zoom/latitude/longitude" in shareable links, as uMap does.
    The default is Saint-Étienne's city centre."""

    zoom: int = 13
    latitude: float = 45.4347
    longitude: float = 4.3903

    MAX_ZOOM = 19

    @classmethod
    def from_param(cls, value: Any) -> MapView | None:
        parts = str(value or "").split("/")
        if len(parts) != 3 or not parts[0].isdigit():
            return None
        try:
            latitude, longitude = float(parts[1]), float(parts[2])
        except ValueError:
            return None
        zoom = int(parts[0])
        if not (1 <= zoom <= cls.MAX_ZOOM and -90 <= latitude <= 90 and -180 <= longitude <= 180):
            return None  # also refuses nan, which no comparison holds for
        return cls(zoom, latitude, longitude)

    @classmethod
    def around(cls, centre: Mapping[str, float], zoom: int) -> MapView:
        return cls(int(zoom), round(float(centre["lat"]), 5), round(float(centre["lng"]), 5))

    def to_param(self) -> str:
        return f"{self.zoom}/{self.latitude:.5f}/{self.longitude:.5f}"


@dataclass(frozen=True)
class PartnerFilters:
    """What the visitor asked to see; hashable, so it can key a cache, and it round-trips via the URL."""

    kinds: tuple[str, ...] = ()
    networks: tuple[str, ...] = ()
    sectors: tuple[str, ...] = ()
    text: str = ""

    @classmethod
    def from_query_params(cls, params: Mapping[str, Any]) -> PartnerFilters:
        def listed(key: str) -> tuple[str, ...]:
            raw = params.get(key) or ""
            return tuple(v for v in str(raw).split(",") if v)

        kinds = tuple(k for k in listed("kinds") if k in PartnerKind._value2member_map_)
        return cls(kinds=kinds, networks=listed("networks"), sectors=listed("sectors"),
                   text=str(params.get("q") or "")[:SEARCH_MAX])

    def to_query_params(self) -> dict[str, str]:
        params = {"kinds": ",".join(self.kinds), "networks": ",".join(self.networks),
                  "sectors": ",".join(self.sectors), "q": self.text.strip()}
        return {key: value for key, value in params.items() if value}


@dataclass(frozen=True)
class SharedLink:
    """What a shareable map URL asks for: the one grammar of the explore page, the open data, the
    embed and the partner pages."""

    filters: PartnerFilters
    sort: str = "name"
    descending: bool = False
    map_view: MapView = MapView()
    shared_view: bool = False  # the link said where the map looks
    page: int = 1
    partner: int | None = None
    view: str = "map"
    ignored: tuple[Message, ...] = ()  # lenient reading: what was wrong, and left out


VIEWS = ("map", "list")
MAX_PAGE = 100_000
_WHOLE_NUMBER = re.compile(r"^[0-9]{1,9}$")  # ASCII digits only: "²".isdigit() is True, int("²") fails


def read_shared_link(params: Mapping[str, list[str]], *, networks: Iterable[str], sectors: Iterable[str],
                     strict: bool = True) -> SharedLink:
    """The filters, order, page, partner and view a shareable map URL asks for; `params` maps each
    name to its values; `networks` and `sectors` are the values the published partners have.

    Strict (the open data): raises Invalid naming the first unknown parameter, repeated parameter
    or wrong value. Lenient (the explore page a visitor opens): each wrong value is left out and
    said in `ignored`; parameters of other sites (utm_source…) are passed over in silence.
    """
    problems: list[Message] = []

    def refuse(text: str, **message_params: Any) -> None:
        if strict:
            raise Invalid(text, **message_params)
        problems.append(Message(text, message_params))

    value: dict[str, str] = {}
    for name, values in params.items():
        if name not in SHARED_LINK_PARAMETERS:
            if strict:
                refuse(N_("Paramètre inconnu : « {name} ». Paramètres acceptés : {accepted}."),
                       name=name, accepted=", ".join(SHARED_LINK_PARAMETERS))
            continue
        if len(values) > 1:
            refuse(N_("Le paramètre « {name} » est donné plusieurs fois ; séparez les valeurs par des virgules."),
                   name=name)
        value[name] = values[0] if values else ""

    def listed(name: str, allowed: set[str]) -> tuple[str, ...]:
        chosen = []
        for item in (v for v in value.get(name, "").split(",") if v):
            if item in allowed:
                chosen.append(item)
            else:
                refuse(N_("Valeur inconnue pour « {name} » : « {value} »."), name=name, value=item)
        return tuple(chosen)

    def one_of(name: str, allowed: Iterable[str], default: str) -> str:
        chosen = value.get(name, default)
        if chosen in allowed:
            return chosen
        refuse(N_("Valeur inconnue pour « {name} » : « {value} »."), name=name, value=chosen)
        return default

    def whole_number(name: str) -> int | None:
        if name not in value:
            return None
        if _WHOLE_NUMBER.match(value[name]) and 0 < int(value[name]) < MAX_PAGE:
            return int(value[name])
        refuse(N_("« {name} » attend un nombre entier."), name=name)
        return None

    text = value.get("q", "")
    if len(text) > SEARCH_MAX:
        refuse(N_("La recherche compte {max} caractères au maximum."), max=SEARCH_MAX)
        text = text[:SEARCH_MAX]
    filters = PartnerFilters(
        kinds=listed("kinds", set(PartnerKind._value2member_map_)),
        networks=listed("networks", set(networks)), sectors=listed("sectors", set(sectors)), text=text)
    sort, order = one_of("sort", SORT_KEYS, "name"), one_of("order", ("asc", "desc"), "asc")
    page, partner = whole_number("page"), whole_number("partner")
    view = one_of("view", VIEWS, "map")
    shared_view = MapView.from_param(value["map"]) if "map" in value else None
    if "map" in value and shared_view is None:
        refuse(N_("« map » attend zoom/latitude/longitude, par exemple 14/45.43470/4.39030."))
    one_of("lang", LANGUAGES, "fr")
    return SharedLink(filters=filters, sort=sort, descending=order == "desc", map_view=shared_view or MapView(),
                      shared_view=shared_view is not None, page=page or 1, partner=partner, view=view,
                      ignored=tuple(problems))


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


def localized(partner: Mapping[str, Any], column: str, language: str) -> str:
    """The English text when the reader reads English and one exists, else the French one."""
    if language == "en" and partner.get(f"{column}_en"):
        return partner[f"{column}_en"]
    return partner.get(column) or ""


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


@lru_cache(maxsize=256)
def filtered_partners(engine: Engine, version: str, filters: PartnerFilters) -> pd.DataFrame:
    return filter_partners(published_partners(engine, version), filters)


@lru_cache(maxsize=4)
def published_slugs(engine: Engine, version: str) -> dict[str, int]:
    """Each published partner's current slug and id."""
    frame = published_partners(engine, version)
    return dict(zip(frame["slug"], frame["id"].astype(int), strict=True))


@lru_cache(maxsize=16)
def published_tags(engine: Engine, version: str, column: str) -> tuple[str, ...]:
    return tuple(tag_values(published_partners(engine, version), column))


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
    # Written by staff only.
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
        "short_description_en": check("short_description_en", clean_text, form.short_description_en,
                                      max_length=SHORT_TEXT_MAX),
        "description_en": check("description_en", clean_text, form.description_en,
                                max_length=LONG_TEXT_MAX, multiline=True),
        "other_names": check("other_names", clean_tags, form.other_names, max_length=TAGS_MAX),
        "notes": check("notes", clean_text, form.notes, max_length=LONG_TEXT_MAX, multiline=True),
    }
    position = check("position", clean_coordinates, form.latitude, form.longitude)
    latitude, longitude = position or (None, None)
    values["latitude"], values["longitude"] = latitude, longitude
    values["precision"] = (
        Precision.UNKNOWN if latitude is None
        else check("precision", clean_choice, form.precision or Precision.EXACT, Precision)
    )
    return values


def propose_partner(engine: Engine, form: PartnerForm, *, proposer_name: str,
                    proposer_email: str, language: str = "fr") -> int:
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
        partner = Partner(**values, state=ListingState.PROPOSED)
        session.add(partner)
        session.flush()
        give_slug(session, partner)
        return partner.id


def insert_partners(engine: Engine, rows: list[dict[str, Any]], *, staff: str = "", skipped: int = 0) -> int:
    """Bulk insert of already clean rows (seed, import, benchmarks) in one transaction, audited as
    one import event when `staff` says who did it."""
    if not rows:
        return 0
    now = utcnow()
    with write_session(engine) as session:
        slugs = unique_slugs([row["name"] for row in rows], taken=_taken_slugs(session))
        rows = [{"created_at": now, "updated_at": now, **row, "slug": slug} for row, slug in zip(rows, slugs,
                                                                                                 strict=True)]
        ids = session.execute(insert(Partner).returning(Partner.id, sort_by_parameter_order=True), rows).scalars().all()
        session.execute(insert(PartnerSlug), [{"slug": slug, "partner_id": id_} for slug, id_ in zip(slugs, ids,
                                                                                                     strict=True)])
        if staff:
            audit.record(session, actor=staff, action=AuditAction.IMPORTED, entity="partner", entity_id=0,
                         after={"rows": len(rows), "skipped": skipped})
    return len(rows)


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
    [slug] = unique_slugs([partner.name], taken=_taken_slugs(session, like=base))
    session.add(PartnerSlug(slug=slug, partner_id=partner.id))
    session.execute(update(Partner).where(Partner.id == partner.id).values(slug=slug))
    partner.slug = slug


def count_partners(engine: Engine, *, state: str | None = None) -> int:
    query = select(func.count(Partner.id))
    if state:
        query = query.where(Partner.state == state)
    with read_session(engine) as session:
        return session.execute(query).scalar_one()



# --- Staff: the listing life cycle ------------------------------------------------------------------

class ListingConflict(Refusal):
    """The listing changed meanwhile (published, rejected or merged by someone else)."""

    text = N_("Cette fiche a changé entre-temps : rien n'a été modifié.")


AUDITED_FIELDS = ("name", "kind", "state", "short_description", "sectors", "networks", "other_names", "address",
                  "city", "website", "latitude", "longitude", "rejection_reason", "merged_into_id")


def _snapshot(partner: Partner) -> dict:
    return {name: getattr(partner, name) for name in AUDITED_FIELDS}


def _transition(session, partner_id: int, to: ListingState, *, staff: str, action: AuditAction,
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
        partner = Partner(**values, state=ListingState.PUBLISHED, last_verified=utcnow().date())
        session.add(partner)
        session.flush()
        give_slug(session, partner)
        audit.record(session, actor=staff, action=AuditAction.CREATED, entity="partner", entity_id=partner.id,
                     after=_snapshot(partner))
        return partner.id


def update_partner(engine: Engine, partner_id: int, form: PartnerForm, *, staff: str) -> None:
    """Change a listing's fields (its state stays). Raises FormErrors or ListingConflict."""
    with write_session(engine) as session:
        edit_listing(session, partner_id, form, staff=staff)


def edit_listing(session: Session, partner_id: int, form: PartnerForm, *, staff: str) -> None:
    """`update_partner` inside the caller's transaction."""
    values = _cleaned(form)
    partner = session.get(Partner, partner_id)
    if partner is None:
        raise ListingConflict()
    before = _snapshot(partner)
    session.execute(update(Partner).where(Partner.id == partner_id)
                    .values(**values, updated_at=utcnow(), last_verified=utcnow().date()))
    session.refresh(partner)
    give_slug(session, partner)
    audit.record(session, actor=staff, action=AuditAction.EDITED, entity="partner", entity_id=partner_id,
                 before=before, after=_snapshot(partner))


def _tell_proposer(session, partner: Partner, template: str, **params: str) -> None:
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
        partner = _transition(session, partner_id, ListingState.PUBLISHED, staff=staff, action=AuditAction.PUBLISHED,
                              values={**values, "last_verified": utcnow().date()})
        give_slug(session, partner)
        _tell_proposer(session, partner, "proposal_published")


def reject_partner(engine: Engine, partner_id: int, *, staff: str, reason: str) -> None:
    """Refuse a proposal with a reason the proposer will read."""
    check = FormCheck()
    reason = check("reason", clean_text, reason, max_length=LONG_TEXT_MAX, required=True, multiline=True)
    check.raise_if_invalid()
    with write_session(engine) as session:
        partner = _transition(session, partner_id, ListingState.REJECTED, staff=staff, action=AuditAction.REJECTED,
                              values={"rejection_reason": reason})
        _tell_proposer(session, partner, "proposal_rejected", reason=reason)


def merge_partner(engine: Engine, duplicate_id: int, *, into_id: int, staff: str) -> None:
    """A proposal that duplicates a published listing: closed, pointing at the one kept."""
    with write_session(engine) as session:
        kept = session.get(Partner, into_id)
        if kept is None or kept.state != ListingState.PUBLISHED or into_id == duplicate_id:
            raise ListingConflict()
        partner = _transition(session, duplicate_id, ListingState.REJECTED, staff=staff, action=AuditAction.MERGED,
                              values={"merged_into_id": into_id, "rejection_reason": f"duplicate of #{into_id}"})
        _tell_proposer(session, partner, "proposal_rejected",
                       reason=translate(N_("elle figure déjà sur la carte sous le nom « {name} »."),
                                        partner.proposer_language, name=kept.name))


def archive_partner(engine: Engine, partner_id: int, *, staff: str) -> None:
    with write_session(engine) as session:
        _transition(session, partner_id, ListingState.ARCHIVED, staff=staff, action=AuditAction.ARCHIVED)


def restore_partner(engine: Engine, partner_id: int, *, staff: str) -> None:
    with write_session(engine) as session:
        _transition(session, partner_id, ListingState.PUBLISHED, staff=staff, action=AuditAction.RESTORED)


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

