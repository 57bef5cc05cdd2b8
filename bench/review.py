"""Drawing the staff review queue with 10,000 applications over 500 slots.

    python bench/review.py       # SQLite, and PostgreSQL when VITRINE_TEST_POSTGRES_URL is set

Prints the median and p95 script time of the review page (under AppTest, timed inside
Streamlit's runner) for the queue of every slot's first choices and for one slot, with the count
the page shows (a page of 25 out of the whole queue).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (  # noqa: E402
    ROOT,
    ScriptTimer,
    fill_applications,
    median_ms,
    on_both_engines,
    p95_ms,
)
from directory import accounts, db  # noqa: E402
from directory.ui.auth import SECRET_KEY  # noqa: E402

SLOTS, APPLICATIONS, RERUNS = 500, 10_000, 20


def shown_count(app) -> str:
    return next(caption.value for caption in app.caption if caption.value.startswith("Candidatures"))


def run(url: str) -> dict[str, tuple[float, float, str]]:
    from streamlit.testing.v1 import AppTest

    engine = db.make_engine(url)
    db.migrate(engine)
    slot_ids = fill_applications(engine, slots=SLOTS, applications=APPLICATIONS)
    staff = accounts.create_staff(engine, email="bench@atelier.example.org", name="Bench", password=None)
    os.environ.update(DATABASE_URL=url, VITRINE_DEMO_DATA="0")
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
    app.session_state[SECRET_KEY] = accounts.open_session(engine, accounts.get_staff(engine, staff),
                                                          client_address="bench", handoff=False)
    app.run()
    app.switch_page("pages/review.py").run()
    assert not app.exception, app.exception
    timer = ScriptTimer()
    figures = {"all slots": (timer.runs(app, RERUNS), shown_count(app))}
    app.selectbox(key="review_slot").set_value(slot_ids[10]).run()
    figures["one slot"] = (timer.runs(app, RERUNS), shown_count(app))
    engine.dispose()
    return {view: (median_ms(samples), p95_ms(samples), shown) for view, (samples, shown) in figures.items()}


def show(engine_name: str, figures: dict[str, tuple[float, float, str]]) -> None:
    for view, (median, p95, shown) in figures.items():
        print(f"  {engine_name:<11} {view:<10} median {median:6.1f} ms   p95 {p95:6.1f} ms   ({shown})")


def main() -> None:
    print(f"review page with {APPLICATIONS:,} applications over {SLOTS} slots, {RERUNS} reruns")
    on_both_engines(run, show)


if __name__ == "__main__":
    main()
