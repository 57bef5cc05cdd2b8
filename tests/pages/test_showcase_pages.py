from datetime import time

from sqlmodel import Session

from directory import showcase
from directory.models import Notification
from tests.factories import emailed_token, form, make_slot, next_wednesday
from tests.pages.helpers import applications, fill_apply, form_errors, html_of, open_app, send, texts_to_copy

APPLY, FOLLOW, CALENDAR = "pages/apply.py", "pages/follow.py", "pages/calendar.py"


def test_each_fault_is_explained_next_to_its_field_and_values_are_kept(app_database):
    slot = make_slot(app_database)
    app = fill_apply(open_app(APPLY), slot, contact_email="camille@", website="javascript:alert(1)",
                     organisation="Forez <Robotique>")
    app.checkbox(key="apply_consent_data").uncheck()
    app.text_input(key="apply_latitude").set_value("95")
    app.text_input(key="apply_longitude").set_value("4.39")
    app = send(app)
    errors = form_errors(app)
    assert errors[0].startswith("Le formulaire contient 4 erreurs")
    assert "Adresse e-mail invalide (exemple : nom@domaine.fr)." in errors
    assert "Adresse web invalide : elle doit commencer par http:// ou https://." in errors
    assert "Cochez cette case pour que nous puissions traiter votre candidature." in errors
    assert any(e.startswith("Coordonnées hors limites") for e in errors)
    assert app.text_input(key="apply_organisation").value == "Forez <Robotique>"
    assert app.text_input(key="apply_contact_email").value == "camille@"
    assert app.selectbox(key="apply_slot_1").value == slot
    assert app.text_area(key="apply_demo_description").value == "Une soudure en direct."
    assert applications(app_database) == []


def test_an_empty_form_lists_every_required_field(app_database):
    make_slot(app_database)
    errors = form_errors(send(open_app(APPLY)))
    assert errors[0].startswith("Le formulaire contient 11 erreurs")


def test_a_valid_application_gets_a_number_and_a_private_link_once(app_database):
    slot = make_slot(app_database)
    app = send(fill_apply(open_app(APPLY), slot))
    assert "Candidature n°00001 enregistrée" in app.success[0].value
    assert "suivi?token=" in texts_to_copy(app)[0]
    # The same click delivered twice (a double click) stores nothing more.
    app.run()
    assert len(applications(app_database)) == 1


def test_a_second_application_for_the_same_slot_is_told_so(app_database):
    slot = make_slot(app_database)
    send(fill_apply(open_app(APPLY), slot))
    again = send(fill_apply(open_app(APPLY), slot))
    assert any("déjà une candidature en cours" in e for e in form_errors(again))
    assert len(applications(app_database)) == 1


def test_no_open_slot_says_so(app_database):
    assert "Aucun créneau" in open_app(APPLY).info[0].value


def test_the_open_slots_are_listed_with_their_theme_as_typed(app_database):
    showcase.create_slot(app_database, showcase.SlotTimes(next_wednesday(2), time(14), time(17)), capacity=2,
                         theme="<b>Robots</b> & *IA*")
    listed = html_of(open_app(APPLY))
    assert "— &lt;b&gt;Robots&lt;/b&gt; &amp; *IA* — 2 places libres sur 2, candidatures jusqu" in listed


def submitted(engine, **values):
    slot = make_slot(engine)
    return slot, showcase.submit_application(engine, form([slot], **values), submission_key="k")


def test_the_follow_page_shows_state_choices_and_history(app_database):
    _, result = submitted(app_database, organisation="**Gras** [lien](http://x)")
    app = open_app(FOLLOW, token=result.token)
    assert not app.exception
    assert app.metric[0].value == "Reçue, en attente d'examen"
    assert "\\*\\*Gras\\*\\* \\[lien\\]" in app.markdown[0].value  # shown as text, not markdown
    assert [t.value.split(" — ")[1] for t in app.text if " — " in t.value] == ["Candidature envoyée"]


def test_the_applicant_edits_while_submitted(app_database):
    _, result = submitted(app_database)
    app = open_app(FOLLOW, token=result.token)
    app.button[0].click().run()  # Modifier ma candidature
    assert app.text_input(key="follow_pitch_title").value == "Le cobot qui soude"
    app.text_input(key="follow_pitch_title").set_value("Le cobot qui peint")
    app.button(key="follow_save").click().run()
    assert app.success[0].value == "Modifications enregistrées."
    assert showcase.application_by_token(app_database, result.token).application.pitch_title == "Le cobot qui peint"


def test_a_faulty_edit_keeps_the_values_and_writes_nothing(app_database):
    _, result = submitted(app_database)
    app = open_app(FOLLOW, token=result.token)
    app.button[0].click().run()
    app.text_input(key="follow_contact_email").set_value("pas-un-email")
    app.button(key="follow_save").click().run()
    assert "Adresse e-mail invalide (exemple : nom@domaine.fr)." in form_errors(app)
    assert app.text_input(key="follow_contact_email").value == "pas-un-email"
    assert showcase.application_by_token(app_database,
                                         result.token).application.contact_email == "camille@forez.example.org"


def test_the_applicant_withdraws_after_confirming(app_database):
    slot, result = submitted(app_database)
    showcase.approve_application(app_database, result.application_id, slot_id=slot, staff="staff:1")
    app = open_app(FOLLOW, token=result.token)
    assert app.button(key="follow_withdraw").disabled
    app.checkbox(key="follow_confirm_withdraw").check().run()
    app.button(key="follow_withdraw").click().run()
    assert app.success[0].value == "Votre candidature a été retirée."
    assert app.metric[0].value == "Retirée"
    assert showcase.slots_with_counts(app_database)["places_taken"].tolist() == [0]


def test_bad_tokens_get_a_plain_message(app_database):
    for token in ("", "abc", "A" * 43, "<script>"):
        app = open_app(FOLLOW, token=token)
        assert not app.exception
        assert app.error[0].value.startswith("Ce lien de suivi ne fonctionne plus")


def test_the_calendar_lists_upcoming_showcases_with_their_startups(app_database):
    slot, result = submitted(app_database, organisation="Forez <Robotique>")
    showcase.approve_application(app_database, result.application_id, slot_id=slot, staff="staff:1")
    showcase.create_slot(app_database, showcase.SlotTimes(next_wednesday(3), time(10), time(12)), capacity=2,
                         theme="Santé")
    app = open_app(CALENDAR)
    shown = html_of(app)
    assert "Forez &lt;Robotique&gt;" in shown and "Un bras robotisé à 5 000 €." in shown
    assert 'href="http://localhost:8501/?partner=1"' in shown
    assert "Santé" in shown and "Programme à venir." in shown
    links = [button.proto.url for button in app.get("link_button")]
    # subscribe to the showcases, to the sessions, then each showcase's file and page
    assert links[:2] == ["webcal://localhost:8501/agenda.ics", "webcal://localhost:8501/programme.ics"]
    assert links[2:] == [f"http://localhost:8501/vitrines/{slot}.ics", f"http://localhost:8501/vitrines/{slot}",
                         f"http://localhost:8501/vitrines/{slot + 1}.ics", f"http://localhost:8501/vitrines/{slot + 1}"]
    assert texts_to_copy(app) == ["http://localhost:8501/agenda.ics", "http://localhost:8501/programme.ics"]


def test_a_long_calendar_is_shown_ten_showcases_at_a_time(app_database):
    slots = [make_slot(app_database, weeks=week) for week in range(2, 14)]
    app = open_app(CALENDAR)
    assert [f"/vitrines/{slot}" for slot in slots[:10]] == [
        button.proto.url.removeprefix("http://localhost:8501") for button in app.get("link_button")][3::2]
    assert "Dates 1 à 10 sur 12" in [caption.value for caption in app.caption]
    app.number_input(key="calendar_page").set_value(2).run()
    pages = [button.proto.url.removeprefix("http://localhost:8501") for button in app.get("link_button")][3::2]
    assert pages == [f"/vitrines/{slot}" for slot in slots[10:]]


def test_the_calendar_speaks_english(app_database):
    make_slot(app_database)
    app = open_app(CALENDAR, lang="en")
    assert app.title[0].value == "The atelier's calendar"
    assert texts_to_copy(app) == ["http://localhost:8501/agenda.ics?lang=en",
                                  "http://localhost:8501/programme.ics?lang=en"]


def test_an_approved_startup_confirms_it_comes_from_its_follow_page(app_database):
    slot, result = submitted(app_database)
    showcase.approve_application(app_database, result.application_id, slot_id=slot, staff="staff:1")
    app = open_app(FOLLOW, token=result.token)
    app.button(key="follow_confirm_attendance").click().run()
    assert app.success[0].value == "Venue confirmée : à bientôt à l'atelier !"
    assert any(caption.value.startswith("Venue confirmée le ") for caption in app.main.caption)


def test_a_waitlisted_startup_answers_an_offer_from_its_follow_page(app_database):
    slot = make_slot(app_database, capacity=1)
    first = showcase.submit_application(app_database, form([slot]), submission_key="a")
    second = showcase.submit_application(app_database, form([slot], contact_email="b@example.org"), submission_key="b")
    showcase.approve_application(app_database, first.application_id, slot_id=slot, staff="staff:1")
    showcase.waitlist_application(app_database, second.application_id, staff="staff:1")
    showcase.withdraw_application(app_database, first.token)
    app = open_app(FOLLOW, token=emailed_token(app_database, Notification.template == "offered"))
    assert app.metric[0].value == "Place proposée, réponse attendue"
    assert app.button(key="follow_decline_offer").disabled  # a destructive answer asks for a confirmation
    app.checkbox(key="follow_confirm_decline").check().run()
    app.button(key="follow_decline_offer").click().run()
    assert app.success[0].value == "C'est noté : vous avez renoncé à cette place."
    assert app.metric[0].value == "En liste d'attente"


def test_an_approved_startup_reads_where_and_when_and_gets_its_event(app_database):
    slot, result = submitted(app_database)
    showcase.approve_application(app_database, result.application_id, slot_id=slot, staff="staff:1")
    app = open_app(FOLLOW, token=result.token)  # the receipt's link still works after the approval
    text = " ".join(m.value for m in app.markdown)
    assert "place Jean" in text and "13:30" in text
    assert app.get("download_button")[0].proto.label == "Ajouter à mon agenda (.ics)"
    assert len(app.success) == 0  # one notice at most: the state reads in its own box
    history = [t.value for t in app.text]
    assert not any("_" in line.split(" — ")[-1] for line in history)  # no raw action names


def test_a_waitlisted_startup_is_not_told_its_place_will_be_freed(app_database):
    slot, result = submitted(app_database)
    showcase.waitlist_application(app_database, result.application_id, staff="staff:1")
    other = make_slot(app_database, weeks=4)
    app = open_app(FOLLOW, token=result.token)
    assert app.checkbox(key="follow_confirm_withdraw").label == "Je confirme vouloir retirer cette candidature."
    app.button(key="follow_choose_slots").click().run()
    app.selectbox(key="follow_slot_2").set_value(other).run()
    app.button(key="follow_save_slots").click().run()
    assert app.success[0].value == "Créneaux enregistrés : vous attendez une place dans ceux-ci."


def test_after_the_showcase_the_follow_page_speaks_in_the_past(app_database):
    from datetime import timedelta

    from sqlalchemy import update

    from directory.clock import utcnow
    from directory.models import ShowcaseSlot
    slot, result = submitted(app_database)
    showcase.approve_application(app_database, result.application_id, slot_id=slot, staff="staff:1")
    with Session(app_database) as session:
        session.exec(update(ShowcaseSlot).where(ShowcaseSlot.id == slot).values(
            starts_at=utcnow() - timedelta(hours=5), ends_at=utcnow() - timedelta(hours=2)))
        session.commit()
    app = open_app(FOLLOW, token=result.token, lang="en")
    assert [s.value for s in app.subheader][0] == "Your presentation took place"
    said = " ".join(m.value for m in app.markdown)
    assert "You presented at the atelier" in said and "You present " not in said
    assert not app.get("download_button") and not [b for b in app.button if b.key == "follow_confirm_attendance"]
