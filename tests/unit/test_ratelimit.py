import hashlib
from datetime import timedelta

from sqlalchemy import delete
from sqlmodel import Session

from directory import db, ratelimit
from directory.clock import utcnow
from directory.db import write_session
from directory.models import ServerSecret

WINDOW = timedelta(hours=1)


def hit(engine, key, now, limit=2) -> bool:
    with write_session(engine) as session:
        return ratelimit.take(session, key, limit=limit, window=WINDOW, now=now)


def test_a_key_is_refused_past_its_limit_until_the_window_ends(engine):
    now = utcnow()
    assert [hit(engine, "k", now) for _ in range(3)] == [True, True, False]
    assert hit(engine, "other", now)
    assert hit(engine, "k", now + WINDOW + timedelta(seconds=1))


def test_keys_do_not_keep_the_address_they_count_nor_let_it_be_guessed(engine, tmp_path):
    """Issue 20, item 8: an HMAC with the database's own secret, not a bare SHA-256."""
    with Session(engine) as session:
        key = ratelimit.limit_key(session, "link-address", "Camille@Example.org")
        assert "camille" not in key.lower()
        assert key == ratelimit.limit_key(session, "link-address", " camille@example.org ")
    assert key.split(":")[1] != hashlib.sha256(b"camille@example.org").hexdigest()[:40]
    other = db.make_engine(f"sqlite:///{tmp_path / 'other.db'}")
    db.migrate(other)
    with Session(other) as session:  # another database, another secret
        assert ratelimit.limit_key(session, "link-address", "camille@example.org") != key
    other.dispose()


def test_a_lost_secret_is_made_anew(engine):
    with write_session(engine) as session:
        session.execute(delete(ServerSecret))
    ratelimit._secrets.clear()
    with write_session(engine) as session:
        key = ratelimit.limit_key(session, "link-address", "camille@example.org")
    ratelimit._secrets.clear()
    with write_session(engine) as session:  # the same secret from then on
        assert ratelimit.limit_key(session, "link-address", "camille@example.org") == key
