"""Issue 20, item 8: what outlives its use is pruned by `vitrine purge-expired` (and the worker)."""

from datetime import timedelta

from sqlmodel import Session, select

from directory import accounts, cli, db
from directory.clock import utcnow
from directory.models import Notification, RateLimit, StaffSession

OLD = timedelta(days=400)


def test_purge_expired_prunes_counts_sessions_codes_and_old_messages(database_url, monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_URL", database_url)
    engine = db.make_engine(database_url)
    db.migrate(engine)
    now = utcnow()
    staff = accounts.get_staff(engine, accounts.create_staff(engine, email="camille@atelier.example.org",
                                                             name="Camille", password="un mot de passe solide"))
    alive = accounts.open_session(engine, staff, client_address="192.0.2.1", handoff=False)
    accounts.open_session(engine, staff, client_address="192.0.2.1", handoff=False, now=now - OLD)
    accounts.open_session(engine, staff, client_address="192.0.2.1", now=now - timedelta(minutes=5))  # unused code
    with Session(engine) as session, session.begin():
        session.add(RateLimit(key="sign-in-client:old", window_start=now - OLD, hits=3))
        session.add(RateLimit(key="sign-in-client:new", window_start=now, hits=1))
        for state, age in (("sent", OLD), ("refused", OLD), ("sent", timedelta(days=1)), ("queued", OLD)):
            session.add(Notification(recipient="a@b.fr", template="t", subject="s", body="b", state=state,
                                     created_at=now - age, sent_at=now - age if state == "sent" else None))
    monkeypatch.setenv("LANG", "en_GB.UTF-8")
    monkeypatch.delenv("LC_ALL", raising=False)
    assert cli.main(["purge-expired"]) == 0
    assert ("pruned 1 rate-limit count(s), 2 ended session(s) or unused sign-in code(s), 2 old message(s)"
            in capsys.readouterr().out)
    with Session(engine) as session:
        assert [limit.key for limit in session.exec(select(RateLimit))] == ["sign-in-client:new"]
        assert sorted((n.state, n.sent_at is None) for n in session.exec(select(Notification))) == [
            ("queued", True), ("sent", False)]  # a message still to send is never pruned
        assert len(session.exec(select(StaffSession)).all()) == 1
    assert accounts.session_staff(engine, alive).name == "Camille"
    engine.dispose()
