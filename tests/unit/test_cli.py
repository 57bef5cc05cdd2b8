import json
import os
import subprocess
import sys

import pytest

from directory import cli, db, listings


@pytest.fixture
def english(monkeypatch):
    """The command as an English-speaking operator runs it (LANG=en_GB.UTF-8)."""
    monkeypatch.setenv("LANG", "en_GB.UTF-8")
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)


def test_seed_import_and_export(database_url, monkeypatch, tmp_path, capsys, english):
    monkeypatch.setenv("DATABASE_URL", database_url)
    assert cli.main(["seed"]) == 0
    assert "Seeded the demo data: 33 partners, 8 showcase slots." in capsys.readouterr().out
    assert cli.main(["seed"]) == 0  # a directory with partners is left alone
    assert "nothing seeded" in capsys.readouterr().out

    bad = tmp_path / "bad.csv"
    bad.write_text("name;kind\nBon;startup\n;startup\n", encoding="cp1252")
    assert cli.main(["import-partners", str(bad)]) == 1
    out = capsys.readouterr()
    assert "line 3 (): name: This field is required." in out.out
    assert cli.main(["import-partners", str(bad), "--skip-invalid"]) == 0

    namesake = tmp_path / "namesake.csv"  # the demo's "Cité du design", typed otherwise, with no position
    namesake.write_text("name,kind\nCite du Design,public_body\n", encoding="utf-8")
    assert cli.main(["import-partners", str(namesake), "--dry-run"]) == 0
    assert "line 2 (Cite du Design): possible duplicate of “Cité du design”" in capsys.readouterr().out

    geojson = tmp_path / "out.geojson"
    assert cli.main(["export-partners", "--format", "geojson", "-o", str(geojson)]) == 0
    features = json.loads(geojson.read_text())["features"]
    assert len(features) == 34
    csv_file = tmp_path / "out.csv"  # the export's columns are the import's, the company number too
    assert cli.main(["export-partners", "-o", str(csv_file)]) == 0
    assert "siret" in csv_file.read_text(encoding="utf-8-sig").splitlines()[0].split(",")
    assert listings.count_partners(db.make_engine(database_url)) == 34


def test_every_command_explains_itself(capsys, monkeypatch):
    monkeypatch.setenv("LANG", "fr_FR.UTF-8")
    monkeypatch.delenv("LC_ALL", raising=False)
    for command in ("migrate", "seed", "import-partners", "export-partners"):
        try:
            cli.main([command, "--help"])
        except SystemExit as done:
            assert done.code == 0
        assert "utilisation : vitrine" in capsys.readouterr().out  # French, the staff's language, by default


def test_migrate_backup_and_restore_from_the_command_line(tmp_path, monkeypatch, capsys, english):
    url = f"sqlite:///{tmp_path / 'vitrine.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    assert cli.main(["migrate"]) == 0
    assert "Schema up to date." in capsys.readouterr().out
    assert cli.main(["seed"]) == 0
    copy = tmp_path / "copy.db"
    assert cli.main(["backup", "--output", str(copy)]) == 0
    assert f"Backed up to {copy}" in capsys.readouterr().out
    assert cli.main(["migrate"]) == 0  # an existing file is backed up before migrating
    assert "before migrating" in capsys.readouterr().out
    engine = db.make_engine(url)
    names = "SELECT name FROM partner ORDER BY id"
    with engine.begin() as connection:
        before = connection.exec_driver_sql(names).scalars().all()
        connection.exec_driver_sql("UPDATE partner SET name = 'Effacé par erreur'")
    engine.dispose()
    assert cli.main(["restore", str(copy)]) == 0
    with db.make_engine(url).connect() as connection:
        assert connection.exec_driver_sql(names).scalars().all() == before


def vitrine(*arguments: str, language: str, tmp_path) -> subprocess.CompletedProcess:
    """The real command line, as staff type it, in a locale."""
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("LC_")}, "LANG": language,
           "DATABASE_URL": f"sqlite:///{tmp_path / 'vitrine.db'}"}
    return subprocess.run([sys.executable, "-m", "directory", *arguments], capture_output=True, text=True, env=env,
                          timeout=120)


@pytest.mark.parametrize("language, words", [
    ("fr_FR.UTF-8", ("utilisation : vitrine", "importer des fiches d'un CSV",
                     "Le fichier « /nulle/part.csv » n'existe pas.",
                     "vitrine create-slot : erreur : arguments obligatoires manquants : --date",
                     "ce n'est pas une date (AAAA-MM-JJ) : 2026-13-45")),
    ("en_US.UTF-8", ("usage: vitrine", "import partners from a CSV file", "The file “/nulle/part.csv” does not exist.",
                     "vitrine create-slot: error: the following arguments are required: --date",
                     "not a date (YYYY-MM-DD): 2026-13-45")),
])
def test_the_command_speaks_the_staffs_language_help_reports_and_errors(tmp_path, language, words):
    """Issue 31: help, reports and errors were English only, and system errors English inside French."""
    usage, summary, missing_file, missing_arguments, bad_date = words
    helped = vitrine("--help", language=language, tmp_path=tmp_path)
    assert helped.returncode == 0 and usage in helped.stdout and summary in helped.stdout
    missing = vitrine("import-partners", "/nulle/part.csv", language=language, tmp_path=tmp_path)
    assert missing.returncode == 1 and missing.stderr.strip() == missing_file
    assert missing_arguments in vitrine("create-slot", language=language, tmp_path=tmp_path).stderr
    dated = vitrine("create-slot", "--date", "2026-13-45", "--start", "14:00", "--end", "17:00", language=language,
                    tmp_path=tmp_path)
    assert dated.returncode == 2 and bad_date in dated.stderr
    assert "No such file" not in missing.stderr + dated.stderr  # the system's English never shows through


def test_a_database_that_does_not_answer_is_named_without_its_password(tmp_path, monkeypatch):
    env = {**os.environ, "LANG": "fr_FR.UTF-8", "DATABASE_URL": "postgresql://vitrine:secret@127.0.0.1:1/vitrine"}
    env.pop("LC_ALL", None)
    answer = subprocess.run([sys.executable, "-m", "directory", "migrate"], capture_output=True, text=True, env=env,
                            timeout=120)
    assert answer.returncode == 2
    assert answer.stderr.strip() == ("La base de données ne répond pas (127.0.0.1:1/vitrine) : vérifiez DATABASE_URL "
                                     "et que le serveur tourne.")


def test_operators_add_a_source_and_list_sources_as_staff_do_on_the_tab(database_url, monkeypatch, capsys):
    """Issue 32, item 4: the Sources tab's checks and messages, in the staff's language."""
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("VITRINE_DEMO_DATA", "0")
    monkeypatch.setenv("LANG", "fr_FR.UTF-8")
    assert cli.main(["sources"]) == 0
    assert "Aucune source" in capsys.readouterr().out
    assert cli.main(["add-source", "Membres", "https://membres.example.org/liste.csv", "--format", "mapped_csv",
                     "--id-column", "N° adhérent", "--map", "name=Raison sociale"]) == 1
    assert capsys.readouterr().err.strip() == ("--map : Choisissez la colonne du type, ou un type pour toutes les "
                                               "lignes.")
    assert cli.main(["add-source", "Membres", "https://membres.example.org/liste.csv", "--format", "mapped_csv",
                     "--id-column", "N° adhérent", "--map", "name=Raison sociale", "--kind", "cluster",
                     "--interval", "6", "--trusted"]) == 0
    assert "« Membres » enregistrée" in capsys.readouterr().out
    assert cli.main(["add-source", "Membres", "https://autre.example.org/a.csv", "--id-column", "id"]) == 1
    assert capsys.readouterr().err.strip() == "NAME : Une source porte déjà ce nom."
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    assert cli.main(["sources"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "Membres — Other CSV (columns to map), https://membres.example.org/liste.csv, Every 6 hours, trusted",
        "  not synchronised yet"]
