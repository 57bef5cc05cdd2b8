"""What the domain says when it will not do what a person asked: one base, carrying the message.

Pages catch `Refusal` alone (and `FormErrors` for a form's faulty fields): `directory.ui.apply_change`
shows its message, in the person's language, and nothing was written.
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
