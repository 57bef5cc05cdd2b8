"""Staff merge a flagged namesake as they do in the browser, in French and English, and the merged
listing's old address answers with a permanent redirect (issue 31: the merge target picker was
empty and the merge button stayed disabled)."""

import http.client
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from directory import accounts, listings
from tests.browser.conftest import READY, module_server, staff_page
from tests.conftest import partner_row

pytestmark = pytest.mark.browser
PASSWORD = "un mot de passe solide"
DUPLICATE = {"fr": "Cite du Design", "en": "Cité-du-Design SAS"}  # both namesakes of "Cité du design"
WORDS = {
    "fr": {"tab": "Fiches publiées", "listing": "Fiche", "flag": "Doublon possible de",
           "panel": "Fusionner avec une autre fiche", "keep": "Fiche à garder", "field": "Site web",
           "merge": "Fusionner dans « Cité du design »", "done": "Fiches fusionnées",
           "target": "Cité du design (fiche n°{number}, Saint-Étienne fr)"},
    "en": {"tab": "Published listings", "listing": "Listing", "flag": "Possible duplicate of",
           "panel": "Merge with another listing", "keep": "Listing to keep", "field": "Website",
           "merge": "Merge into “Cité du design”", "done": "Listings merged",
           "target": "Cité du design (listing no. {number}, Saint-Étienne en)"},
}


@pytest.fixture(scope="module")
def namesakes(tmp_path_factory):
    """Per language, a published listing and its namesake typed otherwise, with no position; a staff member."""
    def directory(engine) -> dict[str, tuple[int, str]]:
        accounts.create_staff(engine, email="camille@atelier.example.org", name="Camille", password=PASSWORD)
        pairs = {}
        for language in WORDS:
            listings.insert_partners(engine, [
                partner_row(name="Cité du design", website="", city=f"Saint-Étienne {language}"),
                partner_row(name=DUPLICATE[language], website=f"https://{language}.citedudesign.example",
                            latitude=None, longitude=None, city=f"Ville {language}")])
            found = listings.staff_partners(engine, text="design")
            kept = int(found[found["city"] == f"Saint-Étienne {language}"]["id"].iloc[0])
            duplicate = int(found[found["city"] == f"Ville {language}"]["id"].iloc[0])
            pairs[language] = (kept, duplicate)
        return pairs
    with module_server(tmp_path_factory.mktemp("merge"), directory) as (base, engine, pairs):
        yield base, engine, pairs


def pick(page, label: str, option: str) -> None:
    """Open a select box and click the option; then wait for the choice's rerun to end. A list
    opened while the page was still redrawing closes with the redraw: it is opened again."""
    box = page.get_by_role("combobox", name=label, exact=True)
    wanted = page.get_by_role("option", name=option, exact=True)
    for _attempt in range(3):
        page.wait_for_selector(READY, timeout=30_000)
        box.click()
        try:
            wanted.click(timeout=5_000)
            break
        except PlaywrightTimeout:
            box.press("Escape")
    expect(box).to_have_value(option, timeout=30_000)
    page.wait_for_selector(READY, timeout=30_000)


@pytest.mark.parametrize("language", ["fr", "en"])
def test_staff_merge_a_flagged_namesake_and_its_old_address_redirects(browser, namesakes, language):
    base, engine, pairs = namesakes
    kept, duplicate = pairs[language]
    words = WORDS[language]
    old_slug = listings.get_partner(engine, duplicate).slug
    page = staff_page(browser, base, "/gestion-annuaire" + ("?lang=en" if language == "en" else ""),
                      email="camille@atelier.example.org", password=PASSWORD)

    page.get_by_role("tab", name=words["tab"]).click()
    pick(page, words["listing"], DUPLICATE[language])
    page.get_by_text(words["flag"]).first.wait_for(timeout=30_000)
    page.get_by_text(words["panel"]).click()
    pick(page, words["keep"], words["target"].format(number=kept))
    page.locator(".vitrine-diff").filter(has_text=f"https://{language}.citedudesign.example").wait_for(timeout=30_000)
    take_website = page.get_by_role("checkbox", name=words["field"])
    assert take_website.is_checked()  # the kept listing has none: taken by default
    page.get_by_role("button", name=words["merge"]).click()
    page.get_by_text(words["done"]).wait_for(timeout=30_000)
    assert page.locator("[data-testid='stException']").count() == 0
    # The page stays on its tab, although the merge changed the "À vérifier (n)" count (issue 31).
    expect(page.get_by_role("tab", name=words["tab"])).to_have_attribute("aria-selected", "true")

    merged = listings.get_partner(engine, kept)
    assert merged.website == f"https://{language}.citedudesign.example"
    assert listings.get_partner(engine, duplicate).merged_into_id == kept
    address = urlsplit(base)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=30)
    connection.request("GET", f"/partenaires/{old_slug}")
    answer = connection.getresponse()
    assert answer.status == 301 and answer.getheader("Location").endswith(f"/partenaires/{merged.slug}")
    page.context.close()
