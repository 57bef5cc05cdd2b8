"""The programme's pages as their users meet them: a partner proposes and follows its session,
staff put it on the programme, the public registers from the agenda and cancels from its link."""

from sqlmodel import Session, select

from directory import programme
from directory.models import Notification, ProgrammeSession, Registration, SessionState
from tests.factories import (
    HOSTILE_TEXT,
    emailed_token,
    make_room,
    programme_partner,
    register_as,
    session_form,
    session_on_programme,
    session_start,
)
from tests.pages.helpers import form_errors, html_of, open_app
from tests.pages.staff import make_staff, open_as_staff

PROPOSE, MINE, REGISTER, AGENDA, REVIEW = ("pages/propose_session.py", "pages/my_session.py",
                                           "pages/registration.py", "pages/calendar.py", "pages/review.py")


def fill_proposal(app, **values):
    values = {"title": "Créer sa fiche Google", "description": "Pas à pas.", "contact_name": "Lina Haddad",
              **values}
    app.radio(key="session_kind").set_value("workshop")
    for name, value in values.items():
        (app.text_area if name == "description" else app.text_input)(key=f"session_{name}").set_value(value)
    app.session_state["session_audiences"] = ["shopkeepers"]
    app.date_input(key="session_day_1").set_value(session_start().date())
    return app


def test_a_partner_proposes_from_its_listing_link_keeps_what_it_typed_and_follows_its_session(app_database):
    token = programme_partner(app_database)
    app = open_app(PROPOSE, token=token)
    assert "CCI Lyon Métropole" in app.markdown[0].value
    fill_proposal(app, title="")
    app.button(key="session_submit").click().run()
    assert "Ce champ est obligatoire." in form_errors(app)
    assert app.text_area(key="session_description").value == "Pas à pas."  # kept
    app.text_input(key="session_title").set_value("Créer sa fiche Google")
    app.button(key="session_submit").click().run()
    assert "Votre proposition est transmise" in app.success[0].value
    with Session(app_database) as session:
        proposed = session.exec(select(ProgrammeSession)).one()
    assert proposed.title == "Créer sa fiche Google" and proposed.audiences == "shopkeepers"

    mine = open_app(MINE, token=emailed_token(app_database, Notification.template == "session_received"))
    assert any("Proposée, en attente d'examen" in text.value for text in mine.markdown)
    assert mine.text_input(key="my_session_title").value == "Créer sa fiche Google"


def test_staff_put_a_proposal_on_the_programme_from_the_review_screen(app_database):
    token = programme_partner(app_database)
    make_room(app_database)
    proposed = programme.propose_session(app_database, token, session_form(), submission_key="k")
    app = open_as_staff(make_staff(app_database), REVIEW)
    assert "Séances proposées par les partenaires (1)" in [header.value for header in app.header]
    assert "Dates possibles" in html_of(app)
    app.button(key=f"programme_{proposed.session_id}_approve").click().run()
    assert "est au programme" in app.success[0].value
    with Session(app_database) as session:
        assert session.get(ProgrammeSession, proposed.session_id).state == SessionState.APPROVED


def test_the_public_registers_from_the_agenda_then_cancels_from_its_link(app_database):
    session_id, _ = session_on_programme(app_database, places=1)
    agenda = open_app(AGENDA)
    assert "Créer sa fiche Google Business" in html_of(agenda) and "1 places libres sur 1" in html_of(agenda)
    assert open_app(AGENDA, agenda_kinds="conference")  # a filter in the address is no error
    app = open_app(REGISTER, seance="creer-sa-fiche-google-business")
    app.text_input(key="registration_name").set_value("Ana Martin")
    app.text_input(key="registration_email").set_value("pas-une-adresse")
    app.button(key="registration_submit").click().run()
    assert len(form_errors(app)) >= 2  # the address and the unticked consent
    assert app.text_input(key="registration_name").value == "Ana Martin"
    app.text_input(key="registration_email").set_value("ana@exemple.fr")
    app.checkbox(key="registration_consent").check()
    app.button(key="registration_submit").click().run()
    assert "Vous êtes inscrit·e" in app.success[0].value
    assert "liste d'attente" in open_app(REGISTER, seance="creer-sa-fiche-google-business").button(
        key="registration_submit").label  # now full: the waiting list

    link = emailed_token(app_database, Notification.template == "registration_confirmed")
    mine = open_app(REGISTER, token=link)
    mine.button(key="registration_cancel").click().run()
    assert "Votre inscription est annulée" in mine.success[0].value
    with Session(app_database) as session:
        assert session.exec(select(Registration.state)).one() == "cancelled"


def test_an_example_session_says_so_where_people_register(app_database):
    session_id, _ = session_on_programme(app_database)
    assert "exemple" not in open_app(REGISTER, seance="creer-sa-fiche-google-business").markdown[0].value
    with Session(app_database) as session:
        session.get(ProgrammeSession, session_id).is_example = True
        session.commit()
    for language, kind in (("fr", "Atelier pratique — exemple ·"), ("en", "Hands-on workshop — example ·")):
        assert kind in open_app(REGISTER, seance="creer-sa-fiche-google-business", lang=language).markdown[0].value


def test_hostile_text_in_every_field_of_a_session_is_shown_inert(app_database):
    session_id, partner_token = session_on_programme(app_database, places=3)
    hostile = HOSTILE_TEXT["markup"][0] + HOSTILE_TEXT["template literal"][0]
    with Session(app_database) as session:
        stored = session.get(ProgrammeSession, session_id)
        stored.title, stored.description, stored.bring = hostile, hostile, hostile
        session.add(stored)
        session.commit()
    register_as(app_database, session_id, "<b>Ana</b>", email="ana@exemple.fr")
    for page, query in ((AGENDA, {}), (REGISTER, {"seance": "creer-sa-fiche-google-business"}),
                        (MINE, {"token": partner_token})):
        app = open_app(page, **query)
        assert not app.exception and "<script>alert(1)" not in html_of(app)
