from datetime import timedelta

from directory import ratelimit
from directory.clock import utcnow
from directory.db import write_session

WINDOW = timedelta(hours=1)


def hit(engine, key, now, limit=2) -> bool:
    with write_session(engine) as session:
        return ratelimit.take(session, key, limit=limit, window=WINDOW, now=now)


def test_a_key_is_refused_past_its_limit_until_the_window_ends(engine):
    now = utcnow()
    assert [hit(engine, "k", now) for _ in range(3)] == [True, True, False]
    assert hit(engine, "other", now)
    assert hit(engine, "k", now + WINDOW + timedelta(seconds=1))


def test_keys_do_not_keep_the_address_they_count():
    key = ratelimit.limit_key("link-address", "Camille@Example.org")
    assert "camille" not in key.lower() and key == ratelimit.limit_key("link-address", " camille@example.org ")
