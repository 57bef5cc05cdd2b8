import math

import pytest

from directory.validation import (
    FormCheck,
    FormErrors,
    Invalid,
    clean_coordinates,
    clean_email,
    clean_phone,
    clean_tags,
    clean_text,
    clean_url,
    phone_for_display,
)


@pytest.mark.parametrize("typed, stored", [
    ("https://citedudesign.com", "https://citedudesign.com"),
    ("http://example.org/page?x=1", "http://example.org/page?x=1"),
    ("citedudesign.com", "https://citedudesign.com"),
    ("  https://exemple.fr/chemin  ", "https://exemple.fr/chemin"),
])
def test_web_addresses_kept_are_http_or_https_with_a_host(typed, stored):
    assert clean_url(typed, max_length=500) == stored


@pytest.mark.parametrize("typed", [
    "javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,<script>alert(1)</script>",
    "ftp://example.org", "https://", "http://localhost", "https://exa mple.org", "vbscript:x",
    "https://example.org:99999", "//evil.example",
])
def test_dangerous_or_hostless_addresses_are_refused(typed):
    with pytest.raises(Invalid):
        clean_url(typed, max_length=500)


def test_emails_are_validated_and_normalised():
    assert clean_email("Camille@Exemple.FR") == "Camille@exemple.fr"
    assert clean_email("") == ""
    for bad in ("camille", "camille@", "@exemple.fr", "a b@exemple.fr", "camille@exemple"):
        with pytest.raises(Invalid):
            clean_email(bad)
    with pytest.raises(Invalid):
        clean_email("", required=True)


@pytest.mark.parametrize("lat, lon", [
    ("nan", "4.39"), ("45.4", "inf"), ("-inf", "4"), ("91", "4"), ("45", "181"), ("abc", "4"),
    ("45.4", ""), ("", "4.39"),
])
def test_bad_coordinates_are_refused(lat, lon):
    with pytest.raises(Invalid):
        clean_coordinates(lat, lon)


def test_coordinates_accept_decimal_commas_and_blank_pairs():
    assert clean_coordinates("45,4347", "4,3903") == (45.4347, 4.3903)
    assert clean_coordinates("", " ") == (None, None)
    assert clean_coordinates(45.4347, 4.3903) == (45.4347, 4.3903)
    assert all(math.isfinite(v) for v in clean_coordinates("-90", "180"))


def test_text_is_trimmed_stripped_of_control_characters_and_limited():
    assert clean_text("  Café\x00 du\x1b  numérique ", max_length=50) == "Café du numérique"
    assert clean_text("ligne 1\nligne 2\x07", max_length=50, multiline=True) == "ligne 1\nligne 2"
    with pytest.raises(Invalid) as too_long:
        clean_text("x" * 51, max_length=50)
    assert too_long.value.message.params == {"max": 50, "length": 51}
    with pytest.raises(Invalid):
        clean_text("x" * 10_000_000, max_length=50)
    with pytest.raises(Invalid):
        clean_text("   ", max_length=50, required=True)


def test_markup_is_kept_as_text_not_removed():
    # Escaping happens where text is shown; what the user typed is stored as typed.
    assert clean_text("<b>${x}</b> `y` \\z", max_length=50) == "<b>${x}</b> `y` \\z"


def test_tags_are_split_deduplicated_and_limited():
    assert clean_tags("design; Design, formation ;; ", max_length=500) == "design; formation"
    assert clean_tags(["IoT", "iot", "santé"], max_length=500) == "IoT; santé"
    with pytest.raises(Invalid):
        clean_tags("x" * 41, max_length=500)
    with pytest.raises(Invalid):
        clean_tags(";".join(f"t{i}" for i in range(13)), max_length=500)


@pytest.mark.parametrize("typed", ["+33 4 77 00 00 00", "04 77 00 00 00", "04.77.00.00.00", "0477000000"])
def test_phone_numbers_are_stored_in_e164_and_shown_the_french_way(typed):
    assert clean_phone(typed) == "+33477000000"
    assert phone_for_display("+33477000000") == "04 77 00 00 00"


def test_a_foreign_number_is_shown_internationally_and_odd_ones_refused():
    assert phone_for_display(clean_phone("+41 22 123 45 67")) == "+41 22 123 45 67"
    for typed in ("appelez-moi", "04 77", "+33 9 99"):
        with pytest.raises(Invalid):
            clean_phone(typed)


def test_form_check_reports_every_faulty_field():
    check = FormCheck()
    assert check("name", clean_text, "Vitrine", max_length=10) == "Vitrine"
    check("email", clean_email, "nope")
    check("website", clean_url, "javascript:alert(1)", max_length=100)
    with pytest.raises(FormErrors) as failed:
        check.raise_if_invalid()
    assert set(failed.value.errors) == {"email", "website"}


@pytest.mark.parametrize(("asked", "total", "expected"), [
    (1, 0, (1, 1, 0, 0, 0)), (1, 120, (1, 3, 0, 1, 50)), (3, 120, (3, 3, 100, 101, 120)),
    (9, 120, (3, 3, 100, 101, 120)),  # filters shrank the list: the last page there is
    (0, 10, (1, 1, 0, 1, 10)),
])
def test_a_page_of_a_long_list(asked, total, expected):
    from directory.paging import Page

    page = Page.of(asked, size=50, total=total)
    assert (page.number, page.pages, page.offset, page.first, page.last) == expected
