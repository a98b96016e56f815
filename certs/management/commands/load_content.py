from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from certs.caching import bump_version

# Sources and rows come before what cites them: a required foreign key cannot be left for
# loaddata to resolve later. One call loads them all as a single transaction.
CONTENT_FILES = {
    "sources.json": ["certs.source"],
    "features.json": ["certs.category", "certs.feature", "certs.topic", "certs.priority"],
    "catalog.json": ["certs.certification", "certs.examversion", "certs.skilldomain"],
    "values.json": ["certs.value", "certs.disagreement"],
    "faq.json": ["certs.faqentry"],
    "editorial.json": ["certs.matchup", "certs.editorialblock"],
    "wizard.json": ["certs.question", "certs.choice", "certs.weight"],
}


class Command(BaseCommand):
    help = "Load every content fixture (safe to run again: natural keys update, never duplicate)."

    def handle(self, *args, **options):
        paths = [
            str(settings.CONTENT_FIXTURE_DIR / name)
            for name in CONTENT_FILES
            if (settings.CONTENT_FIXTURE_DIR / name).exists()
        ]
        call_command("loaddata", *paths, verbosity=options["verbosity"])
        # loaddata saves rows "raw", without the per-save version bump: bump once for all.
        bump_version()
