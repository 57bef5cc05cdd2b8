"""The documented deployment, for real: Debian's nginx running deploy/nginx-vitrine.conf (TLS with a
throwaway certificate) in front of two replicas on PostgreSQL, driven by Chromium."""

from __future__ import annotations

import os
import re
import signal
import socket
import ssl
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlmodel import Session, select

from directory import accounts, db
from directory.accounts import SESSION_COOKIE
from directory.models import Application, StaffSession
from directory.showcase import application_number
from tests.browser.conftest import NGINX, free_port, start_nginx, start_server, stop_server, wait_until_ready
from tests.browser.test_apply import fill_application
from tests.factories import make_slot

pytestmark = pytest.mark.browser
PASSWORD = "un mot de passe solide"
# nginx reaches the replicas from this address, the one VITRINE_TRUSTED_PROXIES names: the browser,
# on 127.0.0.1, is then told apart from the proxy.
PROXY_ADDRESS = "127.0.0.2"
CONTACT_EMAIL = "camille@forez.example.org"  # fill_application's


@dataclass
class Deployment:
    base: str  # https://localhost:<port>, through nginx
    http: str  # the plain-HTTP server of the same configuration
    replicas: dict[int, subprocess.Popen]  # by port
    engine: object


@pytest.fixture
def deployment(postgres_url, tmp_path):
    if not Path(NGINX).exists():
        reason = "deployment tests skipped: nginx is missing (.ci/run installs Debian's nginx-light)"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    engine = db.make_engine(postgres_url)
    db.migrate(engine)
    tls, http = free_port(), free_port()
    settings = {"VITRINE_TRUSTED_PROXIES": f"{PROXY_ADDRESS}/32", "VITRINE_PUBLIC_URL": f"https://localhost:{tls}"}
    replicas = {}
    for name in ("a", "b"):
        process, url = start_server(postgres_url, tmp_path / f"replica-{name}.log", settings=settings)
        replicas[int(url.rsplit(":", 1)[1])] = process
    nginx = start_nginx(tmp_path, list(replicas), tls, http, proxy_address=PROXY_ADDRESS)
    yield Deployment(f"https://localhost:{tls}", f"http://localhost:{http}", replicas, engine)
    nginx.terminate()
    nginx.wait(timeout=10)
    for process in replicas.values():
        if process.poll() is None:
            stop_server(process)
    engine.dispose()


def established_to(port: int) -> int:
    """Open TCP connections to a local port (a page's WebSocket, through nginx)."""
    count = 0
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            if fields[3] == "01" and int(fields[1].rsplit(":", 1)[1], 16) == port:
                count += 1
    return count


def serving_replica(deployment: Deployment) -> int:
    deadline = time.time() + 20
    while time.time() < deadline:
        busy = [port for port in deployment.replicas if established_to(port)]
        if len(busy) == 1:
            return busy[0]
        time.sleep(0.2)
    pytest.fail("no single replica holds the page's connection")


def test_pages_sign_in_and_client_address_through_nginx(deployment, browser):
    accounts.create_staff(deployment.engine, email="equipe@atelier.example.org", name="Équipe", password=PASSWORD)
    # What a visitor writes in X-Forwarded-For is replaced by nginx with the address it sees.
    context = browser.new_context(ignore_https_errors=True, viewport={"width": 1400, "height": 1000},
                                  extra_http_headers={"X-Forwarded-For": "203.0.113.9"})
    page = context.new_page()
    page.goto(deployment.base + "/")
    wait_until_ready(page)  # the page ran: its WebSocket went through the proxy
    assert page.get_by_role("heading", level=1).count() == 1
    page.goto(deployment.base + "/connexion")
    wait_until_ready(page)
    page.get_by_label("E-mail").fill("equipe@atelier.example.org")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.get_by_role("button", name="Se déconnecter").wait_for(state="attached", timeout=30_000)

    [cookie] = [c for c in context.cookies() if c["name"] == SESSION_COOKIE]
    assert cookie["secure"] and cookie["httpOnly"]
    with Session(deployment.engine) as session:
        assert session.exec(select(StaffSession.client_address)).all() == ["127.0.0.1"]
    context.close()

    assert urllib.request.urlopen(deployment.http + "/healthz", timeout=5).status == 200
    with pytest.raises(urllib.error.HTTPError) as redirect:  # plain HTTP is sent to HTTPS
        urllib.request.build_opener(NoRedirect).open(deployment.http + "/candidater", timeout=5)
    assert redirect.value.code == 301 and redirect.value.headers["Location"].startswith("https://localhost")
    assert "nginx/" not in redirect.value.headers.get("Server", "") + redirect.value.read().decode()  # no version

    # Issue 32, item 8: another name gets no answer at all, on either port; no TLS for it either.
    tls_port, http_port = int(deployment.base.rsplit(":", 1)[1]), int(deployment.http.rsplit(":", 1)[1])
    for port in (http_port, tls_port):
        with socket.create_connection(("127.0.0.1", port), timeout=5) as connection:
            if port == tls_port:
                connection = ssl._create_unverified_context().wrap_socket(connection, server_hostname="localhost")
            connection.sendall(b"GET /candidater HTTP/1.1\r\nHost: evil.example\r\n\r\n")
            assert connection.recv(4096) == b""  # closed without an answer (444)
    with socket.create_connection(("127.0.0.1", tls_port), timeout=5) as connection, \
            pytest.raises(ssl.SSLError):
        ssl._create_unverified_context().wrap_socket(connection, server_hostname="evil.example")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def stored_applications(engine) -> list[int]:
    """The numbers of the applications stored for the test's startup."""
    with Session(engine) as session:
        return list(session.exec(select(Application.id).where(Application.contact_email == CONTACT_EMAIL)))


@pytest.mark.parametrize("killed", ["before the answer", "once stored"])
def test_a_replica_killed_while_a_visitor_applies_loses_nothing_and_stores_nothing_twice(deployment, browser, killed):
    make_slot(deployment.engine)
    context = browser.new_context(ignore_https_errors=True, viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.goto(deployment.base + "/candidater")
    wait_until_ready(page)
    fill_application(page)
    first = serving_replica(deployment)
    page.get_by_role("button", name="Envoyer ma candidature").click()
    if killed == "once stored":
        deadline = time.time() + 30
        while not stored_applications(deployment.engine):
            assert time.time() < deadline
            time.sleep(0.05)
    os.kill(deployment.replicas[first].pid, signal.SIGKILL)
    deployment.replicas[first].wait(timeout=10)

    # The page reconnects through nginx to the other replica. It shows the confirmation if it came
    # before the kill; else the form, still holding what the visitor typed, which one click sends:
    # stored then, or said to be there already. An insert killed before its commit still used a
    # number of PostgreSQL's sequence, so the stored one may be n°00002: numbers are not contiguous.
    assert serving_replica(deployment) != first
    wait_until_ready(page)
    confirmation = page.get_by_text(re.compile(r"Candidature n°\d+ enregistrée"))
    if not confirmation.count():
        assert page.get_by_label("Nom de la startup *", exact=True).input_value() == "Forez Robotique"
        page.get_by_role("button", name="Envoyer ma candidature").click()
        confirmation.or_(page.get_by_text("déjà une candidature en cours")).first.wait_for(timeout=30_000)
    stored = stored_applications(deployment.engine)
    assert len(stored) == 1
    if confirmation.count():
        assert f"n°{application_number(stored[0])} " in confirmation.inner_text()
    context.close()

