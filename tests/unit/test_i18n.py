from datetime import UTC, date, datetime
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg

from directory import i18n
from directory.clock import PARIS, to_paris

ROOT = Path(__file__).resolve().parents[2]
KEYWORDS = {"_": None, "N_": None, "n_": (1, 2), "translate_plural": (1, 2)}


def messages_in_code() -> set[str]:
    """What `pybabel extract` finds with the repository's configuration (directory/locales/babel.cfg)."""
    with (ROOT / "directory" / "locales" / "babel.cfg").open() as config:
        method_map, options_map = parse_mapping_cfg(config)
    return {message for _, _, message, _, _ in extract_from_dir(ROOT, method_map, options_map, keywords=KEYWORDS)}


def english_ids() -> set:
    plurals = {(singular, forms) for singular, forms in i18n.plural_catalog("en").items()}
    return set(i18n.catalog("en")) | {singular for singular, _ in plurals}


def ids_in_code() -> set[str]:
    """Plain messages, and the singular of each plural message."""
    return {message[0] if isinstance(message, tuple) else message for message in messages_in_code()}


def test_every_message_has_an_english_text():
    missing = sorted(ids_in_code() - english_ids())
    assert not missing, f"add these to directory/locales/en.po: {missing}"
    plurals_in_code = {m[0] for m in messages_in_code() if isinstance(m, tuple)}
    assert plurals_in_code <= set(i18n.plural_catalog("en")), "plural messages need msgid_plural in en.po"


def test_the_english_catalogue_has_no_leftovers():
    assert not english_ids() - ids_in_code()


def test_plurals_follow_each_language_rule():
    singular, plural = "{count} décision enregistrée.", "{count} décisions enregistrées."
    assert i18n.translate_plural(singular, plural, 0, "fr") == "0 décision enregistrée."
    assert i18n.translate_plural(singular, plural, 1, "fr") == "1 décision enregistrée."
    assert i18n.translate_plural(singular, plural, 2741, "fr") == "2\u202f741 décisions enregistrées."
    assert i18n.translate_plural(singular, plural, 0, "en") == "0 decisions saved."
    assert i18n.translate_plural(singular, plural, 1, "en") == "1 decision saved."


def test_french_is_the_default_and_parameters_are_filled():
    assert i18n.translate("{count} mots-clés au maximum.", "fr", count=12) == "12 mots-clés au maximum."
    assert i18n.translate("Carte", "en") == "Map"
    assert i18n.language_or_default("de") == "fr"


def test_dates_and_numbers_are_written_the_french_way():
    assert i18n.format_date(date(2026, 12, 2), "fr") == "mercredi 2 décembre 2026"
    assert i18n.format_datetime(datetime(2026, 12, 2, 14, 0), "fr", style="short") == "02/12/2026 14:00"
    assert i18n.format_number(10000, "fr") == "10\u202f000"


def test_one_instant_is_written_in_the_zone_it_comes_in():
    # Formatting is cached, and the same instant in two zones makes equal keys.
    instant = datetime(2026, 12, 2, 13, 0, tzinfo=UTC)
    assert i18n.format_datetime(instant, "fr", style="HH:mm") == "13:00"
    assert i18n.format_datetime(to_paris(instant), "fr", style="HH:mm") == "14:00"
    assert i18n.format_time(instant, "fr") == "13:00"
    assert i18n.format_time(to_paris(instant), "fr") == "14:00"
    assert to_paris(instant) == to_paris(instant.astimezone(PARIS)) == instant


def test_the_first_of_a_month_is_an_ordinal_in_french():
    assert i18n.format_date(date(2027, 1, 1), "fr", style="d MMMM") == "1er janvier"
    assert i18n.format_date(date(2027, 1, 1), "fr") == "vendredi 1er janvier 2027"
    assert (i18n.format_datetime(datetime(2027, 1, 1, 14), "fr", style="EEEE d MMMM, HH:mm")
            == "vendredi 1er janvier, 14:00")
    assert i18n.format_date(date(2027, 1, 11), "fr", style="d MMMM") == "11 janvier"
    assert i18n.format_date(date(2027, 1, 1), "en", style="d MMMM") == "1 January"
