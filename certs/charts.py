"""The numbers behind the site's charts, as plain data: what each bar or mark shows, its text
and where it sits (as a percentage of the chart's width, so the SVG in the template needs no
arithmetic and scales with the page). The templates draw them as inline SVG next to their text
equivalent; nothing here knows about requests or markup."""

import datetime
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from .changes import LifecycleEvent
from .comparison import CostRow, DomainTopic, catalog_key, money
from .models import Certification, ExamVersion, MarketFigure, MarketSeries


@dataclass(frozen=True)
class Bar:
    series: int  # which version or horizon: picks its colour, and its text says it too
    label: str  # the bar in words: "Exam guide live 1 Jun 2026: 16%"
    low: float  # where the bar's sure part ends, in % of the plot width
    high: float  # where its range ends (the same as `low` for a single figure)

    @property
    def spread(self) -> float:
        return round(self.high - self.low, 2)


@dataclass(frozen=True)
class BarRow:
    label: str
    bars: tuple[Bar, ...]
    note: str = ""  # why there is no bar


@dataclass(frozen=True)
class BarChart:
    caption: str
    rows: tuple[BarRow, ...]
    scale: str  # what the full width stands for, in words


def _percent(amount: Decimal, full: Decimal) -> float:
    return round(float(amount / full * 100), 2) if full else 0.0


def _round_up(amount: Decimal, step: int) -> Decimal:
    return Decimal(max(1, math.ceil(amount / step)) * step)


def _weight(low: Decimal, high: Decimal) -> str:
    def plain(number: Decimal) -> str:
        return f"{number:f}".rstrip("0").rstrip(".") if "." in f"{number:f}" else f"{number:f}"

    return f"{plain(low)}%" if low == high else f"{plain(low)}–{plain(high)}%"


def version_domains(*, versions: Sequence[ExamVersion], caption: str) -> BarChart | None:
    """One certification's skill-domain weights, a bar per exam version for each domain (by
    name), oldest version first, so a changed guide shows as two bars side by side. `versions`
    come with their domains prefetched."""
    ordered = sorted(versions, key=lambda v: (v.starts_on or datetime.date.min, v.is_current))
    weights: dict[str, list[tuple[int, ExamVersion, Decimal, Decimal]]] = {}
    names_in_order: list[str] = []
    for current_first in sorted(ordered, key=lambda v: not v.is_current):
        for domain in current_first.domains.all():
            if domain.name not in weights:
                weights[domain.name] = []
                names_in_order.append(domain.name)
    for series, version in enumerate(ordered):
        for domain in version.domains.all():
            weights[domain.name].append((series, version, domain.weight_min, domain.weight_max))
    if not names_in_order:
        return None
    full = _round_up(max(high for rows in weights.values() for *_, high in rows), 10)
    several = len(ordered) > 1
    rows = tuple(
        BarRow(
            name,
            tuple(
                Bar(
                    series,
                    f"{version.label}: {_weight(low, high)}" if several else _weight(low, high),
                    _percent(low, full),
                    _percent(high, full),
                )
                for series, version, low, high in weights[name]
            ),
        )
        for name in names_in_order
    )
    return BarChart(caption, rows, f"The full width is {full}% of the exam.")


def current_domains(
    *, certifications: Sequence[Certification], domains: Iterable[DomainTopic]
) -> tuple[tuple[Certification, BarChart], ...]:
    """Each compared certification's current skill domains as bars on one shared scale."""
    seen: dict[int, DomainTopic] = {}
    for row in domains:
        seen.setdefault(row.domain_id, row)
    if not seen:
        return ()
    full = _round_up(max(row.weight_max for row in seen.values()), 10)
    charts = []
    for cert in certifications:
        mine = sorted(
            (row for row in seen.values() if row.certification_id == cert.pk),
            key=lambda row: (row.order, row.name),
        )
        if not mine:
            continue
        rows = tuple(
            BarRow(
                row.name,
                (
                    Bar(
                        0,
                        _weight(row.weight_min, row.weight_max),
                        _percent(row.weight_min, full),
                        _percent(row.weight_max, full),
                    ),
                ),
            )
            for row in mine
        )
        caption = f"{cert.short_name}: weight of each skill domain in the current exam"
        charts.append((cert, BarChart(caption, rows, f"The full width is {full}% of the exam.")))
    return tuple(charts)


def cost_charts(*, costs: Sequence[CostRow]) -> tuple[BarChart, ...]:
    """The cost of holding each certification over 1, 3 and 5 years: one chart per currency
    (amounts are never converted), a bar per horizon, and a note where it cannot be computed."""
    if not costs:
        return ()
    certifications = [cell.certification for cell in costs[0].cells]
    per_cert = {cert.pk: [row.cells[i] for row in costs] for i, cert in enumerate(certifications)}
    currencies = sorted({cell.currency for row in costs for cell in row.cells if cell.currency})
    charts = []
    for currency in currencies:
        full = max(cell.total for row in costs for cell in row.cells if cell.currency == currency)
        full = _round_up(full, 100)
        rows = []
        for cert in certifications:
            cells = per_cert[cert.pk]
            if not any(cell.currency == currency for cell in cells):
                continue
            bars = tuple(
                Bar(
                    series,
                    f"{cell.years} year{'s' if cell.years > 1 else ''}: {cell.shown_total}",
                    _percent(cell.total, full),
                    _percent(cell.total, full),
                )
                for series, cell in enumerate(cells)
                if cell.total is not None
            )
            rows.append(BarRow(cert.short_name, bars))
        caption = f"Cost of holding each certification over 1, 3 and 5 years, in {currency}"
        charts.append(BarChart(caption, tuple(rows), f"The full width is {money(full, currency)}."))
    unknown = tuple(
        BarRow(cert.short_name, (), per_cert[cert.pk][0].explanation)
        for cert in certifications
        if all(cell.total is None for cell in per_cert[cert.pk])
    )
    if unknown:
        charts.append(BarChart("Not computable from our sources", unknown, ""))
    return tuple(charts)


# The market page ------------------------------------------------------------------------------


@dataclass(frozen=True)
class MarketSection:
    series: MarketSeries
    figures: tuple[MarketFigure, ...]
    measures: tuple[tuple[str, str], ...]  # (what it counts, the figures it applies to)
    chart: BarChart | None


def market_sections(*, series: Sequence[MarketSeries]) -> tuple[MarketSection, ...]:
    """Each series with its figures as a bar chart: a row per label, a bar per period (oldest
    first, as entered), so a change over time shows as two bars side by side. Figures of one
    unit share one scale across the page, so a bar's length means the same in every chart;
    a series is never merged with another. `series` come with their figures prefetched."""
    full: dict[str, Decimal] = {}
    for one in series:
        if one.is_charted:
            for figure in one.figures.all():
                full[figure.unit] = max(full.get(figure.unit, Decimal(0)), abs(figure.value))
    sections = []
    for one in series:
        figures = tuple(one.figures.all())
        measures: dict[str, list[str]] = {}
        for figure in figures:
            measures.setdefault(figure.measures, []).append(f"{figure.label} ({figure.period})")
        sections.append(
            MarketSection(
                one,
                figures,
                tuple((text, ", ".join(labels)) for text, labels in measures.items()),
                _market_chart(one, figures, full) if one.is_charted and figures else None,
            )
        )
    return tuple(sections)


def _market_chart(series, figures, full: dict[str, Decimal]) -> BarChart:
    periods = list(dict.fromkeys(figure.period for figure in figures))
    rows: dict[str, list[Bar]] = {}
    for figure in figures:
        scale = _round_up(full[figure.unit], 10)
        width = _percent(max(figure.value, Decimal(0)), scale)
        text = f"{figure.period}: {figure.display}" if len(periods) > 1 else figure.display
        rows.setdefault(figure.label, []).append(
            Bar(periods.index(figure.period) % 3, text, width, width)
        )
    scales = sorted({_round_up(full[figure.unit], 10) for figure in figures})
    scale = " and ".join(f"{number}%" for number in scales)
    return BarChart(
        series.title,
        tuple(BarRow(label, tuple(bars)) for label, bars in rows.items()),
        f"The full width stands for {scale}.",
    )


# The lifecycle timeline -----------------------------------------------------------------------


@dataclass(frozen=True)
class Mark:
    x: float  # % of the width
    kind: str  # beta, retirement, status or guide: its shape
    label: str  # "29 Sep 2026: beta opens"


@dataclass(frozen=True)
class Lane:
    certification: Certification
    marks: tuple[Mark, ...]


@dataclass(frozen=True)
class Timeline:
    ticks: tuple[tuple[int, float], ...]  # (year, x) at each 1 January
    lanes: tuple[Lane, ...]
    today: float | None  # x of today, when it is inside the range
    today_label: str


def timeline(*, events: Sequence[LifecycleEvent], today: datetime.date) -> Timeline | None:
    """Every lifecycle event on one time axis, a lane per certification in catalog order."""
    if not events:
        return None
    first = datetime.date(min(e.date for e in events).year, 1, 1)
    last = datetime.date(max(max(e.date for e in events), today).year + 1, 1, 1)
    span = (last - first).days

    def x(day: datetime.date) -> float:
        return round(2 + 96 * (day - first).days / span, 2)

    lanes: dict[int, list[Mark]] = {}
    certs: dict[int, Certification] = {}
    for event in events:
        certs[event.certification.pk] = event.certification
        label = f"{event.date.strftime('%-d %b %Y')}: {event.what}"
        lanes.setdefault(event.certification.pk, []).append(Mark(x(event.date), event.kind, label))
    ordered = sorted(certs.values(), key=catalog_key)
    ticks = tuple((year, x(datetime.date(year, 1, 1))) for year in range(first.year, last.year + 1))
    return Timeline(
        ticks,
        tuple(Lane(cert, tuple(lanes[cert.pk])) for cert in ordered),
        x(today) if first <= today <= last else None,
        f"today, {today.strftime('%-d %b %Y')}",
    )
