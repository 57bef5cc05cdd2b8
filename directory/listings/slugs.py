"""Slugs: the readable, stable part of a partner's public address (/partenaires/<slug>)."""

from __future__ import annotations

from collections.abc import Iterable

from slugify import slugify

from directory.models import SLUG_MAX


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
