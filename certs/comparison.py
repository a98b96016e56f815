"""Side-by-side comparison of certifications, as plain data.

Nothing here knows about requests or templates: the view fetches the rows with a constant
number of queries and hands them over; these functions arrange them, mark differences, move
the visitor's priorities to the top, derive the cost of holding each certification, measure how
much of each blueprint the others share, and say who leads on what matters to the visitor.
"""

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.urls import reverse

from .models import Category, Certification, Feature, Priority, Source, Status, Topic, Value

MIN_COMPARED, MAX_COMPARED = 2, 4
SEPARATOR = "-vs-"
COST_HORIZONS = (1, 3, 5)  # years
FEE, RENEWAL_COST, VALIDITY = "exam-fee", "renewal-cost", "validity"


class BadSelection(ValidationError):
    """A set of certifications that cannot be compared (wrong count, repeated)."""


def catalog_key(cert: Certification):
    """The order of a comparison's columns and of the slugs in its canonical URL: by vendor
    slug, not by the vendors' display order, so that staff reordering vendors never moves
    every shared comparison to a new address."""
    return (cert.vendor_id, cert.order, cert.slug)


def split_slugs(text: str) -> list[str]:
    """'PMLE-vs-ai-103' -> ['pmle', 'ai-103']; raises BadSelection on a wrong count or a repeat."""
    slugs = [part.strip().lower() for part in text.strip("/").split(SEPARATOR)]
    if any(not slug for slug in slugs):
        raise BadSelection("The address has an empty name between two “-vs-”.")
    return check_selection(slugs)


def check_selection(slugs: list[str]) -> list[str]:
    """Raise BadSelection unless `slugs` names 2 to 4 different certifications."""
    if len(set(slugs)) != len(slugs):
        raise BadSelection("The same certification appears twice; compare different ones.")
    if not MIN_COMPARED <= len(slugs) <= MAX_COMPARED:
        raise BadSelection(
            f"Compare from {MIN_COMPARED} to {MAX_COMPARED} certifications; the address names "
            f"{len(slugs)}."
        )
    return slugs


def canonical_path_part(certifications: Iterable[Certification]) -> str:
    """The one spelling of a set of certifications: catalog order, lower case."""
    return SEPARATOR.join(c.slug for c in sorted(certifications, key=catalog_key))


# The matrix ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    certification: Certification
    value: Value | None
    source_number: int | None = None  # its source's place in the page's numbered source list


@dataclass(frozen=True)
class Row:
    feature: Feature
    cells: tuple[Cell, ...]
    differs: bool
    highlighted: bool = False


@dataclass(frozen=True)
class Group:
    category: Category | None  # None: the visitor's priorities, moved to the top
    rows: tuple[Row, ...]

    @property
    def name(self) -> str:
        return self.category.name if self.category else "Your priorities"


@dataclass(frozen=True)
class Matrix:
    certifications: tuple[Certification, ...]
    groups: tuple[Group, ...]
    sources: tuple[Source, ...]
    hidden_identical: int = 0

    @property
    def rows(self) -> tuple[Row, ...]:
        return tuple(row for group in self.groups for row in group.rows)

    @property
    def marks_same(self) -> bool:
        """When most rows differ, a "differs" mark on each says nothing: mark the rows that
        are the same instead."""
        rows = self.rows
        return sum(row.differs for row in rows) * 2 > len(rows)

    @property
    def marking(self) -> str:
        """The one sentence that says what the row marks mean on this table."""
        rows = self.rows
        differing = sum(row.differs for row in rows)
        if differing == len(rows):
            return f"All {len(rows)} rows shown differ, so none is marked."
        if self.marks_same:
            same = len(rows) - differing
            return (
                f"{differing} of {len(rows)} rows differ, so only the {same} row"
                f"{'s' if same > 1 else ''} where they are the same "
                f"{'are' if same > 1 else 'is'} marked “same”."
            )
        if not differing:
            return "Every row is the same for all of them."
        return f"{differing} of {len(rows)} rows differ; they are marked “differs”."


def _comparable(value: Value | None) -> str | None:
    if value is None:
        return None
    return " ".join(value.display.casefold().split())


def build_matrix(
    *,
    certifications: Sequence[Certification],
    features: Iterable[Feature],
    values: Iterable[Value],
    priorities: Sequence[Priority] = (),
    only_differences: bool = False,
) -> Matrix:
    """Arrange `values` into rows (one per feature, grouped by category in the features' order)
    with one cell per certification. Rows whose cells differ are marked; the rows of the chosen
    `priorities` move to a first group and are highlighted; with `only_differences`, identical
    rows are dropped and counted. Sources are listed in order of first appearance."""
    by_key = {(v.certification_id, v.feature_id): v for v in values}
    wanted = [p.feature_id for p in priorities if p.feature_id]
    top: dict[int, Row] = {}
    groups: list[Group] = []
    hidden = 0
    for category, rows in _by_category(features):
        kept = []
        for feature in rows:
            cells = tuple(Cell(c, by_key.get((c.pk, feature.pk))) for c in certifications)
            differs = len({_comparable(cell.value) for cell in cells}) > 1
            if only_differences and not differs:
                hidden += 1
                continue
            if feature.pk in wanted:
                top[feature.pk] = Row(feature, cells, differs, highlighted=True)
            else:
                kept.append(Row(feature, cells, differs))
        if kept:
            groups.append(Group(category, tuple(kept)))
    if top:
        ordered = tuple(top[pk] for pk in dict.fromkeys(wanted) if pk in top)
        groups.insert(0, Group(None, ordered))

    sources: dict[int, Source] = {}
    for row in (row for group in groups for row in group.rows):
        for cell in row.cells:
            if cell.value is not None and cell.value.source is not None:
                sources.setdefault(cell.value.source.pk, cell.value.source)
    number = {pk: n for n, pk in enumerate(sources, start=1)}
    numbered = tuple(
        Group(
            group.category,
            tuple(
                replace(
                    row,
                    cells=tuple(
                        replace(cell, source_number=number.get(cell.value.source_id))
                        if cell.value is not None
                        else cell
                        for cell in row.cells
                    ),
                )
                for row in group.rows
            ),
        )
        for group in groups
    )
    return Matrix(
        certifications=tuple(certifications),
        groups=numbered,
        sources=tuple(sources.values()),
        hidden_identical=hidden,
    )


def _by_category(features: Iterable[Feature]):
    current, rows = None, []
    for feature in features:
        if current is not None and feature.category_id != current.pk:
            yield current, rows
            rows = []
        current = feature.category
        rows.append(feature)
    if current is not None:
        yield current, rows


# Cost of holding a certification --------------------------------------------------------------


@dataclass(frozen=True)
class CostCell:
    certification: Certification
    years: int
    total: Decimal | None  # None: cannot be computed from the stored facts
    currency: str
    explanation: str
    facts: tuple[Value, ...]

    @property
    def shown_total(self) -> str:
        return money(self.total, self.currency) if self.total is not None else ""


@dataclass(frozen=True)
class CostRow:
    years: int
    cells: tuple[CostCell, ...]

    @property
    def slug(self) -> str:
        return f"cost-{self.years}-year{'s' if self.years > 1 else ''}"


def money(amount: Decimal, currency: str) -> str:
    """'USD 1,234.50', or 'USD 150' for a whole amount."""
    text = f"{amount:,.2f}".removesuffix(".00")
    return f"{currency} {text}".strip()


def cost_of_holding(
    *,
    certification: Certification,
    years: int,
    fee: Value | None,
    renewal_cost: Value | None,
    validity: Value | None,
) -> CostCell:
    """What it costs to earn the certification and keep it valid for `years`, from its sourced
    exam fee, renewal cost and validity. Fees stay in the vendor's currency."""
    facts = tuple(v for v in (fee, renewal_cost, validity) if v is not None)

    def unknown(why: str) -> CostCell:
        return CostCell(certification, years, None, "", why, facts)

    if certification.is_retired:
        return unknown("Cannot be earned any more: the exam has retired.")
    if fee is None or fee.amount is None:
        return unknown("Not computable: the exam fee is not published in our sources.")
    currency = fee.unit or "USD"
    never_expires = (
        validity is not None
        and validity.amount is None
        and (validity.availability == Value.Availability.STATED)
    )
    if never_expires:
        return CostCell(
            certification,
            years,
            fee.amount,
            currency,
            f"{money(fee.amount, currency)} exam fee; the credential does not expire.",
            facts,
        )
    if validity is None or validity.amount is None:
        return unknown("Not computable: the validity period is not known.")
    months = int(validity.amount)
    renewals = max(0, math.ceil(years * 12 / months) - 1)
    if renewals == 0:
        return CostCell(
            certification,
            years,
            fee.amount,
            currency,
            f"{money(fee.amount, currency)} exam fee; valid for {months} months, so no renewal "
            f"within {years} year{'s' if years > 1 else ''}.",
            facts,
        )
    if renewal_cost is None or renewal_cost.amount is None:
        return unknown(
            f"Not computable: {renewals} renewal{'s' if renewals > 1 else ''} needed, but the "
            "renewal cost is not stated in our sources."
        )
    total = fee.amount + renewals * renewal_cost.amount
    renewal_text = (
        "free" if renewal_cost.amount == 0 else money(renewal_cost.amount, currency) + " each"
    )
    return CostCell(
        certification,
        years,
        total,
        currency,
        f"{money(fee.amount, currency)} exam fee + {renewals} renewal"
        f"{'s' if renewals > 1 else ''} every {months} months ({renewal_text}) = "
        f"{money(total, currency)}.",
        facts,
    )


def cost_rows(
    *, certifications: Sequence[Certification], values: Iterable[Value]
) -> tuple[CostRow, ...]:
    """The cost of holding each certification over each horizon in COST_HORIZONS: a row per
    horizon, a cell per certification, from its exam fee, renewal cost and validity."""
    by_key = {(v.certification_id, v.feature.slug): v for v in values}
    return tuple(
        CostRow(
            years,
            tuple(
                cost_of_holding(
                    certification=c,
                    years=years,
                    fee=by_key.get((c.pk, FEE)),
                    renewal_cost=by_key.get((c.pk, RENEWAL_COST)),
                    validity=by_key.get((c.pk, VALIDITY)),
                )
                for c in certifications
            ),
        )
        for years in COST_HORIZONS
    )


# Skills overlap -------------------------------------------------------------------------------


class DomainTopic(NamedTuple):
    """One skill domain of a current blueprint with one of its topics (None when untagged): a
    plain row, since the overlap needs only ids and weights."""

    domain_id: int
    certification_id: int
    weight_min: Decimal
    weight_max: Decimal
    topic_id: int | None
    name: str = ""  # for the domain-weight chart
    order: int = 0


@dataclass(frozen=True)
class Share:
    certification: Certification
    percent: int  # of its weighted blueprint whose topics another compared certification tests
    others: tuple[Certification, ...]


@dataclass(frozen=True)
class TopicRow:
    topic: Topic
    percents: tuple[int, ...]  # per certification: share of its blueprint touching this topic

    @property
    def shaded(self) -> tuple[tuple[int, int], ...]:
        """(percent, shade from 0 for none to 4 for half the blueprint or more) per cell."""
        return tuple((p, sum(p >= step for step in (1, 15, 30, 50))) for p in self.percents)


@dataclass(frozen=True)
class Overlap:
    shares: tuple[Share, ...]
    grid: tuple[TopicRow, ...]


def skills_overlap(
    *,
    certifications: Sequence[Certification],
    domains: Iterable[DomainTopic],
    topics: Mapping[int, Topic],
) -> Overlap:
    """For each certification, the share of its current blueprint (domains weighted by the
    middle of their published range) whose topics at least one other compared certification
    also tests; and a topic-by-certification grid. `topics` maps the ids in `domains` to
    topics."""
    domains_of: dict[int, list[int]] = {c.pk: [] for c in certifications}
    weight: dict[int, Decimal] = {}
    topics_of_domain: dict[int, set[int]] = {}
    for row in domains:
        if row.certification_id not in domains_of:
            continue
        if row.domain_id not in weight:
            weight[row.domain_id] = (row.weight_min + row.weight_max) / 2
            domains_of[row.certification_id].append(row.domain_id)
            topics_of_domain[row.domain_id] = set()
        if row.topic_id is not None:
            topics_of_domain[row.domain_id].add(row.topic_id)
    topics_of = {
        c.pk: set().union(*(topics_of_domain[d] for d in domains_of[c.pk])) for c in certifications
    }
    totals = {c.pk: sum((weight[d] for d in domains_of[c.pk]), Decimal(0)) for c in certifications}

    def percent_of(cert, topic_ids: set[int]) -> int:
        """The share of the certification's blueprint weight in domains touching any of
        `topic_ids`."""
        part = sum((weight[d] for d in domains_of[cert.pk] if topics_of_domain[d] & topic_ids), 0)
        return round(100 * part / totals[cert.pk]) if totals[cert.pk] else 0

    shares = []
    for cert in certifications:
        others = [c for c in certifications if c.pk != cert.pk]
        elsewhere = set().union(*(topics_of[o.pk] for o in others))
        shares.append(Share(cert, percent_of(cert, elsewhere), tuple(others)))

    grid = []
    tested = (topics[pk] for pk in set().union(*topics_of.values()))
    for topic in sorted(tested, key=lambda t: (t.order, t.slug)):
        percents = tuple(percent_of(cert, {topic.pk}) for cert in certifications)
        grid.append(TopicRow(topic, percents))
    return Overlap(shares=tuple(shares), grid=tuple(grid))


# The personal verdict -------------------------------------------------------------------------


@dataclass(frozen=True)
class Lead:
    """Who leads on one priority the visitor chose, and the figure that puts them ahead (or why
    nobody does)."""

    priority: Priority
    leaders: tuple[Certification, ...]  # empty when the row cannot be ranked
    detail: str


@dataclass(frozen=True)
class Verdict:
    """The answer to "which one, on my priorities?": a lead per priority, then the one
    certification that leads on most of them (None on a tie) and a sentence saying so."""

    leads: tuple[Lead, ...]
    leader: Certification | None
    summary: str


def _score(priority: Priority, value: Value | None, topic_share: int | None) -> Decimal | None:
    if priority.topic_id:
        return Decimal(topic_share) if topic_share is not None else None
    if value is None or value.availability != Value.Availability.STATED:
        return None
    if value.amount is None:
        # "Does not expire" is the longest validity there is.
        if value.feature.kind == Feature.Kind.MONTHS:
            return Decimal("Infinity")
        return None
    return value.amount


def personal_verdict(
    *,
    certifications: Sequence[Certification],
    priorities: Sequence[Priority],
    values: Iterable[Value],
    overlap: Overlap | None = None,
) -> Verdict | None:
    """Who leads on each chosen priority, and overall. Ties on a priority are shared; an overall
    tie is broken by catalog order, and the summary says so. None when nothing was chosen."""
    if not priorities:
        return None
    by_key = {(v.certification_id, v.feature_id): v for v in values}
    topic_share = {}
    if overlap is not None:
        measured = [share.certification for share in overlap.shares]
        for row in overlap.grid:
            for cert, percent in zip(measured, row.percents, strict=True):
                topic_share[(cert.pk, row.topic.pk)] = percent
    leads = []
    for priority in priorities:
        if priority.prefer == Priority.Prefer.NEITHER:
            leads.append(Lead(priority, (), "No better or worse here: compare the row yourself."))
            continue
        scores = {}
        for cert in certifications:
            value = by_key.get((cert.pk, priority.feature_id)) if priority.feature_id else None
            share = topic_share.get((cert.pk, priority.topic_id), 0) if priority.topic_id else None
            score = _score(priority, value, share)
            if score is not None:
                scores[cert.pk] = (cert, score, value)
        if len(scores) < 2:
            leads.append(Lead(priority, (), "Not enough published figures to rank this."))
            continue
        pick = min if priority.prefer == Priority.Prefer.LOWER else max
        best = pick(score for _, score, _ in scores.values())
        leaders = tuple(c for c, score, _ in scores.values() if score == best)
        if priority.topic_id:
            detail = f"about {int(best)}% of the blueprint"
        else:
            sample = next(v for c, s, v in scores.values() if s == best)
            detail = sample.display
        missing = len(certifications) - len(scores)
        if missing:
            detail += f" ({missing} without a published figure)"
        leads.append(Lead(priority, leaders, detail))

    wins: dict[int, int] = {}
    for lead in leads:
        for cert in lead.leaders:
            wins[cert.pk] = wins.get(cert.pk, 0) + 1
    ranked = [c for c in certifications if c.pk in wins]
    if not ranked:
        return Verdict(
            tuple(leads), None, "None of your priorities separates these certifications."
        )
    most = max(wins.values())
    top = [c for c in ranked if wins[c.pk] == most]
    leader = min(top, key=catalog_key)
    decided = [lead for lead in leads if lead.leaders]
    ranked_text = f"{len(decided)} ranked priorit{'y' if len(decided) == 1 else 'ies'}"
    if len(top) > 1:
        names = " and ".join(c.short_name for c in top)
        summary = f"{names} each lead on {most} of your {ranked_text}: a tie, so weigh the rows."
    else:
        on = ", ".join(lead.priority.label for lead in leads if leader in lead.leaders)
        summary = f"{leader.short_name} leads on {most} of your {ranked_text}: {on}."
    return Verdict(tuple(leads), leader if len(top) == 1 else None, summary)


# The answer first -----------------------------------------------------------------------------

KEY_FIGURES = (
    (FEE, "Exam fee"),
    ("duration", "Exam time"),
    (VALIDITY, "Valid for"),
    (RENEWAL_COST, "Renewal"),
)
SHORT_AVAILABILITY = {
    Value.Availability.NOT_DISCLOSED: "Not disclosed",
    Value.Availability.NOT_FOUND: "Not found",
    Value.Availability.NOT_APPLICABLE: "Not applicable",
}


@dataclass(frozen=True)
class Figure:
    label: str
    value: Value | None

    @property
    def text(self) -> str:
        """Short, for a strip of figures; the table below has the full value."""
        return short_figure(self.value)


@dataclass(frozen=True)
class KeyFigures:
    """One certification's strip of figures in the answer above the table: the few that people
    decide on (KEY_FIGURES), each short enough for one glance."""

    certification: Certification
    figures: tuple[Figure, ...]


@dataclass(frozen=True)
class Choice:
    """A pair editorial's "choose it if…" for one of its two certifications, in short."""

    certification: Certification
    text: str  # the editorial's "choose it if…", cut to one or two sentences


def short_figure(value: Value | None) -> str:
    """'USD 200', '120 min', '2 years', 'Free', 'Not found': a value in a few characters."""
    if value is None:
        return "No entry yet"
    if value.availability != Value.Availability.STATED:
        return SHORT_AVAILABILITY[value.availability]
    kind, amount = value.feature.kind, value.amount
    if amount is not None and kind == Feature.Kind.MONEY:
        return "Free" if amount == 0 else money(amount, value.unit or "USD")
    if amount is not None and kind == Feature.Kind.MINUTES:
        return f"{int(amount)} min"
    if amount is not None and kind == Feature.Kind.MONTHS:
        months = int(amount)
        if months % 12 == 0:
            return f"{months // 12} year{'s' if months > 12 else ''}"
        return f"{months} months"
    return re.split(r" \(|; |, ", value.text, maxsplit=1)[0]


def key_figures(
    *, certifications: Sequence[Certification], values: Iterable[Value]
) -> tuple[KeyFigures, ...]:
    """Per certification, the few figures people decide on, short enough for one glance."""
    by_key = {(v.certification_id, v.feature.slug): v for v in values}
    return tuple(
        KeyFigures(
            cert,
            tuple(Figure(label, by_key.get((cert.pk, slug))) for slug, label in KEY_FIGURES),
        )
        for cert in certifications
    )


def first_sentences(text: str, *, limit: int = 160) -> str:
    """The opening sentences of `text` that fit in `limit` characters (always the first)."""
    sentences = re.split(r"(?<=[.!?])\s+(?=[A-Z])", " ".join(text.split()))
    kept = sentences[:1]
    for sentence in sentences[1:]:
        if len(" ".join([*kept, sentence])) > limit:
            break
        kept.append(sentence)
    return " ".join(kept)


def pair_choices(matchup) -> tuple[Choice, ...]:
    """Who should choose which, in short, from a pair editorial (none without one)."""
    if matchup is None:
        return ()
    return (
        Choice(matchup.first, first_sentences(matchup.choose_first_if)),
        Choice(matchup.second, first_sentences(matchup.choose_second_if)),
    )


def key_leads(
    *,
    certifications: Sequence[Certification],
    priorities: Sequence[Priority],
    values: Iterable[Value],
    overlap: Overlap | None = None,
) -> tuple[Lead, ...]:
    """For a comparison without an editorial: who leads on each row where better is clear
    (fee, exam time, validity, renewal, topic coverage), among the exams still bookable, with
    the leading figure in short."""
    values = list(values)
    ranked = [p for p in priorities if p.prefer != Priority.Prefer.NEITHER]
    bookable = [c for c in certifications if not c.is_retired]
    verdict = personal_verdict(
        certifications=bookable, priorities=ranked, values=values, overlap=overlap
    )
    if verdict is None:
        return ()
    by_key = {(v.certification_id, v.feature_id): v for v in values}
    return tuple(
        replace(
            lead, detail=short_figure(by_key.get((lead.leaders[0].pk, lead.priority.feature_id)))
        )
        if lead.leaders and lead.priority.feature_id
        else replace(lead, detail=lead.detail.split(" of the blueprint")[0].replace("about ", ""))
        for lead in verdict.leads
    )


# Columns and downloads --------------------------------------------------------------------


class Column(NamedTuple):
    certification: Certification
    swap_url: str | None  # the same comparison with its successor in its place, if it ends


def columns(certifications: Sequence[Certification]) -> list[Column]:
    """Each compared certification with, if it is retired or retiring, the address of the same
    comparison with its successor (the one this viewer may see) in its place."""
    found = []
    for cert in certifications:
        swap_url, successor = None, cert.public_successor
        ending = cert.status in (Status.RETIRED, Status.RETIRING)
        if ending and successor and successor not in certifications:
            others = [o for o in certifications if o != cert]
            swap_url = reverse("certs:compare", args=[canonical_path_part([successor, *others])])
        found.append(Column(cert, swap_url))
    return found


def download_rows(*, matrix: "Matrix", costs) -> list[dict]:
    """Every cell of the comparison, sourced and dated, as flat rows for CSV or JSON."""
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
    return rows
