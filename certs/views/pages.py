"""The reading pages: the head-to-head home page, the catalog, a certification, the FAQ, the
market behind the choice and the sources."""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.decorators.http import require_safe

from .. import charts, seo
from ..caching import reads_query
from ..comparison import (
    build_matrix,
    canonical_path_part,
    columns,
    cost_rows,
    key_figures,
    pair_choices,
)
from ..forms import catalog_choice
from ..htmx import NotCovered, for_htmx, page_response
from ..listing import browse
from ..models import (
    Certification,
    EditorialBlock,
    ExamVersion,
    FAQEntry,
    Feature,
    MarketSeries,
    Matchup,
    Relation,
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
    for block in EditorialBlock.objects.of_matchup(matchup):
        blocks.setdefault(block.kind, []).append(block)
    costs = cost_rows(certifications=pair, values=values)
    context = {
        "matchup": matchup,
        "pair": pair,
        "blocks": blocks,
        "choices": pair_choices(matchup),
        "figures": key_figures(certifications=pair, values=values),
        "matrix": build_matrix(certifications=pair, features=features, values=values),
        "costs": costs,
        "cost_charts": charts.cost_charts(costs=costs),
        "columns": columns(pair),
        "last_reviewed": last_reviewed(values),
        "compare_url": reverse("certs:compare", args=[canonical_path_part(pair)]),
    }
    return page_response(request, "certs/home.html", context)


@reads_query("vendor", "level", "status", "focus", "sort")
@for_htmx(fragment="catalog-list")
def catalog(request):
    certifications = Certification.objects.with_focus().catalog(viewer(request))
    listing = browse(catalog=certifications, choice=catalog_choice(request.GET, certifications))
    data = (seo.item_list(listing.certifications, seo.origin(request)),)
    return page_response(request, "certs/catalog.html", {"listing": listing}, data=data)


@require_safe
def certification(request, slug):
    visible = Certification.objects.visible_to(viewer(request))
    cert = get_object_or_404(visible.for_pages(), slug=slug)
    show_public_successors((cert,), user=viewer(request))
    features = list(Feature.objects.for_matrix())
    values = Value.objects.for_matrix(certifications=(cert,), features=features)
    versions = list(ExamVersion.objects.filter(certification=cert).with_domains())
    context = {
        "cert": cert,
        "matrix": build_matrix(certifications=(cert,), features=features, values=values),
        "versions": versions,
        "domain_chart": charts.version_domains(
            versions=versions, caption=f"Weight of each skill domain in the {cert.short_name} exam"
        ),
        "last_reviewed": last_reviewed(values),
        "predecessors": cert.predecessors.visible_to(viewer(request)),
        "relations": Relation.objects.about(cert, viewer(request)),
        "faq_entries": cert.faq_entries.all(),
    }
    trail = seo.trail(("Certifications", reverse("certs:catalog")), cert)
    return page_response(request, "certs/certification.html", context, breadcrumbs=trail)


@require_safe
def faq(request):
    visible = Certification.objects.visible_to(viewer(request))
    entries = list(
        FAQEntry.objects.visible_to(viewer(request))
        .select_related("market_series")
        .prefetch_related(Prefetch("certifications", queryset=visible), "sources")
    )
    data = (seo.faq_page(entries),)
    return page_response(request, "certs/faq.html", {"entries": entries}, data=data)


@require_safe
def market(request):
    sections = charts.market_sections(series=list(MarketSeries.objects.for_page()))
    return page_response(request, "certs/market.html", {"sections": sections})


@require_safe
def sources(request):
    sources = Source.objects.visible_to(viewer(request))
    return page_response(request, "certs/sources.html", {"sources": sources})
