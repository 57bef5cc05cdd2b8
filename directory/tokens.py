"""The secrets behind private links and staff sessions: random or derived from the server's
secret, and stored only as a digest."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets

from sqlalchemy import select
from sqlmodel import Session

from directory import settings
from directory.db import insert_unless_present
from directory.models import ServerSecret

# 32 random bytes, URL-safe base64 without padding: 43 characters.
TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_-]{43}$")


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    """What the database keeps: a leaked table gives no working link or session."""
    return hashlib.sha256(token.encode()).hexdigest()


def server_secret(session: Session, name: str) -> bytes:
    """A random secret every replica shares, kept in the database under `name`; made anew if the
    row is gone (a database emptied by hand), the first replica to need it writing it."""
    value = session.execute(select(ServerSecret.value).where(ServerSecret.name == name)).scalar()
    if value is None:  # another replica may write it meanwhile: the first one written holds
        insert_unless_present(session, ServerSecret, name=name, value=secrets.token_hex(32))
        value = session.execute(select(ServerSecret.value).where(ServerSecret.name == name)).scalar_one()
    return value.encode()


def link_secret(session: Session) -> bytes:
    """The secret private links are derived from: VITRINE_SECRET_KEY when the deployment sets one
    (then a copy of the database alone gives no working link), else a secret kept in the database."""
    configured = settings.secret_key()
    return configured.encode() if configured else server_secret(session, "private-links")


def derived_token(secret: bytes, label: str) -> str:
    """The token `label` stands for: the same each time it is derived, unguessable without the secret
    (43 characters, as a random token)."""
    digest = hmac.new(secret, label.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


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
