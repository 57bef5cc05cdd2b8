"""The secrets behind private links and staff sessions: random, and stored only as a digest."""

from __future__ import annotations

import hashlib
import re
import secrets

# 32 random bytes, URL-safe base64 without padding: 43 characters.
TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_-]{43}$")


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    """What the database keeps: a leaked table gives no working link or session."""
    return hashlib.sha256(token.encode()).hexdigest()
