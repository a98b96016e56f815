"""Thin views: read the request, fetch with a constant number of queries, arrange, render."""

import csv
import functools
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import DatabaseError, connection
from django.db.models import Prefetch
from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers

from . import seo
from .caching import ALL_PARAMETERS, CacheSkipped, reads_query, shared_cache_call
from .changes import lifecycle_events, split_by, value_changes
from .comparison import (
    BadSelection,
    DomainTopic,
    build_matrix,
    canonical_path_part,
    catalog_key,
    check_selection,
    cost_rows,
    personal_verdict,
    skills_overlap,
    split_slugs,
)
from .downloads import spreadsheet_safe_row
from .fit import WeightRow, build_model, rank
from .forms import BadAnswers, parse_answers
from .models import (
    Certification,
    EditorialBlock,
    ExamVersion,
    FAQEntry,
    Feature,
    Matchup,
    Priority,
    Question,
    SkillDomain,
    Source,
    Status,
    Topic,
    Value,
    Weight,
    attach_disagreements,
    withhold_draft_successors,
)
from .security import is_staff_user


def _viewer(request):
    """The signed-in member of staff (verified by the second factor when it is required) when
    there is a session cookie, else an anonymous user. Visitors never touch the session, so
    their pages need no query for it and do not vary on cookies."""
    if settings.SESSION_COOKIE_NAME in request.COOKIES and is_staff_user(request.user):
        return request.user
    return AnonymousUser()


class NotCovered(Http404):
    """A 404 whose message is written for visitors (Django's own 404 messages are not)."""


def _features():
    return list(Feature.objects.select_related("category"))


def _values(certifications, features):
    """The values of these certifications, with the certification and feature objects already
    in hand attached rather than fetched again (a third of the instances per page), and the
    sources that disagree with a value or with a certification's lifecycle: two queries."""
    certs = {c.pk: c for c in certifications}
    by_id = {f.pk: f for f in features}
    values = list(Value.objects.for_pages().filter(certification__in=list(certs)))
    for value in values:
        value.certification, value.feature = certs[value.certification_id], by_id[value.feature_id]
    attach_disagreements(certifications=certifications, values=values)
    return values


def _last_reviewed(values):
    """A page is as fresh as its oldest fact."""
    return min((v.verified_on for v in values if v.verified_on), default=None)


@require_safe
def home(request):
    matchup = Matchup.objects.filter(is_featured=True).visible_to(_viewer(request)).first()
    if matchup is None:
        raise NotCovered("No featured comparison has been published yet.")
    # Both certifications in one plain query: cheaper to build than joining them, with their
    # successors and sources, onto the matchup.
    certs = Certification.objects.for_pages().in_bulk([matchup.first_id, matchup.second_id])
    matchup.first, matchup.second = certs[matchup.first_id], certs[matchup.second_id]
    withhold_draft_successors(certifications=(matchup.first, matchup.second), user=_viewer(request))
    blocks = list(EditorialBlock.objects.filter(matchup=matchup).select_related("source"))
    pair = (matchup.first, matchup.second)
    features = _features()
    matrix_values = _values(pair, features)
    matrix = build_matrix(certifications=pair, features=features, values=matrix_values)
    costs = cost_rows(certifications=pair, values=matrix_values)
    by_kind = {}
    for block in blocks:
        by_kind.setdefault(block.kind, []).append(block)
    return render(
        request,
        "certs/home.html",
        {
            "matchup": matchup,
            "pair": pair,
            "blocks": by_kind,
            "matrix": matrix,
            "costs": costs,
            "columns": _columns(pair),
            "last_reviewed": _last_reviewed(matrix_values),
            "compare_url": reverse("certs:compare", args=[canonical_path_part(pair)]),
            "page": seo.page(request, matchup.title, seo.describe(matchup.summary)),
        },
    )


@require_safe
def catalog(request):
    certifications = _catalog(_viewer(request))
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
    cert = get_object_or_404(
        Certification.objects.visible_to(_viewer(request)).for_pages(), slug=slug
    )
    withhold_draft_successors(certifications=(cert,), user=_viewer(request))
    features = _features()
    values = _values((cert,), features)
    matrix = build_matrix(certifications=(cert,), features=features, values=values)
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
            "last_reviewed": _last_reviewed(values),
            "predecessors": cert.predecessors.visible_to(_viewer(request)),
            "faq_entries": cert.faq_entries.all(),
            "page": seo.page(
                request,
                f"{cert.short_name}: {cert.name}",
                seo.describe(cert.summary),
                breadcrumbs=_trail(("Certifications", reverse("certs:catalog")), cert),
            ),
        },
    )


@require_safe
def faq(request):
    entries = FAQEntry.objects.visible_to(_viewer(request)).prefetch_related(
        Prefetch("certifications", queryset=Certification.objects.visible_to(_viewer(request))),
        "sources",
    )
    entries = list(entries)
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
    return render(
        request,
        "certs/sources.html",
        {"sources": Source.objects.visible_to(_viewer(request)), "page": page},
    )


def _trail(*steps):
    """A breadcrumb trail from the home page: (name, path) pairs, or certifications."""
    trail = [("Home", reverse("certs:home"))]
    for step in steps:
        if isinstance(step, Certification):
            step = (step.short_name, step.get_absolute_url())
        trail.append(step)
    return tuple(trail)


def bad_request(request, exception=None):
    # The exception's text is for the logs, not for visitors.
    return render(request, "400.html", status=400)


def page_not_found(request, exception=None):
    message = str(exception) if isinstance(exception, NotCovered) else ""
    return render(request, "404.html", {"message": message}, status=404)


def server_error(request):
    return render(request, "500.html", status=500)


# The fit wizard. Its state is the query string: no session, no cookie, so every step and the
# result can be bookmarked, shared, cached and answered by any app server.


def _questions():
    return list(Question.objects.prefetch_related("choices"))


def _fit_title(context):
    match context["step"]:
        case "question":
            return (
                f"{context['question'].text} (question {context['number']} of {context['total']})"
            )
        case "check":
            return "Check your answers"
        case "result":
            return f"Your result: {context['result'].top.certification.short_name}"
        case "bad":
            return "Those answers could not be read"
    return "Which certification fits you?"


_FIT_DESCRIPTION = (
    "Answer a few short questions and see the Google Cloud, Microsoft and AWS AI/ML "
    "certifications ranked for you, with the reasons."
)


def _fit_render(request, context, *, status=200):
    # Steps and results live in the query string: shareable, but not pages to index.
    page = seo.page(
        request, _fit_title(context), _FIT_DESCRIPTION, noindex=context["step"] != "start"
    )
    context = {**context, "page": page}
    is_fragment = request.htmx and not request.htmx.history_restore_request
    template = "certs/fit.html#fit-panel" if is_fragment else "certs/fit.html"
    return render(request, template, context, status=status)


def _answers(request, questions, *, allow_edit=False):
    """The answers in the query string; raises BadAnswers if they were tampered with."""
    raw = request.META.get("QUERY_STRING", "")
    return parse_answers(request.GET, raw, questions, allow_edit=allow_edit)


def _wizard_view(view):
    """Turn tampered answers into the wizard's 400 page, and vary on HX-Request. Every parameter
    is an answer (others get the 400 page), so the page cache keys on all of them."""

    @reads_query(ALL_PARAMETERS)
    @require_safe
    @vary_on_headers("HX-Request")
    @functools.wraps(view)
    def wrapper(request):
        try:
            return view(request)
        except BadAnswers as error:
            context = {
                "step": "bad",
                "message": str(error),
                "announcement": "Those answers could not be read.",
            }
            return _fit_render(request, context, status=400)

    return wrapper


def _fit_url(name, answers, **extra):
    query = urlencode({**answers, **extra})
    return reverse(f"certs:{name}") + (f"?{query}" if query else "")


@_wizard_view
def fit_start(request):
    # Answers sent to the start page skip it; a newsletter's utm_source alone does not.
    if any(not seo.is_tracking(key) for key in request.GET):
        answers, _ = _answers(request, _questions())
        return redirect(_fit_url("fit-question", answers))
    return _fit_render(
        request,
        {
            "step": "start",
            "total": Question.objects.count(),
            "first_url": reverse("certs:fit-question"),
            "announcement": "Which certification fits you: start.",
        },
    )


@_wizard_view
def fit_question(request):
    questions = _questions()
    answers, edit = _answers(request, questions, allow_edit=True)
    unanswered = [q for q in questions if q.slug not in answers]
    if edit:
        question = next(q for q in questions if q.slug == edit)
    elif unanswered:
        question = unanswered[0]
    else:
        return redirect(_fit_url("fit-check", answers))
    position = questions.index(question)
    others = {slug: choice for slug, choice in answers.items() if slug != question.slug}
    # Once this answer is in, go to the check page if nothing else is missing.
    done_after = all(q.slug in answers or q == question for q in questions)
    action = reverse("certs:fit-check" if done_after else "certs:fit-question")
    if position == 0:
        back_url = reverse("certs:fit-start")
    else:
        back_url = _fit_url("fit-question", answers, edit=questions[position - 1].slug)
    return _fit_render(
        request,
        {
            "step": "question",
            "question": question,
            "number": position + 1,
            "total": len(questions),
            "selected": answers.get(question.slug),
            "hidden": others,
            "action": action,
            "back_url": back_url,
            "announcement": f"Question {position + 1} of {len(questions)}: {question.text}",
        },
    )


def _complete_or_redirect(request, questions):
    answers, _ = _answers(request, questions)
    if any(q.slug not in answers for q in questions):
        return answers, redirect(_fit_url("fit-question", answers))
    return answers, None


@_wizard_view
def fit_check(request):
    questions = _questions()
    answers, missing = _complete_or_redirect(request, questions)
    if missing:
        return missing
    rows = [
        (
            q,
            next(c for c in q.choices.all() if c.slug == answers[q.slug]),
            _fit_url("fit-question", answers, edit=q.slug),
        )
        for q in questions
    ]
    return _fit_render(
        request,
        {
            "step": "check",
            "rows": rows,
            "result_url": _fit_url("fit-result", answers),
            "announcement": "Check your answers.",
        },
    )


@_wizard_view
def fit_result(request):
    questions = _questions()
    answers, missing = _complete_or_redirect(request, questions)
    if missing:
        return missing
    certifications = _catalog(_viewer(request))
    # The choices (with their questions) are loaded already: weights are plain rows that
    # point at them, not ~1,000 more model instances per request.
    choices = {choice.pk: choice for q in questions for choice in q.choices.all()}
    weights = [
        WeightRow(choices[choice_id], certification_id, points, reason)
        for choice_id, certification_id, points, reason in Weight.objects.values_list(
            "choice_id", "certification_id", "points", "reason"
        )
    ]
    model = build_model(questions=questions, certifications=certifications, weights=weights)
    result = rank(model=model, answers=answers)
    return _fit_render(
        request,
        {
            "step": "result",
            "result": result,
            "check_url": _fit_url("fit-check", answers),
            "share_url": request.build_absolute_uri(_fit_url("fit-result", answers)),
            "counterfactuals": [
                (cf, _fit_url("fit-result", {**answers, cf.question.slug: cf.choice_slug}))
                for cf in result.counterfactuals
            ],
            "announcement": f"Your result: {result.top.certification.short_name} ranks first.",
        },
    )


# The comparison engine. Any 2–4 certifications, at one canonical, shareable address.


def _compare_render(request, context, *, status=200):
    is_fragment = request.htmx and not request.htmx.history_restore_request
    template = "certs/compare.html#compare-table" if is_fragment else "certs/compare.html"
    return render(request, template, context, status=status)


def _bad_request(request, message):
    return render(request, "400.html", {"message": message}, status=400)


def _catalog(user):
    """Every certification this viewer may see, in catalog order, each pointing at its successor
    among them: not joined again, and a draft successor is not among a visitor's."""
    certifications = list(
        Certification.objects.visible_to(user)
        .select_related("status_source")
        .order_by("vendor", "order", "slug")
    )
    by_pk = {c.pk: c for c in certifications}
    for cert in certifications:
        if cert.successor_id is not None:
            cert.successor = by_pk.get(cert.successor_id)
    return certifications


@reads_query("c")
@require_safe
@vary_on_headers("HX-Request")
def compare_picker(request):
    catalog = _catalog(_viewer(request))
    chosen = request.GET.getlist("c")
    page = seo.page(
        request,
        "Compare AI/ML certifications",
        "Compare two to four Google Cloud, Microsoft and AWS AI/ML certifications side by side: "
        "fees, exam length, validity, renewal and skills overlap.",
    )
    context = {"catalog": catalog, "chosen": chosen, "picker_open": True, "page": page}
    if not chosen:
        return _compare_render(request, context)
    by_slug = {c.slug: c for c in catalog}
    unknown = [slug for slug in chosen if slug not in by_slug]
    if unknown:
        return _bad_request(request, f"We do not cover a certification called “{unknown[0]}”.")
    try:
        check_selection(chosen)
    except BadSelection as error:
        # A form with a mistake, not a tampered request: show it again with the message.
        return _compare_render(request, {**context, "error": str(error)})
    # htmx follows the redirect itself and pushes the address it lands on, the canonical one.
    return redirect("certs:compare", canonical_path_part(by_slug[s] for s in chosen))


def _compare_options(request, priorities):
    unknown_values = []
    only = request.GET.getlist("only")
    if only not in ([], ["diff"]):
        unknown_values.append("only must be “diff”")
    formats = request.GET.getlist("format")
    if formats not in ([], ["csv"], ["json"]):
        unknown_values.append("format must be “csv” or “json”")
    by_slug = {p.slug: p for p in priorities}
    wanted = request.GET.getlist("p")
    if any(slug not in by_slug for slug in wanted) or len(set(wanted)) != len(wanted):
        unknown_values.append("p must name each priority at most once, from the list on the page")
    if unknown_values:
        raise BadSelection("This comparison cannot be shown: " + "; ".join(unknown_values) + ".")
    chosen = [p for p in priorities if p.slug in wanted]
    return bool(only), chosen, (formats[0] if formats else None)


@reads_query("only", "p", "format")
@require_safe
@vary_on_headers("HX-Request")
def compare(request, slugs):
    try:
        wanted = split_slugs(slugs)
    except BadSelection as error:
        return _bad_request(request, str(error))
    # The picker lists the whole catalog anyway: the compared ones are taken from it.
    catalog = _catalog(_viewer(request))
    by_slug = {c.slug: c for c in catalog}
    missing = next((slug for slug in wanted if slug not in by_slug), None)
    if missing:
        raise NotCovered(f"We do not cover a certification called “{missing}”.")
    certifications = sorted((by_slug[slug] for slug in wanted), key=catalog_key)
    canonical = canonical_path_part(certifications)
    url = reverse("certs:compare", args=[canonical])
    if slugs != canonical:
        query = request.META.get("QUERY_STRING", "")
        return HttpResponsePermanentRedirect(url + (f"?{query}" if query else ""))

    priorities = list(Priority.objects.all())
    try:
        only_diff, chosen, fmt = _compare_options(request, priorities)
    except BadSelection as error:
        return _bad_request(request, str(error))
    features = _features()
    values = _values(certifications, features)
    domains = SkillDomain.objects.filter(
        certification__in=certifications, version__is_current=True
    ).topic_rows()
    overlap = skills_overlap(
        certifications=certifications,
        domains=[DomainTopic(*row) for row in domains],
        topics=Topic.objects.in_bulk(),
    )
    matrix = build_matrix(
        certifications=certifications,
        features=features,
        values=values,
        priorities=chosen,
        only_differences=only_diff,
    )
    costs = cost_rows(certifications=certifications, values=values)
    verdict = personal_verdict(
        certifications=certifications, priorities=chosen, values=values, overlap=overlap
    )
    if fmt:
        return _compare_download(fmt, canonical, matrix, costs)

    # Always one query, so the count does not depend on how many are compared; the two
    # certifications are the ones in hand, not joined again.
    matchups = list(Matchup.objects.visible_to(_viewer(request)).among(certifications))
    matchup = matchups[0] if matchups and len(certifications) == 2 else None
    if matchup:
        by_id = {c.pk: c for c in certifications}
        matchup.first, matchup.second = by_id[matchup.first_id], by_id[matchup.second_id]
    chosen_slugs = [p.slug for p in chosen]
    title = " vs ".join(c.short_name for c in certifications)
    page = seo.page(
        request,
        f"{title}: compare certifications",
        f"{title} side by side: fees, exam time, validity, renewal, skills overlap and "
        "five-year cost, each fact sourced and dated.",
        breadcrumbs=_trail(("Compare", reverse("certs:compare-picker")), (title, url)),
    )
    if only_diff:
        announcement = f"{matrix.hidden_identical} identical rows hidden."
    else:
        announcement = "Showing every row."
    return _compare_render(
        request,
        {
            "catalog": catalog,
            "chosen": [c.slug for c in certifications],
            "certifications": certifications,
            "title": title,
            "page": page,
            "url": url,
            "matrix": matrix,
            "costs": costs,
            "overlap": overlap,
            "verdict": verdict,
            "priorities": priorities,
            "chosen_priorities": chosen_slugs,
            "only_diff": only_diff,
            "all_rows_url": url
            + (f"?{urlencode({'p': chosen_slugs}, doseq=True)}" if chosen else ""),
            "matchup": matchup,
            "columns": _columns(certifications),
            "announcement": announcement,
        },
    )


def _columns(certifications):
    """Each compared certification with, if it is retired or retiring, the address of the same
    comparison with its successor in its place."""
    columns = []
    for cert in certifications:
        swap_url = None
        ending = cert.status in (Status.RETIRED, Status.RETIRING)
        if ending and cert.successor and cert.successor not in certifications:
            others = [o for o in certifications if o != cert]
            swap_url = reverse(
                "certs:compare", args=[canonical_path_part([cert.successor, *others])]
            )
        columns.append((cert, swap_url))
    return columns


def _compare_download(fmt, canonical, matrix, costs):
    rows = []
    for group in matrix.groups:
        for row in group.rows:
            for cell in row.cells:
                value = cell.value
                rows.append(
                    {
                        "category": group.name,
                        "row": row.feature.label,
                        "row_id": row.feature.slug,
                        "certification": cell.certification.slug,
                        "value": value.display if value else "",
                        "note": value.note if value else "",
                        "basis": value.get_basis_display() if value else "",
                        "sources_disagree": value.disagreement if value else "",
                        "source": value.source.title if value and value.source else "",
                        "source_url": value.source.url if value and value.source else "",
                        "verified_on": value.verified_on.isoformat()
                        if value and value.verified_on
                        else "",
                    }
                )
    for cost in costs:
        for cell in cost.cells:
            rows.append(
                {
                    "category": "Cost of holding it (derived)",
                    "row": f"Cost over {cost.years} year{'s' if cost.years > 1 else ''}",
                    "row_id": cost.slug,
                    "certification": cell.certification.slug,
                    "value": f"{cell.currency} {cell.total}" if cell.total is not None else "",
                    "note": cell.explanation,
                    "basis": "Derived from the facts above",
                    "sources_disagree": "",
                    "source": "; ".join(v.source.title for v in cell.facts if v.source),
                    "source_url": "; ".join(v.source.url for v in cell.facts if v.source),
                    "verified_on": min(
                        (v.verified_on.isoformat() for v in cell.facts if v.verified_on), default=""
                    ),
                }
            )
    filename = f"compare-{canonical}.{fmt}"
    if fmt == "json":
        response = JsonResponse(
            {"certifications": [c.slug for c in matrix.certifications], "rows": rows},
            json_dumps_params={"indent": 2, "ensure_ascii": False},
        )
    else:
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        writer = csv.DictWriter(response, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(spreadsheet_safe_row(row) for row in rows)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Robots-Tag"] = "noindex"
    return response


@require_safe
def robots_txt(request):
    """Everything public may be crawled: pages that should stay out of search results (wizard
    steps, downloads) say so themselves, and the admin's address is not advertised here."""
    sitemap_url = seo.origin(request) + reverse("sitemap")
    return HttpResponse(
        f"User-agent: *\nAllow: /\n\nSitemap: {sitemap_url}\n",
        content_type="text/plain; charset=utf-8",
    )


# For the load balancer. Never cached (see certs/caching.py), never rendered with templates.


@require_safe
def healthz(request):
    """Liveness: the process answers."""
    return JsonResponse({"status": "ok"})


@require_safe
def readyz(request):
    """Readiness: 503 when the database does not answer. The cache down only makes the server
    "degraded" (200): pages are still served, uncached, so a load balancer must keep it."""
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except DatabaseError as error:
        checks["database"] = f"unavailable: {error.__class__.__name__}"
    try:
        shared_cache_call("set", "readyz", "1", timeout=5)
        round_trip = shared_cache_call("get", "readyz") == "1"
        checks["cache"] = "ok" if round_trip else "unavailable: no round trip"
    except CacheSkipped:
        checks["cache"] = "unavailable: skipped for a few seconds after a failure"
    except Exception as error:  # noqa: BLE001 - any cache client error means no cache
        checks["cache"] = f"unavailable: {error.__class__.__name__}"
    if checks["database"] != "ok":
        status = "unavailable"
    else:
        status = "ok" if checks["cache"] == "ok" else "degraded"
    response = JsonResponse(
        {"status": status, **checks}, status=503 if status == "unavailable" else 200
    )
    response["Cache-Control"] = "no-store"
    return response


# Editorial integrity: what changed, and what is coming.


def change_log(*, certification=None, limit=100):
    """Changes to published facts (optionally of one certification), newest first."""
    published = {c.pk: c for c in Certification.objects.published()}
    records = Value.history.filter(certification_id__in=list(published))
    if certification is not None:
        records = records.filter(certification_id=certification.pk)
    changed_values = records.filter(history_type="~").values("id")
    return value_changes(
        records=records.filter(id__in=changed_values),
        certifications=published,
        features={f.pk: (f.label, f.slug) for f in Feature.objects.only("label", "slug")},
        sources={s.pk: s for s in Source.objects.all()},
        limit=limit,
    )


def _changes_page(request, cert):
    if cert is None:
        return seo.page(
            request,
            "What changed",
            "Every change to a published fact about the Google Cloud, Microsoft and AWS AI/ML "
            "certifications, newest first, with the source behind it.",
        )
    return seo.page(
        request,
        f"What changed: {cert.short_name}",
        f"Every change to a published fact about {cert.name}, newest first, with its source.",
        breadcrumbs=_trail(
            ("Certifications", reverse("certs:catalog")),
            cert,
            ("What changed", reverse("certs:certification-changes", args=[cert.slug])),
        ),
    )


@require_safe
def changes(request, slug=None):
    cert = None
    if slug is not None:
        cert = get_object_or_404(Certification.objects.published(), slug=slug)
    return render(
        request,
        "certs/changes.html",
        {
            "cert": cert,
            "changes": change_log(certification=cert),
            "certifications": Certification.objects.published().order_by("vendor", "order"),
            "page": _changes_page(request, cert),
        },
    )


@require_safe
def lifecycle(request):
    certifications = list(Certification.objects.published().for_pages())
    # Published ones only, for staff too: so only published successors are named.
    withhold_draft_successors(certifications=certifications, user=AnonymousUser())
    versions = ExamVersion.objects.filter(certification__in=certifications).select_related(
        "certification", "source"
    )
    upcoming, past = split_by(
        lifecycle_events(certifications=certifications, versions=list(versions)),
        timezone.localdate(),
    )
    sections = [("Coming up", upcoming), ("Already happened", past)]
    page = seo.page(
        request,
        "Lifecycle dates",
        "Launches, exam updates, retirements and successors of the Google Cloud, Microsoft and "
        "AWS AI/ML certifications: what is coming up and what already happened.",
    )
    return render(request, "certs/lifecycle.html", {"sections": sections, "page": page})
