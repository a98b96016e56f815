"""The comparison: any 2–4 certifications at one canonical, shareable address, the picker that
leads there, and the comparison as a CSV or JSON download."""

import csv
from urllib.parse import urlencode

from django.http import HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse

from .. import charts, seo
from ..caching import reads_query
from ..comparison import (
    DomainTopic,
    build_matrix,
    canonical_path_part,
    catalog_key,
    columns,
    cost_rows,
    download_rows,
    key_figures,
    key_leads,
    pair_choices,
    personal_verdict,
    skills_overlap,
    split_slugs,
)
from ..downloads import spreadsheet_safe_row
from ..forms import CompareOptions, compare_options, picked
from ..htmx import NotCovered, for_htmx, page_response
from ..models import Certification, Feature, Matchup, Priority, SkillDomain, Topic, Value
from . import viewer


@reads_query("c")
@for_htmx(fragment="compare-table")
def compare_picker(request):
    catalog = Certification.objects.catalog(viewer(request))
    pick = picked(request.GET, catalog)
    if pick.certifications:
        # htmx follows the redirect itself and pushes the address it lands on, the canonical one.
        return redirect("certs:compare", canonical_path_part(pick.certifications))
    context = {"catalog": catalog, "chosen": pick.slugs, "picker_open": True, "error": pick.error}
    return _page(request, context)


@reads_query("only", "p", "format")
@for_htmx(fragment="compare-table")
def compare(request, slugs):
    # The picker lists the whole catalog anyway: the compared ones are taken from it.
    catalog = Certification.objects.catalog(viewer(request))
    certifications = _covered(split_slugs(slugs), catalog)
    canonical = canonical_path_part(certifications)
    url = reverse("certs:compare", args=[canonical])
    if slugs != canonical:
        query = request.META.get("QUERY_STRING", "")
        return HttpResponsePermanentRedirect(url + (f"?{query}" if query else ""))
    priorities = list(Priority.objects.all())
    options = compare_options(request.GET, priorities)
    context = _comparison(certifications, options, priorities)
    if options.format:
        return _download(options.format, canonical, context)
    title = " vs ".join(c.short_name for c in certifications)
    matchup = Matchup.objects.of_pair(certifications, user=viewer(request))
    context |= {
        "catalog": catalog,
        "chosen": [c.slug for c in certifications],
        "title": title,
        "url": url,
        "priorities": priorities,
        "all_rows_url": _with_priorities(url, context["chosen_priorities"]),
        "matchup": matchup,
        "choices": pair_choices(matchup),
    }
    trail = seo.trail(("Compare", reverse("certs:compare-picker")), (title, url))
    return _page(request, context, breadcrumbs=trail)


def _page(request, context, **metadata):
    # The picker opens the vendors whose certifications are ticked.
    chosen = set(context["chosen"])
    context["open_vendors"] = {c.vendor_id for c in context["catalog"] if c.slug in chosen}
    return page_response(request, "certs/compare.html", context, **metadata)


def _with_priorities(url: str, slugs: list[str]) -> str:
    return url + (f"?{urlencode({'p': slugs}, doseq=True)}" if slugs else "")


def _covered(slugs: list[str], catalog: list[Certification]) -> list[Certification]:
    by_slug = {c.slug: c for c in catalog}
    missing = next((slug for slug in slugs if slug not in by_slug), None)
    if missing:
        raise NotCovered(f"We do not cover a certification called “{missing}”.")
    return sorted((by_slug[slug] for slug in slugs), key=catalog_key)


def _comparison(certifications, options: CompareOptions, priorities) -> dict:
    """Everything the comparison shows, from a constant number of queries."""
    features = list(Feature.objects.for_matrix())
    values = Value.objects.for_matrix(certifications=certifications, features=features)
    domains = [
        DomainTopic(*row)
        for row in SkillDomain.objects.filter(
            certification__in=certifications, version__is_current=True
        ).topic_rows()
    ]
    overlap = skills_overlap(
        certifications=certifications, domains=domains, topics=Topic.objects.in_bulk()
    )
    costs = cost_rows(certifications=certifications, values=values)
    matrix = build_matrix(
        certifications=certifications,
        features=features,
        values=values,
        priorities=options.priorities,
        only_differences=options.only_differences,
    )
    return {
        "certifications": certifications,
        "matrix": matrix,
        "costs": costs,
        "cost_charts": charts.cost_charts(costs=costs),
        "domain_charts": charts.current_domains(certifications=certifications, domains=domains),
        "figures": key_figures(certifications=certifications, values=values),
        "leads": key_leads(
            certifications=certifications, priorities=priorities, values=values, overlap=overlap
        ),
        "overlap": overlap,
        "verdict": personal_verdict(
            certifications=certifications,
            priorities=options.priorities,
            values=values,
            overlap=overlap,
        ),
        "chosen_priorities": [p.slug for p in options.priorities],
        "only_diff": options.only_differences,
        "columns": columns(certifications),
        "announcement": f"{matrix.hidden_identical} identical rows hidden."
        if options.only_differences
        else "Showing every row.",
    }


def _download(fmt: str, canonical: str, context: dict) -> HttpResponse:
    rows = download_rows(matrix=context["matrix"], costs=context["costs"])
    if fmt == "json":
        slugs = [c.slug for c in context["certifications"]]
        response = JsonResponse(
            {"certifications": slugs, "rows": rows},
            json_dumps_params={"indent": 2, "ensure_ascii": False},
        )
    else:
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        writer = csv.DictWriter(response, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(spreadsheet_safe_row(row) for row in rows)
    response["Content-Disposition"] = f'attachment; filename="compare-{canonical}.{fmt}"'
    response["X-Robots-Tag"] = "noindex"
    return response
