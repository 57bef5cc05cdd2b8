"""What a visitor meets on every public page, in both languages, on a desktop and on a phone:
no serious accessibility fault, no failed request, no text in the other language."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from directory import i18n, seed, showcase
from directory.ui.chrome import FRAMEWORK_TEXTS_FR
from tests.browser.conftest import MAP_FRAME, module_server, visible_marker, wait_until_ready, wait_until_still
from tests.factories import form

pytestmark = pytest.mark.browser

DESKTOP = {"viewport": {"width": 1400, "height": 1000}}
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}
DEVICES = {"desktop": DESKTOP, "phone": PHONE}


@pytest.fixture(scope="module")
def demo_site(tmp_path_factory):
    """One server for the module (its tests only read the site, or add an application of their
    own): the app on the demo data, with one application whose private link is known."""
    def demo(engine) -> list[str]:
        seed.seed_demo(engine)
        slot = int(showcase.open_slots(engine)["id"].iloc[-1])
        token = showcase.submit_application(engine, form([slot], contact_email="suivi@example.org"),
                                            submission_key="visitor").token
        return ["/", "/?view=list", "/?partner=1", "/agenda", "/proposer", "/candidater", "/lien-perdu",
                "/connexion", f"/suivi?token={token}"]
    with module_server(tmp_path_factory.mktemp("visitor"), demo) as (server, engine, paths):
        yield server, paths, engine


def visit(page, url: str) -> None:
    page.goto(url)
    wait_until_ready(page)
    page.wait_for_function("document.documentElement.lang !== 'en' || location.search.includes('lang=en')")
    page.evaluate("document.fonts.ready.then(() => undefined)")  # measured with their own fonts


def with_language(path: str, language: str) -> str:
    if language == "fr":
        return path
    return path + ("&" if "?" in path else "?") + "lang=en"


# What Streamlit and Leaflet write in English, and had to be put in French.
FRAMEWORK_ENGLISH = ("Skip to main content", "Help for ", "Zoom in", "Zoom out", "JavaScript library",
                     "OpenStreetMap contributors", "st.iframe", "streamlit_folium", "or smaller", "not allowed")


def visible_texts(page) -> set[str]:
    """Every line a visitor reads or hears, in the page and in its frames (the map's): text (icons'
    ligatures aside) and labelling attributes, frames' titles included."""
    texts = set()
    for frame in page.frames:
        texts |= set(frame.evaluate(TEXTS_SCRIPT))
    return texts


TEXTS_SCRIPT = """() => {
        const texts = [];
        if (!document.body) return texts;
        const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            const parent = node.parentElement;
            if (!parent || parent.closest("[data-testid=stIconMaterial], script, style, noscript")) continue;
            // The skip link shows on focus only: it is read all the same.
            if (!parent.closest("[data-testid=stSkipToContent]")
                && (parent.closest("[aria-hidden=true]") || !parent.checkVisibility())) continue;
            texts.push(...node.nodeValue.split("\\n"));
        }
        for (const element of document.querySelectorAll("[aria-label], [title], [placeholder], [alt]")) {
            for (const name of ["aria-label", "title", "placeholder", "alt"]) {
                const value = element.getAttribute(name);
                if (value) texts.push(value);
            }
        }
        return texts.map(t => t.trim()).filter(t => t.length > 0);
    }"""


def in_the_other_language(texts: set[str], language: str) -> set[str]:
    """What of `texts` is written in the language the page is not in: catalogue entries whose two
    versions differ (long enough not to be a shared word, such as "Design" or "Startup"), and, on a
    French page, what Streamlit and Leaflet write in English."""
    versions = [(french, english) for french, english in i18n.catalog("en").items() if english != french]
    if language == "en":
        return texts & {french for french, _ in versions if len(french) > 6}
    english = {english for _, english in versions if len(english) > 6}
    streamlit_english = set(FRAMEWORK_TEXTS_FR["exact"]) - {"dd"} | {"Drag and drop file here", "per file"}
    return (texts & (english | streamlit_english)) | {
        text for text in texts if "per file" in text or any(words in text for words in FRAMEWORK_ENGLISH)}


AGENDA_TITLES = {"fr": "Agenda de l'atelier — Vitrine Saint-Étienne",
                 "en": "The atelier's calendar — Vitrine Saint-Étienne"}


@pytest.mark.parametrize("device", list(DEVICES))
@pytest.mark.parametrize("language", ["fr", "en"])
def test_every_public_page_passes_axe_speaks_one_language_and_loads_without_a_failed_request(
        demo_site, browser, language, device):
    base, paths, _ = demo_site
    context = browser.new_context(locale="fr-FR", **DEVICES[device])
    page = context.new_page()
    failed: list[str] = []
    page.on("response", lambda response: failed.append(f"{response.status} {response.url}")
            if response.status >= 400 else None)
    # Nothing is asked of another site but the map's tiles (a Material icon as the page's icon was
    # once fetched from Google's servers, failing offline and telling Google of every visit).
    elsewhere: list[str] = []
    page.on("request", lambda request: elsewhere.append(request.url)
            if not request.url.startswith((base, "data:", "https://tile.openstreetmap.org/")) else None)
    axe = Axe()
    faults, mixed = {}, {}
    for path in paths:
        visit(page, base + with_language(path, language))
        violations = axe.run(page).response["violations"]
        serious = [f"{v['id']}: {v['nodes'][0]['target']}" for v in violations if v["impact"] in ("serious",
                                                                                                  "critical")]
        if serious:
            faults[path] = serious
        if leaks := in_the_other_language(visible_texts(page), language):
            mixed[path] = sorted(leaks)
        if path == "/agenda":
            assert page.title() == AGENDA_TITLES[language]
    context.close()
    assert not faults, faults
    assert not mixed, mixed
    assert not failed, failed
    assert not elsewhere, elsewhere


def phone_page(browser, base: str, path: str):
    context = browser.new_context(**PHONE)
    page = context.new_page()
    visit(page, base + path)
    return context, page


def test_on_a_phone_the_map_is_in_the_first_screen_with_the_filters_behind_one_button(demo_site, browser):
    base, _, _ = demo_site
    context, page = phone_page(browser, base, "/")
    page.locator(MAP_FRAME).wait_for(timeout=20_000)
    assert page.locator(MAP_FRAME).bounding_box()["y"] < 844 - 200  # a good part of the map shows
    assert not page.get_by_label("Types", exact=True).is_visible()
    page.get_by_role("button", name="Filtres").tap()
    page.get_by_label("Types", exact=True).wait_for(timeout=10_000)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    context.close()


def test_on_a_phone_the_search_is_at_the_top_and_the_list_fits_the_screen(demo_site, browser):
    base, _, _ = demo_site
    context, page = phone_page(browser, base, "/?view=list")
    search = page.get_by_label("Rechercher", exact=True)
    assert search.is_visible() and search.bounding_box()["y"] < 844  # no sidebar to open
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    main_width = page.evaluate("document.querySelector('[data-testid=stMain]').scrollWidth")
    assert main_width <= 390
    small = page.evaluate("""() => [...document.querySelectorAll(
            "[data-testid=stMain] button, [data-testid=stMain] input, [data-testid=stMain] [role=combobox], "
            + "[data-testid=stMain] [data-testid=stPageLink] a")]
        .filter(e => e.checkVisibility() && e.type !== "hidden")
        .map(e => [e.getAttribute("aria-label") || e.innerText.slice(0, 30), e.getBoundingClientRect().height])
        .filter(([, height]) => height < 44)""")
    assert not small, small
    context.close()


def test_on_a_phone_a_chosen_partner_s_card_comes_right_under_the_map(demo_site, browser):
    base, _, _ = demo_site
    context, page = phone_page(browser, base, "/")
    frame = page.frame_locator(MAP_FRAME).first
    visible_marker(frame).tap()
    page.locator("#card-title").wait_for(timeout=20_000)
    # ...scrolled into view, where the thumb is...
    page.wait_for_function("""() => { const box = document.getElementById("card-title").getBoundingClientRect();
                                      return box.top >= 0 && box.bottom <= innerHeight; }""", timeout=10_000)
    wait_until_still(page, "#card-title")
    # ...right under the map (both measured at the same moment).
    gap = page.evaluate(f"""() => document.getElementById("card-title").getBoundingClientRect().top
                                  - document.querySelector("{MAP_FRAME}").getBoundingClientRect().bottom""")
    assert 0 <= gap < 120
    context.close()


def test_on_a_phone_a_startup_applies_from_start_to_finish(demo_site, browser):
    base, _, engine = demo_site
    context, page = phone_page(browser, base, "/candidater")
    for label, value in [("Nom de la startup *", "Loire Drones"), ("Description courte *", "Des drones agricoles."),
                         ("Taille de l'équipe *", "2"), ("Titre de l'innovation présentée *", "Le drone qui sème"),
                         ("Résumé pour le public *", "Semer sans tasser la terre."),
                         ("Ce que vous montrerez *", "Un vol en salle."), ("Nom et prénom *", "Alex Martin"),
                         ("E-mail *", "alex@drones.example.org")]:
        page.get_by_label(label, exact=True).fill(value)
    for label in ("Stade *", "1er choix *"):
        box = page.get_by_label(label, exact=True)
        box.tap()
        box.press("ArrowDown")
        box.press("Enter")
        wait_until_ready(page)
    page.get_by_text("J'accepte que l'atelier utilise ces informations").tap()
    wait_until_ready(page)
    page.get_by_role("button", name="Envoyer ma candidature").tap()
    page.get_by_text("enregistrée. Un accusé de réception").wait_for(timeout=30_000)
    context.close()
    stored = showcase.review_queue(engine, showcase.ReviewFilters(states=(), text="Loire Drones"))
    assert stored["contact_email"].tolist() == ["alex@drones.example.org"]


def test_a_faulty_form_marks_its_fields_and_its_summary_leads_to_them(demo_site, browser):
    base, _, _ = demo_site
    context = browser.new_context(**DESKTOP)
    page = context.new_page()
    visit(page, base + "/proposer")
    page.get_by_role("button", name="Envoyer la proposition").click()
    summary = page.locator(".vitrine-error-summary[role=alert]")
    summary.wait_for(timeout=20_000)
    page.locator(".vitrine-error-summary a[data-ready]").first.wait_for(timeout=10_000)
    assert summary.locator("a").all_inner_texts()[:2] == ["Nom : Ce champ est obligatoire.",
                                                           "Type : Ce champ est obligatoire."]
    name = page.get_by_label("Nom *", exact=True)
    assert name.get_attribute("aria-invalid") == "true"
    assert page.locator("#" + name.get_attribute("aria-describedby")).inner_text().endswith("Ce champ est obligatoire.")
    summary.locator("a").nth(1).click()
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == "Type *"
    context.close()


def test_the_uploader_says_what_it_refuses_in_french(demo_site, browser):
    base, _, _ = demo_site
    context = browser.new_context(**DESKTOP)
    page = context.new_page()
    visit(page, base + "/candidater")
    page.locator("[data-testid=stFileUploader] input[type=file]").set_input_files(
        {"name": "logo.png", "mimeType": "image/png", "buffer": b"\x89PNG" + b"0" * 3_000_000})
    page.get_by_text("Le fichier doit faire au plus 2 Mo.").wait_for(timeout=10_000)
    english = {text for text in visible_texts(page) if any(words in text for words in FRAMEWORK_ENGLISH)}
    assert not english, english
    page.keyboard.press("Tab")  # the first Tab reaches the skip link
    assert page.evaluate("document.activeElement.textContent") == "Aller au contenu principal"
    context.close()


def test_a_refused_application_takes_the_focus_to_its_errors_each_naming_its_field(demo_site, browser):
    base, _, _ = demo_site
    context = browser.new_context(**DESKTOP)
    page = context.new_page()
    visit(page, base + "/candidater")
    for label in ("1er choix *", "3e choix"):  # the same slot twice
        box = page.get_by_label(label, exact=True)
        box.click()
        box.press("ArrowDown")
        box.press("Enter")
        wait_until_ready(page)
    page.get_by_role("button", name="Envoyer ma candidature").click()
    summary = page.locator(".vitrine-error-summary")
    page.wait_for_function("document.activeElement && document.activeElement.matches('.vitrine-error-summary')",
                           timeout=20_000)
    wait_until_still(page, ".vitrine-error-summary")
    # Scrolled into view, and not under Streamlit's fixed header.
    assert page.evaluate("""() => { const summary = document.querySelector(".vitrine-error-summary");
                                    const box = summary.getBoundingClientRect();
                                    const seen = document.elementFromPoint(box.left + 20, box.top + 10);
                                    return box.top >= 0 && box.top < innerHeight && summary.contains(seen); }""")
    repeated = summary.locator("a", has_text="3e choix : Ce créneau est déjà votre choix n°1")
    repeated.wait_for(timeout=10_000)
    assert page.get_by_label("3e choix", exact=True).get_attribute("aria-invalid") == "true"
    assert page.get_by_label("1er choix *", exact=True).get_attribute("aria-invalid") != "true"
    repeated.click()
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == "3e choix"
    context.close()


def test_what_people_wrote_declares_its_language_and_an_english_pitch_reads_in_english(demo_site, browser):
    base, _, engine = demo_site
    slot = int(showcase.open_slots(engine)["id"].iloc[0])
    english = showcase.submit_application(engine, form(
        [slot], organisation="Loire Lingua", contact_email="lingua@example.org", consent_publication=True,
        pitch_summary="Traduire sans serveur.", pitch_summary_en="Translation without a server."),
        submission_key="lingua")
    showcase.approve_application(engine, english.application_id, slot_id=slot, staff="staff:1")
    french_only = next(s for show in showcase.showcases(engine) for s in show["startups"]
                       if not s["pitch_summary_en"])
    context = browser.new_context(**DESKTOP)
    page = context.new_page()
    visit(page, base + "/agenda?lang=en")
    page.get_by_text("Translation without a server.").wait_for(timeout=10_000)
    assert page.get_by_text("Traduire sans serveur.").count() == 0
    assert page.locator("[data-testid=stMain] [lang=fr]", has_text=french_only["pitch_summary"]).count() >= 1
    assert page.locator("[data-testid=stMain] [lang]", has_text="Translation without a server.").count() == 0
    visit(page, base + "/agenda")
    page.get_by_text("Traduire sans serveur.").wait_for(timeout=10_000)
    # In its own page's language, a text declares nothing.
    assert page.locator("[data-testid=stMain] [lang]", has_text="Traduire sans serveur.").count() == 0
    context.close()
