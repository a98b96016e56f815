"""certs/charts.py and the answer-first helpers of certs/comparison.py: pure data; and the pages
that draw them, through real requests: each chart sits in the table it draws (its text
equivalent), and the answer comes before the table."""

import datetime
import re
from decimal import Decimal

import pytest

from certs.changes import LifecycleEvent
from certs.charts import cost_charts, current_domains, timeline
from certs.comparison import (
    CostCell,
    CostRow,
    DomainTopic,
    build_matrix,
    first_sentences,
    short_figure,
)
from certs.models import Category, Certification, Feature, Value

TODAY = datetime.date(2026, 11, 25)


def cert(pk, slug, status="active"):
    return Certification(pk=pk, slug=slug, short_name=slug.upper(), vendor_id="aws", status=status)


def test_first_sentences_keeps_one_or_two_within_the_limit():
    text = "Choose A if you build. It suits people with years behind them. A third one here."
    assert (
        first_sentences(text, limit=70)
        == "Choose A if you build. It suits people with years behind them."
    )
    assert first_sentences(text, limit=10) == "Choose A if you build."


def test_short_figures():
    fee = Feature(slug="exam-fee", kind="money")
    months = Feature(slug="validity", kind="months")
    minutes = Feature(slug="duration", kind="minutes")
    assert (
        short_figure(Value(feature=fee, text="USD 200 plus tax", amount=Decimal(200), unit="USD"))
        == "USD 200"
    )
    assert short_figure(Value(feature=fee, text="Free", amount=Decimal(0), unit="USD")) == "Free"
    assert short_figure(Value(feature=months, text="2 years", amount=Decimal(24))) == "2 years"
    assert short_figure(Value(feature=months, text="1 year", amount=Decimal(12))) == "1 year"
    assert (
        short_figure(Value(feature=minutes, text="170 minutes (beta)", amount=Decimal(170)))
        == "170 min"
    )
    assert short_figure(Value(feature=fee, availability="not_found")) == "Not found"
    assert short_figure(None) == "No entry yet"


def test_marks_the_same_rows_when_most_differ():
    x, y = cert(1, "x"), cert(2, "y")
    cat = Category(pk=1, slug="a", name="A", order=1)
    features = [
        Feature(pk=n, slug=f"f{n}", label=f"F{n}", category=cat, order=n) for n in range(1, 5)
    ]

    def values(same):
        return [
            Value(certification=c, feature=f, text="same" if f.pk <= same else c.slug)
            for f in features
            for c in (x, y)
        ]

    most_differ = build_matrix(certifications=[x, y], features=features, values=values(1))
    assert most_differ.marks_same
    assert (
        most_differ.marking
        == "3 of 4 rows differ, so only the 1 row where they are the same is marked “same”."
    )
    few_differ = build_matrix(certifications=[x, y], features=features, values=values(3))
    assert not few_differ.marks_same
    assert few_differ.marking == "1 of 4 rows differ; they are marked “differs”."
    all_differ = build_matrix(certifications=[x, y], features=features, values=values(0))
    assert all_differ.marking == "All 4 rows shown differ, so none is marked."


def test_cost_charts_never_mix_currencies_and_say_what_cannot_be_computed():
    a, b, c = cert(1, "a"), cert(2, "b"), cert(3, "c")

    def cell(who, years, total, currency):
        return CostCell(who, years, total, currency, "unknown" if total is None else "", ())

    costs = [
        CostRow(
            years,
            (
                cell(a, years, Decimal(100 * years), "USD"),
                cell(b, years, Decimal(50), "EUR"),
                cell(c, years, None, ""),
            ),
        )
        for years in (1, 3, 5)
    ]
    eur, usd, unknown = cost_charts(costs=costs)  # one per currency, by name
    assert usd.caption.endswith("in USD") and [r.label for r in usd.rows] == ["A"]
    assert [bar.label for bar in usd.rows[0].bars] == [
        "1 year: USD 100",
        "3 years: USD 300",
        "5 years: USD 500",
    ]
    assert usd.rows[0].bars[-1].low == 100.0 and usd.scale == "The full width is USD 500."
    assert eur.caption.endswith("in EUR") and [r.label for r in eur.rows] == ["B"]
    assert [(r.label, r.note) for r in unknown.rows] == [("C", "unknown")]


def test_domain_bars_share_one_scale():
    a, b = cert(1, "a"), cert(2, "b")
    rows = [
        DomainTopic(10, 1, Decimal(20), Decimal(30), 5, "Build", 1),
        DomainTopic(10, 1, Decimal(20), Decimal(30), 6, "Build", 1),  # a second topic
        DomainTopic(11, 1, Decimal(10), Decimal(10), None, "Run", 2),
        DomainTopic(20, 2, Decimal(40), Decimal(40), None, "All", 1),
    ]
    (_, first), (_, second) = current_domains(certifications=[a, b], domains=rows)
    assert [(r.label, r.bars[0].label) for r in first.rows] == [("Build", "20–30%"), ("Run", "10%")]
    assert (first.rows[0].bars[0].low, first.rows[0].bars[0].high) == (50.0, 75.0)
    assert second.rows[0].bars[0].low == 100.0
    (_, wider), *_ = current_domains(
        certifications=[a], domains=[DomainTopic(1, 1, Decimal(21), Decimal(22), None, "X", 1)]
    )
    assert wider.scale == "The full width is 30% of the exam."  # rounded up, never down


def test_timeline_places_events_in_time():
    a = cert(1, "a")
    events = [
        LifecycleEvent(datetime.date(2026, 1, 1), a, "beta opens", None, "beta"),
        LifecycleEvent(datetime.date(2027, 7, 2), a, "retires", None, "retirement"),
    ]
    line = timeline(events=events, today=TODAY)
    assert [year for year, _ in line.ticks] == [2026, 2027, 2028]
    assert line.ticks[0][1] == 2.0 and line.ticks[-1][1] == 98.0
    (lane,) = line.lanes
    assert [(m.kind, m.label) for m in lane.marks] == [
        ("beta", "1 Jan 2026: beta opens"),
        ("retirement", "2 Jul 2027: retires"),
    ]
    assert 2 < line.today < 98


# The pages ------------------------------------------------------------------------------------


def _section(html: str, heading_id: str) -> str:
    return html.split(f'id="{heading_id}"')[1].split("</section>")[0]


def _page_section(client, path: str, heading_id: str) -> str:
    """The section under `heading_id` of the page at `path`."""
    return _section(client.get(path).content.decode(), heading_id)


@pytest.mark.django_db
def test_home_answers_first_and_moves_the_audit_below_the_table(client):
    html = client.get("/").content.decode()
    answer = html.index('id="answer"')
    assert answer < html.index('class="matrix ') < html.index('id="corrections"')
    assert html.index('id="verdict"') < html.index('id="corrections"')
    section = _section(html, "answer")
    assert "Choose PMLE if…</h3><p>Choose PMLE if you design" in section
    for label in ("Status", "Level", "Exam fee", "Exam time", "Valid for", "Renewal"):
        assert section.count(f"<dt>{label}</dt>") == 2
    assert "<dd>USD 200</dd>" in section and "<dd>2 years</dd>" in section


@pytest.mark.django_db
def test_comparison_without_editorial_names_leaders_on_key_rows(client):
    section = _page_section(client, "/compare/mla-c02-vs-ai-103/", "answer")
    assert "Who leads where" in section
    assert "Longest validity: <strong>MLA-C02</strong> (3 years)" in section
    assert section.count('class="figures__cert"') == 2
    retired = _page_section(client, "/compare/mla-c02-vs-ai-102/", "answer")
    assert "AI-102 has retired: compare AI-103." in retired


@pytest.mark.django_db
def test_two_way_table_has_one_marker_per_cell_and_a_numbered_source_list(client):
    html = client.get("/compare/pmle-vs-ai-103/").content.decode()
    table = html.split('<table class="matrix')[1].split("</table>")[0]
    for cell in re.findall(r"<td>(.*?)</td>", table, re.S):
        assert cell.count("<summary>") == 1, cell
        assert "recently checked" not in cell.split("<details")[0]  # no badge on fresh facts
    numbers = set(re.findall(r'href="#source-(\d+)"', table))
    assert numbers
    for number in numbers:
        assert f'<li id="source-{number}">' in html


@pytest.mark.django_db
def test_stale_fact_shows_its_badge_beside_the_value(client):
    Value.objects.filter(certification__slug="pmle", feature__slug="exam-fee").update(
        verified_on=datetime.date.today() - datetime.timedelta(days=200)
    )
    html = client.get("/compare/pmle-vs-ai-103/").content.decode()
    row = html.split('id="row-exam-fee"')[1].split("</tr>")[0]
    visible = row.split("<details")[0]
    assert '<span class="fresh fresh--stale">needs re-checking</span>' in visible


@pytest.mark.django_db
def test_charts_carry_their_text_equivalents(client):
    compare = client.get("/compare/pmle-vs-ai-103/").content.decode()
    costs = _section(compare, "costs")
    assert "Cost of holding each certification over 1, 3 and 5 years, in USD" in costs
    assert '<span class="bar__label">5 years: USD 400</span>' in costs
    unknown = _page_section(client, "/compare/aib-c01-vs-pmle/", "costs")
    assert "Not computable" in unknown  # AIB-C01's fee is not in our sources
    assert 'aria-hidden="true"' in costs and "style=" not in costs
    overlap = _section(compare, "overlap")
    assert "PMLE: weight of each skill domain in the current exam" in overlap
    assert "grid__shade--4" in overlap or "grid__shade--3" in overlap

    pmle = client.get("/certifications/pmle/").content.decode()
    chart = pmle.split('<table class="chart">')[1].split("</table>")[0]
    assert "Weight of each skill domain in the PMLE exam" in chart
    row = chart.split("Collaborating within and across teams")[1].split("</tr>")[0]
    assert re.findall(r'class="bar__label">([^<]*)<', row) == [
        "Exam guide live 1 Oct 2024: 14%",
        "Exam guide live 1 Jun 2026: 16%",
    ]

    lifecycle = client.get("/lifecycle/").content.decode()
    timeline_table = lifecycle.split('<table class="timeline">')[1].split("</table>")[0]
    assert "The tables below give each date with its source." in timeline_table
    assert "30 Jun 2026: retired; replaced by AI-103" in timeline_table
    assert "timeline__mark--retirement" in timeline_table


@pytest.mark.django_db
def test_catalog_exam_codes_do_not_wrap(client):
    html = client.get("/certifications/").content.decode()
    assert '<td class="catalog__code">MLA-C02</td>' in html
