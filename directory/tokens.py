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


# The cookie in which Streamlit keeps each browser's anti-forgery token.
BROWSER_COOKIE = "_streamlit_xsrf"


def browser_key(cookie: str | None) -> str:
    """A digest of the token a browser holds in BROWSER_COOKIE ("" without one). The cookie's value
    is masked anew at each visit ("2|mask|masked|time", hexadecimal, a 4-byte mask repeated over
    the token); the token under the mask is the browser's, and stays."""
    parts = (cookie or "").strip("\"'").split("|")
    try:
        if len(parts) == 4 and parts[0] == "2":
            mask, masked = bytes.fromhex(parts[1]), bytes.fromhex(parts[2])
            token = bytes(byte ^ mask[index % len(mask)] for index, byte in enumerate(masked)) if mask else b""
        elif len(parts) == 1 and parts[0]:
            token = bytes.fromhex(parts[0])
        else:
            return ""
    except ValueError:
        return ""
    return hashlib.sha256(token).hexdigest() if token else ""
