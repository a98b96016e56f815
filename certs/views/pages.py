"""The reading pages: the head-to-head home page, the catalog, a certification, the FAQ and
the sources."""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_safe

from .. import seo
from ..comparison import build_matrix, canonical_path_part, columns, cost_rows
from ..htmx import NotCovered
from ..models import (
    Certification,
    EditorialBlock,
    ExamVersion,
    FAQEntry,
    Feature,
    Matchup,
    SkillDomain,
    Source,
    Value,
    last_reviewed,
    show_public_successors,
)
from . import viewer


@require_safe
def home(request):
    matchup = Matchup.objects.featured(viewer(request))
    if matchup is None:
        raise NotCovered("No featured comparison has been published yet.")
    pair = (matchup.first, matchup.second)
    features = list(Feature.objects.for_matrix())
    values = Value.objects.for_matrix(certifications=pair, features=features)
    blocks = {}
    for block in EditorialBlock.objects.filter(matchup=matchup).select_related("source"):
        blocks.setdefault(block.kind, []).append(block)
    context = {
        "matchup": matchup,
        "pair": pair,
        "blocks": blocks,
        "matrix": build_matrix(certifications=pair, features=features, values=values),
        "costs": cost_rows(certifications=pair, values=values),
        "columns": columns(pair),
        "last_reviewed": last_reviewed(values),
        "compare_url": reverse("certs:compare", args=[canonical_path_part(pair)]),
        "page": seo.page(request, matchup.title, seo.describe(matchup.summary)),
    }
    return render(request, "certs/home.html", context)


@require_safe
def catalog(request):
    certifications = Certification.objects.catalog(viewer(request))
    page = seo.page(
        request,
        "AI/ML cloud certifications",
        f"All {len(certifications)} AI and machine-learning certifications from Google Cloud, "
        "Microsoft and AWS: level, exam code and status, with retired exams and successors.",
        data=(seo.item_list(certifications, seo.origin(request)),),
    )
    return render(request, "certs/catalog.html", {"certifications": certifications, "page": page})


@require_safe
def certification(request, slug):
    visible = Certification.objects.visible_to(viewer(request))
    cert = get_object_or_404(visible.for_pages(), slug=slug)
    show_public_successors((cert,), user=viewer(request))
    features = list(Feature.objects.for_matrix())
    values = Value.objects.for_matrix(certifications=(cert,), features=features)
    domains = Prefetch("domains", queryset=SkillDomain.objects.select_related("source"))
    context = {
        "cert": cert,
        "matrix": build_matrix(certifications=(cert,), features=features, values=values),
        "versions": ExamVersion.objects.filter(certification=cert)
        .select_related("source")
        .prefetch_related(domains),
        "last_reviewed": last_reviewed(values),
        "predecessors": cert.predecessors.visible_to(viewer(request)),
        "faq_entries": cert.faq_entries.all(),
        "page": seo.page(
            request,
            f"{cert.short_name}: {cert.name}",
            seo.describe(cert.summary),
            breadcrumbs=seo.trail(("Certifications", reverse("certs:catalog")), cert),
        ),
    }
    return render(request, "certs/certification.html", context)


@require_safe
def faq(request):
    visible = Certification.objects.visible_to(viewer(request))
    entries = list(
        FAQEntry.objects.visible_to(viewer(request)).prefetch_related(
            Prefetch("certifications", queryset=visible), "sources"
        )
    )
    page = seo.page(
        request,
        "Frequently asked questions",
        "Straight, sourced answers about the Google Cloud, Microsoft and AWS AI/ML "
        "certifications: which to take first, costs, renewals, retirements and successors.",
        data=(seo.faq_page(entries),),
    )
    return render(request, "certs/faq.html", {"entries": entries, "page": page})


@require_safe
def sources(request):
    page = seo.page(
        request,
        "Sources",
        "Every source behind the facts on CertCompare: official exam guides, vendor blogs and "
        "pricing pages, with who published each one and when we read it.",
    )
    sources = Source.objects.visible_to(viewer(request))
    return render(request, "certs/sources.html", {"sources": sources, "page": page})
