"""Write src/kehu/book/ddl/{sqlite,postgresql}.sql: the DDL the models in book/schema.py compile
to, from which kehu creates a new book. Run it after changing schema.py (with a migration step);
tests/test_ddl.py fails while the shipped files differ from what the models compile.

    python scripts/ddl.py
"""

from kehu.book import ddl, migrations, schema


def main() -> None:
    for dialect in ("sqlite", "postgresql"):
        text = ddl.text(migrations.CURRENT, dialect, schema.compiled_ddl(dialect))
        ddl.path(dialect).write_text(text, encoding="utf-8")
        print(f"wrote {ddl.path(dialect)}")


if __name__ == "__main__":
    main()
