from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from certs import backups


class Command(BaseCommand):
    help = (
        "Write a consistent copy of the whole database (content, history, change log, users) "
        "while the site runs: SQLite's online backup, or pg_dump -Fc for PostgreSQL."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            type=Path,
            help="The file to write (default: backups/certcompare-<UTC time>.sqlite3|.pgdump).",
        )

    def handle(self, *args, **options):
        try:
            path = options["output"] or backups.default_path(settings.BASE_DIR / "backups")
            backups.backup(path)
        except backups.BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"backup written to {path} ({path.stat().st_size:,} bytes)")
