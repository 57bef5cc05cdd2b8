"""Staff accounts: argon2id password hashes, sign-in throttled per account in the database,
idle and absolute session expiry, and sign-in through an identity provider for listed emails."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import select, update
from sqlalchemy.engine import Engine

from directory import audit
from directory.clock import utcnow
from directory.db import read_session, write_session
from directory.i18n import N_
from directory.models import NAME_MAX, StaffRole, StaffUser
from directory.validation import FormCheck, Invalid, clean_choice, clean_email, clean_text

MAX_FAILURES = 5
LOCK_DURATION = timedelta(minutes=15)
IDLE_TIMEOUT = timedelta(minutes=30)
ABSOLUTE_TIMEOUT = timedelta(hours=8)
MIN_PASSWORD_LENGTH = 12

_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters
# Verified when the account does not exist, so both answers take the same time.
_DUMMY_HASH = _hasher.hash("not a password of anyone")


class SignInRefused(Exception):
    """One message for an unknown account, a wrong password, a locked or deactivated account."""

    text = N_("Identifiant ou mot de passe incorrect (après 5 échecs, le compte est bloqué 15 minutes).")


def clean_password(password: str) -> str:
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise Invalid(N_("Le mot de passe compte au moins {min} caractères."), min=MIN_PASSWORD_LENGTH)
    if len(password) > 1024:
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
        audit.record(session, actor=actor, action="created", entity="staff", entity_id=staff.id,
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


def authenticate(engine: Engine, email: str, password: str, *, now: datetime | None = None) -> StaffUser:
    """The staff member, or SignInRefused. Failures are counted per account; five lock it."""
    now = now or utcnow()
    try:
        address = clean_email(email, required=True)
    except Invalid:
        address = ""
    staff = find_staff_by_email(engine, address) if address else None
    if staff is None or not staff.password_hash:
        _verify(_DUMMY_HASH, password)
        raise SignInRefused()
    locked = staff.locked_until is not None and staff.locked_until > now
    if not _verify(staff.password_hash, password) or locked or not staff.is_active:
        if not locked:
            _count_failure(engine, staff, now)
        raise SignInRefused()
    with write_session(engine) as session:
        values = {"failed_logins": 0, "locked_until": None, "last_login_at": now}
        if _hasher.check_needs_rehash(staff.password_hash):
            values["password_hash"] = _hasher.hash(password)
        session.execute(update(StaffUser).where(StaffUser.id == staff.id).values(**values))
    return staff


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password or "")
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def _count_failure(engine: Engine, staff: StaffUser, now: datetime) -> None:
    """Counted in the database (atomically), so attempts spread over replicas add up."""
    with write_session(engine) as session:
        session.execute(update(StaffUser).where(StaffUser.id == staff.id)
                        .values(failed_logins=StaffUser.failed_logins + 1))
        failures = session.execute(select(StaffUser.failed_logins).where(StaffUser.id == staff.id)).scalar_one()
        if failures >= MAX_FAILURES:
            session.execute(update(StaffUser).where(StaffUser.id == staff.id)
                            .values(failed_logins=0, locked_until=now + LOCK_DURATION))


def staff_for_identity(engine: Engine, email: str | None) -> StaffUser | None:
    """The active account whose email the identity provider vouched for (the allow-list)."""
    if not email:
        return None
    staff = find_staff_by_email(engine, email)
    return staff if staff is not None and staff.is_active else None


@dataclass(frozen=True)
class StaffSession:
    """What the browser session remembers of a sign-in: never the account itself."""

    staff_id: int
    signed_in_at: datetime
    last_seen: datetime

    def expired(self, now: datetime) -> bool:
        return now - self.last_seen > IDLE_TIMEOUT or now - self.signed_in_at > ABSOLUTE_TIMEOUT

    def seen(self, now: datetime) -> "StaffSession":
        return StaffSession(self.staff_id, self.signed_in_at, now)


def set_active(engine: Engine, staff_id: int, active: bool, *, actor: str) -> None:
    with write_session(engine) as session:
        session.execute(update(StaffUser).where(StaffUser.id == staff_id).values(is_active=active))
        audit.record(session, actor=actor, action="reactivated" if active else "deactivated",
                     entity="staff", entity_id=staff_id)


def reset_password(engine: Engine, staff_id: int, password: str, *, actor: str) -> None:
    """Raises FormErrors for a password too short."""
    check = FormCheck()
    check("password", clean_password, password)
    check.raise_if_invalid()
    with write_session(engine) as session:
        session.execute(update(StaffUser).where(StaffUser.id == staff_id).values(
            password_hash=_hasher.hash(password), failed_logins=0, locked_until=None))
        audit.record(session, actor=actor, action="password_reset", entity="staff", entity_id=staff_id)
