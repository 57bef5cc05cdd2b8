import pytest

from directory import listings
from directory.listings import imports

GOOD = "name;kind;sectors;latitude;longitude;precision\nCafé Numérique;coworking;tiers-lieu;45,43;4,39;approximate\n"


def test_a_windows_1252_file_with_semicolons_is_read():
    preview = imports.read_partner_csv(GOOD.encode("cp1252"))
    assert (preview.encoding, preview.delimiter) == ("Windows-1252", ";")
    row = preview.rows[0]
    assert row.ok and row.values["name"] == "Café Numérique"
    assert (row.values["latitude"], row.values["precision"]) == (45.43, "approximate")


@pytest.mark.parametrize(("text", "separator"), [
    ('name;short_description;kind\n"Forez, Robotique";"Cobots, bras, pinces";startup\n', ";"),
    ("name\tkind\nForez Robotique\tstartup\n", "\t"),  # a spreadsheet's "text (tab-separated)"
    ('name,short_description,kind\nForez Robotique,"Cobots; bras; pinces",startup\n', ","),
])
def test_the_separator_is_found_by_the_csv_sniffer_whatever_the_cells_hold(text, separator):
    """Issue 33: the separator was guessed by counting characters of the header by hand."""
    preview = imports.read_partner_csv(text.encode())
    assert preview.delimiter == separator
    assert preview.rows[0].values["kind"] == "startup" and preview.rows[0].values["name"].startswith("Forez")


def test_kinds_may_be_written_as_their_french_label():
    preview = imports.read_partner_csv("name,kind\nUse In,Pépinière / incubateur\n".encode())
    assert preview.rows[0].values["kind"] == "incubator"


def test_a_faulty_row_is_reported_by_line_and_nothing_is_written(engine):
    data = (GOOD + "Sans type;;;;;\nMauvais site;startup;;;;\n").encode("utf-8")
    data = data.replace(b"Mauvais site;startup;;;;", b"Mauvais site;startup;;91;4;")
    preview = imports.read_partner_csv(data)
    assert [(row.line, sorted(row.errors)) for row in preview.invalid_rows] == [
        (3, ["kind"]), (4, ["position"])]
    with pytest.raises(imports.ImportRefused):
        imports.apply_import(engine, preview)
    assert listings.count_partners(engine) == 0
    assert imports.apply_import(engine, preview, skip_invalid=True) == 1
    assert listings.load_published(engine)["name"].tolist() == ["Café Numérique"]


@pytest.mark.parametrize("data", [b"", b"title;city\nx;y\n", b"x" * (imports.MAX_IMPORT_BYTES + 1)])
def test_unreadable_files_are_refused_whole(data):
    with pytest.raises(imports.ImportRefused):
        imports.read_partner_csv(data)
