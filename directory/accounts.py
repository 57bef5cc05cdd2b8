"""Staff accounts: argon2id password hashes, sign-in throttled in the database, sessions kept in
the database (every replica knows them) with idle and absolute expiry, and sign-in through an
identity provider for listed emails."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import delete, select, update
from sqlalchemy.engine import Engine
from sqlmodel import Session

from directory import audit, ratelimit, settings
from directory.audit import AuditAction
from directory.clock import aware, utcnow
from directory.db import read_session, write_session
from directory.errors import Refusal
from directory.i18n import N_
from directory.models import EMAIL_MAX, NAME_MAX, StaffRole, StaffSession, StaffUser
from directory.tokens import new_token, token_hash
from directory.turns import NoTurn, Turns
from directory.validation import (
    FormCheck,
    Invalid,
    clean_choice,
    clean_email,
    clean_text,
)

MAX_FAILURES = 5  # per account and client address, then that pair waits for the lock to end
LOCK_DURATION = timedelta(minutes=15)
CLIENT_FAILURES = 10  # per client address on any accounts, before answers slow down
FAILURE_WINDOW = timedelta(minutes=15)
MAX_DELAY_SECONDS = 8.0
ANONYMOUS = "anonymous"
IDLE_TIMEOUT = timedelta(minutes=30)
ABSOLUTE_TIMEOUT = timedelta(hours=8)
SEEN_PRECISION = timedelta(minutes=1)  # how often a busy session's last activity is written
HANDOFF_TIME = timedelta(minutes=1)
SESSION_COOKIE = "vitrine_session"
MIN_PASSWORD_LENGTH = 12
PASSWORD_MAX = 1024  # longer is refused before hashing: argon2 would hash it all

_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters
# Each check holds 64 MiB for its time: a burst of sign-ins takes turns instead of adding up
# (VITRINE_PASSWORD_CHECKS at once per process, 2 by default), a client's first try before its
# repeated ones and a known account before an unknown one; past HASH_WAIT an attempt is told to retry.
HASH_WAIT_SECONDS = 15.0
_password_checks = Turns(settings.password_checks())


class SignInBusy(Refusal):
    text = N_("Trop de connexions en même temps : réessayez dans un instant.")


class SignInRefused(Refusal):
    """One message for an unknown account, a wrong password, a locked or deactivated account."""

    text = N_("Identifiant ou mot de passe incorrect. Après 5 échecs depuis ce poste, la connexion à ce "
                 "compte y est suspendue 15 minutes.")


def clean_password(password: str) -> str:
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise Invalid(N_("Le mot de passe compte au moins {min} caractères."), min=MIN_PASSWORD_LENGTH)
    if len(password) > PASSWORD_MAX:
        raise Invalid(N_("Le mot de passe est trop long."))
    return password


def create_staff(engine: Engine, *, email: str, name: str, password: str | None,
                 role: str = StaffRole.STAFF, actor: str = "cli") -> int:
    """A new account; `password=None` makes an account that signs in only through the identity
    provider. Raises FormErrors."""
    check = FormCheck()
    values = {
        "email": (check("email", clean_email, email, required=True) or "").lower(),
        "name": check("name", clean_text, name, max_length=NAME_MAX, required=True),
        "role": check("role", clean_choice, role, StaffRole),
    }
    if password is not None:
        check("password", clean_password, password)
    if values["email"] and find_staff_by_email(engine, values["email"]) is not None:
        check.fail("email", N_("Un compte existe déjà pour cette adresse."))
    check.raise_if_invalid()
    with write_session(engine) as session:
        staff = StaffUser(**values, password_hash=_hasher.hash(password) if password else "")
        session.add(staff)
        session.flush()
        audit.record(session, actor=actor, action=AuditAction.CREATED, entity="staff", entity_id=staff.id,
                     after={"email": staff.email, "role": staff.role})
        return staff.id


def find_staff_by_email(engine: Engine, email: str) -> StaffUser | None:
    """Emails are stored in lower case, and compared so."""
    with read_session(engine) as session:
        return session.execute(select(StaffUser).where(StaffUser.email == email.strip().lower())).scalar_one_or_none()


def get_staff(engine: Engine, staff_id: int) -> StaffUser | None:
    with read_session(engine) as session:
        return session.get(StaffUser, staff_id)


def list_staff(engine: Engine) -> list[StaffUser]:
    with read_session(engine) as session:
        return list(session.execute(select(StaffUser).order_by(StaffUser.name)).scalars())


def authenticate(engine: Engine, email: str, password: str, *, client_address: str,
                 now: datetime | None = None, pause: Callable[[float], None] = time.sleep) -> StaffUser:
    """The staff member, or SignInRefused; every attempt is in the audit log with its client address.

    Five failures lock the pair (account, client address) for up to 15 minutes: someone who
    knows a staff address cannot lock its owner out from elsewhere. Past five failures on an
    account from anywhere, or ten from one client address on any accounts, each answer is held
    back longer (1, 2, 4… up to 8 seconds): that slows an attack without refusing anyone.
    """
    now = now or utcnow()
    try:
        address = clean_email(email, required=True).lower()
    except Invalid:
        address = (email or "").strip()[:EMAIL_MAX]
    keys = _SignInKeys(address, client_address)
    staff = find_staff_by_email(engine, address)
    attempt = _count_attempt(engine, keys, now)
    excess = max(attempt.account - 1 - MAX_FAILURES, attempt.client - 1 - CLIENT_FAILURES)
    if excess >= 0:
        pause(min(2.0 ** excess, MAX_DELAY_SECONDS))
    known = staff is not None and bool(staff.password_hash)
    # The lock is checked before any hash: a locked pair costs no password check.
    accepted = (attempt.pair <= MAX_FAILURES and _verify(staff.password_hash if known else _dummy_hash(), password,
                                                         rank=(attempt.client or attempt.pair, not known))
                and known and staff.is_active)
    seen = {"email": address, "client_address": client_address}
    with write_session(engine) as session:
        if not accepted:
            _record_failure(session, staff, attempt, seen)
        else:
            ratelimit.forget(session, keys.pair(session))
            for key in (keys.account(session), keys.client(session)):  # counted as an attempt, it was not a failure
                ratelimit.give_back(session, key)  # (an unknown client's key holds nothing)
            values = {"last_login_at": now}
            if _hasher.check_needs_rehash(staff.password_hash):
                values["password_hash"] = _hasher.hash(password)
            session.execute(update(StaffUser).where(StaffUser.id == staff.id).values(**values))
            audit.record(session, actor=actor_of(staff), action=AuditAction.SIGNED_IN, entity="staff",
                         entity_id=staff.id, after=seen)
    if not accepted:
        raise SignInRefused()
    return staff


@dataclass(frozen=True)
class _SignInKeys:
    """The rate-limit keys a sign-in attempt counts against (hashed: no address is kept there)."""

    email: str
    client_address: str

    def pair(self, session: Session) -> str:
        """Per account and client address; per account alone for clients whose address is unknown."""
        return ratelimit.limit_key(session, "sign-in-pair", f"{self.email}|{self.client_address or 'unknown'}")

    def client(self, session: Session) -> str:
        return ratelimit.limit_key(session, "sign-in-client", self.client_address)

    def account(self, session: Session) -> str:
        return ratelimit.limit_key(session, "sign-in-account", self.email)


@dataclass(frozen=True)
class _Attempt:
    """An attempt's number among the attempts of its window, per key: counted before the password
    is checked, in one statement each, so that N attempts at once are numbered 1 to N."""

    keys: _SignInKeys
    pair: int
    account: int
    client: int


def _count_attempt(engine: Engine, keys: _SignInKeys, now: datetime) -> _Attempt:
    with write_session(engine) as session:
        return _Attempt(keys, ratelimit.count(session, keys.pair(session), window=LOCK_DURATION, now=now),
                        ratelimit.count(session, keys.account(session), window=FAILURE_WINDOW, now=now),
                        ratelimit.count(session, keys.client(session), window=FAILURE_WINDOW, now=now)
                        if keys.client_address else 0)


def _record_failure(session: Session, staff: StaffUser | None, attempt: _Attempt, seen: dict) -> None:
    """Audited; the failure that fills the pair's allowance (one attempt holds that number) logs the lock."""
    who = actor_of(staff) if staff is not None else ANONYMOUS
    entity_id = staff.id if staff is not None else 0
    audit.record(session, actor=who, action=AuditAction.SIGN_IN_FAILED, entity="staff", entity_id=entity_id,
                 after=seen)
    if attempt.pair == MAX_FAILURES:
        audit.record(session, actor=who, action=AuditAction.LOCKED_OUT, entity="staff", entity_id=entity_id,
                     after={**seen, "until": ratelimit.window_end(session, attempt.keys.pair(session),
                                                                   window=LOCK_DURATION)})


@cache
def _dummy_hash() -> str:
    """Verified when the account does not exist, so both answers take the same time (made on first
    use, not at import: a hash costs 0.1 s and every command and server start would pay it)."""
    return _hasher.hash("not a password of anyone")


def _verify(password_hash: str, password: str, *, rank: tuple) -> bool:
    """Raises SignInBusy when no check could start within HASH_WAIT_SECONDS."""
    try:
        with _password_checks.turn(rank, wait=HASH_WAIT_SECONDS):
            return _hasher.verify(password_hash, password or "")
    except NoTurn as busy:
        raise SignInBusy() from busy
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def staff_for_identity(engine: Engine, email: str | None) -> StaffUser | None:
    """The active account whose email the identity provider vouched for (the allow-list)."""
    if not email:
        return None
    staff = find_staff_by_email(engine, email)
    return staff if staff is not None and staff.is_active else None


def actor_of(staff: StaffUser) -> str:
    """How the audit log names a staff member (the journal shows the name)."""
    return f"staff:{staff.id} {staff.email}"


# --- Sessions -------------------------------------------------------------------------------------

class SessionExpired(Exception):
    """The session was idle 30 minutes or lasted 8 hours: the member signs in again."""


def open_session(engine: Engine, staff: StaffUser, *, client_address: str, handoff: bool = True,
                 browser: str = "", now: datetime | None = None) -> str:
    """A new session's secret. With `handoff`, the secret is a one-time code that the browser
    `browser` (`tokens.browser_key`) trades for its cookie within a minute (`redeem_handoff`);
    without, a secret kept by the caller."""
    now = now or utcnow()
    secret = new_token()
    with write_session(engine) as session:
        session.add(StaffSession(secret_hash=token_hash(secret), staff_id=staff.id, started_at=now, last_seen_at=now,
                                 handoff_until=now + HANDOFF_TIME if handoff else None,
                                 client_address=client_address[:64], browser_key=browser))
    return secret


def redeem_handoff(engine: Engine, code: str, *, browser: str, now: datetime | None = None) -> str | None:
    """The session's lasting secret, for the cookie, in exchange for its unused code (once), in
    the browser that signed in (the same `tokens.browser_key`) only."""
    now = now or utcnow()
    secret = new_token()
    with write_session(engine) as session:
        redeemed = session.execute(update(StaffSession).where(
            StaffSession.secret_hash == token_hash(code or ""), StaffSession.handoff_until >= now,
            StaffSession.browser_key == browser,
        ).values(secret_hash=token_hash(secret), handoff_until=None))
    return secret if redeemed.rowcount == 1 else None


def session_staff(engine: Engine, secret: str, *, now: datetime | None = None) -> StaffUser | None:
    """The active member this session belongs to, or None; raises SessionExpired (and ends the
    session) after 30 minutes idle or 8 hours in all. Read from the database on every call."""
    now = now or utcnow()
    with read_session(engine) as session:
        found = session.execute(select(StaffSession, StaffUser).join(StaffUser).where(
            StaffSession.secret_hash == token_hash(secret))).one_or_none()
    if found is None:
        return None
    staff_session, staff = found
    if staff_session.handoff_until is not None and aware(staff_session.handoff_until) < now:
        return None
    idle, lasted = now - aware(staff_session.last_seen_at), now - aware(staff_session.started_at)
    if idle > IDLE_TIMEOUT or lasted > ABSOLUTE_TIMEOUT:
        end_session(engine, secret, reason=AuditAction.SESSION_EXPIRED)
        raise SessionExpired()
    if not staff.is_active:
        return None
    if idle > SEEN_PRECISION:
        with write_session(engine) as session:
            session.execute(update(StaffSession).where(StaffSession.id == staff_session.id).values(last_seen_at=now))
    return staff


def end_session(engine: Engine, secret: str, *, reason: AuditAction = AuditAction.SIGNED_OUT,
                client_address: str = "") -> None:
    """Ends the session on every replica at once; audited (once, if two replicas end it together)."""
    with write_session(engine) as session:
        ended = session.execute(delete(StaffSession).where(StaffSession.secret_hash == token_hash(secret))
                                .returning(StaffSession.staff_id, StaffSession.client_address)).one_or_none()
        if ended is None:
            return
        staff = session.get(StaffUser, ended.staff_id)
        audit.record(session, actor=actor_of(staff), action=reason, entity="staff", entity_id=staff.id,
                     after={"client_address": client_address or ended.client_address})


def _end_sessions_of(session: Session, staff_id: int) -> None:
    session.execute(delete(StaffSession).where(StaffSession.staff_id == staff_id))


def set_active(engine: Engine, staff_id: int, active: bool, *, actor: str) -> None:
    with write_session(engine) as session:
        session.execute(update(StaffUser).where(StaffUser.id == staff_id).values(is_active=active))
        if not active:
            _end_sessions_of(session, staff_id)
        audit.record(session, actor=actor, action=AuditAction.REACTIVATED if active else AuditAction.DEACTIVATED,
                     entity="staff", entity_id=staff_id)


def reset_password(engine: Engine, staff_id: int, password: str, *, actor: str) -> None:
    """Raises FormErrors for a password too short."""
    check = FormCheck()
    check("password", clean_password, password)
    check.raise_if_invalid()
    with write_session(engine) as session:
        session.execute(update(StaffUser).where(StaffUser.id == staff_id).values(
            password_hash=_hasher.hash(password)))
        _end_sessions_of(session, staff_id)
        audit.record(session, actor=actor, action=AuditAction.PASSWORD_RESET, entity="staff", entity_id=staff_id)
