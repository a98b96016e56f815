"""Editorial integrity in public: what changed (the change log; its Atom feeds are in
certs/feeds.py) and what is coming (lifecycle dates)."""

from django.contrib.auth.models import AnonymousUser
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from .. import charts, seo
from ..changes import change_log, lifecycle_events, split_by
from ..htmx import page_response
from ..models import Certification, ExamVersion, show_public_successors


@require_safe
def changes(request, slug=None):
    cert = None
    if slug is not None:
        cert = get_object_or_404(Certification.objects.published(), slug=slug)
    context = {
        "cert": cert,
        "changes": change_log(certification=cert),
        "certifications": Certification.objects.published().select_related("vendor"),
    }
    trail = ()
    if cert is not None:
        trail = seo.trail(
            ("Certifications", reverse("certs:catalog")),
            cert,
            ("What changed", reverse("certs:certification-changes", args=[cert.slug])),
        )
    return page_response(request, "certs/changes.html", context, breadcrumbs=trail)


@require_safe
def lifecycle(request):
    certifications = list(Certification.objects.published().for_pages())
    # Published ones only, for staff too: so only published successors are named.
    show_public_successors(certifications, user=AnonymousUser())
    versions = ExamVersion.objects.filter(certification__in=certifications).select_related(
        "certification", "source"
    )
    events = lifecycle_events(certifications=certifications, versions=list(versions))
    today = timezone.localdate()
    upcoming, past = split_by(events, today)
    context = {
        "sections": [("Coming up", upcoming), ("Already happened", past)],
        "timeline": charts.timeline(events=events, today=today),
    }
    return page_response(request, "certs/lifecycle.html", context)
