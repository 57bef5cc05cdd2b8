"""The addresses that set and drop the staff session's cookie."""

import pytest

from directory import accounts
from directory.accounts import SESSION_COOKIE


@pytest.fixture
def code(engine):
    staff_id = accounts.create_staff(engine, email="camille@atelier.example.org", name="Camille",
                                     password="un mot de passe solide")
    return accounts.open_session(engine, accounts.get_staff(engine, staff_id), client_address="192.0.2.1")


def test_a_sign_in_code_becomes_an_httponly_strict_cookie_once(site, engine, code):
    answer = site.get("/equipe/session", params={"code": code, "next": "/journal?lang=en"}, follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/journal?lang=en"
    cookie = answer.headers["set-cookie"]
    assert cookie.startswith(f"{SESSION_COOKIE}=") and "HttpOnly" in cookie and "SameSite=strict" in cookie
    assert "Path=/" in cookie and "Max-Age=28800" in cookie and "Secure" not in cookie
    secret = answer.cookies[SESSION_COOKIE]
    assert accounts.session_staff(engine, secret).name == "Camille"
    again = site.get("/equipe/session", params={"code": code, "next": "/journal"}, follow_redirects=False)
    assert again.status_code == 303 and "set-cookie" not in again.headers


def test_behind_https_the_cookie_is_secure(site, code):
    answer = site.get("/equipe/session", params={"code": code, "next": "/"}, headers={"X-Forwarded-Proto": "https"},
                      follow_redirects=False)
    assert "Secure" in answer.headers["set-cookie"]


@pytest.mark.parametrize("elsewhere", ["https://evil.example/", "//evil.example/", "/\\evil.example",
                                       "/\t/evil.example",
                                       "journal", ""])
def test_after_signing_in_the_browser_only_goes_to_a_page_of_this_site(site, code, elsewhere):
    answer = site.get("/equipe/session", params={"code": code, "next": elsewhere}, follow_redirects=False)
    assert answer.headers["location"] == "/"


def test_signing_out_drops_the_cookie_and_keeps_the_language(site):
    answer = site.get("/equipe/deconnexion", params={"lang": "en"}, follow_redirects=False)
    assert answer.headers["location"] == "/?lang=en"
    dropped = answer.headers["set-cookie"]
    assert dropped.startswith(f'{SESSION_COOKIE}=""') and "Max-Age=0" in dropped
