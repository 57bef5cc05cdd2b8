"""Background work under attack, with its figures (issue 32):

    python bench/background.py

- how long a source that never answers, and one that drips its headers a byte a second, take to
  fail (the whole deadline, VITRINE_FETCH_SECONDS, 30 s by default);
- how long, from the worker's start, the next startup's offer email takes to leave (an offer
  expired meanwhile) while such a source is being fetched, with the lanes at their real pace
  (baseline: the same with no source at all; one loop for everything waited for the source first);
- how long a staff sign-in takes while 100 clients send wrong passwords (baseline: no flood).
Every figure is measured on a fresh SQLite database in this process.
"""

from __future__ import annotations

import contextlib
import os
import socket
import sys
import tempfile
import threading
import time
from datetime import timedelta
from email.header import decode_header, make_header
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from aiosmtpd.controller import Controller  # noqa: E402
from aiosmtpd.handlers import Message as MessageHandler  # noqa: E402
from sqlalchemy import update  # noqa: E402

from directory import accounts, db, showcase, sources  # noqa: E402
from directory.clock import utcnow  # noqa: E402
from directory.models import Offer, SourceFormat  # noqa: E402
from directory.worker import Worker  # noqa: E402
from tests.factories import DRIPPING, SILENT, bad_server, make_slot, submit  # noqa: E402

PASSWORD = "un mot de passe solide"


def fresh_engine():
    engine = db.make_engine(f"sqlite:///{tempfile.mkdtemp()}/bench.db")
    db.migrate(engine)
    return engine


def failing_source(manner: str) -> float:
    with bad_server(manner) as (port, _):
        started = time.monotonic()
        try:
            sources.fetching.fetch(f"http://127.0.0.1:{port}/m.csv")
        except sources.SourceFailed:
            return time.monotonic() - started
    raise AssertionError("the source answered")


class Inbox(MessageHandler):
    def __init__(self) -> None:
        super().__init__()
        self.received = threading.Event()

    def handle_message(self, message) -> None:
        if message["To"] == "s2@example.org" and "place" in str(make_header(decode_header(message["Subject"]))):
            self.received.set()  # the place offered to the next in line (it was told of the waiting list before)


def offer_email_delay(with_hanging_source: bool) -> float:
    engine, inbox = fresh_engine(), Inbox()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    os.environ.update(VITRINE_SMTP_HOST="127.0.0.1", VITRINE_SMTP_PORT=str(port), VITRINE_SMTP_SECURITY="none")
    slot = make_slot(engine, capacity=1)
    sent = [submit(engine, [slot], key=f"k{n}", contact_email=f"s{n}@example.org") for n in range(3)]
    showcase.approve_application(engine, sent[0].application_id, slot_id=slot, staff="staff:1")
    for waiting in sent[1:]:
        showcase.waitlist_application(engine, waiting.application_id, staff="staff:1")
    showcase.withdraw_application(engine, sent[0].token)  # the second is offered the place…
    with db.write_session(engine) as session:  # …and its time runs out
        session.execute(update(Offer).values(expires_at=utcnow() - timedelta(seconds=1)))
    worker = Worker(engine)
    try:
        with bad_server(SILENT) as (port, _):
            if with_hanging_source:
                sources.add_source(engine, sources.SourceForm(
                    name="Muette", url=f"http://127.0.0.1:{port}/m.csv", format=SourceFormat.VITRINE_CSV,
                    id_column="id", interval_hours=24), staff="bench")
            started = time.monotonic()
            worker.start()
            inbox.received.wait(120)
            return time.monotonic() - started
    finally:
        worker.stop()
        controller.stop()


def sign_in_during_flood(clients: int) -> float:
    engine = fresh_engine()
    accounts.create_staff(engine, email="camille@atelier.example.org", name="Camille", password=PASSWORD)
    flooding = threading.Event()

    def flood(number: int) -> None:
        while not flooding.is_set():
            with contextlib.suppress(accounts.SignInRefused, accounts.SignInBusy):
                accounts.authenticate(engine, f"guess{number}@example.org", "wrong",
                                      client_address=f"198.51.100.{number}", pause=flooding.wait)

    threads = [threading.Thread(target=flood, args=(number,)) for number in range(clients)]
    for thread in threads:
        thread.start()
    time.sleep(2)  # the flood under way
    started = time.monotonic()
    accounts.authenticate(engine, "camille@atelier.example.org", PASSWORD, client_address="192.0.2.10")
    took = time.monotonic() - started
    flooding.set()
    for thread in threads:
        thread.join()
    return took


if __name__ == "__main__":
    os.environ["VITRINE_SOURCES_ALLOW_INTERNAL"] = "1"  # the bench's bad servers are on this machine
    os.environ["VITRINE_DEMO_DATA"] = "0"
    print(f"a silent source fails after {failing_source(SILENT):.1f} s; "
          f"one dripping its headers a byte a second after {failing_source(DRIPPING):.1f} s")
    print(f"the next startup's offer email leaves {offer_email_delay(True):.2f} s after the worker starts while a "
          f"source hangs (baseline, no source: {offer_email_delay(False):.2f} s)")
    print(f"a staff sign-in takes {sign_in_during_flood(100):.2f} s during a flood of 100 clients sending wrong "
          f"passwords (baseline, no flood: {sign_in_during_flood(0):.2f} s)")
