from datetime import timedelta

import pytest

from directory import accounts
from directory.accounts import SignInRefused, StaffSession
from directory.clock import utcnow
from directory.validation import FormErrors

PASSWORD = "un mot de passe solide"


@pytest.fixture
def staff_id(engine):
    return accounts.create_staff(engine, email="Camille@Atelier.example.org", name="Camille", password=PASSWORD)


def test_passwords_are_hashed_with_argon2id(engine, staff_id):
    stored = accounts.get_staff(engine, staff_id)
    assert stored.password_hash.startswith("$argon2id$") and PASSWORD not in stored.password_hash
    assert stored.email == "camille@atelier.example.org"


def test_the_right_password_signs_in_whatever_the_email_case(engine, staff_id):
    assert accounts.authenticate(engine, "CAMILLE@atelier.example.org", PASSWORD).id == staff_id


def test_unknown_account_and_wrong_password_get_the_same_refusal(engine, staff_id):
    with pytest.raises(SignInRefused) as unknown:
        accounts.authenticate(engine, "nobody@atelier.example.org", PASSWORD)
    with pytest.raises(SignInRefused) as wrong:
        accounts.authenticate(engine, "camille@atelier.example.org", "wrong password!")
    assert str(unknown.value) == str(wrong.value) and unknown.value.text == wrong.value.text


def test_five_failures_lock_the_account_for_fifteen_minutes(engine, staff_id):
    now = utcnow()
    for _ in range(accounts.MAX_FAILURES):
        with pytest.raises(SignInRefused):
            accounts.authenticate(engine, "camille@atelier.example.org", "wrong", now=now)
    with pytest.raises(SignInRefused):  # locked: even the right password is refused
        accounts.authenticate(engine, "camille@atelier.example.org", PASSWORD, now=now + timedelta(minutes=14))
    assert accounts.authenticate(engine, "camille@atelier.example.org", PASSWORD,
                                 now=now + timedelta(minutes=15, seconds=1)).id == staff_id
    assert accounts.get_staff(engine, staff_id).failed_logins == 0


def test_four_failures_then_success_resets_the_count(engine, staff_id):
    for _ in range(accounts.MAX_FAILURES - 1):
        with pytest.raises(SignInRefused):
            accounts.authenticate(engine, "camille@atelier.example.org", "wrong")
    accounts.authenticate(engine, "camille@atelier.example.org", PASSWORD)
    with pytest.raises(SignInRefused):
        accounts.authenticate(engine, "camille@atelier.example.org", "wrong")
    assert accounts.authenticate(engine, "camille@atelier.example.org", PASSWORD).id == staff_id


def test_a_deactivated_account_cannot_sign_in(engine, staff_id):
    accounts.set_active(engine, staff_id, False, actor="test")
    with pytest.raises(SignInRefused):
        accounts.authenticate(engine, "camille@atelier.example.org", PASSWORD)
    assert accounts.staff_for_identity(engine, "camille@atelier.example.org") is None


def test_sessions_expire_after_30_minutes_idle_or_8_hours_in_all():
    start = utcnow()
    session = StaffSession(1, start, start)
    assert not session.expired(start + timedelta(minutes=29))
    assert session.expired(start + timedelta(minutes=31))
    busy = session
    for minutes in range(20, 8 * 60, 20):
        busy = busy.seen(start + timedelta(minutes=minutes))
    assert not busy.expired(start + timedelta(hours=7, minutes=50))
    assert busy.expired(start + timedelta(hours=8, minutes=1))


def test_accounts_need_a_valid_unique_email_and_a_long_password(engine, staff_id):
    with pytest.raises(FormErrors) as failed:
        accounts.create_staff(engine, email="camille@atelier.example.org", name="", password="court")
    assert set(failed.value.errors) == {"email", "name", "password"}


def test_identity_provider_accounts_have_no_password(engine):
    sso_id = accounts.create_staff(engine, email="dominique@atelier.example.org", name="Dominique", password=None)
    with pytest.raises(SignInRefused):
        accounts.authenticate(engine, "dominique@atelier.example.org", "")
    assert accounts.staff_for_identity(engine, "Dominique@atelier.example.org").id == sso_id
    assert accounts.staff_for_identity(engine, "intruder@example.org") is None


def test_a_reset_password_works_and_unlocks(engine, staff_id):
    accounts.reset_password(engine, staff_id, "un tout nouveau mot de passe", actor="test")
    assert accounts.authenticate(engine, "camille@atelier.example.org", "un tout nouveau mot de passe").id == staff_id
