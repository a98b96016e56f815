"""certs/fit.py over the real wizard content: property-based over every answer combination."""

import datetime
import os
import random

import pytest
from django.contrib.auth.models import AnonymousUser
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from certs.fit import CLOSE_MARGIN, build_model, rank
from certs.models import Certification, ExamLanguage, Question, Weight
from tests.helpers import WIZARD_ANSWERS

pytestmark = [
    pytest.mark.django_db,
    # Pure scoring over the content: the PostgreSQL run of the suite (make test-scale) would
    # only repeat it, at the cost of a minute.
    pytest.mark.skipif(
        os.environ.get("DATABASE_URL", "sqlite").split(":")[0] != "sqlite",
        reason="pure scoring, run once on SQLite",
    ),
]


TODAY = datetime.date(2026, 11, 30)


@pytest.fixture
def model():
    questions = Question.objects.for_wizard()
    certifications = Certification.objects.catalog(AnonymousUser())
    weights = list(Weight.objects.select_related("choice__question"))
    languages = ExamLanguage.objects.values_list("certification_id", "language", "until")
    return build_model(
        questions=questions, certifications=certifications, weights=weights, languages=languages
    )


def answers_strategy(model):
    return st.fixed_dictionaries(
        {q.slug: st.sampled_from([c.slug for c in q.offered]) for q in model.questions}
    )


def points(model, answers, cert):
    return sum(
        model.weights[k].points
        for q, c in answers.items()
        if (k := (q, c, cert.pk)) in model.weights
    )


def check_result(model, answers):
    result = rank(model=model, answers=answers, today=TODAY)
    bookable = {c.slug for c in model.certifications if c.is_bookable}
    ranked = [r.certification.slug for r in result.ranking]
    elsewhere = [e.certification.slug for e in result.elsewhere]
    out = [e.certification.slug for e in result.excluded]
    # a certification is placed at most once: ranked, on another platform, or left out with a
    # reason; a retired one is never ranked; a bookable one missing from all three is an exam on
    # another platform that the person could not take anyway
    placed = ranked + elsewhere + out
    assert len(placed) == len(set(placed))
    assert not set(ranked) - bookable
    vendors = {r.certification.vendor_id for r in result.ranking}
    by_slug = {c.slug: c for c in model.certifications}
    assert all(by_slug[s].vendor_id not in vendors for s in bookable - set(placed))
    assert [r.rank for r in result.ranking] == list(range(1, len(ranked) + 1))
    # one order, one score: points first, and never a higher score for a lower rank
    assert [r.points for r in result.ranking] == sorted(
        (r.points for r in result.ranking), reverse=True
    )
    scores = [r.score for r in result.ranking]
    assert scores == sorted(scores, reverse=True) and all(0 <= s <= 100 for s in scores)
    for item in result.ranking:
        # reasons are consistent with the weights: they add up to the points
        total = sum(r.points for r in item.reasons_for) + sum(
            r.points for r in item.reasons_against
        )
        assert total == item.points == points(model, answers, item.certification)
        assert all(r.points > 0 for r in item.reasons_for)
        assert all(r.points < 0 for r in item.reasons_against)
    for excluded in result.excluded:
        assert excluded.why  # each exclusion is said in words
    # counterfactuals are true: re-ranking with the changed answer puts that certification first
    for cf in result.counterfactuals:
        changed = {**answers, cf.question.slug: cf.choice_slug}
        assert rank(model=model, answers=changed, today=TODAY).top.certification == cf.leader
        assert cf.leader != result.top.certification
    if result.runner_up:
        assert result.close == (result.top.points - result.runner_up.points <= CLOSE_MARGIN)
        if result.deciding:
            assert result.deciding.points > 0
    return result


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_every_answer_combination_gives_a_consistent_explained_ranking(model, data):
    answers = data.draw(answers_strategy(model))
    first = check_result(model, answers)
    # deterministic: same answers, same order, whatever order the answers come in
    again = rank(model=model, answers=dict(reversed(list(answers.items()))), today=TODAY)
    assert [r.certification.slug for r in again.ranking] == [
        r.certification.slug for r in first.ranking
    ]


def test_a_fixed_sample_of_the_answer_space_ranks_a_bookable_leader(model):
    """Three hundred answer sets drawn with a fixed seed (the same every run) from the millions
    possible rank a bookable certification first, never a retired one; hypothesis explores
    further at random above."""
    draw = random.Random(2026)
    choices = {q.slug: [c.slug for c in q.offered] for q in model.questions}
    for _ in range(300):
        answers = {slug: draw.choice(options) for slug, options in choices.items()}
        result = rank(model=model, answers=answers, today=TODAY)
        assert result.top.certification.is_bookable
        assert result.top is result.ranking[0]


def test_each_counterfactual_is_the_first_other_answer_that_changes_the_leader(model):
    """ "Had you answered X, Y would come first" checked against ranking every other answer in
    full: per question, the first other answer that puts another exam first is the one named,
    and a question whose other answers change nothing names none. Twenty-five answer sets,
    drawn with a fixed seed."""
    draw = random.Random(13)
    choices = {q.slug: [c.slug for c in q.offered] for q in model.questions}
    for _ in range(25):
        answers = {slug: draw.choice(options) for slug, options in choices.items()}
        result = rank(model=model, answers=answers, today=TODAY)
        named = {cf.question.slug: (cf.choice_slug, cf.leader) for cf in result.counterfactuals}
        for question in model.questions:
            expected = None
            for choice in question.offered:
                if choice.slug == answers[question.slug]:
                    continue
                changed = {**answers, question.slug: choice.slug}
                leader = rank(model=model, answers=changed, today=TODAY).top.certification
                if leader != result.top.certification:
                    expected = (choice.slug, leader)
                    break
            assert named.get(question.slug) == expected, (answers, question.slug)


def test_an_exam_on_another_platform_is_listed_apart_with_its_would_be_place(model):
    result = check_result(model, {**WIZARD_ANSWERS, "cloud": "aws"})
    assert {r.certification.vendor_id for r in result.ranking} == {"aws"}
    elsewhere = {e.certification.slug: e for e in result.elsewhere}
    assert "ai-103" in elsewhere and elsewhere["ai-103"].would_rank >= 1
    assert result.platform == "Amazon Web Services (AWS)"


def test_an_exam_that_retires_before_the_person_can_sit_it_is_out_with_its_successor(model):
    # MLA-C01 retires on 14 Jan 2027; someone sitting in more than three months cannot take it.
    answers = {**WIZARD_ANSWERS, "cloud": "aws", "language": "ja", "sitting": "later"}
    out = {e.certification.slug: e for e in check_result(model, answers).excluded}
    assert out["mla-c01"].kind == "retires-first" and out["mla-c01"].instead.slug == "mla-c02"
    soon = {**answers, "sitting": "within-a-month"}
    assert "mla-c01" not in {e.certification.slug for e in check_result(model, soon).excluded}


def test_an_exam_no_longer_offered_in_the_persons_language_is_out(model):
    # MLA-C01's English exam ended on 28 Sep 2026.
    answers = {**WIZARD_ANSWERS, "cloud": "aws", "sitting": "within-a-month"}
    out = {e.certification.slug: e for e in check_result(model, answers).excluded}
    assert out["mla-c01"].kind == "language" and "English" in out["mla-c01"].why


def test_a_beta_is_offered_only_to_those_who_would_sit_one(model):
    answers = {**WIZARD_ANSWERS, "cloud": "aws", "beta": "no"}
    assert "mla-c02" in {e.certification.slug for e in check_result(model, answers).excluded}
    with_beta = check_result(model, {**answers, "beta": "yes"})
    assert "mla-c02" in {r.certification.slug for r in with_beta.ranking}


def test_a_retired_certification_that_would_have_won_is_named_with_its_successor(model):
    # A developer on Azure building AI apps: AI-102 was made for exactly this.
    result = rank(model=model, answers=WIZARD_ANSWERS, today=TODAY)
    out = {e.certification.slug: e for e in result.excluded}
    assert out["ai-102"].kind == "retired" and out["ai-102"].instead.slug == "ai-103"


def test_ties_are_broken_by_the_documented_rule():
    """Two certifications with identical weights: the one earlier in the catalog wins, and the
    result says it is a tie and how it was broken."""
    from types import SimpleNamespace

    from certs.models import Status

    choice = SimpleNamespace(slug="yes", label="Yes")
    question = SimpleNamespace(slug="q", text="Q?", offered=[choice])

    def cert(pk, slug):
        return Certification(pk=pk, slug=slug, short_name=slug.upper(), status=Status.ACTIVE)

    a, b = cert(1, "a"), cert(2, "b")
    weights = [
        SimpleNamespace(
            choice=SimpleNamespace(slug="yes", question=question),
            certification_id=c.pk,
            points=2,
            reason=f"{c.slug} fits",
        )
        for c in (b, a)
    ]
    model = build_model(questions=[question], certifications=[a, b], weights=weights)
    result = rank(model=model, answers={"q": "yes"}, today=datetime.date(2026, 11, 30))
    assert [r.certification.slug for r in result.ranking] == ["a", "b"]
    assert result.close and "catalog order" in result.tie_breaker
    assert result.deciding is None
