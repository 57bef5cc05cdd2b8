"""Two app replicas on one PostgreSQL: what one decides, the other sees; capacity holds across them."""

import pytest

from directory import accounts, db, showcase
from tests.browser.conftest import start_server, stop_server, wait_until_ready
from tests.factories import form, make_slot

pytestmark = pytest.mark.browser
PASSWORD = "un mot de passe solide"


@pytest.fixture
def replicas(postgres_url, tmp_path):
    engine = db.make_engine(postgres_url)
    db.migrate(engine)
    first, first_url = start_server(postgres_url, tmp_path / "replica-a.log")
    second, second_url = start_server(postgres_url, tmp_path / "replica-b.log")
    yield engine, first_url, second_url
    stop_server(first)
    stop_server(second)
    engine.dispose()


def signed_in_review_page(browser, base, email):
    page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    page.goto(base)
    wait_until_ready(page)
    page.goto(base + "/connexion")
    wait_until_ready(page)
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.get_by_role("link", name="Candidatures").click()
    wait_until_ready(page)
    return page


def pick(page, number):
    page.get_by_text(f"Sélectionner n°{number}").click()
    wait_until_ready(page)


def test_a_decision_on_one_replica_is_seen_and_enforced_on_the_other(replicas, browser):
    engine, first_url, second_url = replicas
    for email in ("a@atelier.example.org", "b@atelier.example.org"):
        accounts.create_staff(engine, email=email, name=email[0].upper(), password=PASSWORD)
    slot = make_slot(engine, capacity=1)
    for i, name in enumerate(["Forez Robotique", "Kiosque Santé"]):
        showcase.submit_application(engine, form([slot], organisation=name, contact_email=f"s{i}@example.org"),
                                    submission_key=f"k{i}")

    on_a = signed_in_review_page(browser, first_url, "a@atelier.example.org")
    on_b = signed_in_review_page(browser, second_url, "b@atelier.example.org")
    pick(on_b, "00002")  # B prepares a decision while the slot still looks free
    pick(on_a, "00001")
    on_a.get_by_role("button", name="Accepter").click()
    on_a.get_by_text("1 décision enregistrée.").wait_for(timeout=30_000)

    on_b.get_by_role("button", name="Accepter").click()
    on_b.get_by_text("Candidature n°00002 : Ce créneau est complet").wait_for(timeout=30_000)
    assert showcase.slots_with_counts(engine)["places_taken"].tolist() == [1]

    public_b = browser.new_context().new_page()
    public_b.goto(second_url + "/agenda")
    wait_until_ready(public_b)
    public_b.get_by_text("Forez Robotique").wait_for(timeout=30_000)
    assert public_b.get_by_text("Kiosque Santé").count() == 0


def test_a_session_opened_on_one_replica_is_valid_on_the_other_and_ends_on_both(replicas, browser):
    engine, first_url, second_url = replicas
    accounts.create_staff(engine, email="a@atelier.example.org", name="Alice", password=PASSWORD)
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    on_a = context.new_page()
    on_a.goto(first_url + "/creneaux")
    wait_until_ready(on_a)
    on_a.get_by_label("E-mail").fill("a@atelier.example.org")
    on_a.get_by_label("Mot de passe", exact=True).fill(PASSWORD)
    on_a.get_by_role("button", name="Se connecter").click()
    on_a.get_by_role("heading", name="Créneaux de vitrine").wait_for(timeout=30_000)

    # The browser sends the same cookie to the other replica (cookies do not depend on the port).
    on_b = context.new_page()
    on_b.goto(second_url + "/journal")
    wait_until_ready(on_b)
    on_b.get_by_role("heading", name="Journal des actions").wait_for(timeout=30_000)
    kept = context.cookies()
    on_b.get_by_role("button", name="Se déconnecter").click()
    on_b.wait_for_url(second_url + "/", timeout=30_000)

    context.add_cookies(kept)  # even a copy of the old cookie is worthless now: the session ended
    on_a.reload()
    wait_until_ready(on_a)
    on_a.get_by_role("heading", name="Espace équipe").wait_for(timeout=30_000)
    assert on_a.get_by_role("heading", name="Créneaux de vitrine").count() == 0
