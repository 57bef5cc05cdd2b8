"""The scheduling screens read whole at 1300 px and on a 390 px phone, in French and English
(issue 22: controls cut off, options truncated, a tab out of reach, words left in French)."""

import pytest

from directory import accounts, showcase
from directory.showcase import offers
from tests.browser.conftest import READY, module_server, staff_page
from tests.factories import make_slot, submit

pytestmark = pytest.mark.browser
PASSWORD = "un mot de passe solide"
WIDTHS = (1300, 390)


@pytest.fixture(scope="module")
def scheduling(tmp_path_factory):
    """One server for the module: an approved startup, one answering an offer, one waitlisted
    with no slot left, and a staff member."""
    def startups(engine) -> dict[str, str]:
        accounts.create_staff(engine, email="camille@atelier.example.org", name="Camille", password=PASSWORD)
        first, second = make_slot(engine, capacity=1), make_slot(engine, weeks=3, capacity=2)
        approved = submit(engine, [second], key="a", organisation="Ondaine Lab", contact_email="a@example.org")
        showcase.approve_application(engine, approved.application_id, slot_id=second, staff="staff:1")
        leaving = submit(engine, [first], key="b", organisation="Forez Robotique", contact_email="b@example.org")
        stranded = submit(engine, [first], key="c", organisation="Loire Data", contact_email="c@example.org")
        offered = submit(engine, [first, second], key="d", organisation="Pilat Énergie", contact_email="d@example.org")
        showcase.approve_application(engine, leaving.application_id, slot_id=first, staff="staff:1")
        for waiting in (stranded, offered):
            showcase.waitlist_application(engine, waiting.application_id, staff="staff:1")
        showcase.withdraw_application(engine, leaving.token)  # Loire Data is offered the place…
        offers.decline_offer(engine, stranded.token)  # …lets it go: Pilat Énergie is offered it
        return {"approved": approved.token, "offered": offered.token, "stranded": stranded.token}
    with module_server(tmp_path_factory.mktemp("scheduling"), startups) as (base, _engine, tokens):
        yield base, tokens


def open_page(browser, base, path, *, width, staff=False):
    if staff:
        return staff_page(browser, base, path, email="camille@atelier.example.org", password=PASSWORD, width=width)
    page = browser.new_context(viewport={"width": width, "height": 900}, locale="fr-FR").new_page()
    page.goto(base + path)
    page.wait_for_selector(READY, timeout=60_000)
    return page


def within_width(page, locator, width) -> bool:
    locator.scroll_into_view_if_needed()
    box = locator.bounding_box()
    return box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width + 1


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("language", ["fr", "en"])
def test_an_approved_startup_reads_where_when_and_its_event(browser, scheduling, width, language):
    base, tokens = scheduling
    page = open_page(browser, base, f"/suivi?token={tokens['approved']}" + ("&lang=en" if language == "en" else ""),
                     width=width)
    words = {"fr": ("Votre présentation", "Ajouter à mon agenda (.ics)", "place Jean-Moulin"),
             "en": ("Your presentation", "Add to my calendar (.ics)", "place Jean-Moulin")}[language]
    page.get_by_text(words[0], exact=True).wait_for(timeout=30_000)
    calendar_button = page.get_by_role("button", name=words[1])
    assert within_width(page, calendar_button, width)
    assert page.get_by_text(words[2]).count() >= 1
    with page.expect_download(timeout=60_000) as download:  # the file is built on the click (a rerun)
        calendar_button.click()
    assert download.value.suggested_filename.endswith(".ics")
    page.context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_giving_up_an_offered_place_asks_first(browser, scheduling, width):
    base, tokens = scheduling
    page = open_page(browser, base, f"/suivi?token={tokens['offered']}&lang=en", width=width)
    page.get_by_text("A place has freed up for you").wait_for(timeout=30_000)
    assert page.get_by_text("I leave the place").count() == 0
    page.get_by_text("Give up this place").click()
    give_up = page.get_by_role("button", name="Give up the place")
    assert give_up.is_disabled()  # a destructive answer asks for a confirmation first
    assert within_width(page, page.get_by_role("button", name="I accept this place"), width)
    page.context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_a_startup_with_no_slot_left_is_told_and_can_choose_others(browser, scheduling, width):
    base, tokens = scheduling
    page = open_page(browser, base, f"/suivi?token={tokens['stranded']}", width=width)
    page.get_by_text("Aucun des créneaux demandés n'est encore possible").wait_for(timeout=30_000)
    assert page.get_by_text("sa place sera libérée").count() == 0  # it holds none
    assert page.get_by_text("attendance_confirmed").count() == 0
    assert within_width(page, page.get_by_role("button", name="Choisir d'autres créneaux"), width)
    page.context.close()


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("language", ["fr", "en"])
def test_staff_reach_every_decision_and_every_slot_tab(browser, scheduling, width, language):
    base, _tokens = scheduling
    suffix = "?lang=en" if language == "en" else ""
    page = open_page(browser, base, "/candidatures" + suffix, width=width, staff=True)
    move = {"fr": "Changer de créneau (acceptées)", "en": "Change slot (approved)"}[language]
    page.get_by_role("button", name=move).wait_for(timeout=30_000)
    assert within_width(page, page.get_by_role("button", name=move), width)
    assert page.get_by_text("Preferred slots :").count() == 0
    page.goto(base + "/creneaux" + suffix)
    page.wait_for_selector(READY, timeout=60_000)
    attendance_tab = page.get_by_role("tab", name={"fr": "Présences", "en": "Attendance"}[language])
    assert within_width(page, attendance_tab, width)
    page.context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_the_apply_form_shows_places_and_deadlines_on_a_phone(browser, scheduling, width):
    base, _tokens = scheduling
    page = open_page(browser, base, "/candidater", width=width)
    listed = page.get_by_text("candidatures jusqu'au").first
    listed.wait_for(timeout=30_000)
    assert within_width(page, listed, width) and ":00" in listed.inner_text()
    page.context.close()
