from datetime import date, datetime
from pathlib import Path

from babel.messages.extract import extract_from_dir

from directory import i18n

ROOT = Path(__file__).resolve().parents[2]
KEYWORDS = {"_": None, "N_": None}


def messages_in_code() -> set[str]:
    found = set()
    for folder in ("directory", "pages"):
        for _, _, message, _, _ in extract_from_dir(ROOT / folder, [("**.py", "python")], keywords=KEYWORDS):
            found.add(message)
    for _, _, message, _, _ in extract_from_dir(ROOT, [("app.py", "python")], keywords=KEYWORDS):
        found.add(message)
    templates = ROOT / "directory" / "web" / "templates"
    for _, _, message, _, _ in extract_from_dir(templates, [("**.html", "jinja2"), ("**.xml", "jinja2")],
                                                keywords=KEYWORDS):
        found.add(message)
    return found


def test_every_message_has_an_english_text():
    missing = sorted(messages_in_code() - set(i18n.catalog("en")))
    assert not missing, f"add these to directory/locales/en.po: {missing}"


def test_the_english_catalogue_has_no_leftovers():
    assert not set(i18n.catalog("en")) - messages_in_code()


def test_french_is_the_default_and_parameters_are_filled():
    assert i18n.translate("{count} mots-clés au maximum.", "fr", count=12) == "12 mots-clés au maximum."
    assert i18n.translate("Carte", "en") == "Map"
    assert i18n.language_or_default("de") == "fr"


def test_dates_and_numbers_are_written_the_french_way():
    assert i18n.format_date(date(2026, 12, 2), "fr") == "mercredi 2 décembre 2026"
    assert i18n.format_datetime(datetime(2026, 12, 2, 14, 0), "fr", style="short") == "02/12/2026 14:00"
    assert i18n.format_number(10000, "fr") == "10\u202f000"
