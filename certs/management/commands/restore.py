from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from certs import backups


class Command(BaseCommand):
    help = (
        "Replace the whole database with a backup written by `manage.py backup`. Everything "
        "changed since that backup is lost: take a backup first if in doubt."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="The backup to restore.")

    def handle(self, *args, **options):
        try:
            backups.restore(options["file"])
        except backups.BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"restored {options['file']}; cached pages are refreshed")
