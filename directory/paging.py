"""Long lists shown a page at a time (the explore page's list, the review queue): one rule for
which page exists and which items it holds."""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Page:
    number: int  # 1 to `pages`
    size: int
    total: int  # items in the whole list

    @classmethod
    def of(cls, asked: int, *, size: int, total: int) -> Page:
        """The page asked for, kept within the pages there are (filters may have shrunk the list)."""
        return cls(number=min(max(1, asked), cls(1, size, total).pages), size=size, total=total)

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.size))

    @property
    def offset(self) -> int:
        return (self.number - 1) * self.size

    @property
    def first(self) -> int:
        """The number of its first item (from 1), 0 on an empty list."""
        return self.offset + 1 if self.total else 0

    @property
    def last(self) -> int:
        return min(self.offset + self.size, self.total)
