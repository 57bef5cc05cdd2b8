import re
from pathlib import Path

import pytest
from sqlmodel import Session
from streamlit.testing.v1 import AppTest

from directory import listings, showcase
from directory.clock import to_paris
from directory.i18n import format_date
from directory.listings import PartnerForm
from directory.models import Application
from tests.factories import form, make_slot
from tests.pages.helpers import APP, form_errors, html_of, open_app, open_tab, page_path
from tests.pages.staff import PASSWORD, make_staff, open_as_staff, sign_in_as

ROOT = Path(__file__).resolve().parents[2]
STAFF_PAGES = ["pages/review.py", "pages/staff_partners.py", "pages/slots.py", "pages/audit_log.py", "pages/privacy.py",
               "pages/dashboard.py", "pages/accounts.py", "pages/assignment.py"]


def shows_no_staff_page(app, page) -> bool:
    """Either the page is not in this visitor's navigation, or it refuses to draw."""
    try:
        app.switch_page(page_path(page)).run()
    except ValueError:
        return True  # AppTest: "page not found in the navigation"
    refusal = "Cette page est réservée à l'équipe de l'atelier. Connectez-vous d'abord."
    return [e.value for e in app.error][:1] == [refusal]


@pytest.mark.parametrize("page", STAFF_PAGES)
def test_staff_pages_are_not_in_an_anonymous_visitors_navigation(app_database, page):
    assert shows_no_staff_page(open_app(), page)


@pytest.mark.parametrize("page", STAFF_PAGES)
def test_each_staff_page_draws_nothing_for_anyone_else(app_database, page):
    # As if the file were reached without the navigation: the page itself refuses.
    app = AppTest.from_file(str(ROOT / page), default_timeout=60).run()
    assert not app.exception
    assert [e.value for e in app.error] == ["Cette page est réservée à l'équipe de l'atelier. Connectez-vous d'abord."]
    assert not app.title and not app.get("html") and not app.button


def test_the_accounts_page_is_for_admins_only(app_database):
    staff = make_staff(app_database)
    app = AppTest.from_file(str(ROOT / "pages/accounts.py"), default_timeout=60)
    sign_in_as(app, staff)
    app.run()
    assert [e.value for e in app.error] == ["Cette page est réservée aux administrateurs."]


def test_signing_in_shows_the_staff_pages_and_a_wrong_password_does_not(app_database):
    make_staff(app_database)
    app = open_app("pages/sign_in.py")
    app.text_input(key="sign_in_email").set_value("camille@atelier.example.org")
    app.text_input(key="sign_in_password").set_value("wrong password")
    app.button[0].click().run()
    assert app.warning[0].value.startswith("Identifiant ou mot de passe incorrect")
    app.text_input(key="sign_in_email").set_value("nobody@atelier.example.org")
    app.text_input(key="sign_in_password").set_value(PASSWORD)
    app.button[0].click().run()
    assert app.warning[0].value.startswith("Identifiant ou mot de passe incorrect")
    assert app.text_input(key="sign_in_email").value == "nobody@atelier.example.org"
    app.text_input(key="sign_in_email").set_value("camille@atelier.example.org")
    app.button[0].click().run()
    # The browser goes and trades the one-time code for its cookie, then opens the review queue.
    redirect = app.get("iframe")[-1].proto.srcdoc
    assert "/equipe/session?code=" in redirect and "next=%2Fcandidatures" in redirect
    app.run()
    app.switch_page(page_path("pages/review.py")).run()
    assert app.title[0].value == "Candidatures"


def test_an_identity_provider_sign_in_counts_only_for_listed_staff(app_database):
    make_staff(app_database, email="dominique@atelier.example.org")
    app = AppTest.from_file(APP, default_timeout=60)
    app.user = {"is_logged_in": True, "email": "dominique@atelier.example.org"}
    app.run()
    app.switch_page(page_path("pages/review.py")).run()
    assert app.title[0].value == "Candidatures"
    stranger = AppTest.from_file(APP, default_timeout=60)
    stranger.user = {"is_logged_in": True, "email": "stranger@example.org"}
    stranger.run()
    assert shows_no_staff_page(stranger, "pages/review.py")


def test_sign_out_ends_the_session(app_database):
    app = open_as_staff(make_staff(app_database))
    app.button(key="sign_out").click().run()
    assert shows_no_staff_page(app, "pages/review.py")


def candidates(engine, count=2, capacity=3):
    slot = make_slot(engine, capacity=capacity)
    ids = [showcase.submit_application(engine, form([slot], organisation=f"Startup {i}",
                                                    contact_email=f"s{i}@example.org"),
                                       submission_key=f"k{i}").application_id for i in range(count)]
    return slot, ids


def test_the_review_queue_shows_a_slots_candidates_and_approves_a_selection(app_database):
    slot, ids = candidates(app_database)
    app = open_as_staff(make_staff(app_database), "pages/review.py")
    app.selectbox(key="review_slot").set_value(slot).run()
    assert "Places attribuées : 0 sur 3" in app.get("progress")[0].proto.text
    assert "Startup 0" in html_of(app) and "Startup 1" in html_of(app)
    app.checkbox(key=f"review_pick_{ids[0]}").check().run()
    app.button(key="review_approve").click().run()
    assert app.success[0].value == "1 décision enregistrée."
    assert showcase.slots_with_counts(app_database)["places_taken"].tolist() == [1]


def test_a_lost_race_is_told_plainly(app_database):
    slot, ids = candidates(app_database)
    app = open_as_staff(make_staff(app_database), "pages/review.py")
    app.selectbox(key="review_slot").set_value(slot).run()
    for application_id in ids:
        app.checkbox(key=f"review_pick_{application_id}").check()
    app.run()
    # Meanwhile a colleague rejects the second one.
    showcase.reject_application(app_database, ids[1], staff="staff:9", reason="Non")
    app.button(key="review_approve").click().run()
    assert app.success[0].value == "1 décision enregistrée."
    assert app.warning[0].value.startswith("Candidature n°00002 : Cette candidature a changé entre-temps")


def test_a_rejection_requires_a_reason(app_database):
    slot, ids = candidates(app_database, count=1)
    app = open_as_staff(make_staff(app_database), "pages/review.py")
    app.checkbox(key=f"review_pick_{ids[0]}").check().run()
    assert app.button(key="review_reject").disabled
    app.selectbox(key="review_reason").set_value(showcase.REJECTION_REASONS[3]).run()
    app.button(key="review_reject").click().run()
    assert showcase.review_queue(app_database, showcase.ReviewFilters(states=("rejected",)))["decision_reason"] \
        .tolist() == ["Le dossier est incomplet."]


def test_staff_publish_a_proposal(app_database):
    listings.propose_partner(app_database, PartnerForm(name="Le Fil <Rouge>", kind="coworking",
                                                       short_description="Un tiers-lieu."),
                             proposer_name="Camille", proposer_email="camille@exemple.fr")
    app = open_as_staff(make_staff(app_database), "pages/staff_partners.py")
    assert "Le Fil &lt;Rouge&gt;" in html_of(app)
    app.button(key="manage_publish").click().run()
    assert app.success[0].value == "Fiche publiée."
    assert listings.load_published(app_database)["name"].tolist() == ["Le Fil <Rouge>"]


def test_a_csv_import_is_previewed_then_confirmed(app_database):
    app = open_tab(open_as_staff(make_staff(app_database), "pages/staff_partners.py"), "manage_tab", "Import CSV")
    # AppTest has no file upload: the page's import logic is covered by tests/unit/test_imports.py,
    # and here we check the tab is offered with its explanation.
    assert any("Rien n'est écrit avant votre confirmation" in m.value for m in app.markdown)


def test_a_staff_page_draws_its_open_tab_only_and_keeps_what_was_typed_in_another(app_database):
    app = open_as_staff(make_staff(app_database), "pages/staff_partners.py")
    assert [tab.label for tab in app.tabs][:2] == ["Propositions", "Organisations (0)"]  # every tab offered
    assert "manage_new_name" not in [field.key for field in app.text_input]  # but one drawn
    open_tab(app, "manage_tab", "Nouvelle fiche").text_input(key="manage_new_name").input("Forez Robotique").run()
    assert "manage_new_name" not in [field.key for field in open_tab(app, "manage_tab", "Fiches publiées").text_input]
    assert open_tab(app, "manage_tab", "Nouvelle fiche").text_input(key="manage_new_name").value == "Forez Robotique"


def test_staff_create_and_cancel_a_slot(app_database):
    app = open_as_staff(make_staff(app_database), "pages/slots.py")
    app.button(key="slots_create").click().run()
    assert app.success[0].value == "Créneau créé."
    slot = int(showcase.slots_with_counts(app_database)["id"].iloc[0])
    application = showcase.submit_application(app_database, form([slot]), submission_key="k").application_id
    showcase.approve_application(app_database, application, slot_id=slot, staff="staff:1")
    open_tab(app, "slots_tab", "Modifier")
    app.checkbox(key=f"edit_confirm_cancel_{slot}").check().run()
    app.button(key="edit_cancel").click().run()
    assert app.success[0].value == "Vitrine annulée ; 1 startup prévenue."
    assert showcase.open_slots(app_database).empty


def test_the_journal_reads_in_the_staff_language_with_names_and_changed_fields(app_database):
    slot, ids = candidates(app_database, count=1)
    camille = make_staff(app_database)
    showcase.approve_application(app_database, ids[0], slot_id=slot,
                                 staff=f"staff:{camille} camille@atelier.example.org")
    app = open_as_staff(camille, "pages/audit_log.py")
    log = app.dataframe[0].value
    approved, = log[log["action"] == "Acceptée"].to_dict("records")
    submitted, = log[log["action"] == "Candidature envoyée"].to_dict("records")
    when = showcase.slot_label(*showcase.slots_with_counts(app_database).iloc[0][["starts_at", "ends_at"]], "fr")
    assert (approved["actor"], approved["action"], approved["entity"]) == ("Camille", "Acceptée", "Candidature")
    assert approved["changes"] == f"Statut : Reçue, en attente d'examen → Acceptée · Créneau : — → {when}"
    assert submitted["actor"] == "La startup candidate"
    assert app.multiselect(key="audit_people").options == ["Camille", "La startup candidate", "Ligne de commande"]
    assert app.multiselect(key="audit_people").placeholder == "Toutes"
    assert not app.main.button  # nothing to edit or delete
    english = open_as_staff(camille, "pages/audit_log.py", lang="en").dataframe[0].value
    assert english["changes"].iloc[0].startswith("Status: Received, awaiting review → Approved · Slot: — → ")


def test_the_dashboard_shows_figures(app_database):
    slot, ids = candidates(app_database, count=2)
    showcase.approve_application(app_database, ids[0], slot_id=slot, staff="staff:1")
    showcase.reject_application(app_database, ids[1], staff="staff:1", reason="Non")
    app = open_as_staff(make_staff(app_database), "pages/dashboard.py")
    metrics = {m.label: m.value for m in app.metric}
    assert metrics["Taux d'acceptation"] == "50\u00a0%"
    assert metrics["Candidatures"] == "2"
    # The charts are tables: each row's name and figure, read as text.
    with Session(app_database) as session:
        this_month = to_paris(session.get(Application, ids[0]).created_at).date().replace(day=1)
    assert (format_date(this_month, "fr", style="MMMM y"), "2") in bar_rows(html_of(app))
    assert '<th scope="col">Mois</th><th scope="col">Candidatures</th>' in html_of(app)
    english = open_as_staff(make_staff(app_database, email="en@atelier.example.org"), "pages/dashboard.py", lang="en")
    assert (format_date(this_month, "en", style="MMMM y"), "2") in bar_rows(html_of(english))
    assert '<th scope="col">Month</th><th scope="col">Applications</th>' in html_of(english)


def bar_rows(html: str) -> list[tuple[str, str]]:
    """(name, figure) of each row of the page's bar tables."""
    return re.findall(r'<th scope="row">(.*?)</th>\s*<td><div class="vitrine-bar">.*?</span></span>(.*?)</div>', html)


def test_an_admin_creates_an_account(app_database):
    from directory.accounts import authenticate

    app = open_as_staff(make_staff(app_database, admin=True), "pages/accounts.py")

    def create():
        return next(button for button in app.button if button.key.startswith("FormSubmitter:accounts_new-"))

    app.text_input(key="accounts_name").set_value("Dominique")
    app.text_input(key="accounts_email").set_value("dominique@atelier.example.org")
    create().click().run()  # no password typed: refused, never an account without one
    assert "Le mot de passe compte au moins 12 caractères." in form_errors(app)
    assert app.text_input(key="accounts_email").value == "dominique@atelier.example.org"
    app.text_input(key="accounts_password").set_value("un mot de passe assez long")
    app.text_input(key="accounts_password_again").set_value("un mot de passe assez lent")
    create().click().run()
    assert form_errors(app)[-1] == "Les deux mots de passe diffèrent."
    app.text_input(key="accounts_password_again").set_value("un mot de passe assez long")
    create().click().run()
    assert app.success[0].value == "Compte créé."
    assert app.text_input(key="accounts_email").value == ""  # ready for the next one
    assert authenticate(app_database, "dominique@atelier.example.org", "un mot de passe assez long",
                        client_address="test").name == "Dominique"
    assert "Administrateur" in app.dataframe[0].value["Rôle"].tolist()


def test_an_idle_session_expires_with_a_plain_message(app_database):
    from datetime import timedelta

    from directory.clock import utcnow

    app = AppTest.from_file(APP, default_timeout=60)
    sign_in_as(app, make_staff(app_database), now=utcnow() - timedelta(minutes=31))
    app.run()
    assert app.warning[0].value == "Votre session a expiré : connectez-vous de nouveau."
    assert shows_no_staff_page(app, "pages/review.py")


def test_staff_erase_an_applicants_data_after_confirming(app_database):
    slot, ids = candidates(app_database, count=1)
    app = open_as_staff(make_staff(app_database), "pages/privacy.py")
    app.text_input(key="privacy_email").set_value("s0@example.org").run()
    assert len(app.get("download_button")) == 1
    assert app.button(key="privacy_erase").disabled
    app.checkbox(key="privacy_confirm").check().run()
    app.button(key="privacy_erase").click().run()
    assert app.success[0].value == "1 candidature effacée."
    assert showcase.review_queue(app_database, showcase.ReviewFilters(states=())).empty


def test_the_review_card_shows_the_logo_the_startup_sent(app_database):
    from tests.factories import picture

    slot = make_slot(app_database)
    showcase.submit_application(app_database, form([slot], logo=picture("PNG")), submission_key="k")
    app = open_as_staff(make_staff(app_database), "pages/review.py")
    assert len(app.get("image")) == 1


def test_the_queue_overview_counts_places_and_waiting_candidates_per_slot(app_database):
    slot, ids = candidates(app_database, count=2)
    showcase.approve_application(app_database, ids[0], slot_id=slot, staff="staff:1")
    app = open_as_staff(make_staff(app_database), "pages/review.py")
    assert not app.dataframe  # drawn once its panel is opened
    app.session_state["review_slots_open"] = True  # what opening it sets, before its rerun
    overview = app.run().dataframe[0].value
    assert overview[["places", "waiting"]].values.tolist() == [["1 / 3", 1]]


def test_the_review_queue_tells_the_whole_count_and_pages_through_everything(app_database):
    slot = make_slot(app_database, capacity=50)
    for number in range(60):
        showcase.submit_application(app_database, form([slot], contact_email=f"c{number}@example.org"),
                                    submission_key=f"k{number}")
    app = open_as_staff(make_staff(app_database), "pages/review.py")
    assert app.caption[0].value == "Candidatures 1 à 25 sur 60"
    app.number_input(key="review_page").set_value(3).run()
    assert app.caption[0].value == "Candidatures 51 à 60 sur 60"
    assert len([box for box in app.checkbox if box.key.startswith("review_pick_")]) == 10
    app.text_input(key="review_text").set_value("introuvable").run()
    assert app.info[0].value == "Aucune candidature ne correspond à ces filtres."


def test_staff_ask_for_a_proposal_adjust_it_and_confirm_it(app_database):
    first, second = make_slot(app_database, capacity=1), make_slot(app_database, weeks=3, capacity=1)
    ids = [showcase.submit_application(app_database, form([first, second], organisation=f"Startup {n}",
                                                          contact_email=f"s{n}@example.org"),
                                       submission_key=f"k{n}").application_id for n in range(3)]
    app = open_as_staff(make_staff(app_database), "pages/assignment.py")
    assert app.multiselect[0].value == []  # staff choose: none preselected
    app.multiselect[0].set_value([first, second]).run()
    app.button(key="assignment_propose").click().run()
    assert app.subheader[0].value == "2 sur 3 placées"
    proposal = app.dataframe[0].value  # the editable table
    assert proposal["organisation"].tolist() == ["Startup 0", "Startup 1", "Startup 2"]
    assert proposal["choice"].tolist() == ["1er choix", "2e choix", ""]
    assert proposal["why"].tolist()[2] == "Les créneaux qu'elle a demandés sont complets."
    app.radio(key="assignment_unplaced").set_value(False)
    app.button(key="assignment_confirm").click().run()
    assert app.success[0].value == "2 candidatures acceptées. 0 mise en liste d'attente."
    queue = showcase.review_queue(app_database, showcase.ReviewFilters(states=()))
    assert dict(zip(queue["id"], queue["state"], strict=True)) == {ids[0]: "approved", ids[1]: "approved",
                                                                   ids[2]: "submitted"}


def test_staff_record_attendance_after_the_day_and_the_dashboard_counts_it(app_database):
    from datetime import timedelta

    from sqlalchemy import update

    from directory.clock import utcnow
    from directory.models import Application, ShowcaseSlot
    slot, ids = candidates(app_database, count=2)
    for application_id in ids:
        showcase.approve_application(app_database, application_id, slot_id=slot, staff="staff:1")
    with app_database.begin() as connection:  # Startup 0 had confirmed it would come
        connection.execute(update(Application).where(Application.id == ids[0]).values(confirmed_at=utcnow()))
    with app_database.begin() as connection:  # the showcase took place two days ago
        connection.execute(update(ShowcaseSlot).where(ShowcaseSlot.id == slot).values(
            starts_at=utcnow() - timedelta(days=2, hours=3), ends_at=utcnow() - timedelta(days=2)))
    staff = make_staff(app_database)
    app = open_tab(open_as_staff(staff, "pages/slots.py"), "slots_tab", "Présences")
    assert app.multiselect(key=f"presence_{slot}").value == ids  # everyone came, unless told otherwise
    confirmations = app.dataframe[-1].value.set_index("organisation")["confirmed"]  # who said they would
    assert confirmations["Startup 0"].startswith("Oui, le ") and confirmations["Startup 1"] == "Non"
    app.multiselect(key=f"presence_{slot}").unselect(ids[1]).run()
    app.button(key="presence_save").click().run()
    assert app.success[0].value == "Présences enregistrées."
    metrics = {m.label: m.value for m in open_as_staff(staff, "pages/dashboard.py").metric}
    assert (metrics["Startups venues présenter"], metrics["Absences"]) == ("1", "1")


def test_the_queue_shows_an_offer_in_progress_with_its_deadline(app_database):
    slot, ids = candidates(app_database, count=2, capacity=1)
    showcase.approve_application(app_database, ids[0], slot_id=slot, staff="staff:1")
    showcase.waitlist_application(app_database, ids[1], staff="staff:1")
    showcase.move_application(app_database, ids[0], slot_id=make_slot(app_database, weeks=3), staff="staff:1")
    app = open_as_staff(make_staff(app_database), "pages/review.py")
    assert any(caption.value.startswith("Place proposée automatiquement pour le ") for caption in app.main.caption)


def test_the_slot_to_give_defaults_to_the_picked_startup_s_first_choice(app_database):
    """Issue 22: 'Créneau attribué' defaulted to the earliest slot, not the startup's first choice."""
    earliest, wanted = make_slot(app_database, weeks=2), make_slot(app_database, weeks=3)
    sent = showcase.submit_application(app_database, form([wanted, earliest]), submission_key="k")
    app = open_as_staff(make_staff(app_database), "pages/review.py")
    app.checkbox(key=f"review_pick_{sent.application_id}").check().run()
    [target] = [box for box in app.selectbox if box.key and box.key.startswith("review_target")]
    assert target.value == wanted


def test_a_chosen_slot_stays_chosen_when_its_places_left_change_and_proposing_again_works(app_database):
    slot = make_slot(app_database, capacity=1)
    ids = [showcase.submit_application(app_database, form([slot], organisation=f"Startup {n}",
                                                          contact_email=f"s{n}@example.org"),
                                       submission_key=f"k{n}").application_id for n in range(2)]
    app = open_as_staff(make_staff(app_database), "pages/assignment.py")
    app.multiselect[0].set_value([slot]).run()
    assert app.multiselect[0].options[0].endswith("(1 place libre)")
    app.button(key="assignment_propose").click().run()
    app.button(key="assignment_confirm").click().run()  # Startup 0 takes the one place
    assert app.success[0].value == "1 candidature acceptée. 1 mise en liste d'attente."
    assert app.multiselect[0].value == [slot] and app.multiselect[0].options[0].endswith("(0 place libre)")
    app.button(key="assignment_propose").click().run()  # the waitlisted one, with no place left
    assert not app.exception and app.subheader[0].value == "0 sur 1 placées"
    queue = showcase.review_queue(app_database, showcase.ReviewFilters(states=()))
    assert dict(zip(queue["id"], queue["state"], strict=True)) == {ids[0]: "approved", ids[1]: "waitlisted"}


def test_a_listings_history_shows_each_fields_values_and_the_refused_changes_with_their_reason(app_database):
    """Issue 31: the history listed versions without the values, and no refused proposal."""
    from directory.listings.changes import decide_change, request_update_link, submit_change
    from directory.models import Notification
    from tests.factories import emailed_token

    staff = make_staff(app_database)
    partner_id = listings.create_partner(app_database, PartnerForm(
        name="Forez Robotique", kind="startup", short_description="Des cobots.", city="Saint-Étienne",
        contact_email="contact@forez.fr"), staff=f"staff:{staff}")
    listings.update_partner(app_database, partner_id, PartnerForm(
        name="Forez Robotique", kind="startup", short_description="Des cobots pour <les> PME.",
        city="Saint-Étienne", contact_email="contact@forez.fr"), staff=f"staff:{staff}", expected=1)
    request_update_link(app_database, partner_id, "contact@forez.fr", client="1.2.3.4", language="fr")
    token = emailed_token(app_database, Notification.template == "listing_update_link")
    change_id = submit_change(app_database, token, PartnerForm(
        name="Forez Robotique", kind="startup", short_description="Des cobots pour <les> PME.", city="Firminy",
        contact_email="contact@forez.fr"), base_version=2, language="fr")
    decide_change(app_database, change_id, accept=(), staff=f"staff:{staff}", expected=2,
                  reason="Le siège est toujours à Saint-Étienne.")
    app = open_tab(open_as_staff(staff, "pages/staff_partners.py"), "manage_tab", "Fiches publiées")
    app.selectbox(key="manage_listing").set_value(partner_id).run()
    page = html_of(app)
    assert "Des <del>cobots.</del>" in page and "<ins>cobots pour &lt;les&gt; PME.</ins>" in page  # before → after
    assert "<les>" not in page
    assert any("**Modification refusée**" in m.value and "Le siège est toujours à Saint" in m.value
               for m in app.markdown)  # with its reason (markdown-escaped)
    assert "Firminy" in page and "Sur la carte alors" in page and "Refusé" in page
