"""The fit wizard's advice, as plain data: answers in, a ranked and explained list out.

Nothing here knows about requests, forms or templates. The view validates the answers and
fetches the questions, weights and certifications once; `rank` does the rest.

Eligibility comes before preference. A certification is not ranked with the others when:
  - it tests another vendor's platform than the one the person works on (it is listed apart,
    under "if you move to another platform", with the place it would have had);
  - it is retired, or retires before the person plans to sit it (its successor is named);
  - only some people may sit it (staff of partner firms) and the person chose another platform;
  - it is only announced, not yet bookable;
  - it is a beta and the person would not sit one, or its testing window ends before they can.
A certification that requires another stays ranked: the requirement is shown as a step ("take
AI-103 first"), as is a credential that passing it renews.
Preferences then order what is left: each answer adds its weight's points (from -3 to 3,
editable in the admin with the reason shown) to each certification it concerns.

One score on one scale: a certification's points as a share of the most points any
certification could earn from these very answers (0–100, below zero counts as 0). Every
certification is measured against the same ceiling, so a lower rank never shows a higher score.
Order: more points first; then a launched exam before a beta or a retiring one; then catalog
order (vendor, position, slug). The result says when the tie-break decided.
"""

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from .models import Certification, Choice, Language, Question, Relation, Status, Weight

CLOSE_MARGIN = 1  # points: a lead this small or smaller is "too close to call"
_STATUS_RANK = {
    Status.ACTIVE: 0,
    Status.BETA: 1,
    Status.RETIRING: 2,
    Status.ANNOUNCED: 3,
    Status.RETIRED: 4,
}
PLATFORM_QUESTION, SITTING_QUESTION, BETA_QUESTION = "cloud", "sitting", "beta"
LANGUAGE_QUESTION, HELD_QUESTION = "language", "held"
# The answers that decide who can sit what (the others only weigh preferences).
ELIGIBILITY_QUESTIONS = {PLATFORM_QUESTION, SITTING_QUESTION, BETA_QUESTION, LANGUAGE_QUESTION}
# The earliest day the person can sit the exam, in days from today, by their answer: an exam
# that stops before then is out of reach.
SITTING_FROM_DAYS = {"within-a-month": 14, "one-to-three-months": 31, "later": 92}
STRONG_FIT, POSSIBLE_FIT = 70, 40  # score thresholds for the plain label


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
    score: int  # 0–100, against the same ceiling for every certification
    reasons_for: tuple[Reason, ...]
    reasons_against: tuple[Reason, ...]
    steps: tuple[str, ...] = ()  # what to do first or alongside, from the relations

    @property
    def label(self) -> str:
        if self.score >= STRONG_FIT:
            return "Strong fit"
        if self.score >= POSSIBLE_FIT:
            return "Possible fit"
        return "Not for you"


@dataclass(frozen=True)
class Counterfactual:
    question: Question
    answer: str
    choice_slug: str
    leader: Certification


@dataclass(frozen=True)
class Excluded:
    """A certification left out of the ranking, and why, in plain words."""

    certification: Certification
    kind: str  # "eligibility", "retired", "retires-first", "language", "announced", "beta"
    why: str
    instead: Certification | None  # its successor, where there is one
    would_rank: int


@dataclass(frozen=True)
class ElsewhereRanked:
    """An exam on another platform, with the place it would have had among the person's."""

    certification: Certification
    would_rank: int
    score: int


@dataclass(frozen=True)
class FitResult:
    ranking: tuple[Ranked, ...]
    deciding: Reason | None
    close: bool
    tie_breaker: str | None
    counterfactuals: tuple[Counterfactual, ...]
    excluded: tuple[Excluded, ...]
    elsewhere: tuple[ElsewhereRanked, ...]
    platform: str  # the platform's label, or "" when every platform counts
    # the platform chosen when nothing on it was open to the person, so every platform counts
    widened_from: str = ""

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
    (question slug, choice slug, certification id), and the certifications in catalog order
    (with `public_successor` set)."""

    questions: tuple[Question, ...]
    certifications: tuple[Certification, ...]
    weights: Mapping[tuple[str, str, int], Weight | WeightRow]
    # certification id -> {language code: last day or None}; absent: languages not confirmed
    languages: Mapping[int, Mapping[str, datetime.date | None]]
    # certification id -> ((relation kind, the other certification's name), …)
    relations: Mapping[int, tuple[tuple[str, str], ...]] = field(default_factory=dict)


def build_model(
    *,
    questions: Sequence[Question],
    certifications: Sequence[Certification],
    weights: Sequence[Weight | WeightRow],
    languages: Sequence[tuple[int, str, datetime.date | None]] = (),
    relations: Sequence[tuple[int, str, str]] = (),
) -> Model:
    """Index the weights (`weights` must have choice and choice.question loaded), the exam
    languages, given as (certification id, language code, last day or None) rows, and the
    relations, as (certification id, relation kind, the other one's name) rows."""
    index = {(w.choice.question.slug, w.choice.slug, w.certification_id): w for w in weights}
    offered: dict[int, dict[str, datetime.date | None]] = {}
    for cert_id, language, until in languages:
        offered.setdefault(cert_id, {})[language] = until
    related: dict[int, tuple[tuple[str, str], ...]] = {}
    for cert_id, kind, name in relations:
        related[cert_id] = (*related.get(cert_id, ()), (kind, name))
    return Model(
        questions=tuple(questions),
        certifications=tuple(certifications),
        weights=index,
        languages=offered,
        relations=related,
    )


def _points(model: Model, answers: Mapping[str, str], cert: Certification) -> int:
    total = 0
    for question, choice in answers.items():
        weight = model.weights.get((question, choice, cert.pk))
        if weight is not None:
            total += weight.points
    return total


def _ceiling(model: Model, answers: Mapping[str, str]) -> int:
    """The most points any certification could earn from these answers: for each answer, the
    best weight any certification has for it (none below zero)."""
    best: dict[str, int] = {}
    for (question, choice, _), weight in model.weights.items():
        if answers.get(question) == choice:
            best[question] = max(best.get(question, 0), weight.points)
    return sum(best.values())


def _choice(model: Model, question_slug: str, choice_slug: str | None) -> Choice | None:
    for question in model.questions:
        if question.slug == question_slug:
            return next((c for c in question.offered if c.slug == choice_slug), None)
    return None


def _exclusion(model, cert, answers, today, platform) -> tuple[str, str] | None:
    """Why this certification cannot be taken by this person, as (kind, plain words)."""
    if cert.eligibility_limit and (platform is None or platform.platform_id != cert.vendor_id):
        return "eligibility", f"Only {cert.eligibility_limit} can sit it."
    if cert.status == Status.RETIRED:
        return "retired", f"It retired on {cert.status_date:%-d %B %Y} and can no longer be booked."
    days = SITTING_FROM_DAYS.get(answers.get(SITTING_QUESTION), 0)
    sit_from = today + datetime.timedelta(days=days)
    if cert.status == Status.RETIRING and cert.status_date and cert.status_date < sit_from:
        return (
            "retires-first",
            f"It retires on {cert.status_date:%-d %B %Y}, before the time you plan to sit it.",
        )
    language = _choice(model, LANGUAGE_QUESTION, answers.get(LANGUAGE_QUESTION))
    offered = model.languages.get(cert.pk)
    if language is not None and offered and language.slug in Language.values:
        if language.slug not in offered:
            return "language", f"It is not offered in {language.label}."
        until = offered[language.slug]
        if until is not None and until < today:
            return "language", f"Its {language.label} exam ended on {until:%-d %B %Y}."
        if until is not None and until < sit_from:
            return (
                "language",
                f"Its {language.label} exam ends on {until:%-d %B %Y}, before you can sit it.",
            )
    if cert.status == Status.ANNOUNCED:
        return (
            "announced",
            "It has been announced but cannot be booked yet, and our sources give no date "
            "from which it can.",
        )
    if cert.status == Status.BETA and answers.get(BETA_QUESTION) == "no":
        return "beta", "It is still a beta exam, and you would rather sit a launched one."
    if cert.status == Status.BETA and cert.beta_ends_on and cert.beta_ends_on < sit_from:
        ends = f"{cert.beta_ends_on:%-d %B %Y}"
        if cert.beta_ends_on < today:
            return "beta", f"Its beta testing window closed on {ends}, so it cannot be booked."
        return "beta", f"Its beta testing window closes on {ends}, before you can sit it."
    return None


def _scored(model: Model, answers: Mapping[str, str], points: Mapping[int, int] | None = None):
    """(order key, certification, points) for every certification, best first. `points`
    ({certification id: points}) when the caller already knows them."""
    scored = []
    for position, cert in enumerate(model.certifications):
        total = points[cert.pk] if points is not None else _points(model, answers, cert)
        scored.append(((-total, _STATUS_RANK[cert.status], position), cert, total))
    scored.sort(key=lambda item: item[0])
    return scored


def _platform(model: Model, answers: Mapping[str, str]) -> Choice | None:
    choice = _choice(model, PLATFORM_QUESTION, answers.get(PLATFORM_QUESTION))
    return choice if choice is not None and choice.platform_id else None


def _places(
    model: Model,
    answers: Mapping[str, str],
    today: datetime.date,
    *,
    strict=True,
    points=None,
    exclusions=None,
):
    """Split every certification into (ranked, elsewhere, excluded), in score order, with the
    platform choice that decided what is elsewhere. Should nothing on the person's platform
    be open to them (`strict` fails), every platform counts (and that choice is None).
    `points` and `exclusions` ({certification id: (kind, why) or None} for the chosen
    platform) when the caller already knows them."""
    platform = _platform(model, answers) if strict else None
    ranked, elsewhere, excluded = [], [], []
    for _, cert, total in _scored(model, answers, points):
        if exclusions is not None and strict:
            why = exclusions[cert.pk]
        else:
            why = _exclusion(model, cert, answers, today, platform)
        place = len(ranked) + 1
        if platform is not None and cert.vendor_id != platform.platform_id:
            if why is None:
                elsewhere.append((cert, total, place))
        elif why is not None:
            excluded.append((cert, total, place, why))
        else:
            ranked.append((cert, total))
    if not ranked and strict:
        return _places(model, answers, today, strict=False, points=points)
    return ranked, elsewhere, excluded, platform


def _leader(model, answers, today, points=None, exclusions=None) -> Certification | None:
    """Who `_places` would rank first, found without placing the others (the counterfactuals
    ask dozens of times a page): in score order, the first certification on the person's
    platform that is open to them; failing that, the first open to them on any platform."""
    order = [cert for _, cert, _ in _scored(model, answers, points)]
    platform = _platform(model, answers)
    for cert in order:
        if platform is not None and cert.vendor_id != platform.platform_id:
            continue
        if exclusions is not None:
            why = exclusions[cert.pk]
        else:
            why = _exclusion(model, cert, answers, today, platform)
        if why is None:
            return cert
    return next((c for c in order if _exclusion(model, c, answers, today, None) is None), None)


def _reasons(model: Model, answers: Mapping[str, str], cert: Certification) -> list[Reason]:
    reasons = []
    for question in model.questions:
        slug = answers.get(question.slug)
        weight = model.weights.get((question.slug, slug, cert.pk))
        if weight is None:
            continue
        label = next(c.label for c in question.offered if c.slug == slug)
        reasons.append(Reason(question.text, label, weight.points, weight.reason))
    # Strongest first; equal strength keeps the questions' order (sort is stable).
    return sorted(reasons, key=lambda r: -abs(r.points))


def _steps(model: Model, answers: Mapping[str, str], cert: Certification) -> tuple[str, ...]:
    """What to do before or alongside this certification, from its relations, in plain
    words. The wizard asks what level a person already holds, not which credential, so a
    requirement is a step for everyone but is put more firmly to someone who holds nothing."""
    held = answers.get(HELD_QUESTION, "nothing")
    steps = []
    if cert.eligibility_limit:
        steps.append(f"Check that you may sit it: only {cert.eligibility_limit} can.")
    for kind, other in model.relations.get(cert.pk, ()):
        if kind == Relation.Kind.REQUIRES:
            steps.append(
                f"Take {other} first: {cert.short_name} requires it."
                if held == "nothing"
                else f"{cert.short_name} requires {other}: take it first unless you hold it."
            )
        elif kind == Relation.Kind.RECOMMENDED_BEFORE:
            steps.append(f"{other} is best taken before {cert.short_name}.")
        elif kind == Relation.Kind.RENEWS and held != "nothing":
            steps.append(f"Passing {cert.short_name} also renews {other}, if you hold it.")
    return tuple(steps)


def _score(points: int, ceiling: int) -> int:
    return max(0, min(100, round(100 * points / ceiling))) if ceiling > 0 else 0


def rank(*, model: Model, answers: Mapping[str, str], today: datetime.date) -> FitResult:
    """Rank the certifications this person can take for `answers` ({question slug: choice
    slug}, one per question), set the others apart with the reason, and explain the result."""
    ceiling = _ceiling(model, answers)
    eligible, elsewhere, excluded, platform = _places(model, answers, today)
    chosen = _platform(model, answers)
    ranking = []
    for cert, points in eligible:
        reasons = _reasons(model, answers, cert)
        ranking.append(
            Ranked(
                certification=cert,
                rank=len(ranking) + 1,
                points=points,
                score=_score(points, ceiling),
                reasons_for=tuple(r for r in reasons if r.points > 0),
                reasons_against=tuple(r for r in reasons if r.points < 0),
                steps=_steps(model, answers, cert),
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
    return FitResult(
        ranking=tuple(ranking),
        deciding=deciding,
        close=close,
        tie_breaker=tie_breaker,
        counterfactuals=_counterfactuals(model, answers, top.certification, today),
        excluded=tuple(
            Excluded(cert, kind, why, cert.public_successor, place)
            for cert, _, place, (kind, why) in excluded
            if kind != "retired" or place <= 3  # a retired exam only when it would have placed
        ),
        elsewhere=tuple(
            ElsewhereRanked(cert, place, _score(points, ceiling))
            for cert, points, place in elsewhere
        ),
        platform=platform.label if platform else "",
        widened_from=chosen.label if chosen and not platform else "",
    )


def _counterfactuals(model, answers, leader, today) -> tuple[Counterfactual, ...]:
    """For each question, the first other answer that would put another exam first."""
    found = []
    base = {cert.pk: _points(model, answers, cert) for cert in model.certifications}
    platform = _platform(model, answers)
    out = {c.pk: _exclusion(model, c, answers, today, platform) for c in model.certifications}

    def weight(question, choice, cert):
        row = model.weights.get((question, choice, cert.pk))
        return row.points if row is not None else 0

    for question in model.questions:
        current = answers.get(question.slug)
        for choice in question.offered:
            if choice.slug == current:
                continue
            # One answer changes: each certification's points change by that answer's weights
            # alone, so there is no need to add up every answer again (dozens of times a page).
            points = {
                cert.pk: base[cert.pk]
                - weight(question.slug, current, cert)
                + weight(question.slug, choice.slug, cert)
                for cert in model.certifications
            }
            alternative = {**answers, question.slug: choice.slug}
            # Likewise who is left out changes only with an answer about eligibility.
            same_out = question.slug not in ELIGIBILITY_QUESTIONS
            other = _leader(model, alternative, today, points, out if same_out else None)
            if other is not None and other != leader:
                found.append(Counterfactual(question, choice.label, choice.slug, other))
                break  # one per question keeps the list readable
    return tuple(found)


def _deciding(model, answers, top: Certification, runner: Certification) -> Reason | None:
    """The answer that did most to put `top` ahead of `runner` (None if none favoured it)."""
    best, best_gap = None, 0
    for question in model.questions:
        slug = answers.get(question.slug)
        top_w = model.weights.get((question.slug, slug, top.pk))
        runner_w = model.weights.get((question.slug, slug, runner.pk))
        gap = (top_w.points if top_w else 0) - (runner_w.points if runner_w else 0)
        if gap > best_gap:
            label = next(c.label for c in question.offered if c.slug == slug)
            best, best_gap = Reason(question.text, label, gap, top_w.reason if top_w else ""), gap
    return best


def _tie_breaker(top: Ranked, runner: Ranked) -> str:
    first, second = top.certification, runner.certification
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
