from directory import listings
from tests.pages.helpers import form_errors, open_app

PAGE = "pages/propose.py"


def fill(app, **values):
    for key, value in values.items():
        widget = app.selectbox(key=f"propose_{key}") if key == "kind" else \
            (app.text_area(key=f"propose_{key}") if key == "description" else app.text_input(key=f"propose_{key}"))
        widget.set_value(value)
    return app


def submit(app):
    app.button(key="propose_submit").click().run()
    return app


def errors(app) -> list[str]:
    return form_errors(app)


def test_an_empty_proposal_says_what_to_fix(app_database):
    app = submit(open_app(PAGE))
    shown = errors(app)
    assert shown[0].startswith("Le formulaire contient 4 erreurs")
    assert shown.count("Ce champ est obligatoire.") == 4  # name, kind, short description, email
    assert listings.count_partners(app_database) == 0


def test_bad_values_are_refused_and_everything_typed_is_kept(app_database):
    app = fill(open_app(PAGE), name="Le Fil Rouge", kind="coworking", short_description="Un tiers-lieu",
               description="Ateliers\net machines", website="javascript:alert(1)",
               latitude="45.44", longitude="999", proposer_email="camille@")
    app = submit(app)
    shown = errors(app)
    assert "Adresse web invalide : elle doit commencer par http:// ou https://." in shown
    assert any(s.startswith("Coordonnées hors limites") for s in shown)
    assert "Adresse e-mail invalide (exemple : nom@domaine.fr)." in shown
    assert app.text_input(key="propose_name").value == "Le Fil Rouge"
    assert app.text_input(key="propose_website").value == "javascript:alert(1)"
    assert app.text_area(key="propose_description").value == "Ateliers\net machines"
    assert app.selectbox(key="propose_kind").value == "coworking"
    assert app.text_input(key="propose_longitude").value == "999"
    assert listings.count_partners(app_database) == 0


def test_a_valid_proposal_is_confirmed_and_stored_unpublished(app_database):
    app = fill(open_app(PAGE), name="Le Fil Rouge", kind="coworking", short_description="Un tiers-lieu",
               website="lefilrouge.fr", latitude="45,44", longitude="4,39",
               proposer_email="camille@exemple.fr")
    app = submit(app)
    assert not app.exception
    assert "Votre proposition n°1 a bien été enregistrée" in app.success[0].value
    assert listings.count_partners(app_database, state="proposed") == 1
    assert listings.load_published(app_database).empty
    # A second click on the (now gone) button cannot store it twice.
    app.run()
    assert listings.count_partners(app_database) == 1


def test_errors_are_in_english_for_english_readers(app_database):
    app = submit(open_app(PAGE, lang="en"))
    assert "This field is required." in errors(app)


def test_a_siret_prefills_the_form_from_the_register_and_a_failing_register_leaves_it_to_the_person(
        app_database, monkeypatch):
    from tests.unit.listings.test_register import OPEN_SIRET, documented, register_server

    with register_server(monkeypatch, documented):
        app = fill(open_app(PAGE), siret="732 829 320 00074")
        app.button(key="propose_register").click().run()
        assert app.text_input(key="propose_name").value == "CITE DU DESIGN"
        assert app.text_input(key="propose_address").value == "3 RUE JAVELIN PAGNON"
        assert app.text_input(key="propose_siret").value == OPEN_SIRET
        assert "activité 72.19Z, créé le 1er juin 2009" in app.info[0].value
    with register_server(monkeypatch, lambda q: (502, "text/html", b"<html>Bad gateway</html>")):
        app = fill(open_app(PAGE), siret=OPEN_SIRET, name="Tapé à la main")
        app.button(key="propose_register").click().run()
        assert "ne répond pas" in app.warning[0].value
        assert app.text_input(key="propose_name").value == "Tapé à la main"
        app = submit(fill(app, kind="public_body", short_description="Le design.", proposer_email="a@b.fr"))
        assert not errors(app) and listings.count_partners(app_database) == 1


def test_without_the_register_setting_the_form_offers_no_look_up(app_database, monkeypatch):
    monkeypatch.delenv("VITRINE_SIRENE_URL", raising=False)
    app = open_app(PAGE)
    assert not [button for button in app.button if button.key == "propose_register"]
