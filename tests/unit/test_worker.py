"""The worker's lanes (issue 32, items 1 and 2): a source that hangs never holds back an offer
passed on, nor its email; `vitrine worker` stops cleanly on SIGTERM."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta

from sqlalchemy import update

from directory import showcase
from directory.clock import utcnow
from directory.db import write_session
from directory.models import Offer, SourceFormat
from directory.sources import SourceForm, add_source, recent_runs
from directory.worker import Pace, Worker
from tests.factories import SILENT, bad_server, make_slot, subject, submit

FAST = Pace(messages=0.2, offers=0.2, sources=0.2, daily=3600)


def wait_for(condition, seconds: float) -> float:
    """How long `condition` took to hold; fails past `seconds`."""
    started = time.monotonic()
    while not condition():
        assert time.monotonic() - started < seconds, "not within its usual delay"
        time.sleep(0.05)
    return time.monotonic() - started


def test_an_offer_passes_on_and_is_emailed_while_a_source_hangs(engine, smtp_server, monkeypatch):
    for name, value in {"VITRINE_SMTP_HOST": "127.0.0.1", "VITRINE_SMTP_PORT": str(smtp_server.port),
                        "VITRINE_SMTP_SECURITY": "none", "VITRINE_SOURCES_ALLOW_INTERNAL": "1",
                        "VITRINE_FETCH_SECONDS": "30"}.items():
        monkeypatch.setenv(name, value)
    slot = make_slot(engine, capacity=1)
    first, second, third = (submit(engine, [slot], key=f"k{n}", contact_email=f"s{n}@example.org") for n in range(3))
    showcase.approve_application(engine, first.application_id, slot_id=slot, staff="staff:1")
    for waiting in (second, third):
        showcase.waitlist_application(engine, waiting.application_id, staff="staff:1")
    showcase.withdraw_application(engine, first.token)  # the second is offered the place
    worker = Worker(engine, FAST)
    try:
        with bad_server(SILENT) as (port, asked):
            source_id = add_source(engine, SourceForm(name="Muette", file=None, url=f"http://127.0.0.1:{port}/m.csv",
                                          format=SourceFormat.MAPPED_CSV, id_column="id", mapping={"name": "nom"},
                                          default_kind="cluster", interval_hours=24, trusted=False), staff="staff:1")
            worker.start()
            wait_for(lambda: asked, 10)  # the source is being fetched, and will not answer
            with write_session(engine) as session:  # the second leaves its offer unanswered past its time
                session.execute(update(Offer).values(expires_at=utcnow() - timedelta(minutes=1)))
            delay = wait_for(lambda: any(message["To"] == "s2@example.org" and "place" in subject(message)
                                         for message in smtp_server.messages), 5)  # not its waiting-list email
            assert recent_runs(engine, source_id) == []  # the source's run still hangs
    finally:
        worker.stop()  # the hanging fetch ends with its server
    print(f"offer email delay while a source hangs: {delay:.2f} s")


def test_the_worker_command_stops_cleanly_on_sigterm(database_url, tmp_path):
    process = subprocess.Popen([sys.executable, "-m", "directory", "worker"], stderr=subprocess.PIPE, text=True,
                               env={**os.environ, "DATABASE_URL": database_url, "VITRINE_DEMO_DATA": "0"})
    lines = []
    for line in process.stderr:  # one line per job run, with its duration
        lines.append(line)
        if "messages/deliver_outbox" in line:
            break
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=40) == 0
    assert any(" in 0." in line or " s" in line for line in lines)
