"""Twenty sessions apply at once over real WebSocket sessions: every application stored once."""

import asyncio

from bench.load import run_load, summary
from directory import showcase
from tests.factories import make_slot

SESSIONS = 20


def test_twenty_concurrent_applications_are_each_stored_once(server, server_database):
    _, engine = server_database
    make_slot(engine)
    results = asyncio.run(run_load(server, SESSIONS))
    print("\n" + summary(results))
    assert all(isinstance(r, float) for r in results), [r for r in results if not isinstance(r, float)][:1]
    stored = showcase.review_queue(engine, showcase.ReviewFilters(states=("submitted",)), limit=1000)
    assert sorted(stored["organisation"]) == sorted(f"Startup de charge {n}" for n in range(SESSIONS))
    assert stored["contact_email"].is_unique
