import pytest

from directory import listings
from tests.conftest import partner_row
from tests.pages.helpers import html_of, open_app, texts_to_copy


def seed(engine):
    listings.insert_partners(engine, [
        partner_row(name="Atelier Numérique", kind="atelier", latitude=45.438, longitude=4.391),
        partner_row(name="Forez Robotique", kind="startup", networks="Digital League", sectors="robotique"),
        partner_row(name="École du Design", kind="school", sectors="design"),
        partner_row(name="Data Sainté", kind="startup", latitude=None, longitude=None, precision="unknown",
                    networks="Digital League"),
        partner_row(name="Projet en attente", kind="startup", state="proposed"),
    ])


def summary(app) -> str:
    return app.markdown[0].value


def listed_names(app) -> list[str]:
    return [button.label for button in app.button if button.key and button.key.startswith("explore_open_")]


def test_the_page_counts_and_lists_published_partners(app_database):
    seed(app_database)
    app = open_app(view="list")
    assert not app.exception
    assert summary(app) == "**4** partenaires affichés sur 4, dont 3 sur la carte."
    assert listed_names(app) == ["Atelier Numérique", "Data Sainté", "École du Design", "Forez Robotique"]


def test_one_partner_is_counted_in_the_singular(app_database):
    seed(app_database)
    app = open_app(q="forez")
    assert summary(app) == "**1** partenaire affiché sur 4, dont 1 sur la carte."


def test_the_list_opens_a_card_in_place_and_keeps_the_view_and_filters(app_database):
    seed(app_database)
    app = open_app(view="list", kinds="startup", lang="en")
    app.button(key="explore_open_2").click().run()
    assert '<h2 id="card-title"><bdi>Forez Robotique</bdi></h2>' in html_of(app)
    assert app.segmented_control(key="explore_view").value == "list"
    assert dict(app.query_params) == {"kinds": "startup", "view": "list", "partner": "2", "lang": "en"}
    app.button(key="explore_close_2").click().run()
    assert "card-title" not in html_of(app)
    assert "partner" not in app.query_params


def test_the_search_knows_kinds_sectors_cities_and_other_names_in_both_languages(app_database):
    listings.insert_partners(app_database, [
        partner_row(name="Digital League", kind="cluster", other_names="Digital Ligue"),
        partner_row(name="Forez Robotique", kind="startup", networks="Digital League", sectors="robotique"),
        partner_row(name="Pépinière Nord", kind="incubator", city="Saint-Chamond"),
        partner_row(name="Autre", kind="school", sectors="formation"),
    ])
    app = open_app()
    for query, found in [("incubateur", 1), ("Incubator", 1), ("saint chamond", 1), ("st-chamond", 0),
                         ("digital ligue", 2), ("training", 1), ("ROBOTICS", 1), ("ecole", 1)]:
        app.text_input(key="explore_q").set_value(query).run()
        assert summary(app).startswith(f"**{found}**"), query


def test_an_empty_result_says_so_and_resets_in_one_click(app_database):
    seed(app_database)
    app = open_app(q="zzz-introuvable")
    assert summary(app).startswith("**0**")
    assert app.info[0].value.startswith("Aucun partenaire ne correspond")
    app.button(key="explore_reset_empty").click().run()
    assert summary(app).startswith("**4**")
    assert "q" not in app.query_params


def test_filters_change_the_list_the_counts_and_the_url(app_database):
    seed(app_database)
    app = open_app()
    app.multiselect(key="explore_kinds").set_value(["startup"]).run()
    assert summary(app) == "**2** partenaires affichés sur 4, dont 1 sur la carte."
    assert "École du Design" not in html_of(app)
    assert app.query_params["kinds"] == "startup"
    app.text_input(key="explore_q").set_value("robot").run()
    assert summary(app).startswith("**1**")
    assert app.query_params["q"] == "robot"
    app.button(key="explore_reset").click().run()
    assert summary(app).startswith("**4**")
    assert "kinds" not in app.query_params


def test_the_network_filter_finds_digital_league_members(app_database):
    seed(app_database)
    app = open_app()
    app.multiselect(key="explore_networks").set_value(["Digital League"]).run()
    assert summary(app).startswith("**2**")


def test_a_shared_link_restores_filters_and_the_partner_card(app_database):
    seed(app_database)
    forez = listings.find_partner(listings.load_published(app_database), 2)
    app = open_app(kinds="startup", q="forez", partner=str(forez["id"]), sort="city", order="desc",
                   map="16/45.43000/4.39000")
    assert app.multiselect(key="explore_kinds").value == ["startup"]
    assert app.text_input(key="explore_q").value == "forez"
    assert summary(app).startswith("**1**")
    assert '<h2 id="card-title"><bdi>Forez Robotique</bdi></h2>' in html_of(app)
    assert app.session_state["explore_opening_view"] == listings.MapView(16, 45.43, 4.39)
    assert app.query_params["map"] == "16/45.43000/4.39000" and app.query_params["sort"] == "city"


def test_a_hostile_name_is_shown_as_text(app_database):
    hostile = "<img src=x onerror=alert(1)> `${alert(2)}` \\"
    listings.insert_partners(app_database, [partner_row(name=hostile, website="https://exemple.fr")])
    app = open_app(partner="1")
    shown = html_of(app)
    assert "<img src=x" not in shown
    assert "&lt;img src=x onerror=alert(1)&gt;" in shown


def test_the_page_speaks_english_when_asked(app_database):
    seed(app_database)
    app = open_app(lang="en")
    assert app.title[0].value == "The digital ecosystem of Saint-Étienne"
    assert summary(app) == "**4** partners shown out of 4, 3 of them on the map."
    shown = html_of(open_app(lang="en", partner="3"))
    assert "Sectors</dt><dd>design" in shown and "School / training" in shown


def test_the_card_dates_its_last_check_the_french_way(app_database):
    from datetime import date
    listings.insert_partners(app_database, [partner_row(name="Cité du design", last_verified=date(2026, 11, 1))])
    assert "1er novembre 2026" in html_of(open_app(partner="1"))


def test_the_open_data_addresses_and_embed_code_follow_the_filters(app_database):
    seed(app_database)
    app = open_app(kinds="startup", sort="city", order="desc", lang="en")
    codes = texts_to_copy(app)
    assert codes[:3] == [f"http://localhost:8501/donnees/partenaires.{data_format}?kinds=startup&sort=city&order=desc"
                         "&lang=en" for data_format in ("csv", "geojson", "json")]
    assert codes[3].startswith('<iframe src="http://localhost:8501/embed?kinds=startup&amp;lang=en"')
    app.multiselect(key="explore_kinds").set_value(["school"]).run()
    assert texts_to_copy(app)[3].startswith('<iframe src="http://localhost:8501/embed?kinds=school&amp;lang=en"')


def test_the_card_links_to_the_partners_permanent_page(app_database):
    seed(app_database)
    shown = html_of(open_app(partner="2"))
    assert 'href="http://localhost:8501/partenaires/forez-robotique"' in shown


@pytest.mark.parametrize("query", [{"page": "²"}, {"page": "0"}, {"partner": "١٢"}, {"map": "nan/1/2"},
                                   {"sort": "<script>"}, {"view": "globe"}, {"kinds": "startup,nope"}])
def test_a_wrong_parameter_is_left_out_and_said_briefly(app_database, query):
    """Issue 17: /?page=² showed a traceback with server paths."""
    seed(app_database)
    app = open_app(**query)
    assert not app.exception
    said = [caption.value for caption in app.caption if caption.value.startswith("Adresse partiellement comprise")]
    assert len(said) == 1 and "laissé de côté" in said[0]
    app.run()  # still said while the view is the one the address asked for (the map reruns the page)
    assert [c for c in app.caption if c.value.startswith("Adresse partiellement comprise")]
    app.text_input(key="explore_q").input("design").run()  # the visitor moves on
    assert not [c for c in app.caption if c.value.startswith("Adresse partiellement comprise")]


def test_links_of_other_sites_are_passed_over_in_silence(app_database):
    seed(app_database)
    app = open_app(utm_source="newsletter", kinds="startup")
    assert not app.exception and not [c for c in app.caption if c.value.startswith("Adresse partiellement")]
    assert app.multiselect(key="explore_kinds").value == ["startup"]


def test_going_back_from_the_list_to_the_map_keeps_the_page_working(app_database):
    """Found in a CI server's log: the list's sort and order are widgets, so Streamlit forgets them
    once the map is shown again, and the open-data addresses then read a key that was gone."""
    seed(app_database)
    app = open_app(view="list")
    app.selectbox(key="explore_sort").set_value("city").run()
    app.segmented_control(key="explore_view").set_value("map").run()
    app.multiselect(key="explore_kinds").set_value(["school", "startup"]).run()
    assert not app.exception
    assert summary(app) == "**3** partenaires affichés sur 4, dont 2 sur la carte."
    assert app.query_params["sort"] == "city"  # the list's order, kept for when it comes back
    app.segmented_control(key="explore_view").set_value("list").run()
    assert app.selectbox(key="explore_sort").value == "city"
