"""Thin views: read the request, fetch with a constant number of queries, arrange, render."""

import functools
from urllib.parse import urlencode

from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers

from .comparison import build_matrix
from .fit import build_model, rank
from .forms import BadAnswers, parse_answers
from .models import (
    Certification,
    EditorialBlock,
    ExamVersion,
    FAQEntry,
    Feature,
    Matchup,
    Question,
    SkillDomain,
    Source,
    Value,
    Weight,
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


# The fit wizard. Its state is the query string: no session, no cookie, so every step and the
# result can be bookmarked, shared, cached and answered by any app server.


def _questions():
    return list(Question.objects.prefetch_related("choices"))


def _fit_render(request, context, *, status=200):
    is_fragment = request.htmx and not request.htmx.history_restore_request
    template = "certs/fit.html#fit-panel" if is_fragment else "certs/fit.html"
    return render(request, template, context, status=status)


def _answers(request, questions, *, allow_edit=False):
    """The answers in the query string; raises BadAnswers if they were tampered with."""
    raw = request.META.get("QUERY_STRING", "")
    return parse_answers(request.GET, raw, questions, allow_edit=allow_edit)


def _wizard_view(view):
    """Turn tampered answers into the wizard's 400 page, and vary on HX-Request."""

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
    if request.GET:
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
    certifications = list(Certification.objects.for_pages().order_by("vendor", "order", "slug"))
    weights = Weight.objects.select_related("choice__question")
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
