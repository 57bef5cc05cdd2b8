"""Every page of the app, opened in Chromium against the real server at 10,000 partners and
10,000 applications: the time until each is ready.

    python bench/pages.py                  # 10,000 partners, 10,000 applications, 3 visits each
    python bench/pages.py --partners 1000 --applications 1000 --runs 1

"Ready" is Streamlit's own signal (the script has run and the page is drawn: `stApp` with
`data-test-script-state="notRunning"`), or for the pages Vitrine serves itself the load event.
Each visit is a fresh page in a browser context kept per person (the public; a signed-in admin),
so that what a first visit pays once (Streamlit's front-end, fonts) is measured on the first
page only, as a visitor going from page to page pays it. For the five slowest, what they wait on:
the server's script time of that page (the same page under `AppTest`, timed inside Streamlit's
runner on the same database) and the rest, the browser's. Beside them, in the same run: the floor
of any Streamlit page on this machine (a page holding one title, on a server of its own, opened
the same way) and the app's light `/embed`.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import ROOT, ScriptTimer, database_with_partners, fill_applications  # noqa: E402
from directory import accounts, addresses, db, showcase  # noqa: E402
from directory.listings import data_version, published_slugs  # noqa: E402
from directory.models import Notification, ProgrammeSession  # noqa: E402
from directory.ui.auth import SECRET_KEY  # noqa: E402
from tests.browser.conftest import READY, start_server, stop_server  # noqa: E402
from tests.factories import emailed_token, form, register_as, session_on_programme  # noqa: E402

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
EMAIL, PASSWORD = "bench@atelier.example.org", "un mot de passe de banc d'essai"


def prepare(url: str, partners: int, applications: int) -> dict[str, str]:
    """The database, and the addresses that need one of its rows."""
    engine = database_with_partners(url, partners)
    slot_ids = fill_applications(engine, slots=500, applications=applications)
    accounts.create_staff(engine, email=EMAIL, name="Banc d'essai", password=PASSWORD, role="admin")
    token = showcase.submit_application(engine, form(slot_ids[:2], contact_email="suivi@example.org"),
                                        submission_key="bench").token
    slugs = published_slugs(engine, data_version(engine))
    slug, partner_id = next(iter(slugs.items()))
    session_id, session_token = session_on_programme(engine)
    listing_token = emailed_token(engine, Notification.template == "listing_update_link")
    registration_token = register_as(engine, session_id, "Ana").token
    with db.read_session(engine) as session:
        session_slug = session.get(ProgrammeSession, session_id).slug
    engine.dispose()
    return {"token": token, "slug": slug, "partner_id": str(partner_id), "listing_token": listing_token,
            "session_token": session_token, "session_slug": session_slug, "registration_token": registration_token}


def page_list(rows: dict[str, str]) -> list[tuple[str, str, str, str]]:
    """(person, name, address, page file for AppTest or "" for a route of Vitrine's own)."""
    pages = addresses.PAGES
    public = [("explore", "/", "explore"), ("explore, a partner's card", f"/?partner={rows['partner_id']}", "explore"),
              ("calendar", f"/{pages['calendar']}", "calendar"), ("propose", f"/{pages['propose']}", "propose"),
              ("apply", f"/{pages['apply']}", "apply"), ("lost link", f"/{pages['lost_link']}", "lost_link"),
              ("follow (private link)", f"/{pages['follow']}?token={rows['token']}", "follow"),
              ("update listing", f"/{pages['update_listing']}?fiche={rows['slug']}", "update_listing"),
              ("propose a session", f"/{pages['propose_session']}?token={rows['listing_token']}",
               "propose_session"),
              ("my session (private link)", f"/{pages['my_session']}?token={rows['session_token']}", "my_session"),
              ("register", f"/{pages['registration']}?seance={rows['session_slug']}", "registration"),
              ("my registration (link)", f"/{pages['registration']}?token={rows['registration_token']}",
               "registration"),
              ("partner page", addresses.path("partner_page", slug=rows["slug"]), ""),
              ("session page", addresses.path("session_page", slug=rows["session_slug"]), ""),
              ("embed", addresses.path("embed"), "")]
    staff = [(name, f"/{pages[name]}", name) for name in
             ("review", "assignment", "staff_partners", "slots", "dashboard", "audit_log", "privacy", "accounts")]
    return [("public", *page) for page in public] + [("staff", *page) for page in staff]


def start_floor_server(folder: Path, database_url: str):
    """A Streamlit server whose one page holds a title: what any Streamlit page costs here."""
    (folder / "floor.py").write_text('import streamlit as st\n\nst.title("Vitrine")\n')
    return start_server(database_url, folder / "floor.log", script=folder / "floor.py")


def visit(context, base: str, address: str, streamlit_page: bool) -> float:
    page = context.new_page()
    started = time.perf_counter()
    page.goto(base + address, wait_until="load")
    if streamlit_page:
        page.wait_for_selector(READY, timeout=120_000)
    ready = time.perf_counter() - started
    page.close()
    return ready


def tabs_shown(context, base: str, address: str) -> list[float]:
    """A staff page's tabs, each from its click until its panel shows with its content: the page
    reruns to draw a tab opened (Vitrine's `draw_open_tab`), or only shows it (a plain st.tabs)."""
    page = context.new_page()
    page.goto(base + address)
    page.wait_for_selector(READY, timeout=120_000)
    times = []
    for tab in page.get_by_role("tab").all():
        started = time.perf_counter()
        tab.click()
        page.wait_for_function("""() => { const tab = document.querySelector("[role=tab][aria-selected=true]");
            const panel = tab && document.getElementById(tab.getAttribute("aria-controls"));
            const app = document.querySelector("[data-testid=stApp]");
            return panel && !panel.hidden && panel.querySelector("[data-testid=stElementContainer]")
                && app.dataset.testScriptState === "notRunning"; }""", timeout=30_000)
        times.append(time.perf_counter() - started)
    page.close()
    return times


def sign_in(context, base: str) -> None:
    page = context.new_page()
    page.goto(base + "/" + addresses.PAGES["sign_in"])
    page.wait_for_selector(READY, timeout=120_000)
    page.get_by_label("E-mail").fill(EMAIL)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(f"**/{addresses.PAGES['review']}", timeout=60_000)  # the cookie is set
    page.close()


def script_seconds(url: str, page_file: str, query: str, staff: bool) -> float:
    """The server's share: the page's script under AppTest on the same database (median of 3)."""
    from streamlit.testing.v1 import AppTest

    from directory import db

    os.environ.update(DATABASE_URL=url, VITRINE_DEMO_DATA="0")
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
    if staff:
        engine = db.make_engine(url)
        staff_user = accounts.staff_for_identity(engine, EMAIL)
        app.session_state[SECRET_KEY] = accounts.open_session(engine, staff_user, client_address="bench",
                                                              handoff=False)
    for pair in filter(None, query.split("&")):
        name, _, value = pair.partition("=")
        app.query_params[name] = value
    app.run()
    app.switch_page(f"pages/{page_file}.py").run()
    return statistics.median(ScriptTimer().runs(app, 3))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--partners", type=int, default=10_000)
    parser.add_argument("--applications", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/pages.db"
        started = time.perf_counter()
        rows = prepare(url, args.partners, args.applications)
        print(f"database: {args.partners:,} partners, {args.applications:,} applications "
              f"({time.perf_counter() - started:.0f} s to build)")
        process, base = start_server(url, Path(folder) / "server.log")
        floor_process, floor_base = start_floor_server(Path(folder), url)
        figures: dict[str, list[float]] = {}
        tabs: dict[str, list[float]] = {}
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", headless=True,
                                                     args=CHROMIUM_ARGS)
                people = {"public": browser.new_context(viewport={"width": 1400, "height": 1000}, locale="fr-FR"),
                          "staff": browser.new_context(viewport={"width": 1400, "height": 1000}, locale="fr-FR")}
                sign_in(people["staff"], base)
                pages = page_list(rows)
                for person, _name, address, page_file in pages:  # once, to warm the server's caches
                    visit(people[person], base, address, bool(page_file))
                visit(people["public"], floor_base, "/", True)
                for _ in range(args.runs):
                    for person, name, address, page_file in pages:
                        figures.setdefault(name, []).append(visit(people[person], base, address, bool(page_file)))
                    figures.setdefault("floor", []).append(visit(people["public"], floor_base, "/", True))
                for person, name, address, _page_file in pages:
                    if person == "staff":
                        tabs[name] = tabs_shown(people["staff"], base, address)
                browser.close()
        finally:
            stop_server(process)
            stop_server(floor_process)
        medians = {name: statistics.median(times) for name, times in figures.items()}
        print(f"time to ready, median of {args.runs} visits, Chromium headless, this machine")
        for person, name, _address, _page_file in pages:
            slowest_tab = f"   tabs: slowest {max(tabs[name]):.2f} s of {len(tabs[name])}" if tabs.get(name) else ""
            print(f"  {person:<7}{name:<28}{medians[name]:6.2f} s{'  ✗' if medians[name] > 1.0 else ''}{slowest_tab}")
        print(f"  floor, a Streamlit page holding one title: {medians['floor']:.2f} s; /embed {medians['embed']:.2f} s")
        print("the five slowest, what they wait on:")
        for person, name, address, page_file in sorted(pages, key=lambda page: -medians[page[1]])[:5]:
            if not page_file:
                print(f"  {name:<28}{medians[name]:6.2f} s  (a route of Vitrine's own)")
                continue
            query = address.partition("?")[2]
            server = script_seconds(url, page_file, query, person == "staff")
            print(f"  {name:<28}{medians[name]:6.2f} s = server script {server:5.2f} s "
                  f"+ browser and network {medians[name] - server:5.2f} s")


if __name__ == "__main__":
    main()
