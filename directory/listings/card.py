"""A partner's card: what it says, gathered once, for the app's card and the public page alike
(both drawn by the template `directory/web/templates/card.html`)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import pandas as pd

from directory.clock import to_paris, utcnow
from directory.i18n import foreign_language, format_date, localized, translate, written_in
from directory.listings import hours
from directory.listings.mapping import marker_image
from directory.listings.relations import RelationLine
from directory.listings.vocabulary import tag_label
from directory.models import KIND_LABELS, PRECISION_LABELS, PartnerKind, Precision
from directory.validation import phone_for_display, split_tags


@dataclass(frozen=True)
class PartnerCard:
    name: str
    kind: str
    kind_label: str
    marker: str  # the kind's marker as a picture (HTML of Vitrine's own, no user text)
    is_demo: bool
    short_description: str
    short_description_lang: str  # "fr" or "en" when written in the other language than the page's, else ""
    paragraphs: tuple[str, ...]
    description_lang: str
    sectors: tuple[str, ...]
    networks: tuple[str, ...]
    address: str
    precision_label: str
    website: str
    contact_email: str
    phone: str  # as people write it here
    hours_now: str  # "Ouvert maintenant, jusqu'à 18:00", or "" without opening hours
    week: tuple[tuple[str, str], ...]  # (day, times) for the coming week
    accessibility_note: str
    accessibility_url: str
    relations: tuple[RelationLine, ...]
    verified: str  # dates, written out in the page's language
    updated: str
    presented: str
    presenting: bool  # chosen for a showcase still to come
    logo: str  # addresses
    permalink: str


def partner_card(partner: Mapping[str, Any], language: str, *, relations: Iterable[RelationLine] = (),
                 presented_on: Iterable[date] = (), updated: datetime | None = None, logo: str = "",
                 permalink: str = "", now: datetime | None = None) -> PartnerCard:
    """The card of `partner` (a row of the read model, or a listing's fields) in `language`."""
    now = now or utcnow()
    kind, expression = str(partner["kind"]), partner.get("opening_hours") or ""
    description = localized(partner, "description", language)
    try:
        kind_label = translate(KIND_LABELS[PartnerKind(kind)], language)
    except ValueError:
        kind_label = kind
    verified = partner.get("last_verified")
    return PartnerCard(
        name=str(partner["name"]), kind=kind, kind_label=kind_label, marker=marker_image(kind),
        is_demo=bool(partner.get("is_demo")),
        short_description=localized(partner, "short_description", language),
        short_description_lang=foreign_language(written_in(partner, "short_description", language), language),
        paragraphs=tuple(p for p in description.split("\n") if p.strip()),
        description_lang=foreign_language(written_in(partner, "description", language), language),
        sectors=tuple(tag_label(tag, language) for tag in split_tags(partner.get("sectors") or "")),
        networks=tuple(tag_label(tag, language) for tag in split_tags(partner.get("networks") or "")),
        address=", ".join(part for part in (partner.get("address"), partner.get("city")) if part),
        precision_label=translate(PRECISION_LABELS[Precision(partner.get("precision") or Precision.UNKNOWN)],
                                  language),
        website=partner.get("website") or "", contact_email=partner.get("contact_email") or "",
        phone=phone_for_display(partner.get("contact_phone") or ""),
        hours_now=hours.status_text(expression, now, language) if expression else "",
        week=tuple(hours.week(expression, to_paris(now).date(), language)) if expression else (),
        accessibility_note=partner.get("accessibility_note") or "",
        accessibility_url=partner.get("accessibility_url") or "",
        relations=tuple(relations),
        verified=format_date(pd.Timestamp(verified).date(), language, style="long")
        if verified is not None and pd.notna(verified) else "",
        updated=format_date(to_paris(updated).date(), language, style="long") if updated else "",
        presented=", ".join(format_date(day, language, style="long") for day in presented_on),
        presenting=bool(partner.get("presenting")), logo=logo, permalink=permalink)
