"""Opening hours in OpenStreetMap's `opening_hours` syntax ("Mo-Fr 09:00-18:00; Sa 10:00-12:00;
PH off"), read with `opening-hours-py` in the atelier's time zone and with France's public holidays:
checked as typed, told as a week and as "open now, until 18:00", and filtered on."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache

import opening_hours
from sqlalchemy import select
from sqlmodel import Session

from directory.clock import PARIS
from directory.i18n import N_, format_date, translate
from directory.models import ListingState, Partner, PartnerKind
from directory.validation import Invalid, clean_text, quoted

HOURS_MAX = 255
_POSITION = re.compile(r"-->\s*\d+:(\d+)")
DAYS = (N_("lundi"), N_("mardi"), N_("mercredi"), N_("jeudi"), N_("vendredi"), N_("samedi"), N_("dimanche"))


@lru_cache(maxsize=4096)
def parsed(hours: str) -> opening_hours.OpeningHours:
    """The expression read once per process (every listing of a network often shares it)."""
    return opening_hours.OpeningHours(hours, timezone=PARIS, country="FR")


def clean_opening_hours(value: str | None) -> str:
    """The expression as typed, if it parses; else a message naming where it stops making sense."""
    text = clean_text(value, max_length=HOURS_MAX)
    if not text:
        return ""
    try:
        parsed(text)
    except (SyntaxError, ValueError, opening_hours.ParserError) as error:
        found = _POSITION.search(str(error))
        start = int(found.group(1)) - 1 if found else 0
        raise Invalid(N_("Horaires illisibles à partir de « {part} » : écrivez-les comme sur OpenStreetMap, par "
                         "exemple « Mo-Fr 09:00-18:00; Sa 10:00-12:00; PH off »."),
                      part=quoted(text[start:] or text)) from error
    return text


@dataclass(frozen=True)
class Now:
    open: bool | None  # None: the expression says nothing about this moment
    change: datetime | None  # when it closes (open) or opens (closed)


def now_state(hours: str, moment: datetime) -> Now:
    expression = parsed(hours)
    local = moment.astimezone(PARIS)
    state = expression.state(local)[0]
    change = expression.next_change(local)
    is_open = None if state == opening_hours.State.UNKNOWN else state == opening_hours.State.OPEN
    return Now(is_open, change.astimezone(PARIS) if change is not None else None)


def _clock(moment: datetime) -> str:
    return moment.strftime("%H:%M")


def status_text(hours: str, moment: datetime, language: str) -> str:
    """"Ouvert maintenant, jusqu'à 18:00" / "Fermé, ouvre lundi à 09:00", in the reader's language."""
    state = now_state(hours, moment)
    if state.open is None:
        return ""
    if state.open:
        if state.change is None:
            return translate(N_("Ouvert maintenant"), language)
        return translate(N_("Ouvert maintenant, jusqu'à {time}"), language, time=_clock(state.change))
    if state.change is None:
        return translate(N_("Fermé"), language)
    days_away = (state.change.date() - moment.astimezone(PARIS).date()).days
    if days_away == 0:
        return translate(N_("Fermé, ouvre à {time}"), language, time=_clock(state.change))
    if days_away < 7:
        return translate(N_("Fermé, ouvre {day} à {time}"), language,
                         day=translate(DAYS[state.change.weekday()], language), time=_clock(state.change))
    return translate(N_("Fermé, ouvre le {date} à {time}"), language,
                     date=format_date(state.change.date(), language, style="long"), time=_clock(state.change))


def week(hours: str, today: date, language: str) -> list[tuple[str, str]]:
    """The seven days from `today`, each with its opening times ("09:00–12:00, 14:00–18:00") or "fermé"."""
    start = datetime.combine(today, datetime.min.time(), tzinfo=PARIS)
    days: list[tuple[str, str]] = []
    for offset in range(7):
        day_start = start + timedelta(days=offset)
        day_end = day_start + timedelta(days=1)
        spans = [f"{_clock(begin.astimezone(PARIS))}–{_clock(min(end, day_end).astimezone(PARIS))}"
                 .replace("–00:00", "–24:00")
                 for begin, end, state, _comment in parsed(hours).intervals(day_start, day_end)
                 if state == opening_hours.State.OPEN]
        days.append((translate(DAYS[day_start.weekday()], language),
                     ", ".join(spans) or translate(N_("fermé"), language)))
    return days


def open_now(hours_column, moment: datetime):
    """For a column of expressions, whether each place is open at `moment` (one evaluation per
    distinct expression)."""
    local = moment.astimezone(PARIS)
    answers = {hours: bool(hours) and parsed(hours).is_open(local) for hours in hours_column.unique()}
    return hours_column.map(answers)


def atelier_practical(session: Session, day: date, language: str) -> str:
    """The atelier's opening times on `day` and how to get in, from its published listing ("" when
    the listing says neither): for the showcase pages, the approval, the reminders and their .ics."""
    atelier = session.execute(select(Partner).where(Partner.kind == PartnerKind.ATELIER,
                                                    Partner.state == ListingState.PUBLISHED)
                              .order_by(Partner.id).limit(1)).scalar_one_or_none()
    if atelier is None:
        return ""
    parts = []
    if atelier.opening_hours:
        times = dict(week(atelier.opening_hours, day, language)[:1])
        parts.append(translate(N_("Horaires de l'atelier ce jour-là : {times}."), language,
                               times=next(iter(times.values()))))
    access = " — ".join(part for part in (atelier.accessibility_note, atelier.accessibility_url) if part)
    if access:
        parts.append(translate(N_("Accès : {access}"), language, access=access))
    return " ".join(parts)
