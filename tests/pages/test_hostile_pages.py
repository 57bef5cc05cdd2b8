"""Hostile values typed into the public forms: never an exception, always a message or a receipt."""

import pytest

from tests.factories import make_slot
from tests.pages.helpers import fill_apply, form_errors, open_app, send

VALUES = ["<script>alert(1)</script>", "`${alert(1)}`\\", "\x00\x1b[31m", "\u202eexe.gpj", "x" * 10_000_000,
          "javascript:alert(1)", "=HYPERLINK(\"http://evil.example\")"]


@pytest.mark.parametrize("field", ["name", "short_description", "website", "contact_email", "latitude"])
def test_the_proposal_form_answers_every_hostile_value(app_database, field):
    for value in VALUES:
        app = open_app("pages/propose.py")
        for name, typed in {"name": "Lieu", "short_description": "Un lieu.", "proposer_email": "c@example.org"}.items():
            app.text_input(key=f"propose_{name}").set_value(typed)
        app.selectbox(key="propose_kind").set_value("coworking")
        app.text_input(key=f"propose_{field}").set_value(value)
        app.button(key="propose_submit").click().run()
        assert not app.exception
        # A receipt: new, or "already sent within the hour" (the same person, the same name).
        assert form_errors(app) or app.success or app.info


@pytest.mark.parametrize("field", ["organisation", "pitch_summary", "website", "contact_email"])
def test_the_application_form_answers_every_hostile_value(app_database, field):
    slot = make_slot(app_database)
    for number, value in enumerate(VALUES):
        app = fill_apply(open_app("pages/apply.py"), slot, contact_email=f"c{number}@example.org")
        app.text_input(key=f"apply_{field}").set_value(value)
        app = send(app)
        assert not app.exception
        assert form_errors(app) or app.success


@pytest.mark.parametrize("field, limit", [("organisation", "160"), ("demo_description", "5\u202f000")])
def test_a_paste_over_the_limit_stays_in_the_field_with_its_length(app_database, field, limit):
    slot = make_slot(app_database)
    app = fill_apply(open_app("pages/apply.py"), slot)
    pasted = "Forez " * 1_666 + "Robo"
    (app.text_area if field == "demo_description" else app.text_input)(key=f"apply_{field}").set_value(pasted)
    app = send(app)
    assert f"{limit} caractères au maximum (10\u202f000 collés)." in form_errors(app)
    assert (app.text_area if field == "demo_description" else app.text_input)(key=f"apply_{field}").value == pasted


def test_a_name_that_would_read_backwards_is_refused_where_it_was_typed(app_database):
    slot = make_slot(app_database)
    app = fill_apply(open_app("pages/apply.py", lang="en"), slot)
    app.text_input(key="apply_organisation").set_value("Forez\u202egpj.exe")
    app = send(app)
    assert ("This text contains an invisible character that reverses the reading direction (U+202E) right after "
            "“Forez”: delete that passage and type it again.") in form_errors(app)
