"""The worker: its lanes and their paces, started inside the app or as `vitrine worker`."""

from __future__ import annotations

import signal
import threading
from dataclasses import dataclass

from sqlalchemy.engine import Engine

from directory import housekeeping, notify, privacy, programme, sources
from directory.listings import freshness
from directory.showcase import attendance, offers
from directory.worker.lanes import Job, Lane

STOP_SECONDS = 30  # what a stopping worker gives a job under way (a fetch's deadline fits)


@dataclass(frozen=True)
class Pace:
    """Seconds between passes of each lane when nothing wakes it. The outbox is also polled, for
    a worker in its own process, which the pages cannot wake."""

    messages: float = 15
    offers: float = 60
    sources: float = 60
    daily: float = 24 * 3600


class Worker:
    def __init__(self, engine: Engine, pace: Pace = Pace()) -> None:
        self.engine = engine
        self.stopping = threading.Event()
        self.messages = Lane("messages", [Job("deliver_outbox", notify.deliver_outbox)], every=pace.messages)
        self.lanes = [
            self.messages,
            Lane("offers", [Job("expire_offers", offers.expire_offers), Job("tell_stranded", offers.tell_stranded),
                            Job("send_reminders", attendance.send_reminders),
                            Job("expire_place_offers", programme.expire_place_offers),
                            Job("remind_programme", programme.send_reminders)],
                 every=pace.offers, after=self.messages.wake),
            Lane("sources", [Job("sync_due_sources", sources.sync_due_sources)],
                 every=pace.sources, after=self.messages.wake),
            Lane("daily", [Job("ask_confirmations", freshness.ask_confirmations),
                           Job("purge_expired", privacy.purge_expired), Job("prune", housekeeping.prune)],
                 every=pace.daily, after=self.messages.wake),
        ]

    def start(self) -> Worker:
        for lane in self.lanes:
            lane.start(self.engine, self.stopping)
        return self

    def send_soon(self) -> None:
        """A change queued messages: the messages lane sends them now rather than at its next pass."""
        self.messages.wake()

    def stop(self) -> None:
        """Lanes finish the job under way (up to STOP_SECONDS), then end."""
        self.stopping.set()
        for lane in self.lanes:
            lane.wake()
        for lane in self.lanes:
            if lane.thread is not None:
                lane.thread.join(timeout=STOP_SECONDS)

    def run_until_stopped(self) -> None:
        """`vitrine worker`: runs until SIGTERM (systemd's stop) or SIGINT (Ctrl-C), then stops cleanly."""
        for stop_signal in (signal.SIGTERM, signal.SIGINT):
            signal.signal(stop_signal, lambda *_: self.stopping.set())
        self.start()
        self.stopping.wait()
        self.stop()
