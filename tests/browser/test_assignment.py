"""Staff propose an assignment, confirm it and propose again, as they do in the browser (issue 30:
"Proposer" crashed once a chosen slot's places left had changed while it stayed chosen)."""

import pytest

from directory import accounts, showcase
from tests.browser.conftest import READY, module_server, staff_page
from tests.factories import make_slot, submit

pytestmark = pytest.mark.browser
PASSWORD = "un mot de passe solide"


@pytest.fixture(scope="module")
def waiting(tmp_path_factory):
    """Two slots of one place, each asked for by two startups, and a staff member."""
    def startups(engine) -> dict[str, object]:
        accounts.create_staff(engine, email="camille@atelier.example.org", name="Camille", password=PASSWORD)
        first, second = make_slot(engine, capacity=1), make_slot(engine, weeks=3, capacity=1)
        applications = {name: submit(engine, [slot], key=name, organisation=name, contact_email=f"{n}@example.org")
                        for n, (name, slot) in enumerate([("Ondaine Lab", first), ("Forez Robotique", first),
                                                          ("Loire Data", second), ("Pilat Énergie", second)])}
        return {"ids": {name: made.application_id for name, made in applications.items()}, "second": second}
    with module_server(tmp_path_factory.mktemp("assignment"), startups) as (base, engine, made):
        yield base, engine, made


def choose_slot(page, places: str) -> None:
    page.get_by_role("combobox", name="Créneaux à remplir").click()
    page.get_by_role("option").filter(has_text=places).first.click()
    page.keyboard.press("Escape")
    page.wait_for_selector(READY, timeout=30_000)


def press(page, name: str) -> None:
    page.get_by_role("button", name=name).click()
    page.wait_for_selector(READY, timeout=30_000)


def shows_no_exception(page) -> bool:
    return page.locator("[data-testid='stException']").count() == 0


def test_staff_propose_confirm_and_propose_again_and_after_a_refused_confirmation(browser, waiting):
    base, engine, made = waiting
    page = staff_page(browser, base, "/repartition", email="camille@atelier.example.org", password=PASSWORD)
    page.get_by_text("Créneaux à remplir").wait_for(timeout=30_000)

    choose_slot(page, "(1 place libre)")
    press(page, "Proposer")
    page.get_by_text("1 sur 2 placées").wait_for(timeout=30_000)
    press(page, "Confirmer : 1 acceptation")
    page.get_by_text("1 candidature acceptée. 1 mise en liste d'attente.").wait_for(timeout=30_000)
    chosen = page.locator("[data-testid='stMultiSelect']")
    assert "(0 place libre)" in chosen.inner_text()  # still chosen, its places left as they are now
    press(page, "Proposer")
    page.get_by_text("0 sur 1 placées").wait_for(timeout=30_000)
    assert shows_no_exception(page)

    # The other slot: proposed, then filled by someone else before staff confirm.
    page.goto(base + "/repartition")
    page.wait_for_selector(READY, timeout=60_000)
    choose_slot(page, "(1 place libre)")
    press(page, "Proposer")
    page.get_by_text("1 sur 2 placées").wait_for(timeout=30_000)
    showcase.approve_application(engine, made["ids"]["Pilat Énergie"], slot_id=made["second"], staff="staff:1")
    press(page, "Confirmer : 1 acceptation")
    page.get_by_text("Rien n'a été enregistré").wait_for(timeout=30_000)
    press(page, "Proposer")
    page.get_by_text("0 sur 1 placées").wait_for(timeout=30_000)
    assert shows_no_exception(page)
    queue = showcase.review_queue(engine, showcase.ReviewFilters(states=()))
    assert dict(zip(queue["organisation"], queue["state"], strict=True)) == {
        "Ondaine Lab": "approved", "Forez Robotique": "waitlisted", "Loire Data": "submitted",
        "Pilat Énergie": "approved"}
    page.context.close()
