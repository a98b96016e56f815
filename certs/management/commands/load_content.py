from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

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
REASON = "Loaded from fixtures"


def record_history() -> int:
    """loaddata saves rows raw, which django-simple-history does not record. Give each row a
    history entry when it has none, or when it differs from its latest entry, and leave every
    unchanged row alone, so loading the same fixtures again adds nothing."""
    now, created = timezone.now(), 0
    for labels in CONTENT_FILES.values():
        for label in labels:
            model = apps.get_model(label)
            history = model.history.model
            fields = [f.attname for f in model._meta.fields]
            latest = {}
            for record in history.objects.order_by("history_date", "history_id"):
                latest[record.id] = record
            new = []
            for obj in model._default_manager.all():
                last = latest.get(obj.pk)
                if last and all(getattr(last, f) == getattr(obj, f) for f in fields):
                    continue
                new.append(
                    history(
                        **{f: getattr(obj, f) for f in fields},
                        history_date=now,
                        history_type="~" if last else "+",
                        history_change_reason=REASON,
                    )
                )
            history.objects.bulk_create(new)
            created += len(new)
    return created


class Command(BaseCommand):
    help = "Load every content fixture (safe to run again: natural keys update, never duplicate)."

    def handle(self, *args, **options):
        paths = [
            str(settings.CONTENT_FIXTURE_DIR / name)
            for name in CONTENT_FILES
            if (settings.CONTENT_FIXTURE_DIR / name).exists()
        ]
        with transaction.atomic():
            call_command("loaddata", *paths, verbosity=options["verbosity"])
            created = record_history()
        # loaddata saves rows "raw", without the per-save version bump: bump once for all.
        bump_version()
        if options["verbosity"]:
            self.stdout.write(f"{created} history entries recorded")
