"""Every migration applied to a populated database of the schema before it, foreign keys on:
no row lost, no foreign key broken (SQLite's batch mode rebuilds tables; see DESIGN.md §3)."""

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Float,
    Integer,
    LargeBinary,
    MetaData,
    func,
    select,
)

from directory import db

ROWS = 30


def value_for(column, row: int):
    kind = column.type
    if column.foreign_keys:
        return None if column.nullable else 1 + row % 3
    if isinstance(kind, Boolean):
        return row % 2 == 0
    if isinstance(kind, Integer):
        return row + 1
    if isinstance(kind, Float):
        return 45.0 + row / 1000
    if isinstance(kind, DateTime):
        return datetime(2026, 11, 1, 12, row % 60, tzinfo=UTC)
    if isinstance(kind, Date):
        return date(2026, 11, 1)
    if isinstance(kind, LargeBinary):
        return b"\x89PNG"
    length = getattr(kind, "length", None) or 64
    return f"{column.name}-{row}"[:length]


def populate(engine) -> dict[str, int]:
    metadata = MetaData()
    metadata.reflect(engine)
    with engine.begin() as connection:
        for table in metadata.sorted_tables:
            if table.name == "alembic_version":
                continue
            primary = [c.name for c in table.primary_key.columns]
            rows = []
            for row in range(ROWS):
                values = {c.name: value_for(c, row) for c in table.columns}
                if primary == ["application_id", "rank"]:
                    values.update(application_id=1 + row // 3, rank=1 + row % 3)
                if primary == ["partner_id", "other_id"]:  # pairs of the three partners the keys point to
                    if row >= 3:
                        continue
                    values.update(partner_id=1 + row, other_id=1 + (row + 1) % 3)
                rows.append(values)
            connection.execute(table.insert(), rows)
    return counts(engine)


def counts(engine) -> dict[str, int]:
    metadata = MetaData()
    metadata.reflect(engine)
    with engine.connect() as connection:
        return {t.name: connection.execute(select(func.count()).select_from(t)).scalar_one()
                for t in metadata.sorted_tables if t.name != "alembic_version"}


def revisions() -> list[str]:
    from alembic.script import ScriptDirectory

    with db.make_engine("sqlite://").connect() as connection:
        script = ScriptDirectory.from_config(db.alembic_config(connection))
        return [r.revision for r in reversed(list(script.walk_revisions()))]


@pytest.mark.parametrize("start", revisions()[:-1])
def test_upgrading_a_populated_database_loses_no_row(database_url, start):
    engine = db.make_engine(database_url)
    db.migrate(engine, start)
    before = populate(engine)
    db.migrate(engine)
    after = counts(engine)
    assert {table: after[table] for table in before} == before
    if db.is_sqlite(engine):
        with engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall() == []
    engine.dispose()


def test_partners_from_before_slugs_get_one_each_and_keep_it(database_url):
    engine = db.make_engine(database_url)
    db.migrate(engine, "0004")
    populate(engine)
    db.migrate(engine)
    from directory import listings

    listed = listings.staff_partners(engine)
    assert listed["slug"].notna().all() and listed["slug"].is_unique
    first = listed.iloc[0]
    assert listings.partner_by_slug(engine, first["slug"]).id == first["id"]
    engine.dispose()


def test_phone_numbers_stored_before_are_written_in_e164_and_odd_ones_kept(database_url):
    from sqlalchemy import text

    engine = db.make_engine(database_url)
    db.migrate(engine, "0021")
    populate(engine)
    with engine.begin() as connection:
        connection.execute(text("UPDATE partner SET contact_phone = '04 77 43 09 77' WHERE id = 1"))
        connection.execute(text("UPDATE partner SET contact_phone = 'le standard' WHERE id = 2"))
        connection.execute(text("UPDATE application SET contact_phone = '06.12.34.56.78' WHERE id = 1"))
    db.migrate(engine)
    with engine.connect() as connection:
        partners = dict(connection.execute(text("SELECT id, contact_phone FROM partner WHERE id IN (1, 2)")).all())
        application = connection.execute(text("SELECT contact_phone FROM application WHERE id = 1")).scalar_one()
    assert partners == {1: "+33477430977", 2: "le standard"} and application == "+33612345678"
    engine.dispose()
