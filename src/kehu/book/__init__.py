"""The customer book: engine, schema, migrations, reads and writes by subject, backups."""
