"""Vitrine's own web addresses, served by Starlette's TestClient on each database engine."""

from __future__ import annotations

import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

from directory import web

SITE = "http://vitrine.test/"


def client_for(engine_provider) -> TestClient:
    app = Starlette(routes=web.routes(engine_provider), middleware=web.middleware(),
                    exception_handlers=web.exception_handlers)
    return TestClient(app, base_url=SITE.rstrip("/"))


@pytest.fixture
def test_host(monkeypatch):
    """The tests' site is named, as a deployment names its own (Django's test runner does the same)."""
    monkeypatch.setenv("VITRINE_ALLOWED_HOSTS", "vitrine.test")


@pytest.fixture
def site(engine, monkeypatch, test_host):
    monkeypatch.delenv("VITRINE_PUBLIC_URL", raising=False)
    with client_for(lambda: engine) as client:
        yield client
