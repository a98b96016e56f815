"""The fit wizard's scoring, as plain data: answers in, a ranked and explained list out.

Nothing here knows about requests, forms or templates. The view validates the answers and
fetches the questions, weights and certifications once; `rank` does the rest.

Scoring: each answer adds its weight's points (from -3 to 3) to each certification it concerns.
Ranking (documented tie-break, so the same answers always give the same order):
  1. more points first;
  2. then the higher match percentage (points relative to what that certification could get);
  3. then a generally available exam before a beta or retiring one;
  4. then the catalog's order (vendor, position, slug).
Retired certifications are scored the same way but never ranked: when one would have made the
podium, the result says so and points to its successor.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from .models import Certification, Choice, Question, Status, Weight

CLOSE_MARGIN = 1  # points: a lead this small or smaller is "too close to call"
_STATUS_RANK = {Status.ACTIVE: 0, Status.BETA: 1, Status.RETIRING: 2, Status.RETIRED: 3}


@dataclass(frozen=True)
class Reason:
    question: str
    answer: str
    points: int
    text: str


@dataclass(frozen=True)
class Ranked:
    certification: Certification
    rank: int
    points: int
    match: int  # 0–100
    reasons_for: tuple[Reason, ...]
    reasons_against: tuple[Reason, ...]


@dataclass(frozen=True)
class Counterfactual:
    question: Question
    answer: str
    choice_slug: str
    leader: Certification


@dataclass(frozen=True)
class RetiredNote:
    certification: Certification
    would_rank: int
    successor: Certification | None


@dataclass(frozen=True)
class FitResult:
    ranking: tuple[Ranked, ...]
    deciding: Reason | None
    close: bool
    tie_breaker: str | None
    counterfactuals: tuple[Counterfactual, ...]
    retired: tuple[RetiredNote, ...]

    @property
    def top(self) -> Ranked:
        return self.ranking[0]

    @property
    def runner_up(self) -> Ranked | None:
        return self.ranking[1] if len(self.ranking) > 1 else None


@dataclass(frozen=True, slots=True)
class WeightRow:
    """What the scoring reads of a Weight. The wizard builds these from plain rows: three
    hundred of them are far cheaper than as many model instances."""

    choice: Choice
    certification_id: int
    points: int
    reason: str


@dataclass(frozen=True)
class Model:
    """Everything the scoring needs, fetched once: questions with their choices, weights by
    (question slug, choice slug, certification id), and the certifications in catalog order."""

    questions: tuple[Question, ...]
    certifications: tuple[Certification, ...]
    weights: Mapping[tuple[str, str, int], Weight | WeightRow]
    bounds: Mapping[int, tuple[int, int]]  # certification id -> (fewest, most) points possible


def build_model(
    *,
    questions: Sequence[Question],
    certifications: Sequence[Certification],
    weights: Sequence[Weight | WeightRow],
) -> Model:
    """Index the weights; `weights` must have choice and choice.question loaded."""
    index = {(w.choice.question.slug, w.choice.slug, w.certification_id): w for w in weights}
    bounds = {}
    for cert in certifications:
        worst = best = 0
        for question in questions:
            # An answer with no weight for this certification counts 0.
            options = [
                index[key].points if (key := (question.slug, c.slug, cert.pk)) in index else 0
                for c in question.choices.all()
            ]
            worst, best = worst + min(options), best + max(options)
        bounds[cert.pk] = (worst, best)
    return Model(
        questions=tuple(questions),
        certifications=tuple(certifications),
        weights=index,
        bounds=bounds,
    )


def _points(model: Model, answers: Mapping[str, str], cert: Certification) -> int:
    total = 0
    for question, choice in answers.items():
        weight = model.weights.get((question, choice, cert.pk))
        if weight is not None:
            total += weight.points
    return total


def _match(model: Model, points: int, cert: Certification) -> int:
    worst, best = model.bounds[cert.pk]
    if best == worst:
        return 50
    return round(100 * (points - worst) / (best - worst))


def _scored(model: Model, answers: Mapping[str, str]):
    """(order key, certification, points, match) for every certification, best first."""
    scored = []
    for position, cert in enumerate(model.certifications):
        points = _points(model, answers, cert)
        match = _match(model, points, cert)
        key = (-points, -match, _STATUS_RANK[cert.status], position)
        scored.append((key, cert, points, match))
    scored.sort(key=lambda item: item[0])
    return scored


def _leader(model: Model, answers: Mapping[str, str]) -> Certification:
    return next(cert for _, cert, _, _ in _scored(model, answers) if cert.is_bookable)


def _reasons(model: Model, answers: Mapping[str, str], cert: Certification) -> list[Reason]:
    reasons = []
    for question in model.questions:
        slug = answers.get(question.slug)
        weight = model.weights.get((question.slug, slug, cert.pk))
        if weight is None:
            continue
        label = next(c.label for c in question.choices.all() if c.slug == slug)
        reasons.append(Reason(question.text, label, weight.points, weight.reason))
    # Strongest first; equal strength keeps the questions' order (sort is stable).
    return sorted(reasons, key=lambda r: -abs(r.points))


def rank(*, model: Model, answers: Mapping[str, str]) -> FitResult:
    """Rank every bookable certification for `answers` ({question slug: choice slug}, one per
    question) and explain the result."""
    scored = _scored(model, answers)
    ranking: list[Ranked] = []
    retired: list[tuple[Certification, int]] = []
    for _, cert, points, match in scored:
        if not cert.is_bookable:
            retired.append((cert, len(ranking) + 1))
            continue
        reasons = _reasons(model, answers, cert)
        ranking.append(
            Ranked(
                certification=cert,
                rank=len(ranking) + 1,
                points=points,
                match=match,
                reasons_for=tuple(r for r in reasons if r.points > 0),
                reasons_against=tuple(r for r in reasons if r.points < 0),
            )
        )

    top = ranking[0]
    runner = ranking[1] if len(ranking) > 1 else None
    deciding, close, tie_breaker = None, False, None
    if runner is not None:
        close = top.points - runner.points <= CLOSE_MARGIN
        deciding = _deciding(model, answers, top.certification, runner.certification)
        if top.points == runner.points:
            tie_breaker = _tie_breaker(top, runner)

    counterfactuals = []
    for question in model.questions:
        current = answers.get(question.slug)
        for choice in question.choices.all():
            if choice.slug == current:
                continue
            leader = _leader(model, {**answers, question.slug: choice.slug})
            if leader != top.certification:
                counterfactuals.append(Counterfactual(question, choice.label, choice.slug, leader))
                break  # one per question keeps the list readable

    podium = 3
    notes = tuple(
        RetiredNote(cert, would_rank, cert.public_successor)
        for cert, would_rank in retired
        if would_rank <= podium
    )
    return FitResult(
        ranking=tuple(ranking),
        deciding=deciding,
        close=close,
        tie_breaker=tie_breaker,
        counterfactuals=tuple(counterfactuals),
        retired=notes,
    )


def _deciding(model, answers, top: Certification, runner: Certification) -> Reason | None:
    """The answer that did most to put `top` ahead of `runner` (None if none favoured it)."""
    best, best_gap = None, 0
    for question in model.questions:
        slug = answers.get(question.slug)
        top_w = model.weights.get((question.slug, slug, top.pk))
        runner_w = model.weights.get((question.slug, slug, runner.pk))
        gap = (top_w.points if top_w else 0) - (runner_w.points if runner_w else 0)
        if gap > best_gap:
            label = next(c.label for c in question.choices.all() if c.slug == slug)
            best, best_gap = Reason(question.text, label, gap, top_w.reason if top_w else ""), gap
    return best


def _tie_breaker(top: Ranked, runner: Ranked) -> str:
    first, second = top.certification, runner.certification
    if top.match != runner.match:
        return (
            f"{first.short_name} and {second.short_name} have the same points; "
            f"{first.short_name} ranks first because more of what it rewards matches your "
            f"answers ({top.match}% against {runner.match}%)."
        )
    if _STATUS_RANK[first.status] != _STATUS_RANK[second.status]:
        return (
            f"{first.short_name} and {second.short_name} score the same; {first.short_name} "
            f"ranks first because it is {first.get_status_display().lower()}, while "
            f"{second.short_name} is {second.get_status_display().lower()}."
        )
    return (
        f"{first.short_name} and {second.short_name} score exactly the same; they are listed "
        "in catalog order, which says nothing about which is better for you."
    )
