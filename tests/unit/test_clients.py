"""Issue 20, item 2: one source of client addresses; limits never share one bucket for every
client whose address is unknown."""

import pytest

from directory import accounts, listings
from directory.accounts import SignInRefused
from directory.clients import UNKNOWN, client_address
from directory.listings.corrections import TooManyReports, report_error
from tests.conftest import partner_row


@pytest.mark.parametrize(("proxies", "reported", "forwarded", "client"), [
    ("", "203.0.113.7", None, "203.0.113.7"),  # a direct connection
    ("", "::ffff:203.0.113.7", None, "203.0.113.7"),  # IPv4 over a dual-stack server
    ("", "203.0.113.7", "198.51.100.1", "203.0.113.7"),  # a forwarded address from a client is not believed
    ("", None, None, UNKNOWN),  # Streamlit hides a loopback connection: a same-host proxy that says nothing
    ("", "198.51.100.9", "198.51.100.9", "198.51.100.9"),  # uvicorn believed a proxy on this machine
    ("", "203.0.113.5", "203.0.113.5", "203.0.113.5"),  # a direct client naming itself is itself (issue 32)
    ("", "203.0.113.5", "127.0.0.1", "203.0.113.5"),  # …and so is one that names this machine
    ("127.0.0.1/32", None, "198.51.100.9", "198.51.100.9"),  # nginx on this machine, configured
    ("127.0.0.1/32", "198.51.100.9", "198.51.100.9", "198.51.100.9"),  # the same, through uvicorn
    ("127.0.0.1/32", "198.51.100.9", "6.6.6.6, 198.51.100.9", "198.51.100.9"),  # a forged hop is left of ours
    ("127.0.0.1/32, 10.0.0.0/8", None, "198.51.100.9, 10.0.0.2", "198.51.100.9"),  # two proxies in a row
    ("127.0.0.1/32", "203.0.113.5", "6.6.6.6, 9.9.9.9", "203.0.113.5"),  # straight to the app: its own peer
    ("127.0.0.1/32", None, "not an address", UNKNOWN),
])
def test_the_client_address(monkeypatch, proxies, reported, forwarded, client):
    monkeypatch.setenv("VITRINE_TRUSTED_PROXIES", proxies)
    assert client_address(reported, forwarded) == client


def test_a_wrong_proxy_setting_is_said_plainly(monkeypatch):
    monkeypatch.setenv("VITRINE_TRUSTED_PROXIES", "127.0.0.1/33")
    with pytest.raises(ValueError, match="VITRINE_TRUSTED_PROXIES"):
        client_address("192.0.2.1", None)


def test_unknown_clients_are_limited_per_account_not_all_together(engine):
    accounts.create_staff(engine, email="camille@atelier.example.org", name="Camille",
                          password="un mot de passe solide")
    accounts.create_staff(engine, email="sacha@atelier.example.org", name="Sacha", password="un autre mot de passe")
    for _ in range(accounts.MAX_FAILURES):
        with pytest.raises(SignInRefused):
            accounts.authenticate(engine, "camille@atelier.example.org", "wrong", client_address=UNKNOWN,
                                  pause=lambda _s: None)
    assert accounts.authenticate(engine, "sacha@atelier.example.org", "un autre mot de passe",
                                 client_address=UNKNOWN, pause=lambda _s: None).name == "Sacha"
    assert accounts.authenticate(engine, "camille@atelier.example.org", "un mot de passe solide",
                                 client_address="192.0.2.1", pause=lambda _s: None).name == "Camille"


def test_unknown_clients_use_up_one_card_s_reports_not_every_card_s(engine):
    listings.insert_partners(engine, [partner_row(name="Un"), partner_row(name="Deux")])
    with pytest.raises(TooManyReports):
        for _ in range(100):
            report_error(engine, 1, message="Faux.", email="", language="fr", client=UNKNOWN)
    assert report_error(engine, 2, message="Faux.", email="", language="fr", client=UNKNOWN)
