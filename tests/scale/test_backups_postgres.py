"""The backup drill on PostgreSQL: pg_dump -Fc while another connection is half-way through a
write, the database dropped, pg_restore, and content, history and users compared."""

import os
import urllib.parse

import pytest

from tests.backup_drill import run_drill

pytestmark = pytest.mark.scale
SERVER_URL = os.environ.get("SCALE_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/test")
DRILL_DB = "certcompare_backup_drill"


def url_for(name: str) -> str:
    parts = urllib.parse.urlsplit(SERVER_URL)
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, f"/{name}", "", ""))


def test_postgres_backup_taken_during_a_write_restores_an_identical_site(tmp_path):
    import psycopg

    admin = url_for(urllib.parse.urlsplit(SERVER_URL).path.lstrip("/") or "postgres")

    def recreate():
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {DRILL_DB} WITH (FORCE)")
            conn.execute(f"CREATE DATABASE {DRILL_DB}")

    def hold_uncommitted_write():
        writer = psycopg.connect(url_for(DRILL_DB))
        writer.execute("UPDATE certs_value SET text = 'UNCOMMITTED' WHERE id = 1")

        def roll_back():
            writer.rollback()
            writer.close()

        return roll_back

    recreate()
    try:
        run_drill(
            url_for(DRILL_DB),
            tmp_path / "drill.pgdump",
            hold_uncommitted_write=hold_uncommitted_write,
            wipe=recreate,
        )
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {DRILL_DB} WITH (FORCE)")
