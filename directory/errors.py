"""What the domain says when it will not do what a person asked: one base, carrying the message.

No page catches it: `directory.ui.apply_change` (a change) and `directory.ui.read_or_explain` (a read,
such as an unknown link) show its message, in the person's language; nothing was written.
"""

from __future__ import annotations

from typing import Any

from directory.i18n import N_
from directory.validation import Message


class Refusal(Exception):
    """Something asked for cannot be done now; `message` tells the person why (`text` is the default)."""

    text = N_("Cette action n'est pas possible.")

    def __init__(self, text: str | None = None, **params: Any) -> None:
        super().__init__(text or self.text)
        self.message = Message(text or self.text, params)
