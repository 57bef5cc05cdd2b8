"""The hostile-input suite through every address: stored hostile text comes back inert, in a
syntax real parsers still read; hostile query strings get a clear 400 or 404, never a 500."""

import json
import xml.etree.ElementTree as ElementTree
from datetime import time
from html.parser import HTMLParser

import icalendar
import pytest

from directory import listings, showcase
from directory.listings import PartnerForm
from directory.showcase import SlotTimes
from directory.validation import FormErrors
from tests.factories import HOSTILE_TEXT, next_wednesday, submit

VALUES = [value for kind, values in HOSTILE_TEXT.items() if kind != "10 MB string" for value in values]


class Elements(HTMLParser):
    def __init__(self):
        super().__init__()
        self.elements, self.data = [], {}
        self._in_json = False

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))
        self._in_json = tag == "script" and dict(attrs).get("type") in ("application/ld+json", "application/json")

    def handle_data(self, data):
        if self._in_json:
            self.data.setdefault(self.elements[-1][0] + str(len(self.elements)), "")
            self.data[self.elements[-1][0] + str(len(self.elements))] += data

    def handle_endtag(self, tag):
        self._in_json = False


def check_inert_page(html: str) -> None:
    """Only our own elements: no handler attribute, no script that runs but ours, JSON blocks whole."""
    page = Elements()
    page.feed(html)
    for tag, attributes in page.elements:
        assert not any(name.startswith("on") for name in attributes), (tag, attributes)
        assert tag not in ("img", "svg", "iframe", "object", "embed", "base", "form"), tag
        if tag == "script":
            assert attributes.get("type") in ("application/ld+json", "application/json") or \
                attributes.get("src", "").startswith("app/static/"), attributes
        for link in (attributes.get("href"), attributes.get("src")):
            if link:
                assert not link.lower().startswith(("javascript:", "data:", "vbscript:")), link
    for block in page.data.values():
        json.loads(block)


@pytest.fixture
def hostile(engine):
    """Every hostile value as a partner, a slot theme and an approved startup's pitch."""
    stored = []
    for number, value in enumerate(VALUES):
        try:
            partner_id = listings.create_partner(engine, PartnerForm(
                name=f"{value} {number}", kind="startup", short_description=value, description=value,
                sectors=f"{value[:30]}", address=value[:200], city=value[:90]), staff="staff:1")
            stored.append(partner_id)
        except FormErrors:
            pass
    slot = showcase.create_slot(engine, SlotTimes(next_wednesday(), time(14), time(17)), capacity=50,
                                theme=VALUES[0])
    for number, value in enumerate(VALUES[:6]):
        application = submit(engine, [slot], key=f"h{number}", organisation=f"{value} {number}",
                              pitch_title=value, pitch_summary=value, contact_email=f"h{number}@exemple.fr")
        showcase.approve_application(engine, application.application_id, slot_id=slot, staff="staff:1")
    assert len(stored) > len(VALUES) // 2  # most are stored (cleaned), the rest refused with a message
    return engine, slot


def test_stored_hostile_text_comes_back_inert_from_every_address(site, hostile):
    engine, slot = hostile
    slugs = listings.staff_partners(engine)["slug"].tolist()
    for slug in slugs:
        response = site.get(f"/partenaires/{slug}")
        assert response.status_code == 200, slug
        check_inert_page(response.text)
        assert site.get(f"/partenaires/{slug}/image.png").status_code == 200
    showcase_page = site.get(f"/vitrines/{slot}")
    check_inert_page(showcase_page.text)
    check_inert_page(site.get("/embed?q=%3C/script%3E%3Cscript%3Ealert(1)%3C/script%3E").text)
    for data_format in ("json", "geojson"):
        assert len(site.get(f"/donnees/partenaires.{data_format}").json()) > 0
    rows = site.get("/carte/partenaires.json?v=1").json()
    placed = listings.load_published(engine).dropna(subset=["latitude"])
    assert rows and {row[2] for row in rows} == set(placed["name"])
    calendar = icalendar.Calendar.from_ical(site.get("/agenda.ics").content)
    described = str(next(iter(calendar.walk("VEVENT")))["DESCRIPTION"])
    assert "<script>alert(1)</script>" in described  # plain text in a calendar, kept as typed
    ElementTree.fromstring(site.get("/sitemap.xml").content)


@pytest.mark.parametrize("path", [
    "/donnees/partenaires.csv?q=%00%1b[31m", "/donnees/partenaires.json?kinds=%3Cscript%3E",
    "/donnees/partenaires.geojson?lang=..%2F..%2Fetc", "/donnees/partenaires.json?page=-1",
    "/donnees/partenaires.json?partner=1e9", "/donnees/partenaires.json?q=%ff%fe",
    "/donnees/partenaires.json?sectors=" + "x," * 500, "/embed?kinds=startup&kinds=school",
    "/embed?networks=%22%3E%3Csvg%20onload%3Dalert(1)%3E", "/agenda.ics?lang=%00",
    "/partenaires/..%2F..%2Fetc%2Fpasswd", "/partenaires/%3Cscript%3E?lang=fr",
    "/partenaires/x?lang=zz", "/vitrines/1?lang=%3Cb%3E", "/vitrines/-1", "/vitrines/99999999999999999999",
    "/carte/partenaires.json?v=1&q=" + "a" * 300, "/partenaires/" + "a" * 5000,
])
def test_hostile_queries_get_a_clear_refusal_not_a_server_error(site, hostile, path):
    response = site.get(path)
    assert response.status_code in (200, 400, 404), (path, response.status_code)
    if response.status_code == 400:
        assert response.headers["content-type"].startswith("text/plain") and response.text.strip()
    assert "<script>alert" not in response.text
