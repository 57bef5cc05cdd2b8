"""The atelier's agenda with 500 sessions on the programme (and a registration or more in each),
opened in Chromium against the real server: the time until it is ready, beside the floor of any
Streamlit page on this machine (a page holding one title) and a session's own page, in one run.

    python bench/agenda.py                 # 500 sessions, 5 visits each
    python bench/agenda.py --sessions 100 --runs 3
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.pages import CHROMIUM_ARGS, start_floor_server, visit  # noqa: E402
from directory import addresses, db, programme  # noqa: E402
from directory.models import ProgrammeSession  # noqa: E402
from directory.validation import FormErrors  # noqa: E402
from tests.browser.conftest import start_server, stop_server  # noqa: E402
from tests.factories import make_room, programme_partner, register_as, session_form, session_start  # noqa: E402

HOURS = (9, 11, 14, 16)  # four sessions a day in a room, inside the atelier's hours (Mo-Fr 09:00-18:00)


def prepare(url: str, sessions: int) -> str:
    """The programme, built through the domain's own functions; the slug of one session."""
    engine = db.make_engine(url)
    db.migrate(engine)
    token = programme_partner(engine)
    rooms = [make_room(engine, name=f"Salle {n}", capacity=30) for n in range(3)]
    slots = ((week, day, hour, room) for week in range(2, 200) for day in range(5) for hour in HOURS for room in rooms)
    made = 0
    for week, day, hour, room in slots:
        if made == sessions:
            break
        starts_at = session_start(weeks=week, hour=hour) + timedelta(days=day - 2)  # Monday to Friday
        try:
            proposed = programme.propose_session(engine, token, session_form(
                title=f"Séance {made}", duration_minutes=90, places=12, choices=[(starts_at, None)]),
                submission_key=f"bench-{made}")
        except FormErrors:
            continue  # a public holiday: the atelier is closed
        programme.approve_session(engine, proposed.session_id, starts_at=starts_at, room_id=room, staff="bench")
        for person in range(made % 4):
            register_as(engine, proposed.session_id, f"P{made}x{person}", email=f"p{made}x{person}@exemple.fr")
        made += 1
    with db.read_session(engine) as session:
        slug = session.get(ProgrammeSession, 1).slug
    engine.dispose()
    return slug


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sessions", type=int, default=500)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/agenda.db"
        started = time.perf_counter()
        slug = prepare(url, args.sessions)
        print(f"database: {args.sessions} sessions on the programme ({time.perf_counter() - started:.0f} s to build)")
        process, base = start_server(url, Path(folder) / "server.log")
        floor_process, floor_base = start_floor_server(Path(folder), url)
        addresses_to_visit = {"agenda": (f"/{addresses.PAGES['calendar']}", True),
                              "agenda, workshops for shopkeepers": (
                                  f"/{addresses.PAGES['calendar']}?agenda_kinds=workshop", True),
                              "a session's page": (addresses.path("session_page", slug=slug), False),
                              "floor": ("/", True)}
        figures: dict[str, list[float]] = {}
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", headless=True,
                                                     args=CHROMIUM_ARGS)
                context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="fr-FR")
                for run in range(args.runs + 1):  # the first run warms the servers' caches
                    for name, (address, streamlit_page) in addresses_to_visit.items():
                        server = floor_base if name == "floor" else base
                        seconds = visit(context, server, address, streamlit_page)
                        if run:
                            figures.setdefault(name, []).append(seconds)
                browser.close()
        finally:
            stop_server(process)
            stop_server(floor_process)
    print(f"time to ready, median of {args.runs} visits, Chromium headless, this machine")
    for name, times in figures.items():
        print(f"  {name:<36}{statistics.median(times):6.2f} s")


if __name__ == "__main__":
    main()
