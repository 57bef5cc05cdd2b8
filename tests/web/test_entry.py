"""`streamlit run app.py` and `uvicorn app:app` serve everything, and the Streamlit internals the
entry relies on are still there (each check fails when an upgrade turns one into a no-op)."""

import asyncio.selector_events
import inspect
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from streamlit.file_util import get_app_static_dir
from streamlit.runtime.pages_manager import PagesManager
from streamlit.web.server.app_discovery import discover_asgi_app

from directory import listings, startup
from directory.ui import NAVIGATION_SCRIPT

ROOT = Path(__file__).resolve().parents[2]


def test_streamlit_run_finds_the_app_in_app_py():
    assert discover_asgi_app(ROOT / "app.py").is_asgi_app


def test_no_pages_folder_beside_the_navigation_script():
    """Streamlit's old multipage mode starts when a `pages` folder sits beside the main script:
    the navigation script lives in the package so that it never does."""
    assert "main_script_parent" in inspect.getsource(PagesManager) and '"pages"' in inspect.getsource(PagesManager)
    assert not (NAVIGATION_SCRIPT.parent / "pages").exists()


def test_the_browser_files_are_served_from_beside_the_navigation_script():
    static = Path(get_app_static_dir(str(NAVIGATION_SCRIPT)))
    assert (static / "vendor" / "leaflet" / "leaflet.js").exists() and (static / "page.js").exists()


def test_asyncio_still_turns_nagle_off_through_the_function_app_py_replaces():
    import app  # noqa: F401 — replaces asyncio's rule on import

    assert "base_events._set_nodelay(" in inspect.getsource(asyncio.selector_events)
    assert asyncio.base_events._set_nodelay.__module__ == "app"
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM, 0) as sock:  # proto 0, as Streamlit binds
        asyncio.base_events._set_nodelay(sock)
        assert sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)


@pytest.mark.parametrize("command", [["streamlit", "run", "app.py", "--server.headless", "true",
                                      "--server.address", "127.0.0.1", "--server.port"],
                                     ["uvicorn", "app:app", "--host", "127.0.0.1", "--port"]])
def test_each_start_command_serves_the_pages_and_the_addresses(tmp_path, command):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'entry.db'}", "VITRINE_DEMO_DATA": "0"}
    server = subprocess.Popen([sys.executable, "-m", *command, str(port)], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.time() + 60
        while True:
            try:
                health = urllib.request.urlopen(f"{base}/healthz", timeout=2)
                break
            except OSError:
                if time.time() > deadline:
                    pytest.fail(f"{command[0]} did not start")
                time.sleep(0.3)
        assert health.headers["Content-Type"] == "application/json"
        assert urllib.request.urlopen(f"{base}/agenda.ics", timeout=5).headers["Content-Type"].startswith(
            "text/calendar")
        leaflet = urllib.request.urlopen(f"{base}/app/static/vendor/leaflet/leaflet.js", timeout=5)
        assert leaflet.status == 200
        assert b"<div id=\"root\">" in urllib.request.urlopen(f"{base}/agenda", timeout=5).read()
    finally:
        server.terminate()
        server.wait(timeout=20)


def test_every_route_is_named_in_the_one_table():
    from directory import web
    from directory.addresses import ROUTES, path

    assert {route.name: route.path for route in web.routes(startup.app_engine)} == ROUTES
    assert path("showcase_page", slot_id=3) == "/vitrines/3"
    assert path("open_data", format="csv") == "/donnees/partenaires.csv"
    assert path("partner_page", slug="cité du design") == "/partenaires/cit%C3%A9%20du%20design"


STREAMLIT_FRONT_END = Path(inspect.getfile(PagesManager)).parents[1] / "static"


def streamlit_bundle() -> str:
    return "\n".join(path.read_text(encoding="utf-8", errors="ignore")
                     for path in (STREAMLIT_FRONT_END / "static" / "js").glob("*.js"))


def test_the_index_rewrite_still_finds_its_mark_and_the_front_end_still_reads_it():
    from directory.web.frontend import INDEX_MARK

    assert INDEX_MARK in (STREAMLIT_FRONT_END / "index.html").read_bytes()
    bundle = streamlit_bundle()
    assert "__streamlit" in bundle and "BACKEND_BASE_URL" in bundle


def test_the_index_announces_the_elements_most_pages_draw_and_their_imports():
    """A Streamlit upgrade that renamed an element's file would silently bring back its late load."""
    from directory.web.frontend import FIRST_ELEMENTS, STATIC_JS, _preload_links

    index = (STREAMLIT_FRONT_END / "index.html").read_bytes()
    links = _preload_links(index).decode()
    for element in FIRST_ELEMENTS:
        assert f'/static/js/{element}.' in links, element
    announced = re.findall(r'href="\./static/js/([^"]+)"', links)
    assert all((STATIC_JS / name).is_file() for name in announced)
    assert not any(name.encode() in index for name in announced)  # Streamlit's own are not repeated


def test_the_texts_and_test_ids_the_page_script_relies_on_are_still_streamlit_s():
    """The page script translates Streamlit's English texts and finds its elements by test id:
    a text or an id that left the bundle would silently stay English or unfound."""
    import re

    from directory.ui.chrome import FRAMEWORK_TEXTS_FR, PAGE_SCRIPT

    bundle = streamlit_bundle()
    for test_id in set(re.findall(r"data-testid='(\w+)'", PAGE_SCRIPT)):
        assert test_id in bundle, test_id
    # Texts Streamlit composes at run time (`Press Enter to ${action}`) match one of its templates.
    templates = [re.compile("^" + ".+".join(map(re.escape, parts)) + "$")
                 for literal in re.findall(r"`([^`]{0,80}\$\{[^`]{0,80})`", bundle)
                 if len("".join(parts := re.split(r"\$\{[^}]*\}", literal)).strip()) >= 8]
    missing = [text for text in FRAMEWORK_TEXTS_FR["exact"]
               if text not in bundle and not any(template.match(text) for template in templates)]
    assert not missing, f"no longer in Streamlit's front-end: {missing}"


def test_a_first_start_answered_by_several_threads_at_once_migrates_and_seeds_once(tmp_path, monkeypatch):
    """The installed app's /healthz answered 503 for two minutes on a busy machine: its first
    calls raced through Alembic's one context per process ("database is locked", KeyError 'config')."""
    monkeypatch.setenv("VITRINE_DEMO_DATA", "1")
    alone = startup.engine_for(f"sqlite:///{tmp_path / 'alone.db'}")
    url = f"sqlite:///{tmp_path / 'first-start.db'}"
    with ThreadPoolExecutor(4) as pool:
        engines = list(pool.map(lambda _: startup.engine_for(url), range(4)))
    assert {listings.count_partners(engine) for engine in engines} == {listings.count_partners(alone)}
