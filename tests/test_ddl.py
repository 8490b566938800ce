"""The DDL shipped in book/ddl/ is what the models in book/schema.py compile to, and a new book
made from it has the same tables, keys and indexes on both engines."""

import pytest

from kehu.book import ddl, migrations, schema


@pytest.mark.parametrize("dialect", ["sqlite", "postgresql"])
def test_the_shipped_ddl_is_what_the_models_compile_to(dialect):
    compiled = ddl.text(migrations.CURRENT, dialect, schema.compiled_ddl(dialect))
    assert ddl.path(dialect).read_text(encoding="utf-8") == compiled, (
        "book/schema.py changed: run python scripts/ddl.py"
    )


@pytest.mark.parametrize("dialect", ["sqlite", "postgresql"])
def test_the_shipped_ddl_reads_back_statement_by_statement(dialect):
    compiled = schema.compiled_ddl(dialect)
    assert ddl.statements(dialect) == {s: tuple(compiled[s]) for s in ddl.SECTIONS}
    tables = [s.split()[2] for s in ddl.statements(dialect)["tables"]]
    assert sorted(tables) == sorted(ddl.TABLES_IN_ORDER)


def test_on_postgresql_every_key_is_added_after_the_tables():
    statements = ddl.statements("postgresql")
    assert not any("PRIMARY KEY" in s or "REFERENCES" in s for s in statements["tables"])
    keys = statements["constraints"]
    assert all(s.startswith("ALTER TABLE ") for s in keys)
    primary = [s.split()[2] for s in keys if " ADD PRIMARY KEY " in s]
    assert sorted(primary) == sorted(ddl.TABLES_IN_ORDER)
    # a table's primary key comes before any foreign key that names it
    for n, statement in enumerate(keys):
        if " REFERENCES " in statement:
            parent = statement.split(" REFERENCES ")[1].split()[0]
            assert f"ALTER TABLE {parent} ADD PRIMARY KEY (id)" in keys[:n], statement


def test_a_new_book_is_made_from_the_shipped_ddl(kehu, isolated):
    kehu.new_book()
    if "://" in isolated:
        found = kehu.rows(
            "SELECT conname AS name FROM pg_constraint WHERE contype IN ('p', 'f', 'c')"
            " AND connamespace = CAST(current_schema() AS regnamespace)"
        )
        indexes = kehu.rows(
            "SELECT indexname AS name FROM pg_indexes WHERE schemaname = current_schema()"
            " AND indexname LIKE 'ix_%'"
        )
    else:
        found = kehu.rows("SELECT name FROM sqlite_master WHERE type = 'table'")
        indexes = kehu.rows("SELECT name FROM sqlite_master WHERE name LIKE 'ix_%'")
    assert len(found) >= len(ddl.TABLES_IN_ORDER)
    expected = sorted(s.split()[2] for s in ddl.statements("sqlite")["indexes"])
    assert sorted(r["name"] for r in indexes) == expected
    assert [r["version"] for r in kehu.rows("SELECT version FROM schema_version")] == [
        migrations.CURRENT
    ]
