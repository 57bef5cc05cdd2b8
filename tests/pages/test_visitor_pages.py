"""Pages of issue 10's visitor side: reporting an error, a lost link, applying again, deadlines."""

import re
from datetime import timedelta

from directory import listings, showcase
from directory.clock import utcnow
from directory.db import write_session
from directory.listings import corrections
from directory.models import ShowcaseSlot
from tests.conftest import partner_row
from tests.factories import form, make_slot
from tests.pages.helpers import form_errors, html_of, open_app, open_tab, page_path
from tests.pages.staff import make_staff, open_as_staff

FOLLOW, APPLY, LOST = "pages/follow.py", "pages/apply.py", "pages/lost_link.py"


def submit_button(app, form_key: str):
    """A form's submit button, whatever the language of its label."""
    return next(button for button in app.button if button.key.startswith(f"FormSubmitter:{form_key}-"))


def test_a_visitor_reports_an_error_from_the_card_and_staff_apply_it(app_database):
    listings.insert_partners(app_database, [partner_row(name="Cité du design", kind="public_body")])
    app = open_app(partner="1")
    app.text_area(key="report_1_message").set_value("Le site web manque : https://citedudesign.com")
    submit_button(app, "report_1_form").click().run()
    assert app.success[0].value.startswith("Merci ! Votre signalement est transmis")
    assert len(corrections.open_reports(app_database)) == 1

    staff = open_as_staff(make_staff(app_database), "pages/staff_partners.py")
    open_tab(staff, "manage_tab", "Signalements (1)")
    staff.button(key="manage_correct").click().run()
    staff.text_input(key="manage_report_form_website").set_value("https://citedudesign.com")
    staff.button(key="manage_apply_report").click().run()
    assert staff.success[0].value == "Fiche corrigée ; signalement clos."
    assert listings.get_partner(app_database, 1).website == "https://citedudesign.com"


def test_an_empty_report_is_refused_next_to_its_field(app_database):
    listings.insert_partners(app_database, [partner_row(name="Cité du design")])
    app = open_app(partner="1", lang="en")
    submit_button(app, "report_1_form").click().run()
    assert form_errors(app) == ["This field is required."]
    assert len(corrections.open_reports(app_database)) == 0


def test_the_lost_link_page_answers_the_same_for_any_address(app_database):
    slot = make_slot(app_database)
    showcase.submit_application(app_database, form([slot]), submission_key="k")
    answers = []
    for email in ("camille@forez.example.org", "inconnu@example.org"):
        app = open_app(LOST)
        app.text_input(key="lost_link_email").set_value(email)
        submit_button(app, "lost_link_form").click().run()
        answers.append(app.success[0].value)
    assert answers[0] == answers[1] and "Si une candidature en cours" in answers[0]
    app = open_app(LOST)
    app.text_input(key="lost_link_email").set_value("pas-une-adresse")
    submit_button(app, "lost_link_form").click().run()
    assert form_errors(app) == ["Adresse e-mail invalide (exemple : nom@domaine.fr)."]


def test_after_a_withdrawal_the_applicant_applies_again_from_a_prefilled_form(app_database):
    slot = make_slot(app_database)
    result = showcase.submit_application(app_database, form([slot], pitch_title="Le cobot qui soude"),
                                         submission_key="k")
    showcase.withdraw_application(app_database, result.token)
    app = open_app(FOLLOW, token=result.token)
    app.button(key="follow_apply_again").click().run()
    assert app.title[0].value == "Présenter votre innovation à l'atelier"
    app.switch_page(page_path(APPLY)).run()  # AppTest stays on the page a script switched from: follow it
    assert app.text_input(key="apply_pitch_title").value == "Le cobot qui soude"
    assert app.checkbox(key="apply_consent_data").value is False  # consent is asked again
    app.checkbox(key="apply_consent_data").check()
    app.selectbox(key="apply_slot_1").set_value(slot)
    app.button(key="apply_submit").click().run()
    assert app.success[0].value.startswith("Candidature n°00002 enregistrée")


def test_a_slot_past_its_deadline_is_not_offered_and_the_others_say_until_when(app_database):
    closed, still_open = make_slot(app_database), make_slot(app_database, weeks=3)
    with write_session(app_database) as session:
        session.get(ShowcaseSlot, closed).applications_close_at = utcnow() - timedelta(minutes=1)
    app = open_app(APPLY)
    options = app.selectbox(key="apply_slot_1").options
    assert len(options) == 1 and "place" in options[0] and len(options[0]) < 45  # fits a phone's picker
    listed = [item for item in re.findall(r"<li>(.*?)</li>", html_of(app)) if "candidatures jusqu" in item]
    assert len(listed) == 1 and "14:00" in listed[0].split("jusqu")[1]  # the deadline, to the hour
    assert showcase.open_slots(app_database)["id"].tolist() == [still_open]


def test_staff_choose_a_slot_s_deadline(app_database):
    app = open_as_staff(make_staff(app_database), "pages/slots.py")
    app.number_input(key="slots_deadline_days").set_value(2).run()
    app.button(key="slots_create").click().run()
    slot = showcase.slots_with_counts(app_database).iloc[0]
    assert slot["starts_at"] - slot["applications_close_at"] == timedelta(days=2)
    assert app.success[0].value == "Créneau créé."


def test_the_agenda_and_the_card_speak_the_visitor_s_language(app_database):
    listings.insert_partners(app_database, [partner_row(name="Zoomacom", kind="association",
                                                        sectors="inclusion numérique; médiation",
                                                        description="Association d'inclusion numérique.",
                                                        description_en="A digital-inclusion association.")])
    shown = html_of(open_app(partner="1", lang="en"))
    assert "A digital-inclusion association." in shown and "digital inclusion, digital mediation" in shown
    assert "Association d'inclusion" not in shown


def test_the_agenda_says_until_when_each_showcase_takes_applications(app_database):
    closed = make_slot(app_database)
    make_slot(app_database, weeks=3)  # still open
    with write_session(app_database) as session:
        session.get(ShowcaseSlot, closed).applications_close_at = utcnow() - timedelta(minutes=1)
    captions = [caption.value for caption in open_app("pages/calendar.py").caption]
    assert "Candidatures closes pour cette vitrine." in captions
    assert any(caption.startswith("Candidatures ouvertes jusqu'au ") for caption in captions)


def test_an_unknown_or_hidden_partner_in_the_address_is_said_plainly(app_database):
    listings.insert_partners(app_database, [partner_row(name="Cité du design", kind="public_body"),
                                            partner_row(name="Projet", state="proposed")])
    for partner_id in ("9999", "2"):  # unknown, and not published
        app = open_app(partner=partner_id)
        assert app.warning[0].value.startswith("Fiche introuvable")
        app.button(key="explore_forget_partner").click().run()
        assert not app.warning and "partner" not in app.query_params
    app = open_app(partner="1", kinds="startup")
    assert "La fiche choisie est masquée par les filtres." in [info.value for info in app.info]
