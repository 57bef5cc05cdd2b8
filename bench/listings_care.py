"""Listings kept true, over a directory of 10,000 listings.

    python bench/listings_care.py    # SQLite, and PostgreSQL when VITRINE_TEST_POSTGRES_URL is set

Prints, each beside a baseline measured in the same run:
- the staff directory page (script time under AppTest, timed inside Streamlit's runner) on a
  listing with 20 versions and a pending change, against the same page on a listing with one
  version and nothing pending;
- the duplicate check of one proposal (a namesake typed otherwise and without a position, then
  nothing alike; goal ≤ 50 ms), against reading the name and position of every live listing;
- `ask-confirmations` over every listing due, with the count of emails queued and of distinct
  recipients (each exactly once).
"""

from __future__ import annotations

import logging
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import select, update  # noqa: E402

from bench.common import (  # noqa: E402
    ScriptTimer,
    median_ms,
    on_both_engines,
    p95_ms,
    synthetic_partners,
    timed,
)
from directory import accounts, db, listings  # noqa: E402
from directory.listings import PartnerForm  # noqa: E402
from directory.listings.changes import request_update_link, submit_change  # noqa: E402
from directory.listings.duplicates import possible_duplicates  # noqa: E402
from directory.listings.freshness import ask_confirmations  # noqa: E402
from directory.models import Notification, Partner  # noqa: E402
from directory.ui.auth import SECRET_KEY  # noqa: E402

LISTINGS, VERSIONS, RERUNS = 10_000, 20, 20
NAVIGATION = str(Path(__file__).resolve().parent.parent / "directory" / "ui" / "navigation.py")


def prepared(url: str):
    engine = db.make_engine(url)
    db.migrate(engine)
    rows = synthetic_partners(LISTINGS)
    for number, row in enumerate(rows):
        row["contact_email"] = f"contact{number}@example.org"
    listings.insert_partners(engine, rows)
    return engine


def with_history(engine) -> int:
    """The first listing with 20 versions and a pending change from its organisation."""
    partner = listings.get_partner(engine, 2)
    form = PartnerForm(**{name: getattr(partner, name) or "" for name in (
        "name", "kind", "short_description", "sectors", "networks", "city", "contact_email")},
        latitude=partner.latitude, longitude=partner.longitude)
    for version in range(1, VERSIONS):
        form.short_description = f"Une organisation de l'écosystème, version {version + 1}."
        listings.update_partner(engine, partner.id, form, staff="staff:1 bench", expected=version)
    request_update_link(engine, partner.id, partner.contact_email, client="bench", language="fr")
    with db.read_session(engine) as session:
        link = session.execute(select(Notification.private_link).order_by(Notification.id.desc())).scalar()
    form.website = "https://exemple.fr"
    submit_change(engine, link.split("token=")[1], form, base_version=VERSIONS, language="fr")
    return partner.id


def page_times(engine, url: str, partner_id: int) -> list[float]:
    from streamlit.testing.v1 import AppTest

    staff = accounts.create_staff(engine, email=f"bench{partner_id}@atelier.example.org", name="Bench", password=None)
    os.environ.update(DATABASE_URL=url, VITRINE_DEMO_DATA="0")
    app = AppTest.from_file(NAVIGATION, default_timeout=600)
    app.session_state[SECRET_KEY] = accounts.open_session(engine, accounts.get_staff(engine, staff),
                                                          client_address="bench", handoff=False)
    app.run()
    app.switch_page(str(Path(NAVIGATION).parents[2] / "pages" / "staff_partners.py")).run()
    app.text_input(key="manage_search").set_value(listings.get_partner(engine, partner_id).name).run()
    assert not app.exception, app.exception
    return ScriptTimer().runs(app, RERUNS)


def run(url: str) -> dict[str, float]:
    engine = prepared(url)
    figures: dict[str, float] = {}
    busy = with_history(engine)
    quiet = 3
    samples = page_times(engine, url, busy)
    figures["page, 20 versions + change"], figures["page p95"] = median_ms(samples), p95_ms(samples)
    figures["page, 1 version"] = median_ms(page_times(engine, url, quiet))

    near = listings.get_partner(engine, 5).model_dump()
    # A namesake typed otherwise (case, article, legal form, no accent), with no position at all.
    alike = {**near, "name": "La " + near["name"].upper() + " SAS.", "latitude": None, "longitude": None}
    unlike = {**near, "name": "Personne d'autre", "website": "https://personne.example", "siret": ""}
    with db.read_session(engine) as session:
        assert possible_duplicates(session, alike), "the namesake without a position is flagged"
        figures["duplicates, namesake"] = median_ms(timed(lambda: possible_duplicates(session, alike), 50))
        figures["duplicates, nothing alike"] = median_ms(timed(lambda: possible_duplicates(session, unlike), 50))
        figures["baseline: read every live listing"] = median_ms(timed(lambda: session.execute(
            select(Partner.name, Partner.latitude, Partner.longitude, Partner.website, Partner.siret)).all(), 10))

    with db.write_session(engine) as session:
        session.execute(update(Partner).values(last_verified=None))
    started = time.perf_counter()
    questions = ask_confirmations(engine)
    figures["ask-confirmations s"] = time.perf_counter() - started
    again = ask_confirmations(engine).asked
    with db.read_session(engine) as session:
        recipients = session.execute(select(Notification.recipient).where(
            Notification.template == "listing_confirm_question")).scalars().all()
    figures["asked"], figures["queued"], figures["distinct"], figures["second run"] = (
        questions.asked, len(recipients), len(set(recipients)), again)
    engine.dispose()
    return figures


def show(engine_name: str, figures: dict[str, float]) -> None:
    print(f"  {engine_name}")
    print(f"    staff directory page, listing with 20 versions and a pending change: median "
          f"{figures['page, 20 versions + change']:6.1f} ms, p95 {figures['page p95']:6.1f} ms "
          f"(baseline, one version and nothing pending: {figures['page, 1 version']:6.1f} ms)")
    print(f"    duplicate check of one proposal against {LISTINGS:,} listings: namesake nearby "
          f"{figures['duplicates, namesake']:5.2f} ms, nothing alike {figures['duplicates, nothing alike']:5.2f} ms "
          f"(baseline, reading every listing: {figures['baseline: read every live listing']:6.1f} ms)")
    print(f"    ask-confirmations over {LISTINGS:,} listings: {figures['ask-confirmations s']:5.2f} s, "
          f"{figures['asked']:,} asked, {figures['queued']:,} emails queued to {figures['distinct']:,} distinct "
          f"addresses; a second run asked {figures['second run']}")


def main() -> None:
    # The page under AppTest starts the process's worker, which would log every message it keeps.
    logging.getLogger("vitrine").setLevel(logging.ERROR)
    print(f"listings kept true, {LISTINGS:,} listings")
    on_both_engines(run, show)


if __name__ == "__main__":
    main()
