from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.management.base import BaseCommand

from certs.content_load import CONTENT_FILES

# Rows are written in natural-key order so that an export only changes where content changed.
EXPORT_ORDER = {
    "certs.source": ["slug"],
    "certs.category": ["slug"],
    "certs.feature": ["slug"],
    "certs.topic": ["slug"],
    "certs.priority": ["slug"],
    "certs.vendor": ["slug"],
    "certs.focus": ["slug"],
    "certs.certification": ["slug"],
    "certs.relation": ["from_certification__slug", "kind", "to_certification__slug", "to_name"],
    "certs.examversion": ["certification__slug", "slug"],
    "certs.skilldomain": ["certification__slug", "slug"],
    "certs.examlanguage": ["certification__slug", "language"],
    "certs.value": ["certification__slug", "feature__slug"],
    "certs.disagreement": ["slug"],
    "certs.marketseries": ["slug"],
    "certs.marketfigure": ["slug"],
    "certs.marketstatement": ["slug"],
    "certs.faqentry": ["slug"],
    "certs.matchup": ["slug"],
    "certs.editorialblock": ["matchup__slug", "slug"],
    "certs.question": ["slug"],
    "certs.choice": ["question__slug", "slug"],
    "certs.weight": ["choice__question__slug", "choice__slug", "certification__slug"],
}


def export_to(directory: Path) -> list[Path]:
    """Write the content tables to JSON fixture files in `directory`; return the paths."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, labels in CONTENT_FILES.items():
        objects = []
        for label in labels:
            model = apps.get_model(label)
            objects.extend(model._default_manager.order_by(*EXPORT_ORDER[label]))
        text = serializers.serialize(
            "json",
            objects,
            indent=2,
            use_natural_foreign_keys=True,
            use_natural_primary_keys=True,
        )
        path = directory / name
        path.write_text(text + "\n", encoding="utf-8")
        written.append(path)
    return written


class Command(BaseCommand):
    help = "Write the database's content back to the fixture files, ready to commit."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output", type=Path, default=None, help="A folder other than fixtures/."
        )

    def handle(self, *args, **options):
        directory = options["output"] or settings.CONTENT_FIXTURE_DIR
        for path in export_to(directory):
            self.stdout.write(f"wrote {path}")
