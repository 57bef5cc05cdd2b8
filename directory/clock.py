"""Time in one place, so tests can move it and every rule reads the same clock."""

from datetime import UTC, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")


def utcnow() -> datetime:
    return datetime.now(UTC)


# Pages show the same stored moments on every visit, read as pandas Timestamps that take 17 µs
# each to convert. Equal instants give the same wall-clock time, whatever zone they came in.
@lru_cache(maxsize=50_000)
def to_paris(moment: datetime) -> datetime:
    """A stored moment as wall-clock time at the atelier (naive values are UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(PARIS)


def from_paris(wall_clock: datetime) -> datetime:
    """A wall-clock time at the atelier (naive values are Paris time) as an aware UTC moment."""
    if wall_clock.tzinfo is None:
        wall_clock = wall_clock.replace(tzinfo=PARIS)
    return wall_clock.astimezone(UTC)


def aware(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; every stored moment is UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
