"""A real `streamlit run` on 127.0.0.1 and Debian's Chromium driven by Playwright."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel

from directory import db

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
NGINX = "/usr/sbin/nginx"
READY = "[data-testid='stApp'][data-test-script-state='notRunning']"
MAP_FRAME = "iframe[src*='streamlit_folium']"  # its title is translated


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def browser_database(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('browser') / 'browser.db'}"
    engine = db.make_engine(url)
    db.migrate(engine)
    yield url, engine
    engine.dispose()


@pytest.fixture
def server_database(browser_database):
    """The run's database of the shared server, emptied for the test: each test starts on no data
    at all, as on a fresh install, while the server keeps running (its start and first page cost
    about 3 s of CPU, 8 s of waiting on a busy machine)."""
    url, engine = browser_database
    with engine.begin() as connection:
        for table in reversed(SQLModel.metadata.sorted_tables):
            connection.execute(table.delete())
    return url, engine


def start_server(database_url: str, log_path: Path, *, base_path: str = "", settings: dict[str, str] | None = None,
                 script: Path | str = "app.py"):
    """`streamlit run` of `script` (Vitrine's app.py unless told) on a free port of 127.0.0.1 (under
    `base_path` if given, with more `settings` in its environment); returns the process and its base URL."""
    port = free_port()
    env = {**os.environ, "DATABASE_URL": database_url, "VITRINE_DEMO_DATA": "0", **(settings or {})}
    log = log_path.open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(script), "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true", "--server.baseUrlPath", base_path],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}" + (f"/{base_path}" if base_path else "")
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            if urllib.request.urlopen(f"{base}/_stcore/health", timeout=1).status == 200:
                break
        except OSError:
            time.sleep(0.3)
    else:
        process.kill()
        pytest.fail("streamlit did not start: " + log_path.read_text())
    return process, base


def stop_server(process) -> None:
    process.terminate()
    process.wait(timeout=20)


def start_nginx(folder: Path, ports: list[int], tls: int, http: int, *, proxy_address: str = "") -> subprocess.Popen:
    """Debian's nginx running deploy/nginx-vitrine.conf as the README shows it, with these replica
    ports, listening ports (127.0.0.1), a throwaway certificate, and, if given, the address it
    reaches the replicas from; files in `folder`."""
    site = (ROOT / "deploy" / "nginx-vitrine.conf").read_text()
    replacements = {"server 127.0.0.1:8501;\n    server 127.0.0.1:8502;\n":
                    "".join(f"server 127.0.0.1:{port};\n    " for port in ports),
                    "listen 443 ssl": f"listen 127.0.0.1:{tls} ssl", "listen 80": f"listen 127.0.0.1:{http}",
                    "server_name vitrine.example;": "server_name localhost;",
                    "/etc/ssl/vitrine/": f"{folder}/", "/var/cache/nginx/vitrine": f"{folder}/cache"}
    if proxy_address:
        replacements["proxy_pass http://vitrine;"] = f"proxy_pass http://vitrine; proxy_bind {proxy_address};"
    for old, new in replacements.items():
        assert old in site, f"deploy/nginx-vitrine.conf no longer has {old!r}"
        site = site.replace(old, new)
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
                    "-addext", "subjectAltName=DNS:localhost", "-keyout", str(folder / "privkey.pem"),
                    "-out", str(folder / "fullchain.pem")], check=True, capture_output=True)
    temporary = " ".join(f"{kind}_temp_path {folder}/{kind};" for kind in ("client_body", "proxy", "fastcgi",
                                                                          "uwsgi", "scgi"))
    configuration = folder / "nginx.conf"
    configuration.write_text(f"""{'user root;' if os.geteuid() == 0 else ''}
worker_processes auto;
pid {folder}/nginx.pid;
error_log {folder}/error.log;
events {{ worker_connections 4096; }}
http {{
    access_log off;
    {temporary}
{site}
}}
""")
    process = subprocess.Popen([NGINX, "-p", str(folder), "-c", str(configuration), "-g", "daemon off;"],
                               stdout=subprocess.DEVNULL, stderr=(folder / "nginx.out").open("w"))
    deadline = time.time() + 20
    while time.time() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", tls)) == 0:
                return process
        time.sleep(0.1)
    process.kill()
    raise RuntimeError("nginx did not start: " + (folder / "error.log").read_text())


@contextmanager
def module_server(folder: Path, prepare: Callable[[Engine], Any] = lambda engine: None):
    """One server and its own database for the tests of a module that only add data of their own
    (a server's start costs about 8 s): yields the base URL, the engine and what `prepare` made."""
    url = f"sqlite:///{folder / 'app.db'}"
    engine = db.make_engine(url)
    db.migrate(engine)
    prepared = prepare(engine)
    process, base = start_server(url, folder / "streamlit.log")
    try:
        yield base, engine, prepared
    finally:
        stop_server(process)
        engine.dispose()


@pytest.fixture(scope="session")
def shared_app(browser_database, tmp_path_factory):
    """One server for the run's tests that need no settings of their own (each xdist worker's)."""
    process, base = start_server(browser_database[0], tmp_path_factory.mktemp("server") / "streamlit.log")
    yield base
    stop_server(process)


@pytest.fixture
def server(shared_app, server_database):
    """The shared app on a free port, over an emptied database; its base URL."""
    return shared_app


@pytest.fixture(scope="session")
def chromium_address():
    """One Chromium for the whole run (each xdist worker's), launched by Playwright in a thread of
    its own and reached over the DevTools protocol at the address returned. Its own thread: the sync
    API keeps an event loop running in the thread that opened it, and in the main thread the
    unit tests' asyncio.run would then refuse to start."""
    if not Path(CHROMIUM).exists():
        reason = "browser tests skipped: /usr/bin/chromium is missing (.ci/run installs Debian's chromium)"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    port, launched, done, failures = free_port(), threading.Event(), threading.Event(), []

    def keep_chromium_open() -> None:
        try:
            with sync_playwright() as playwright:
                chromium = playwright.chromium.launch(
                    executable_path=CHROMIUM, headless=True,
                    args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                          "--remote-debugging-address=127.0.0.1", f"--remote-debugging-port={port}"])
                launched.set()
                done.wait()
                chromium.close()
        except Exception as failure:  # told to the fixture, which fails the tests with it
            failures.append(failure)
            launched.set()

    keeper = threading.Thread(target=keep_chromium_open, name="chromium", daemon=True)
    keeper.start()
    launched.wait(timeout=120)
    if failures or not launched.is_set():
        pytest.fail(f"Chromium did not start: {failures[0] if failures else 'no answer in 120 s'}")
    yield f"http://127.0.0.1:{port}"
    done.set()
    keeper.join(timeout=30)


@pytest.fixture(scope="module")
def browser(chromium_address):
    """The run's Chromium, for a module's tests, each of which opens a fresh context in it; the
    module's contexts are closed when it ends."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.connect_over_cdp(chromium_address)
        yield chromium
        chromium.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """A failed browser test reports what each of its open pages showed: its address and text in
    the report, a full-page screenshot beside the run's temporary files (a timeout alone says
    what was awaited, not what the page showed instead)."""
    report = (yield).get_result()
    chromium = item.funcargs.get("browser")
    if report.when != "call" or not report.failed or chromium is None:
        return
    from playwright.sync_api import Error as PlaywrightError

    folder = Path(tempfile.gettempdir()) / "vitrine-browser-failures"
    folder.mkdir(exist_ok=True)
    open_pages = [shown for context in chromium.contexts for shown in context.pages]
    for number, shown in enumerate(open_pages):
        picture = folder / f"{item.name}-{number}.png"
        try:
            shown.screenshot(path=picture, full_page=True, timeout=10_000)
            text = shown.inner_text("body", timeout=10_000)
        except PlaywrightError as error:
            text = f"(not readable: {error.message})"
        report.sections.append((f"page {number} at {shown.url}, screenshot {picture}", text[-4000:]))


@pytest.fixture
def page(browser, server):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="fr-FR")
    the_page = context.new_page()
    the_page.dialogs = []
    the_page.on("dialog", lambda dialog: (the_page.dialogs.append(dialog.message), dialog.dismiss()))
    yield the_page
    context.close()


def staff_page(browser, base: str, path: str, *, email: str, password: str, width: int = 1300):
    """A fresh browser signed in as a staff member (through the sign-in form), on `path`."""
    page = browser.new_context(viewport={"width": width, "height": 1000}, locale="fr-FR").new_page()
    page.goto(base + "/connexion")
    page.wait_for_selector(READY, timeout=60_000)
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()
    # The browser trades the session's one-time code for its cookie, then lands on the review queue.
    page.wait_for_url("**/candidatures", timeout=30_000)
    page.goto(base + path)
    page.wait_for_selector(READY, timeout=60_000)
    return page


def wait_until_ready(page) -> None:
    """Until the script has run and every element is drawn: Streamlit shows a skeleton for an
    element whose code is still being loaded, after the run has ended."""
    page.wait_for_selector(READY, timeout=60_000)
    page.wait_for_selector("[data-testid='stSkeleton']", state="detached", timeout=60_000)


def wait_until_still(page, selector: str) -> None:
    """Until `selector` stays in place from one frame to the next (a scroll has ended)."""
    page.wait_for_function("""(selector) => {
        const top = document.querySelector(selector).getBoundingClientRect().top;
        const still = window.vitrineLastTop === top;
        window.vitrineLastTop = top;
        return still; }""", arg=selector, polling="raf", timeout=10_000)


def visible_marker(frame):
    """A marker well inside the visible map (the cluster layer also draws some just outside it)."""
    frame.locator(".vitrine-marker").first.wait_for(timeout=60_000)
    frame.locator(".leaflet-container").evaluate("""map => {
        const box = map.getBoundingClientRect();
        const inside = [...map.querySelectorAll(".vitrine-marker")].find(marker => {
            const r = marker.getBoundingClientRect();
            return r.left > box.left + 20 && r.right < box.right - 20 && r.top > box.top + 20
                && r.bottom < box.bottom - 20;
        });
        inside.setAttribute("data-visible-marker", "1");
    }""")
    return frame.locator(".vitrine-marker[data-visible-marker]")
