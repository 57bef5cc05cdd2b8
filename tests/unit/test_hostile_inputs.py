"""Hostile values fed to every text field of every form and to CSV imports.

Each is either refused with a message on its field, or stored and then shown as inert text in
every place it appears: the partner card and list, the map, the calendar, the staff review card,
CSV, GeoJSON and iCalendar exports. Run with -s to print the summary table.
"""

import csv
import dataclasses
import io
import itertools
import json
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import time
from html.parser import HTMLParser
from typing import Any

import pandas as pd
import pytest

from directory import db, listings, showcase
from directory.listings import PartnerForm, exports, imports, mapping
from directory.models import Application
from directory.showcase import ApplicationForm, SlotTimes
from directory.ui.cards import (
    application_card_html,
    partner_card_html,
    partner_summary_html,
    showcase_html,
)
from directory.validation import FormErrors
from tests.factories import HOSTILE_TEXT, next_wednesday, picture

HOSTILE_URLS = {"dangerous URL": ["javascript:alert(1)", "JaVaScRiPt:alert(1)",
                                  "data:text/html,<script>alert(1)</script>",
                                  "vbscript:msgbox", "https://exa mple.org", "http://"]}
HOSTILE_EMAILS = {"malformed email": ["a@b", "<a@b.example.org>", "a@b.example.org\nBcc: c@d.example.org", "@",
                                      "x" * 300]}
HOSTILE_COORDINATES = {"bad coordinates": [("nan", "4.39"), ("45.4", "inf"), ("-inf", "4"), ("91", "4"), ("45", "181"),
                                           ("1e309", "4"), ("0x10", "4"), ("45.4", "")]}
HOSTILE_IMAGES = {"bad image": [
    b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>",
    b"%PDF-1.7 renamed .png", picture("PNG")[:200], b"\x89PNG" + b"0" * (3 * 1024 * 1024), "bomb",
]}

PARTNER_TEXT_FIELDS = ["name", "short_description", "description", "sectors", "networks", "address", "city",
                       "contact_phone"]
APPLICATION_TEXT_FIELDS = ["organisation", "short_description", "sectors", "address", "city", "pitch_title",
                           "pitch_summary", "demo_description", "equipment", "contact_name", "contact_phone"]
SITE = "https://vitrine.example/"


@dataclass
class Tally:
    """What this module tried and how each ended, with the module's own supply of keys and of
    slots with room: kept per run of the module (a fixture), so that it runs twice in a process."""

    engine: Any
    results: dict[str, Counter] = dataclasses.field(default_factory=lambda: defaultdict(Counter))
    outcomes: Counter = dataclasses.field(default_factory=Counter)  # (field, outcome), whichever test ran first
    fields: set[str] = dataclasses.field(default_factory=set)
    keys: Iterator[int] = dataclasses.field(default_factory=itertools.count)
    approved: Iterator[int] = dataclasses.field(default_factory=itertools.count)
    roomy_slots: list[int] = dataclasses.field(default_factory=list)

    def record(self, kind: str, where: str, outcome: str) -> None:
        self.fields.add(where)
        self.results[kind][outcome] += 1
        self.outcomes[(where, outcome)] += 1

    def key(self, prefix: str) -> str:
        return f"{prefix}{next(self.keys)}"

    def slot_with_room(self) -> int:
        if next(self.approved) % showcase.MAX_CAPACITY == 0:
            day = next_wednesday(3 + len(self.roomy_slots))  # one slot a day: the same hours twice are refused
            self.roomy_slots.append(showcase.create_slot(self.engine, SlotTimes(day, time(14), time(17)),
                                                         capacity=showcase.MAX_CAPACITY))
        return self.roomy_slots[-1]


def bomb() -> bytes:
    from PIL import Image

    data = io.BytesIO()
    Image.new("1", (20_000, 20_000)).save(data, "PNG")
    return data.getvalue()


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    the_engine = db.make_engine(f"sqlite:///{tmp_path_factory.mktemp('hostile') / 'hostile.db'}")
    db.migrate(the_engine)
    yield the_engine
    the_engine.dispose()


@pytest.fixture(scope="module")
def tally(engine):
    """After the module's tests, in whatever order they ran: what was tried, and how it ended."""
    the_tally = Tally(engine)
    yield the_tally
    tried = sum(sum(c.values()) for c in the_tally.results.values())
    print(f"\nHostile inputs tried: {tried}, on {len(the_tally.fields)} fields")
    print(f"{'kind':<22}{'tried':>7}{'refused':>9}{'stored inert':>14}")
    for kind, outcomes in the_tally.results.items():
        print(f"{kind:<22}{sum(outcomes.values()):>7}{outcomes['refused with a message']:>9}"
              f"{outcomes['stored, shown inert']:>14}")


@pytest.fixture(scope="module")
def slot(engine):
    return showcase.create_slot(engine, SlotTimes(next_wednesday(), time(14), time(17)), capacity=50)


ALLOWED_TAGS = {"article", "h2", "h3", "h4", "p", "strong", "em", "dl", "dt", "dd", "span", "bdi", "a", "style",
                "table", "caption", "thead", "tbody", "tr", "th", "td", "small", "ul", "ol", "li", "br", "section",
                "img"}


class TagCollector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def check_inert_html(html: str) -> None:
    """Only the tags and attributes our own templates write: user text never became markup."""
    collector = TagCollector()
    collector.feed(html)
    for tag, attributes in collector.tags:
        assert tag in ALLOWED_TAGS, tag
        assert not any(name.startswith("on") for name in attributes), attributes
        if tag == "img":  # only the kinds' marker pictures
            assert attributes["src"].startswith("data:image/svg+xml;base64,") and attributes["alt"] == ""
        if "href" in attributes:
            assert attributes["href"].startswith(("http://", "https://", "mailto:", "?", "./")), attributes["href"]
    assert "\x00" not in html


def check_clean(text: str) -> None:
    """Stored text is NFC, with no character that could reorder or hide what is shown."""
    assert unicodedata.is_normalized("NFC", text)
    assert not any(unicodedata.category(ch) in {"Cc", "Cf"} and ch not in "\n\t\u200d\u200c" for ch in text), repr(text)


def check_outputs(frame: pd.DataFrame) -> None:
    """Every public place the stored rows appear in."""
    for partner in frame.to_dict("records"):
        for column in PARTNER_TEXT_FIELDS:
            check_clean(partner[column])
        check_inert_html(partner_card_html(partner, "fr", permalink=f"{SITE}partenaires/{partner['slug']}"))
        check_inert_html(partner_summary_html(partner, "fr", lambda text, **p: text))
    for name in frame["name"]:
        escaped = mapping.escape_for_map(name)
        assert not any(c in escaped for c in "<>`\\") and "${" not in escaped
    layer = mapping.layer_rows(frame)
    assert json.loads(json.dumps(layer)) == layer  # the browser escapes it when building tooltips
    exported = exports.partners_csv(frame).decode("utf-8-sig")
    for row in csv.DictReader(io.StringIO(exported)):
        for column, cell in row.items():
            if column not in ("latitude", "longitude", "id"):
                assert not cell.startswith(("=", "+", "-", "@")), (column, cell)
    json.loads(exports.partners_geojson(frame))


def propose(engine, **values):
    base = dict(name="Lieu", kind="coworking", short_description="Un lieu.")
    base.update(values)
    proposer = {"proposer_name": base.pop("proposer_name", "Camille"),
                "proposer_email": base.pop("proposer_email", "camille@example.org")}
    partner_id = listings.propose_partner(engine, PartnerForm(**base), **proposer).number
    listings.publish_partner(engine, partner_id, staff="staff:1")
    return partner_id


def try_partner(tally, kind, where, **values):
    try:
        partner_id = propose(tally.engine, **values)
    except FormErrors as refused:
        assert refused.errors, "refused without saying why"
        tally.record(kind, where, "refused with a message")
        return
    frame = listings.load_published(tally.engine)
    check_outputs(frame[frame["id"] == partner_id])
    tally.record(kind, where, "stored, shown inert")


@pytest.mark.parametrize("kind", list(HOSTILE_TEXT))
def test_partner_text_fields(tally, kind):
    for field in PARTNER_TEXT_FIELDS + ["proposer_name"]:
        for value in HOSTILE_TEXT[kind]:
            try_partner(tally, kind, f"partner.{field}", **{field: value})


def test_partner_urls_emails_and_coordinates(tally):
    for value in HOSTILE_URLS["dangerous URL"]:
        try_partner(tally, "dangerous URL", "partner.website", website=value)
    for field in ("contact_email", "proposer_email"):
        for value in HOSTILE_EMAILS["malformed email"]:
            try_partner(tally, "malformed email", f"partner.{field}", **{field: value})
    for latitude, longitude in HOSTILE_COORDINATES["bad coordinates"]:
        try_partner(tally, "bad coordinates", "partner.position", latitude=latitude, longitude=longitude)
    for field in ("partner.website", "partner.contact_email", "partner.proposer_email", "partner.position"):
        assert tally.outcomes[(field, "refused with a message")] and not tally.outcomes[(field, "stored, shown inert")]


def apply(engine, slot, key, **values):
    base = dict(organisation="Startup", short_description="Une startup.", stage="idea", team_size=2,
                pitch_title="Pitch", pitch_summary="Résumé", demo_description="Démo", contact_name="Camille",
                contact_email=f"{key}@example.org", consent_data=True, consent_publication=True)
    base.update(values)
    return showcase.submit_application(engine, ApplicationForm(slot_ids=[slot], **base), submission_key=key)


def try_application(tally, slot, kind, where, key, **values):
    engine = tally.engine
    try:
        submitted = apply(engine, slot, key, **values)
    except FormErrors as refused:
        assert refused.errors
        tally.record(kind, where, "refused with a message")
        return
    # Only what this value reached: the card of its application, the showcase and calendar of its slot.
    slot_id = tally.slot_with_room()
    showcase.approve_application(engine, submitted.application_id, slot_id=slot_id, staff="staff:1")
    approved = showcase.ReviewFilters(states=("approved",))  # the newest last, past the queue's first page
    candidate = showcase.review_queue(engine, approved, offset=showcase.count_review_queue(engine, approved) - 1)
    assert candidate["id"].tolist() == [submitted.application_id]
    check_inert_html(application_card_html(candidate.iloc[0].to_dict(), [], {}, "en", lambda text, **p: text))
    for show in showcase.showcases(engine, slot_id=slot_id):
        check_inert_html(showcase_html(show, "when", site=SITE, language="fr", _=lambda text, **p: text))
    ics = showcase.calendar.showcases_ics(showcase.calendar_showcases(engine, slot_id=slot_id), "fr", base_url=SITE)
    assert "\x00" not in ics.decode()
    with db.read_session(engine) as session:
        listing = session.get(Application, submitted.application_id).partner_id
    published = listings.load_published(engine)
    startup_listing = published[published["id"] == listing]
    assert len(startup_listing) == 1  # published on approval
    check_outputs(startup_listing)
    tally.record(kind, where, "stored, shown inert")


def test_application_fields(tally, slot):
    counter = 0
    for kind, values in HOSTILE_TEXT.items():
        for field in APPLICATION_TEXT_FIELDS:
            for value in values:
                counter += 1
                try_application(tally, slot, kind, f"application.{field}", f"t{counter}", **{field: value})
    for value in HOSTILE_URLS["dangerous URL"]:
        counter += 1
        try_application(tally, slot, "dangerous URL", "application.website", f"t{counter}", website=value)
    for value in HOSTILE_EMAILS["malformed email"]:
        counter += 1
        try_application(tally, slot, "malformed email", "application.contact_email", f"t{counter}",
                        contact_email=value)
    for latitude, longitude in HOSTILE_COORDINATES["bad coordinates"]:
        counter += 1
        try_application(tally, slot, "bad coordinates", "application.position", f"t{counter}",
                        latitude=latitude, longitude=longitude)
    for value in HOSTILE_IMAGES["bad image"]:
        counter += 1
        try_application(tally, slot, "bad image", "application.logo", f"t{counter}",
                        logo=bomb() if value == "bomb" else value)
    for value in ("-1", "0", "1e9", "NaN", "deux"):
        counter += 1
        try_application(tally, slot, "bad number", "application.team_size", f"t{counter}", team_size=value)
    assert tally.results["bad image"]["stored, shown inert"] == 0


def test_csv_import_cells(tally, engine):
    for kind, values in {**HOSTILE_TEXT, **HOSTILE_URLS, **HOSTILE_EMAILS}.items():
        for column in ("name", "short_description", "sectors", "city", "website", "contact_email"):
            for value in values:
                if len(value) > 1_000_000:
                    continue  # covered below: the whole file is refused
                stream = io.StringIO()
                writer = csv.writer(stream, delimiter=";")
                writer.writerow(["name", "kind", column] if column != "name" else ["name", "kind"])
                writer.writerow(["Lieu", "startup", value] if column != "name" else [value, "startup"])
                preview = imports.read_partner_csv(stream.getvalue().encode("utf-8"))
                if preview.invalid_rows:
                    tally.record(kind, f"import.{column}", "refused with a message")
                    continue
                written = imports.apply_import(engine, preview)
                assert written == 1
                check_outputs(listings.load_published(engine).tail(1))
                tally.record(kind, f"import.{column}", "stored, shown inert")
    with pytest.raises(imports.ImportRefused):
        imports.read_partner_csv(b"name;kind\n" + b"x" * (imports.MAX_IMPORT_BYTES + 1))
    tally.record("10 MB string", "import.file", "refused with a message")


def test_staff_free_text(tally, engine, slot):
    for kind, values in HOSTILE_TEXT.items():
        for value in values:
            try:
                showcase.create_slot(engine, SlotTimes(next_wednesday(2), time(9), time(10)), capacity=2, theme=value)
                tally.record(kind, "slot.theme", "stored, shown inert")
            except FormErrors:
                tally.record(kind, "slot.theme", "refused with a message")
            submitted = apply(engine, slot, tally.key("staff"))
            try:
                showcase.reject_application(engine, submitted.application_id, staff="staff:1", reason=value,
                                            message=value)
                tally.record(kind, "review.reason", "stored, shown inert")
            except FormErrors:
                tally.record(kind, "review.reason", "refused with a message")
    for show in showcase.showcases(engine):
        check_inert_html(showcase_html(show, show["theme"], site=SITE, language="fr", _=lambda text, **p: text))


@pytest.mark.parametrize("value, fault", [
    ("Forez Robotique\u202egpj.exe", "U+202E"), ("\u2066Forez\u2069", "U+2066"), ("Forez\u200f", "U+200F"),
    ("Forez\u2062", "U+2062"),
])
def test_characters_that_reorder_or_hide_text_are_refused_with_a_message_everywhere(tally, engine, slot, value,
                                                                                  fault):
    with pytest.raises(FormErrors) as partner:
        propose(engine, name=value)
    with pytest.raises(FormErrors) as application:
        apply(engine, slot, tally.key("bidi"), organisation=value)
    submitted = apply(engine, slot, tally.key("bidi"))
    with pytest.raises(FormErrors) as decision:
        showcase.reject_application(engine, submitted.application_id, staff="staff:1", reason=value)
    for refused, field in ((partner, "name"), (application, "organisation"), (decision, "reason")):
        message = refused.value.errors[field]
        assert fault.removeprefix("U+") == message.params["code"] and "invisible" in message.text
    preview = imports.read_partner_csv(f"name;kind\n{value};startup\n".encode())
    assert preview.invalid_rows


def test_zero_width_and_decomposed_text_is_tidied_and_stored_text_is_isolated_when_shown(tally, engine, slot):
    partner_id = propose(engine, name="Cafe\u0301\u200b Nume\u0301rique", city="Saint-\u00c9tienne\ufeff")
    stored = listings.get_partner(engine, partner_id)
    assert (stored.name, stored.city) == ("Café Numérique", "Saint-Étienne")
    # Text stored before these rules (or by another tool) still cannot reorder what follows it.
    apply(engine, slot, tally.key("bidi"), website="https://forez.example")
    candidate = showcase.review_queue(engine, showcase.ReviewFilters(states=("submitted",))).iloc[-1].to_dict()
    card = application_card_html({**candidate, "organisation": "Forez\u202egpj.exe"}, [], {}, "fr", lambda t, **p: t)
    assert "<h4><bdi>Forez\u202egpj.exe</bdi> — <a " in card and "<bdi>https://forez.example</bdi>" in card
