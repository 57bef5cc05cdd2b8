"""The one grammar of shareable map links (`?kinds=…&sectors=…&q=…&sort=…&page=…&partner=…&view=…
&map=zoom/lat/lon`): the explore page, the open data, the embed and the partner pages read it here."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from directory.i18n import LANGUAGES, N_
from directory.models import PartnerKind, RelationKind
from directory.validation import (
    Invalid,
    Message,
)

SORT_KEYS = ("name", "kind", "city")
SEARCH_MAX = 200
# The parameters of the explore page's shareable URL; the open-data addresses take the same.
SHARED_LINK_PARAMETERS = ("kinds", "networks", "sectors", "q", "open_now", "relation", "sort", "order", "page",
                          "partner", "view", "map", "lang")
# "incubated_by:12": the listings that are incubated by listing n°12 (`relations.relation_key`).
_RELATION = re.compile(r"^(" + "|".join(kind.value for kind in RelationKind) + r"):[0-9]{1,9}$")


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
    open_now: bool = False  # only the places open at this moment (their opening hours say so)
    relation: str = ""  # only the listings in this relation to another ("incubated_by:12")

    def to_query_params(self) -> dict[str, str]:
        params = {"kinds": ",".join(self.kinds), "networks": ",".join(self.networks),
                  "sectors": ",".join(self.sectors), "q": self.text.strip(),
                  "open_now": "1" if self.open_now else "", "relation": self.relation}
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
    relation = value.get("relation", "")
    if relation and not _RELATION.match(relation):
        refuse(N_("« relation » attend une relation et un numéro de fiche, par exemple incubated_by:12."))
        relation = ""
    filters = PartnerFilters(
        kinds=listed("kinds", set(PartnerKind._value2member_map_)),
        networks=listed("networks", set(networks)), sectors=listed("sectors", set(sectors)), text=text,
        open_now=one_of("open_now", ("0", "1"), "0") == "1", relation=relation)
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
