"""Turns at a scarce resource (the password checks, 64 MiB each): the least suspicious waiter
goes first, and equals in the order they came. A flood's repeated tries thus wait behind a first
try, whoever sends them and however many they are."""

from __future__ import annotations

import heapq
import itertools
import threading
from collections.abc import Iterator
from contextlib import contextmanager


class NoTurn(Exception):
    """No turn came within the wait allowed."""


class Turns:
    def __init__(self, slots: int) -> None:
        self.free = slots
        self.waiting: list[tuple[tuple, int]] = []  # a heap of (rank, arrival)
        self.changed = threading.Condition()
        self.arrivals = itertools.count()

    @contextmanager
    def turn(self, rank: tuple, *, wait: float) -> Iterator[None]:
        """Holds a slot while the block runs; raises NoTurn when none came within `wait` seconds.
        A lower `rank` goes first."""
        ticket = (rank, next(self.arrivals))
        with self.changed:
            heapq.heappush(self.waiting, ticket)
            if not self.changed.wait_for(lambda: self.free > 0 and self.waiting[0] == ticket, timeout=wait):
                self.waiting.remove(ticket)
                heapq.heapify(self.waiting)
                self.changed.notify_all()
                raise NoTurn()
            heapq.heappop(self.waiting)
            self.free -= 1
            self.changed.notify_all()  # the next waiter may take another free slot
        try:
            yield
        finally:
            with self.changed:
                self.free += 1
                self.changed.notify_all()
