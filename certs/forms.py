"""Validation of the wizard's answers, which live in the query string and nowhere else."""

from django import forms
from django.http import QueryDict

from .models import Question
from .seo import is_tracking, without_tracking

MAX_QUERY_LENGTH = 1000  # seven answers fit in a few hundred characters


class BadAnswers(Exception):
    """The query string was tampered with or malformed; the message is shown to the visitor."""


class AnswersForm(forms.Form):
    """One optional choice field per question, plus `edit`: the question being changed."""

    def __init__(self, *args, questions: list[Question], **kwargs):
        super().__init__(*args, **kwargs)
        for question in questions:
            self.fields[question.slug] = forms.ChoiceField(
                label=question.text,
                required=False,
                choices=[(c.slug, c.label) for c in question.choices.all()],
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
    or raise BadAnswers saying what is wrong."""
    # Tracking parameters (a long fbclid, a repeated utm_source) are no part of the answers:
    # they are neither counted nor checked, as the page cache ignores them too.
    if len(without_tracking(raw_query)) > MAX_QUERY_LENGTH:
        raise BadAnswers("The address is far longer than any set of answers could make it.")
    keys = [key for key in query if not is_tracking(key)]
    known = {q.slug for q in questions} | ({"edit"} if allow_edit else set())
    unknown = sorted(set(keys) - known)
    if unknown:
        raise BadAnswers(
            f"The address contains answers to questions we never asked: {', '.join(unknown)}."
        )
    repeated = sorted(key for key in keys if len(query.getlist(key)) > 1)
    if repeated:
        raise BadAnswers(f"The address gives more than one answer to: {', '.join(repeated)}.")
    form = AnswersForm(query, questions=questions)
    if not form.is_valid():
        raise BadAnswers(" ".join(e for errors in form.errors.values() for e in errors))
    answers = {q.slug: form.cleaned_data[q.slug] for q in questions if form.cleaned_data[q.slug]}
    return answers, form.cleaned_data["edit"] or None
