"""Fetching a source (issue 32, item 3): one deadline over connection, headers and body, and the
connection made to the address that was checked, never to a second answer of the resolver."""

from __future__ import annotations

import socket
import time

import pytest

from directory import sources
from directory.i18n import translate
from tests.factories import DRIPPING, SILENT, bad_server


def said(refusal: sources.SourceFailed, language: str = "fr") -> str:
    return translate(refusal.message.text, language, **refusal.message.params)


@pytest.mark.parametrize("manner", [SILENT, DRIPPING])
def test_a_server_that_never_finishes_its_answer_fails_at_the_deadline(manner, monkeypatch):
    monkeypatch.setenv("VITRINE_SOURCES_ALLOW_INTERNAL", "1")
    monkeypatch.setenv("VITRINE_FETCH_SECONDS", "2")
    with bad_server(manner) as (port, received):
        started = time.monotonic()
        with pytest.raises(sources.SourceFailed) as failed:
            sources.fetching.fetch(f"http://127.0.0.1:{port}/membres.csv")
        took = time.monotonic() - started
    assert received and received[0].startswith(b"GET /membres.csv")
    assert said(failed.value) == "Source injoignable : 127.0.0.1 ne répond pas après 2 s ; réessayez plus tard."
    assert 1.9 < took < 4  # the deadline, not a timeout per read (the dripping server never pauses 2 s)


def test_a_name_that_answers_a_public_address_then_this_machine_never_reaches_it(monkeypatch):
    """DNS rebinding: the first answer is checked, the second would be used to connect."""
    answers = iter(["198.51.100.7", "127.0.0.1"])  # a public-looking first answer (refused fast here)
    real = socket.getaddrinfo

    def resolver(host, port, *args, **kwargs):
        if host != "rebind.example":
            return real(host, port, *args, **kwargs)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (next(answers, "127.0.0.1"), port))]

    monkeypatch.setattr(socket, "getaddrinfo", resolver)
    monkeypatch.setattr(sources.fetching.ipaddress.IPv4Address, "is_global",
                        property(lambda address: not address.is_loopback))
    monkeypatch.setenv("VITRINE_FETCH_SECONDS", "2")
    with bad_server(SILENT) as (port, received), pytest.raises(sources.SourceFailed):
        sources.fetching.fetch(f"http://rebind.example:{port}/membres.csv")
    assert received == []  # this machine's server was never asked
    assert next(answers) == "127.0.0.1"  # the name was resolved once


def test_a_redirect_to_this_machine_is_refused_before_connecting(monkeypatch):
    redirects = []

    def resolver(host, port, *args, **kwargs):
        redirects.append(host)
        address = "127.0.0.1" if host == "inside.example" else "198.51.100.8"
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]

    monkeypatch.setattr(socket, "getaddrinfo", resolver)
    with pytest.raises(sources.SourceFailed) as refused:
        sources.fetching.checked_address("http://inside.example/m.csv", "inside.example", 80)
    assert said(refused.value) == ("Cette adresse mène à une machine interne (inside.example) : une source "
                                          "doit être publiée sur Internet.")
