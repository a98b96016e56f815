"""Backup and restore on SQLite, the default database: the drill an operator runs."""

import os
import sqlite3

import pytest

from tests.backup_drill import run_drill

# The drill builds its own SQLite database; the PostgreSQL run of the suite (make test-scale)
# has tests/scale/test_backups_postgres.py instead.
sqlite_only = pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "sqlite").split(":")[0] != "sqlite",
    reason="SQLite's own drill; PostgreSQL has tests/scale/test_backups_postgres.py",
)


@sqlite_only
def test_backup_taken_while_a_write_is_under_way_restores_an_identical_site(tmp_path):
    database = tmp_path / "site.sqlite3"

    def hold_uncommitted_write():
        writer = sqlite3.connect(database)
        writer.execute("BEGIN IMMEDIATE")
        writer.execute("UPDATE certs_value SET text = 'UNCOMMITTED' WHERE id = 1")

        def roll_back():
            writer.rollback()
            writer.close()

        return roll_back

    def wipe():
        for suffix in ("", "-wal", "-shm"):
            database.with_name(database.name + suffix).unlink(missing_ok=True)

    run_drill(
        f"sqlite:///{database}",
        tmp_path / "backups" / "drill.sqlite3",
        hold_uncommitted_write=hold_uncommitted_write,
        wipe=wipe,
    )


@pytest.mark.django_db
def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path):
    from django.core.management import CommandError, call_command

    bogus = tmp_path / "notes.sqlite3"
    bogus.write_text("not a database")
    # Before any change: the live database is left as it was.
    with pytest.raises(CommandError, match="is not an? (SQLite|PostgreSQL) backup"):
        call_command("restore", str(bogus))
    with pytest.raises(CommandError, match="No backup at"):
        call_command("restore", str(tmp_path / "missing.sqlite3"))
