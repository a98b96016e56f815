"""The "which certification fits me" wizard. Its state is the query string: no session, no
cookie, so every step and the result can be bookmarked, shared, cached and answered by any app
server. Tampered answers get the wizard's own 400 page, which offers a fresh start."""

from urllib.parse import urlencode

from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

from .. import seo
from ..caching import ALL_PARAMETERS, reads_query
from ..comparison import canonical_path_part
from ..fit import POSSIBLE_FIT, WeightRow, build_model, rank
from ..forms import has_answers, parse_answers
from ..htmx import for_htmx, page_response
from ..models import Certification, ExamLanguage, Question, Relation, Weight
from . import viewer

TEMPLATE = "certs/fit.html"


def _page(request, context):
    # Steps and results live in the query string: shareable, but not pages to index.
    noindex = context["step"] != "start"
    return seo.page_for(request, TEMPLATE, context, noindex=noindex)


def _bad_answers(request) -> dict:
    context = {"step": "bad", "announcement": "Those answers could not be read."}
    return {**context, "page": _page(request, context)}


def wizard_view(view):
    """Page or fragment, tampered answers as the wizard's 400 page. Every parameter is an
    answer (others get the 400 page), so the page cache keys on all of them."""
    wrapped = for_htmx(
        fragment="fit-panel", invalid_template=TEMPLATE, invalid_context=_bad_answers
    )(view)
    return reads_query(ALL_PARAMETERS)(wrapped)


def _questions():
    return Question.objects.for_wizard()


def _answers(request, questions, *, allow_edit=False):
    raw = request.META.get("QUERY_STRING", "")
    return parse_answers(request.GET, raw, questions, allow_edit=allow_edit)


def _url(name, answers, **extra):
    query = urlencode({**answers, **extra})
    return reverse(f"certs:{name}") + (f"?{query}" if query else "")


def _render(request, context):
    noindex = context["step"] != "start"
    return page_response(request, TEMPLATE, context, noindex=noindex)


@wizard_view
def fit_start(request):
    # Answers sent to the start page skip it; a newsletter's utm_source alone does not.
    if has_answers(request.GET):
        answers, _ = _answers(request, _questions())
        return redirect(_url("fit-question", answers))
    context = {
        "step": "start",
        "total": Question.objects.count(),
        "first_url": reverse("certs:fit-question"),
        "announcement": "Which certification fits you: start.",
    }
    return _render(request, context)


@wizard_view
def fit_question(request):
    questions = _questions()
    answers, edit = _answers(request, questions, allow_edit=True)
    unanswered = [q for q in questions if q.slug not in answers]
    if not edit and not unanswered:
        return redirect(_url("fit-check", answers))
    question = next(q for q in questions if q.slug == edit) if edit else unanswered[0]
    n, total = questions.index(question) + 1, len(questions)
    # Once this answer is in, go to the check page if nothing else is missing.
    done_after = all(q.slug in answers or q == question for q in questions)
    previous = questions[n - 2].slug if n > 1 else None
    context = {
        "step": "question",
        "question": question,
        "number": n,
        "total": total,
        "selected": answers.get(question.slug),
        "hidden": {slug: choice for slug, choice in answers.items() if slug != question.slug},
        "action": reverse("certs:fit-check" if done_after else "certs:fit-question"),
        "back_url": _url("fit-question", answers, edit=previous)
        if previous
        else reverse("certs:fit-start"),
        "announcement": f"Question {n} of {total}: {question.text}",
    }
    return _render(request, context)


def _all_answers(request):
    """(questions, answers, None), or a redirect to the first question left unanswered."""
    questions = _questions()
    answers, _ = _answers(request, questions)
    if any(q.slug not in answers for q in questions):
        return questions, answers, redirect(_url("fit-question", answers))
    return questions, answers, None


@wizard_view
def fit_check(request):
    questions, answers, missing = _all_answers(request)
    if missing:
        return missing
    rows = [
        (
            q,
            next(c for c in q.offered if c.slug == answers[q.slug]),
            _url("fit-question", answers, edit=q.slug),
        )
        for q in questions
    ]
    context = {
        "step": "check",
        "rows": rows,
        "result_url": _url("fit-result", answers),
        "announcement": "Check your answers.",
    }
    return _render(request, context)


@wizard_view
def fit_result(request):
    questions, answers, missing = _all_answers(request)
    if missing:
        return missing
    model = _model(questions, viewer(request))
    result = rank(model=model, answers=answers, today=timezone.localdate())
    top = result.top.certification.short_name
    context = {
        "step": "result",
        "result": result,
        "check_url": _url("fit-check", answers),
        "share_url": request.build_absolute_uri(_url("fit-result", answers)),
        "compare_url": _compare_url(result),
        "possible_fit": POSSIBLE_FIT,
        "counterfactuals": [
            (cf, _url("fit-result", {**answers, cf.question.slug: cf.choice_slug}))
            for cf in result.counterfactuals
        ],
        "announcement": f"Your result: {top} ranks first.",
    }
    return _render(request, context)


def _compare_url(result) -> str | None:
    if result.runner_up is None:
        return None
    pair = [result.top.certification, result.runner_up.certification]
    return reverse("certs:compare", args=[canonical_path_part(pair)])


def _model(questions, user):
    """The scoring model: every certification this viewer may see, and the weights as plain
    rows pointing at the choices already loaded (not ~1,000 more model instances). The rows
    are sorted on their own columns, or not at all (the weights are indexed by choice and
    certification): the default orderings would join four tables to sort them."""
    choices = {choice.pk: choice for q in questions for choice in q.offered if choice.pk}
    weights = [
        WeightRow(choices[choice_id], certification_id, points, reason)
        for choice_id, certification_id, points, reason in Weight.objects.order_by().values_list(
            "choice_id", "certification_id", "points", "reason"
        )
    ]
    certifications = Certification.objects.catalog(user)
    languages = ExamLanguage.objects.order_by("certification_id", "language").values_list(
        "certification_id", "language", "until"
    )
    return build_model(
        questions=questions,
        certifications=certifications,
        weights=weights,
        languages=languages,
        relations=Relation.objects.named_targets(user),
    )
