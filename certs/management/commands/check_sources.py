from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from certs.models import Source, SourceCheck
from certs.source_checks import Outcome, Result, check_all, report


def user_agent() -> str:
    """Who is asking, and where a site owner can read why: our sources page."""
    if settings.SITE_URL:
        return f"CertCompare source checker (+{settings.SITE_URL}{reverse('certs:sources')})"
    return "CertCompare source checker"


def record(results: dict[Source, Result], *, checked_at) -> None:
    """Write each source's last check. Only SourceCheck rows are written, never a Source, so
    no history entry appears and no admin form open on a source goes stale."""
    checks = [
        SourceCheck(
            source=source,
            url=source.url,
            checked_at=checked_at,
            outcome=result.outcome,
            status_code=result.status_code,
            moved_to=result.moved_to,
            error=result.error,
        )
        for source, result in results.items()
    ]
    with transaction.atomic():
        # A source whose URL was removed has nothing left to check.
        SourceCheck.objects.filter(source__url="").delete()
        SourceCheck.objects.bulk_create(
            checks,
            update_conflicts=True,
            unique_fields=["source"],
            update_fields=["url", "checked_at", "outcome", "status_code", "moved_to", "error"],
        )


class Command(BaseCommand):
    help = (
        "Request every source's URL (HEAD, GET when refused; redirects recorded, not followed), "
        "record the outcome for the admin and list every source that is not ok."
    )

    def add_arguments(self, parser):
        parser.add_argument("--workers", type=int, default=8, help="requests at a time (8)")
        parser.add_argument(
            "--timeout",
            type=float,
            default=10.0,
            help="seconds to wait for a connection or a read before a URL is unreachable (10)",
        )
        parser.add_argument(
            "--overall",
            type=float,
            default=300.0,
            help="seconds for the whole run; URLs still unanswered count as unreachable (300)",
        )
        parser.add_argument(
            "--fail-on-broken",
            action="store_true",
            help="exit non-zero when any source is broken (404 or 410)",
        )

    def handle(self, *args, workers, timeout, overall, fail_on_broken, **options):
        if workers < 1 or timeout <= 0 or overall <= 0:
            raise CommandError("--workers, --timeout and --overall must be positive")
        sources = list(Source.objects.order_by("slug").only("pk", "slug", "url"))
        with_url = [source for source in sources if source.url]
        results = check_all(
            {source: source.url for source in with_url},
            workers=workers,
            timeout=timeout,
            overall=overall,
            user_agent=user_agent(),
        )
        record(results, checked_at=timezone.now())

        lines = report(
            {source.slug: results[source] for source in with_url},
            skipped=len(sources) - len(with_url),
        )
        for line in lines:
            self.stdout.write(line)
        broken = sum(result.outcome == Outcome.BROKEN for result in results.values())
        if fail_on_broken and broken:
            raise CommandError(f"{broken} source(s) broken")
