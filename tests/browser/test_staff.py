import pytest

from directory import accounts, showcase
from tests.browser.conftest import wait_until_ready
from tests.unit.test_showcase import form, make_slot

pytestmark = pytest.mark.browser


def test_a_staff_member_signs_in_and_approves_an_application(server, server_database, page):
    _, engine = server_database
    accounts.create_staff(engine, email="camille@atelier.example.org", name="Camille", password="un mot de passe solide")
    slot = make_slot(engine)
    application = showcase.submit_application(engine, form([slot], organisation="Forez Robotique"),
                                              submission_key="k").application_id
    page.goto(server + "/connexion")
    wait_until_ready(page)
    page.get_by_label("E-mail").fill("camille@atelier.example.org")
    page.get_by_label("Mot de passe").fill("un mot de passe solide")
    page.get_by_role("button", name="Se connecter").click()
    page.get_by_text("Candidatures").first.wait_for(timeout=30_000)
    page.get_by_role("link", name="Candidatures").click()
    wait_until_ready(page)
    page.get_by_text("Forez Robotique").first.wait_for(timeout=30_000)
    page.get_by_text("Sélectionner n°00001").click()
    wait_until_ready(page)
    page.get_by_role("button", name="Accepter").click()
    page.get_by_text("1 décision(s) enregistrée(s).").wait_for(timeout=30_000)
    assert showcase.slots_with_counts(engine)["approved"].tolist() == [1]
    assert showcase.review_queue(engine, showcase.ReviewFilters(states=("approved",)))["id"].tolist() == [application]
