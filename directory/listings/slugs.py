"""Slugs: the readable, stable part of a partner's public address (/partenaires/<slug>)."""

from __future__ import annotations

from collections.abc import Iterable

from slugify import slugify
from sqlalchemy import select, update
from sqlmodel import Session

from directory.models import SLUG_MAX, Partner, PartnerSlug


def base_slug(name: str) -> str:
    """« Cité du design » → "cite-du-design"; a name with no letters or digits → "partenaire"."""
    return slugify(name, max_length=SLUG_MAX - 6, word_boundary=True) or "partenaire"


def unique_slugs(names: Iterable[str], *, taken: set[str]) -> list[str]:
    """One new slug per name, none in `taken` nor repeated: "-2", "-3"… after a taken one.
    `taken` gains the new slugs."""
    slugs = []
    for name in names:
        base = candidate = base_slug(name)
        number = 1
        while candidate in taken:
            number += 1
            candidate = f"{base}-{number}"
        taken.add(candidate)
        slugs.append(candidate)
    return slugs


def taken_slugs(session: Session, like: str | None = None) -> set[str]:
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
        [slug] = unique_slugs([partner.name], taken=taken_slugs(session, like=base))
        session.add(PartnerSlug(slug=slug, partner_id=partner.id))
    session.execute(update(Partner).where(Partner.id == partner.id).values(slug=slug))
    partner.slug = slug
