"""Validation of every query string the site reads: the wizard's answers (which live in the
query string and nowhere else), the catalog's filters, the comparison's options and the
comparison picker. Bad input raises ValidationError with a message for the visitor;
certs/htmx.py turns it into the 400 page."""

from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.http import QueryDict

from .comparison import BadSelection, check_selection
from .listing import DEFAULT_SORT, FACETS, SORTS, CatalogChoice, focuses_of, vendors_of
from .models import Certification, Level, Priority, Question, Status
from .tracking import is_tracking, without_tracking

MAX_QUERY_LENGTH = 1000  # eleven answers fit in a few hundred characters


class AnswersForm(forms.Form):
    """One optional choice field per question, plus `edit`: the question being changed."""

    def __init__(self, *args, questions: list[Question], **kwargs):
        super().__init__(*args, **kwargs)
        for question in questions:
            self.fields[question.slug] = forms.ChoiceField(
                label=question.text,
                required=False,
                choices=[(c.slug, c.label) for c in question.offered],
                error_messages={
                    "invalid_choice": f"“%(value)s” is not one of the answers to “{question.text}”."
                },
            )
        self.fields["edit"] = forms.ChoiceField(
            required=False,
            choices=[(q.slug, q.text) for q in questions],
            error_messages={"invalid_choice": "There is no question called “%(value)s”."},
        )


def parse_answers(
    query: QueryDict, raw_query: str, questions: list[Question], *, allow_edit: bool
) -> tuple[dict[str, str], str | None]:
    """Return ({question slug: choice slug} for the answered questions, the question to edit),
    or raise ValidationError saying what is wrong."""
    # Tracking parameters (a long fbclid, a repeated utm_source) are no part of the answers:
    # they are neither counted nor checked, as the page cache ignores them too.
    if len(without_tracking(raw_query)) > MAX_QUERY_LENGTH:
        raise ValidationError("The address is far longer than any set of answers could make it.")
    keys = [key for key in query if not is_tracking(key)]
    known = {q.slug for q in questions} | ({"edit"} if allow_edit else set())
    unknown = sorted(set(keys) - known)
    if unknown:
        raise ValidationError(
            f"The address contains answers to questions we never asked: {', '.join(unknown)}."
        )
    repeated = sorted(key for key in keys if len(query.getlist(key)) > 1)
    if repeated:
        raise ValidationError(f"The address gives more than one answer to: {', '.join(repeated)}.")
    form = AnswersForm(query, questions=questions)
    if not form.is_valid():
        raise ValidationError(" ".join(e for errors in form.errors.values() for e in errors))
    answers = {q.slug: form.cleaned_data[q.slug] for q in questions if form.cleaned_data[q.slug]}
    return answers, form.cleaned_data["edit"] or None


def has_answers(query: QueryDict) -> bool:
    """Whether the query string carries anything but tracking parameters."""
    return any(not is_tracking(key) for key in query)


@dataclass(frozen=True)
class CompareOptions:
    only_differences: bool
    priorities: list[Priority]  # the chosen ones, in the page's order
    format: str | None  # "csv", "json" or None for the page


def compare_options(query: QueryDict, priorities: list[Priority]) -> CompareOptions:
    """The comparison's options (?only=diff, ?p=…, ?format=…), or ValidationError naming every
    value that is wrong."""
    problems = []
    only = query.getlist("only")
    if only not in ([], ["diff"]):
        problems.append("only must be “diff”")
    formats = query.getlist("format")
    if formats not in ([], ["csv"], ["json"]):
        problems.append("format must be “csv” or “json”")
    known = {p.slug for p in priorities}
    wanted = query.getlist("p")
    if any(slug not in known for slug in wanted) or len(set(wanted)) != len(wanted):
        problems.append("p must name each priority at most once, from the list on the page")
    if problems:
        raise ValidationError("This comparison cannot be shown: " + "; ".join(problems) + ".")
    return CompareOptions(
        only_differences=bool(only),
        priorities=[p for p in priorities if p.slug in wanted],
        format=formats[0] if formats else None,
    )


@dataclass(frozen=True)
class Picked:
    slugs: list[str]  # as ticked, for the form shown again
    certifications: list[Certification]  # empty when nothing (valid) was picked
    error: str = ""  # a mistake in the form, shown beside it (not a tampered request)


def picked(query: QueryDict, catalog: list[Certification]) -> Picked:
    """What the comparison picker's ?c=… asks for. A name we do not cover is a tampered or
    stale link (ValidationError); a wrong number of ticks is a mistake the form shows."""
    slugs = query.getlist("c")
    by_slug = {c.slug: c for c in catalog}
    unknown = [slug for slug in slugs if slug not in by_slug]
    if unknown:
        raise ValidationError(f"We do not cover a certification called “{unknown[0]}”.")
    if not slugs:
        return Picked(slugs, [])
    try:
        check_selection(slugs)
    except BadSelection as error:
        return Picked(slugs, [], error=" ".join(error.messages))
    return Picked(slugs, [by_slug[s] for s in slugs])


class CatalogForm(forms.Form):
    """The catalog's ?vendor=…&level=…&status=…&focus=…&sort=…; vendors and focus areas are the
    ones the visible catalog has."""

    vendor = forms.MultipleChoiceField(
        required=False,
        error_messages={
            "invalid_choice": "We list no certifications from a vendor called “%(value)s”."
        },
    )
    level = forms.MultipleChoiceField(
        required=False,
        choices=Level.choices,
        error_messages={"invalid_choice": "“%(value)s” is not a level we list."},
    )
    status = forms.MultipleChoiceField(
        required=False,
        choices=Status.choices,
        error_messages={"invalid_choice": "“%(value)s” is not a status we list."},
    )
    focus = forms.MultipleChoiceField(
        required=False,
        error_messages={"invalid_choice": "We list no topic called “%(value)s”."},
    )
    sort = forms.ChoiceField(
        required=False,
        choices=list(SORTS.items()),
        error_messages={"invalid_choice": "The catalog cannot be sorted by “%(value)s”."},
    )

    def __init__(self, *args, catalog: list[Certification], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["vendor"].choices = [(v.slug, v.name) for v in vendors_of(catalog)]
        self.fields["focus"].choices = [(f.slug, f.name) for f in focuses_of(catalog)]


def catalog_choice(query: QueryDict, catalog: list[Certification]) -> CatalogChoice:
    """What the catalog's query string asks for, or ValidationError saying what is wrong.
    Parameters the catalog does not read (tracking ones among them) are ignored."""
    if len(query.getlist("sort")) > 1:
        raise ValidationError("The address asks for more than one order.")
    form = CatalogForm(query, catalog=catalog)
    if not form.is_valid():
        raise ValidationError(" ".join(e for errors in form.errors.values() for e in errors))
    data = form.cleaned_data
    return CatalogChoice(
        **{facet: frozenset(data[facet]) for facet in FACETS}, sort=data["sort"] or DEFAULT_SORT
    )
