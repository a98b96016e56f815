from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from certs import content_load
from certs.caching import bump_version


class Command(BaseCommand):
    help = (
        "Load the content fixtures. Into an empty database they are simply loaded; into one "
        "staff have edited they are merged row by row: staff edits are kept, and a row both "
        "sides changed is reported as a conflict (admin: Fixture conflicts), never overwritten."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Seed a new database; do nothing when it already holds content (start-up).",
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Development only: throw away every content row, its history and every staff "
            "edit, then load the fixtures afresh. Users are kept.",
        )

    def handle(self, *args, **options):
        if options["if_empty"] and not content_load.is_empty():
            self.stdout.write(
                "The database already holds content: fixtures not loaded, staff edits kept. "
                "`manage.py load_content` merges new fixtures; `make content` resets."
            )
            return
        paths = [
            settings.CONTENT_FIXTURE_DIR / name
            for name in content_load.CONTENT_FILES
            if (settings.CONTENT_FIXTURE_DIR / name).exists()
        ]
        with transaction.atomic():
            if options["reset"]:
                content_load.reset()
            report = content_load.merge(paths)
        # Rows are saved "raw", without the per-save version bump: bump once for all.
        bump_version()
        if options["verbosity"]:
            for line in report.lines():
                self.stdout.write(line)
        elif report.conflicts:
            self.stderr.write(f"{len(report.conflicts)} fixture conflicts: see the admin.")
