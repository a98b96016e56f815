"""Thin views: read the request, fetch with a constant number of queries, arrange, render."""

from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from .comparison import build_matrix
from .models import (
    Certification,
    EditorialBlock,
    ExamVersion,
    FAQEntry,
    Feature,
    Matchup,
    SkillDomain,
    Source,
    Value,
)


def _features():
    return Feature.objects.select_related("category")


@require_safe
def home(request):
    matchup = (
        Matchup.objects.filter(is_featured=True)
        .select_related(
            "first",
            "second",
            "first__successor",
            "second__successor",
            "first__status_source",
            "second__status_source",
        )
        .first()
    )
    if matchup is None:
        raise Http404("No featured comparison has been published yet.")
    blocks = list(
        EditorialBlock.objects.filter(matchup=matchup).select_related("source", "certification")
    )
    pair = (matchup.first, matchup.second)
    matrix = build_matrix(
        certifications=pair,
        features=_features(),
        values=Value.objects.for_pages().filter(certification__in=pair),
    )
    by_kind = {}
    for block in blocks:
        by_kind.setdefault(block.kind, []).append(block)
    return render(
        request,
        "certs/home.html",
        {"matchup": matchup, "pair": pair, "blocks": by_kind, "matrix": matrix},
    )


@require_safe
def catalog(request):
    certifications = Certification.objects.for_pages().order_by("vendor", "order", "slug")
    return render(request, "certs/catalog.html", {"certifications": certifications})


@require_safe
def certification(request, slug):
    cert = get_object_or_404(Certification.objects.for_pages(), slug=slug)
    matrix = build_matrix(
        certifications=(cert,),
        features=_features(),
        values=Value.objects.for_pages().filter(certification=cert),
    )
    versions = (
        ExamVersion.objects.filter(certification=cert)
        .select_related("source")
        .prefetch_related(
            Prefetch("domains", queryset=SkillDomain.objects.select_related("source"))
        )
    )
    return render(
        request,
        "certs/certification.html",
        {
            "cert": cert,
            "matrix": matrix,
            "versions": versions,
            "predecessors": cert.predecessors.all(),
            "faq_entries": cert.faq_entries.all(),
        },
    )


@require_safe
def faq(request):
    return render(request, "certs/faq.html", {"entries": FAQEntry.objects.for_pages()})


@require_safe
def sources(request):
    return render(request, "certs/sources.html", {"sources": Source.objects.all()})


def bad_request(request, exception=None):
    # The exception's text is for the logs, not for visitors.
    return render(request, "400.html", status=400)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    return render(request, "500.html", status=500)
