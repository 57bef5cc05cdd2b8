"""A lane: one thread that runs its jobs in turn, when woken or at its pace, and logs each run."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sized
from dataclasses import dataclass

from sqlalchemy.engine import Engine

log = logging.getLogger("vitrine.worker")


@dataclass(frozen=True)
class Job:
    name: str
    run: Callable[[Engine], object]


class Lane:
    """Runs `jobs` one after the other at start, then every `every` seconds or when woken; then
    calls `after` (to wake the lane that sends what the jobs queued). A failing job is logged and
    the others still run: what it left undone is picked up on the next pass."""

    def __init__(self, name: str, jobs: list[Job], *, every: float, after: Callable[[], None] = lambda: None) -> None:
        self.name, self.jobs, self.every, self.after = name, jobs, every, after
        self.woken = threading.Event()
        self.thread: threading.Thread | None = None

    def start(self, engine: Engine, stopping: threading.Event) -> None:
        self.thread = threading.Thread(target=self._loop, args=(engine, stopping), daemon=True,
                                       name=f"vitrine-{self.name}")
        self.thread.start()

    def wake(self) -> None:
        self.woken.set()

    def _loop(self, engine: Engine, stopping: threading.Event) -> None:
        while not stopping.is_set():
            self.woken.clear()
            for job in self.jobs:
                self._run(job, engine)
            self.after()
            self.woken.wait(timeout=self.every)

    def _run(self, job: Job, engine: Engine) -> None:
        started = time.monotonic()
        try:
            result = job.run(engine)
        except Exception:  # the rows stay as they were; the next pass retries
            log.exception("%s/%s failed after %.3f s", self.name, job.name, time.monotonic() - started)
            return
        log.info("%s/%s: %s in %.3f s", self.name, job.name, _counted(result), time.monotonic() - started)


def _counted(result: object) -> str:
    """What a job did, for the log: how many things it handled."""
    if isinstance(result, Sized):
        return f"{len(result)} done"
    if isinstance(result, int):
        return f"{result} done"
    return "done"
