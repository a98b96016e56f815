"""The advice an adviser would give: over forty profiles, each with the first picks a certification
adviser would accept and the ones that would be wrong, written from the vendors' own audience
and recommended-experience statements (each profile's `why` names the research it rests on).
The result must never contradict itself: a lower rank never shows a higher score."""

import datetime
import json
import os
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser

from certs.fit import WeightRow, build_model, rank
from certs.models import Certification, ExamLanguage, Question, Weight

pytestmark = [
    pytest.mark.django_db,
    # Pure scoring over the content: the PostgreSQL run of the suite (make test-scale) would
    # only repeat it, at the cost of a minute.
    pytest.mark.skipif(
        os.environ.get("DATABASE_URL", "sqlite").split(":")[0] != "sqlite",
        reason="pure scoring, run once on SQLite",
    ),
]
PERSONAS = json.loads((Path(__file__).parent / "personas.json").read_text())
TODAY = datetime.date(2026, 11, 30)  # the day the personas were written against


@pytest.fixture
def model():
    questions = Question.objects.for_wizard()
    choices = {c.pk: c for q in questions for c in q.offered if c.pk}
    weights = [
        WeightRow(choices[choice], cert, points, reason)
        for choice, cert, points, reason in Weight.objects.values_list(
            "choice_id", "certification_id", "points", "reason"
        )
    ]
    return build_model(
        questions=questions,
        certifications=Certification.objects.catalog(AnonymousUser()),
        weights=weights,
        languages=ExamLanguage.objects.values_list("certification_id", "language", "until"),
    )


def test_there_are_profiles_across_every_background_and_platform(model):
    assert len(PERSONAS) >= 30
    seen = {key: {p["answers"][key] for p in PERSONAS} for key in ("background", "cloud")}
    platforms = next(q for q in model.questions if q.slug == "cloud").offered
    assert seen["cloud"] == {c.slug for c in platforms}  # every platform offered, none and several
    assert len(seen["background"]) == 7


@pytest.mark.parametrize("persona", PERSONAS, ids=[p["name"] for p in PERSONAS])
def test_the_first_pick_is_one_an_adviser_would_accept(model, persona):
    result = rank(model=model, answers=persona["answers"], today=TODAY)
    first = result.top.certification.slug
    assert first in persona["acceptable"], f"{persona['name']}: {first}"
    assert first not in persona["wrong"]
    scores = [r.score for r in result.ranking]
    assert scores == sorted(scores, reverse=True)  # never a higher score for a lower rank


def test_every_question_changes_someones_first_pick(model):
    """A question that would not change anyone's result is not worth asking."""
    unchanged = []
    for question in model.questions:
        changes = False
        for persona in PERSONAS:
            result = rank(model=model, answers=persona["answers"], today=TODAY)
            if any(cf.question.slug == question.slug for cf in result.counterfactuals):
                changes = True
                break
        if not changes:
            unchanged.append(question.slug)
    assert unchanged == []
