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
def site(engine, monkeypatch):
    monkeypatch.delenv("VITRINE_PUBLIC_URL", raising=False)
    with client_for(lambda: engine) as client:
        yield client
