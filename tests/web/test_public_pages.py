import io
import xml.etree.ElementTree as ElementTree
from html.parser import HTMLParser

import extruct
import pytest
from PIL import Image

from directory import listings, showcase
from directory.listings import PartnerForm
from directory.models import ListingState
from tests.conftest import partner_row
from tests.factories import make_slot, submit


def metadata(response) -> tuple[dict, list]:
    data = extruct.extract(response.text, base_url=str(response.url), syntaxes=["opengraph", "json-ld"],
                           uniform=True)
    return data["opengraph"][0], data["json-ld"]


class Links(HTMLParser):
    """The page's <link> and <script> elements, read by a real HTML parser."""

    def __init__(self):
        super().__init__()
        self.links, self.scripts = [], []

    def handle_starttag(self, tag, attrs):
        if tag == "link":
            self.links.append(dict(attrs))
        elif tag == "script":
            self.scripts.append(dict(attrs))


def links_of(html: str) -> Links:
    parser = Links()
    parser.feed(html)
    return parser


@pytest.fixture
def cite(engine):
    listings.insert_partners(engine, [partner_row(
        name="Cité du design", kind="public_body", short_description="Le design pour tous.",
        short_description_en="Design for everyone.", description="Expositions.\nBiennale.",
        sectors="design; culture", networks="French Tech", address="3 rue Javelin-Pagnon",
        website="https://citedudesign.example", latitude=45.4503, longitude=4.3853)])
    return engine


def test_a_partner_page_works_without_javascript_and_previews_when_shared(site, cite):
    response = site.get("/partenaires/cite-du-design")
    assert response.status_code == 200
    for text in ("Cité du design", "Le design pour tous.", "Biennale.", "design, culture", "French Tech",
                 "3 rue Javelin-Pagnon", "https://citedudesign.example", "Voir sur la carte"):
        assert text in response.text
    page = links_of(response.text)
    assert [s.get("type") for s in page.scripts] == ["application/ld+json"]  # nothing to run
    canonical = [link["href"] for link in page.links if link.get("rel") == "canonical"]
    assert canonical == ["http://vitrine.test/partenaires/cite-du-design"]
    alternates = {link["hreflang"]: link["href"] for link in page.links if link.get("rel") == "alternate"}
    assert alternates["en"] == "http://vitrine.test/partenaires/cite-du-design?lang=en"
    og, json_ld = metadata(response)
    assert og["og:title"] == "Cité du design" and og["og:description"] == "Le design pour tous."
    assert og["og:url"] == "http://vitrine.test/partenaires/cite-du-design"
    assert og["og:image"] == "http://vitrine.test/partenaires/cite-du-design/image.png"
    organisation = json_ld[0]
    assert organisation["@type"] == "Organization" and organisation["name"] == "Cité du design"
    assert organisation["address"]["streetAddress"] == "3 rue Javelin-Pagnon"
    assert organisation["geo"] == {"@type": "GeoCoordinates", "latitude": 45.4503, "longitude": 4.3853}


def test_the_english_page_reads_english(site, cite):
    response = site.get("/partenaires/cite-du-design?lang=en")
    assert 'lang="en"' in response.text and "See on the map" in response.text
    og, _ = metadata(response)
    assert og["og:description"] == "Design for everyone." and og["og:locale"] == "en_GB"


def test_the_preview_image_is_a_picture_of_the_right_size(site, cite):
    response = site.get("/partenaires/cite-du-design/image.png")
    assert response.headers["content-type"] == "image/png"
    assert Image.open(io.BytesIO(response.content)).size == (1200, 630)


def test_voir_sur_la_carte_opens_the_app_on_that_partner(site, cite):
    partner_id = int(listings.load_published(cite)["id"].iloc[0])
    assert f'href="http://vitrine.test/?partner={partner_id}"' in site.get("/partenaires/cite-du-design").text


def test_listings_not_public_are_not_found_and_archived_ones_are_gone(site, engine):
    proposed = listings.propose_partner(engine, PartnerForm(name="Proposée", kind="startup", short_description="x"),
                                        proposer_name="", proposer_email="a@exemple.fr").number
    rejected = listings.propose_partner(engine, PartnerForm(name="Refusée", kind="startup", short_description="x"),
                                        proposer_name="", proposer_email="a@exemple.fr").number
    listings.reject_partner(engine, rejected, staff="staff:1", reason="Hors territoire")
    listings.insert_partners(engine, [partner_row(name="Archivée")])
    archived = int(listings.staff_partners(engine, text="Archivée")["id"].iloc[0])
    listings.archive_partner(engine, archived, staff="staff:1")
    assert listings.get_partner(engine, proposed).slug == "proposee"
    assert site.get("/partenaires/proposee").status_code == 404
    assert site.get("/partenaires/refusee").status_code == 404
    gone = site.get("/partenaires/archivee")
    assert gone.status_code == 410 and "Fiche retirée" in gone.text
    missing = site.get("/partenaires/personne?lang=en")
    assert missing.status_code == 404 and "Listing not found" in missing.text
    assert site.get("/partenaires/proposee/image.png").status_code == 404


def test_slugs_are_unique_and_a_renamed_partner_keeps_its_old_address(site, engine):
    listings.insert_partners(engine, [partner_row(name="Le Fil Rouge"), partner_row(name="Le Fil Rouge")])
    first, second = listings.staff_partners(engine)["id"]
    assert {listings.get_partner(engine, i).slug for i in (first, second)} == {"le-fil-rouge", "le-fil-rouge-2"}
    listings.update_partner(engine, int(first), PartnerForm(name="Fil Rouge Studio", kind="startup",
                                                            short_description="Renommée."), staff="staff:1")
    moved = site.get("/partenaires/le-fil-rouge", follow_redirects=False)
    assert moved.status_code == 301
    assert moved.headers["location"] == "http://vitrine.test/partenaires/fil-rouge-studio"
    assert site.get("/partenaires/fil-rouge-studio").status_code == 200
    # The old slug is never given to another listing.
    listings.insert_partners(engine, [partner_row(name="Le Fil Rouge")])
    assert listings.staff_partners(engine, text="Le Fil Rouge")["slug"].tolist().count("le-fil-rouge") == 0


def test_a_startup_page_lists_its_showcases(site, engine):
    slot = make_slot(engine)
    application = submit(engine, [slot], organisation="Forez Robotique")
    showcase.approve_application(engine, application.application_id, slot_id=slot, staff="staff:1")
    response = site.get("/partenaires/forez-robotique")
    assert response.status_code == 200 and f'href="http://vitrine.test/vitrines/{slot}"' in response.text


def test_a_startup_that_came_says_when_it_presented(site, engine):
    from datetime import timedelta

    from sqlalchemy import update

    from directory.clock import utcnow
    from directory.models import ShowcaseSlot
    from directory.showcase import attendance
    slot = make_slot(engine)
    application = submit(engine, [slot], organisation="Forez Robotique")
    showcase.approve_application(engine, application.application_id, slot_id=slot, staff="staff:1")
    with engine.begin() as connection:  # the showcase took place yesterday
        connection.execute(update(ShowcaseSlot).where(ShowcaseSlot.id == slot).values(
            starts_at=utcnow() - timedelta(days=1, hours=3), ends_at=utcnow() - timedelta(days=1)))
    attendance.record_attendance(engine, slot, {application.application_id}, staff="staff:1")
    page = site.get("/partenaires/forez-robotique").text
    assert "Présentée à l&#39;Atelier Numérique le " in page


def test_a_showcase_page_is_a_schema_org_event(site, engine):
    slot = make_slot(engine)
    application = submit(engine, [slot], organisation="Forez Robotique")
    showcase.approve_application(engine, application.application_id, slot_id=slot, staff="staff:1")
    response = site.get(f"/vitrines/{slot}")
    assert response.status_code == 200 and "Forez Robotique" in response.text
    _, json_ld = metadata(response)
    event = json_ld[0]
    assert event["@type"] == "Event" and event["eventStatus"] == "https://schema.org/EventScheduled"
    assert event["startDate"].endswith(("+01:00", "+02:00")) and "T14:00:00" in event["startDate"]
    assert event["location"]["address"]["addressLocality"] == "Saint-Étienne"
    assert [p["name"] for p in event["performer"]] == ["Forez Robotique"]
    showcase.cancel_slot(engine, slot, staff="staff:1")
    cancelled = site.get(f"/vitrines/{slot}")
    assert "Cette vitrine est annulée." in cancelled.text
    assert metadata(cancelled)[1][0]["eventStatus"] == "https://schema.org/EventCancelled"
    assert site.get("/vitrines/99999").status_code == 404


def test_an_example_session_s_page_says_so_and_is_a_schema_org_event(site, engine):
    from sqlmodel import Session

    from directory.models import ProgrammeSession
    from tests.factories import session_on_programme
    session_id, _ = session_on_programme(engine)
    with Session(engine) as session:  # as the demo's sessions are
        session.get(ProgrammeSession, session_id).is_example = True
        session.commit()
    page = site.get("/ateliers/creer-sa-fiche-google-business")
    assert page.status_code == 200 and '<p class="kind">Atelier pratique — exemple</p>' in page.text
    assert metadata(page)[1][0]["@type"] == "Event"
    english = site.get("/ateliers/creer-sa-fiche-google-business?lang=en").text
    assert '<p class="kind">Hands-on workshop — example</p>' in english


def test_the_sitemap_lists_every_public_page_with_its_last_change(site, engine):
    listings.insert_partners(engine, [partner_row(name="Cité du design"), partner_row(name="Cachée", state="proposed")])
    slot = make_slot(engine)
    tree = ElementTree.fromstring(site.get("/sitemap.xml").content)
    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locations = [url.findtext("s:loc", namespaces=namespace) for url in tree.findall("s:url", namespace)]
    assert locations == ["http://vitrine.test/partenaires/cite-du-design", f"http://vitrine.test/vitrines/{slot}"]
    assert all(len(url.findtext("s:lastmod", namespaces=namespace)) == 10 for url in tree.findall("s:url", namespace))


def test_robots_keep_search_engines_out_of_staff_pages_and_private_links(site, engine):
    robots = site.get("/robots.txt").text
    for path in ("/candidatures", "/suivi", "/connexion", "/_stcore/", "/comptes"):
        assert f"Disallow: {path}\n" in robots
    assert "Sitemap: http://vitrine.test/sitemap.xml" in robots


def test_a_merged_duplicate_s_address_answers_301_to_the_kept_listing(site, engine):
    listings.insert_partners(engine, [partner_row(name="Forez Robotique"), partner_row(name="Forez Robotique SAS")])
    kept, other = (int(i) for i in listings.staff_partners(engine)["id"])
    listings.merge_partner(engine, other, into_id=kept, staff="staff:1", take=("name",))
    # The kept listing took the other's name, and with it its address; its own former one redirects.
    assert listings.get_partner(engine, kept).slug == "forez-robotique-sas"
    moved = site.get("/partenaires/forez-robotique", follow_redirects=False)
    assert (moved.status_code, moved.headers["location"]) == (301, "http://vitrine.test/partenaires/forez-robotique-sas")
    page = site.get(moved.headers["location"])
    assert "<h1 id=\"card-title\"><bdi>Forez Robotique SAS</bdi></h1>" in page.text and "Mis à jour le" in page.text


def test_pages_have_stable_slugs_after_a_migration(engine):
    """Partners created before slugs existed got one from the migration (tests/db checks it on
    populated databases); new ones get one at creation, whatever their state."""
    listings.insert_partners(engine, [partner_row(name="Ünïcode ‮ Étoile")])
    assert listings.staff_partners(engine)["slug"].tolist() == ["unicode-etoile"]
    assert listings.partner_by_slug(engine, "unicode-etoile").state == ListingState.PUBLISHED


def test_a_listing_s_logo_is_served_and_shown_on_its_page(site, engine):
    from tests.unit.listings.test_kept_true import png

    listings.create_partner(engine, PartnerForm(name="Forez Robotique", kind="startup", short_description="Cobots.",
                                                logo=png()), staff="staff:1")
    logo = site.get("/partenaires/forez-robotique/logo")
    assert (logo.status_code, logo.headers["content-type"]) == (200, "image/png")
    assert '<img class="vitrine-logo" src="http://vitrine.test/partenaires/forez-robotique/logo"' in \
        site.get("/partenaires/forez-robotique").text
    listings.insert_partners(engine, [partner_row(name="Sans logo")])
    assert site.get("/partenaires/sans-logo/logo").status_code == 404
    assert site.get("/partenaires/inconnue/logo").status_code == 404


def test_a_partner_page_tells_its_hours_and_access(site, engine):
    listings.insert_partners(engine, [partner_row(name="Atelier", opening_hours="Mo-Su 00:00-24:00",
                                                  accessibility_note="Entrée de plain-pied.",
                                                  accessibility_url="https://acceslibre.beta.gouv.fr/app/42/")])
    page = site.get("/partenaires/atelier").text
    assert "Ouvert maintenant" in page and "Lundi : 00:00–24:00" in page
    assert "Entrée de plain-pied." in page and 'href="https://acceslibre.beta.gouv.fr/app/42/"' in page
    assert "Open now" in site.get("/partenaires/atelier?lang=en").text


def test_the_atelier_s_hours_and_access_reach_the_showcase_page_the_emails_and_the_event(engine, site):
    from sqlmodel import Session, select

    from directory import showcase
    from directory.models import Notification
    from tests.factories import make_slot, submit

    listings.insert_partners(engine, [partner_row(
        name="Atelier Numérique", kind="atelier", opening_hours="Mo-Sa 09:00-18:00; PH off",
        accessibility_note="Entrée de plain-pied, place Jean-Moulin.",
        accessibility_url="https://acceslibre.beta.gouv.fr/app/42-saint-etienne/a/atelier/")])
    slot = make_slot(engine)
    application = submit(engine, [slot])
    showcase.approve_application(engine, application.application_id, slot_id=slot, staff="staff:1")
    with Session(engine) as session:
        approval = session.exec(select(Notification).where(Notification.template == "approved")).one()
    for text in (approval.body, approval.calendar.replace("\r\n ", "").replace("\\,", ",")):
        assert "Horaires de l'atelier ce jour-là : " in text and "Entrée de plain-pied" in text
    page = site.get(f"/vitrines/{slot}").text
    assert "Sur place" in page and "Entrée de plain-pied, place Jean-Moulin." in page
    assert "Opening hours of the atelier that day" in site.get(f"/vitrines/{slot}?lang=en").text


def test_a_partner_page_names_its_relations_both_ways_and_in_its_json_ld(site, cite):
    """Issue 19, item 6: "Incubée par" on one page, "Startups incubées ici" on the other, each a
    link, the other end's map filter, and schema.org's memberOf."""
    from directory.listings.relations import add_relation
    listings.insert_partners(cite, [partner_row(name="Forez Robotique")])
    add_relation(cite, 2, "incubated_by", 1, staff="cli")
    startup = site.get("/partenaires/forez-robotique")
    assert "Incubée par" in startup.text and 'href="http://vitrine.test/partenaires/cite-du-design"' in startup.text
    _og, json_ld = metadata(startup)
    assert json_ld[0]["memberOf"] == [{"@type": "Organization", "name": "Cité du design",
                                       "url": "http://vitrine.test/partenaires/cite-du-design"}]
    incubator = site.get("/partenaires/cite-du-design?lang=en")
    assert "Startups incubated here" in incubator.text
    assert 'href="http://vitrine.test/?relation=incubated_by%3A1&amp;lang=en"' in incubator.text
    assert "memberOf" not in metadata(incubator)[1][0]
