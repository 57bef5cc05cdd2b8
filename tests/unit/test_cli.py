import json

from directory import cli, db, listings


def test_seed_import_and_export(database_url, monkeypatch, tmp_path, capsys):
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


def test_every_command_explains_itself(capsys):
    for command in ("migrate", "seed", "import-partners", "export-partners"):
        try:
            cli.main([command, "--help"])
        except SystemExit as done:
            assert done.code == 0
        assert "usage: vitrine" in capsys.readouterr().out


def test_migrate_backup_and_restore_from_the_command_line(tmp_path, monkeypatch, capsys):
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
