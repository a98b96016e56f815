"""Backing up and restoring the whole database (content, its history, the change log, users)
while the site runs.

SQLite: the online backup API copies a consistent snapshot page by page; in WAL mode readers and
writers carry on meanwhile, and a transaction not yet committed is not in the copy. PostgreSQL:
`pg_dump -Fc` reads one consistent snapshot; `pg_restore --single-transaction` puts it back
all or nothing. `make export` is something else: the content alone, as fixtures for git review.
"""

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.utils import timezone

from .caching import bump_version


class BackupError(Exception):
    pass


def _engine() -> str:
    engine = settings.DATABASES["default"]["ENGINE"]
    if engine.endswith("sqlite3"):
        return "sqlite"
    if engine.endswith("postgresql"):
        return "postgresql"
    raise BackupError(f"No backup method for {engine}.")


def default_path(directory: Path) -> Path:
    suffix = ".sqlite3" if _engine() == "sqlite" else ".pgdump"
    return directory / f"certcompare-{timezone.now():%Y%m%d-%H%M%S}{suffix}"


def _pg_command(program: str) -> tuple[list[str], dict]:
    """The client program with the connection's settings, its password in the environment."""
    if shutil.which(program) is None:
        raise BackupError(
            f"{program} is not installed (Debian: apt-get install postgresql-client)."
        )
    db = settings.DATABASES["default"]
    args = [program, "--no-owner", "--no-privileges", "--dbname", db["NAME"]]
    for option, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if db.get(key):
            args += [option, str(db[key])]
    env = {**os.environ, **({"PGPASSWORD": db["PASSWORD"]} if db.get("PASSWORD") else {})}
    return args, env


def backup(destination: Path) -> Path:
    """Write a consistent copy of the live database to `destination`; return it."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    if _engine() == "sqlite":
        connection.ensure_connection()
        target = sqlite3.connect(destination)
        try:
            connection.connection.backup(target)
        finally:
            target.close()
    else:
        args, env = _pg_command("pg_dump")
        _run([*args, "--format=custom", "--file", str(destination)], env)
    return destination


def _run(command: list[str], env: dict) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupError(f"{command[0]} failed: {done.stderr.strip()}")


def _check_postgresql_copy(source: Path) -> None:
    """pg_restore reads the archive's table of contents without touching any database."""
    done = subprocess.run(["pg_restore", "--list", str(source)], capture_output=True, text=True)
    if done.returncode != 0 or "certs_certification" not in done.stdout:
        raise BackupError(f"{source} is not a PostgreSQL backup of this site (pg_dump -Fc).")


def _check_sqlite_copy(source: Path) -> None:
    try:
        with sqlite3.connect(f"file:{source}?mode=ro", uri=True) as copy:
            if copy.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise BackupError(f"{source} is damaged (integrity check failed).")
            tables = {row[0] for row in copy.execute("SELECT name FROM sqlite_master")}
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{source} is not an SQLite backup: {error}") from error
    if "certs_certification" not in tables:
        raise BackupError(f"{source} is not a backup of this site.")


def restore(source: Path) -> None:
    """Replace the live database with the backup at `source`, then bump the content version so
    every app server drops the pages it cached from the replaced content."""
    if not source.is_file():
        raise BackupError(f"No backup at {source}.")
    if _engine() == "sqlite":
        _check_sqlite_copy(source)
        connection.ensure_connection()
        copy = sqlite3.connect(source)
        try:
            copy.backup(connection.connection)
        finally:
            copy.close()
    else:
        args, env = _pg_command("pg_restore")
        _check_postgresql_copy(source)
        _run([*args, "--clean", "--if-exists", "--single-transaction", str(source)], env)
    connection.close()
    bump_version()
