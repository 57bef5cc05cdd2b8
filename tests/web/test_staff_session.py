"""The addresses that set and drop the staff session's cookie."""

import os
import socket

import pytest

from directory import accounts
from directory.accounts import SESSION_COOKIE
from directory.tokens import BROWSER_COOKIE, browser_key

BROWSER_TOKEN = bytes(range(16))


def browser_cookie(token: bytes = BROWSER_TOKEN) -> str:
    """A browser's anti-forgery cookie as Streamlit writes it: its token under a new mask each time."""
    mask = os.urandom(4)
    return f"2|{mask.hex()}|{bytes(byte ^ mask[i % 4] for i, byte in enumerate(token)).hex()}|1764806400"


@pytest.fixture
def code(engine, site):
    staff_id = accounts.create_staff(engine, email="camille@atelier.example.org", name="Camille",
                                     password="un mot de passe solide")
    site.cookies.set(BROWSER_COOKIE, browser_cookie())  # the browser that signed in, another visit
    return accounts.open_session(engine, accounts.get_staff(engine, staff_id), client_address="192.0.2.1",
                                 browser=browser_key(browser_cookie()))


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


def test_the_cookie_is_secure_as_the_public_address_says_not_as_a_client_header_says(site, code, monkeypatch):
    """Issue 20, item 5: X-Forwarded-Proto from any client decided `Secure`."""
    forged = site.get("/equipe/session", params={"code": code, "next": "/"},
                      headers={"X-Forwarded-Proto": "https"}, follow_redirects=False)
    assert "Secure" not in forged.headers["set-cookie"]
    monkeypatch.setenv("VITRINE_PUBLIC_URL", "https://vitrine.test/")
    secret = forged.cookies[SESSION_COOKIE]
    site.cookies.set(SESSION_COOKIE, secret)
    answer = site.get("/equipe/deconnexion", follow_redirects=False)
    assert "Secure" in answer.headers["set-cookie"]


def test_an_unknown_host_is_refused_once_hosts_are_configured(site, monkeypatch):
    assert site.get("/robots.txt").status_code == 200
    forged = site.get("/robots.txt", headers={"Host": "evil.example"})
    assert forged.status_code == 400 and "evil" not in forged.text
    assert "VITRINE_ALLOWED_HOSTS" in forged.text
    assert site.get("/healthz", headers={"Host": "10.0.0.5:8501"}).status_code == 200  # load balancers
    monkeypatch.delenv("VITRINE_ALLOWED_HOSTS")
    monkeypatch.setenv("VITRINE_PUBLIC_URL", "https://vitrine.test/")
    assert site.get("/robots.txt", headers={"Host": "evil.example"}).status_code == 400


@pytest.mark.parametrize(("host", "answered"), [
    ("localhost:8501", True), ("127.0.0.1:8501", True), ("[::1]:8501", True), ("vitrine.localhost", True),
    (f"{socket.gethostname()}:8501", True), ("evil.example", False), ("evil.example:8501", False),
    ("127.0.0.1.evil.example", False), ("", False),
])
def test_with_no_setting_only_this_machines_names_are_answered(site, monkeypatch, host, answered):
    """Issue 32, item 9: a fresh install wrote `Host: evil.example` into robots.txt."""
    monkeypatch.delenv("VITRINE_ALLOWED_HOSTS")
    answer = site.get("/robots.txt", headers={"Host": host})
    assert answer.status_code == (200 if answered else 400)
    assert "evil" not in answer.text
    if answered:  # the catalogue's links name the Host asked for: caches keep one per Host
        vary = site.get("/donnees/catalogue.jsonld", headers={"Host": host}).headers.get_list("vary")
        assert vary == ["Accept-Encoding, Host"]


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


def test_a_sign_in_code_works_only_in_the_browser_that_signed_in(site, engine, code):
    """Issue 20: a code seen elsewhere (a log, a shoulder) signs no other browser in."""
    site.cookies.set(BROWSER_COOKIE, browser_cookie(bytes(16)))
    elsewhere = site.get("/equipe/session", params={"code": code, "next": "/journal"}, follow_redirects=False)
    assert elsewhere.status_code == 303 and "set-cookie" not in elsewhere.headers
    site.cookies.delete(BROWSER_COOKIE)
    no_cookie = site.get("/equipe/session", params={"code": code, "next": "/journal"}, follow_redirects=False)
    assert "set-cookie" not in no_cookie.headers
    site.cookies.set(BROWSER_COOKIE, browser_cookie())
    assert SESSION_COOKIE in site.get("/equipe/session", params={"code": code}, follow_redirects=False).cookies


def test_signing_out_ends_the_session_itself_and_another_site_cannot(site, engine, code):
    secret = site.get("/equipe/session", params={"code": code}, follow_redirects=False).cookies[SESSION_COOKIE]
    site.cookies.set(SESSION_COOKIE, secret)
    for header in ({"Sec-Fetch-Site": "cross-site"}, {"Sec-Fetch-Site": "same-site"},
                   {"Origin": "https://evil.example"}):
        refused = site.get("/equipe/deconnexion", headers=header, follow_redirects=False)
        assert refused.status_code == 403 and "set-cookie" not in refused.headers
        assert "refusée" in refused.text
    assert accounts.session_staff(engine, secret).name == "Camille"  # still signed in
    answer = site.get("/equipe/deconnexion", headers={"Sec-Fetch-Site": "same-origin"}, follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["set-cookie"].startswith(f'{SESSION_COOKIE}=""')
    assert accounts.session_staff(engine, secret) is None  # the row ended, not only the cookie
