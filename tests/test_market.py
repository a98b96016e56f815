"""The market page (/market/): every sourced figure with what it counts, its source and date, a
chart with its text equivalent per series (Synergy and Canalys apart), the plain statements
where no reliable figure exists, links to it from the FAQ and the head-to-head, admin edits and
refusals, and a constant number of queries."""

import datetime
import html
import re
from decimal import Decimal

import pytest

from certs.models import (
    EditorialBlock,
    FAQEntry,
    MarketFigure,
    MarketSeries,
    MarketStatement,
    Source,
)
from tests.helpers import HTMLPage, form_data, post_change_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def page(client):
    response = client.get("/market/")
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def section(page: str, slug: str) -> str:
    """The HTML of one series' section."""
    start = page.index(f'aria-labelledby="{slug}"')
    end = page.find('<section class="market-series"', start)
    return page[start : end if end != -1 else None]


def test_every_figure_is_shown_with_what_it_counts_its_source_and_date(page):
    figures = MarketFigure.objects.select_related("series", "source")
    assert figures.count() == 21
    for figure in figures:
        row = re.search(rf'<tr id="figure-{figure.slug}">(.*?)</tr>', page, re.S)
        assert row, figure.slug
        cells = row.group(1)
        assert f'<th scope="row">{figure.label}</th>' in cells
        assert figure.period in cells and figure.display in cells
        assert figure.source.publisher in cells
        assert f'<time datetime="{figure.verified_on.isoformat()}">' in cells
        assert figure.note in cells
        assert figure.measures in section(page, figure.series.slug)


def test_the_seed_figures_read_as_the_research_gives_them(page):
    synergy = section(page, "cloud-infrastructure-share-synergy")
    for text in ("Q3 2025: 29%", "Q3 2025: 20%", "Q3 2025: 13%", "Q1 2026: 21%"):
        assert text in synergy
    canalys = section(page, "cloud-infrastructure-share-canalys")
    assert "Q1 2024: 33%" in canalys and "Q1 2025 (year inferred): 23%" in canalys
    assert "+40%" in section(page, "azure-growth")
    pay = section(page, "pay-premium")
    assert "9.5% of base pay" in pay and "6.5% of base pay" in pay


def test_synergy_and_canalys_are_charted_separately(page):
    synergy = section(page, "cloud-infrastructure-share-synergy")
    canalys = section(page, "cloud-infrastructure-share-canalys")
    for one in (synergy, canalys):
        assert one.count('<table class="chart">') == 1
    assert "Canalys" not in re.search(r'<table class="chart">.*?</table>', synergy, re.S).group(0)
    assert "lightwave" in synergy.lower() and "lightwave" not in canalys.lower()
    assert "never subtract one from the other" in canalys


def test_each_chart_is_inline_svg_with_its_numbers_in_text(page):
    charts = re.findall(r'<table class="chart">.*?</table>', page, re.S)
    assert len(charts) == 5  # the five series with figures; "other figures" has no chart
    for chart in charts:
        assert "<caption>" in chart and "The full width stands for" in chart
        assert '<svg class="bar__svg"' in chart and 'aria-hidden="true"' in chart
        assert re.search(r'<span class="bar__label">[^<]*\d%', chart)
    assert "<script" not in page.split("</main>")[0].split("<main")[1]
    assert 'style="' not in page and "<style" not in page


def test_shares_share_one_scale_across_the_page(page):
    # AWS-only postings in 2017 (51%) set the scale for every share chart: 60%.
    for slug in (
        "cloud-infrastructure-share-synergy",
        "cloud-infrastructure-share-canalys",
        "job-postings-share",
    ):
        assert "The full width stands for 60%." in section(page, slug)
    synergy = section(page, "cloud-infrastructure-share-synergy")
    assert 'width="48.33%"' in synergy  # 29 of 60


def test_no_reliable_figure_statements_are_plain(page):
    statements = MarketStatement.objects.filter(kind="no_figure")
    assert statements.count() >= 4
    for statement in statements:
        assert statement.heading in page
        assert "No reliable figure" in section(page, statement.series.slug)
    assert "230,000" in page  # named, as the unsourced figure it is
    assert "none of them compares azure ai certifications with google cloud ones" in page.lower()


def test_holder_salaries_are_context_and_not_charted(page):
    pay = section(page, "pay-premium")
    assert "USD 171,725" in pay and "USD 116,090" in pay
    chart = re.search(r'<table class="chart">.*?</table>', pay, re.S).group(0)
    assert "171,725" not in chart


def test_the_page_is_in_the_sitemap_nav_and_footer(client, page):
    assert "http://testserver/market/" in client.get("/sitemap.xml").content.decode()
    assert '<a href="/market/" aria-current="page">Market</a>' in page
    footer = page.split('<footer class="site-footer">')[1]
    assert 'href="/market/"' in footer


def test_title_and_description(client):
    parsed = HTMLPage(client.get("/market/").content.decode())
    assert parsed.meta["og:title"].startswith("The market behind the choice")
    assert "pay premiums" in parsed.meta["description"]


def list_item(page: str, item_id: str) -> str:
    """The HTML of the list item with this id, up to its end."""
    return page.split(f'id="{item_id}"')[1].split("</li>")[0]


def test_the_faq_links_salary_and_demand_answers_to_the_figures(client):
    faq = client.get("/faq/").content.decode()
    assert '<a href="/market/#pay-premium">' in list_item(faq, "azure-vs-google-salary")
    assert '<a href="/market/#azure-growth">' in list_item(faq, "enterprise-cloud-preference")


def test_the_head_to_head_links_its_career_claims_to_the_figures(client):
    home = client.get("/").content.decode()
    claim = list_item(home, "block-bottom-line-azure-advantage")
    assert '<a href="/market/#azure-growth">' in claim
    trap = list_item(home, "block-bottom-line-career-trap")
    assert '<a href="/market/#job-postings-share">' in trap
    assert FAQEntry.objects.get(slug="azure-vs-google-salary").market_series.slug == "pay-premium"
    assert EditorialBlock.objects.filter(market_series__isnull=False).count() == 2


def test_the_sources_page_lists_sources_cited_only_by_the_market_page(client):
    sources = client.get("/sources/").content.decode()
    for slug in ("foote-partners-news", "longform-foote-repost", "techtarget-synergy-q3-2025"):
        assert Source.objects.get(slug=slug).title in html.unescape(sources), slug


@pytest.fixture
def staff(make_staff):
    return make_staff("editor")


def figure_prefix(data: dict, figure: MarketFigure) -> str:
    return next(
        k.removesuffix("-id") for k, v in data.items() if k.endswith("-id") and v == str(figure.pk)
    )


def test_staff_edit_a_figure_in_its_series_and_the_page_shows_it(staff, client):
    figure = MarketFigure.objects.get(slug="synergy-q1-2026-google")
    url = f"/admin/certs/marketseries/{figure.series.pk}/change/"
    data = form_data(staff, url)
    prefix = figure_prefix(data, figure)
    data[f"{prefix}-value"] = "15"
    data[f"{prefix}-note"] = "Corrected after Synergy's own release."
    data["change_reason"] = "Synergy's release"
    response = staff.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    figure.refresh_from_db()
    assert figure.value == Decimal("15")
    assert figure.history.first().history_change_reason == "Synergy's release"
    page = html.unescape(client.get("/market/").content.decode())
    assert "Q1 2026: 15%" in page and "Corrected after Synergy's own release." in page


@pytest.mark.parametrize(
    "slug,value,message",
    [
        ("synergy-q3-2025-aws", "120", "A share is a percentage between 0 and 100."),
        ("canalys-q1-2024-aws", "-3", "A share is a percentage between 0 and 100."),
        ("foote-4q-2023-certifications", "-1", "A pay premium is not negative."),
        ("msft-fq1-2026-azure-growth", "-140", "Nothing falls by more than 100%."),
    ],
)
def test_impossible_figures_are_refused_and_nothing_changes(staff, slug, value, message):
    figure = MarketFigure.objects.get(slug=slug)
    before = figure.value
    response = post_change_form(staff, figure, value=value)
    assert response.status_code == 200
    assert message in html.unescape(response.content.decode())
    figure.refresh_from_db()
    assert figure.value == before


def test_a_figure_without_a_source_is_refused(staff):
    figure = MarketFigure.objects.get(slug="revelio-2024-07-aws")
    response = post_change_form(staff, figure, source="")
    assert response.status_code == 200
    figure.refresh_from_db()
    assert figure.source_id


def test_staff_can_browse_the_market_lists(staff):
    for model in ("marketseries", "marketfigure", "marketstatement"):
        assert staff.get(f"/admin/certs/{model}/").status_code == 200, model
        assert staff.get(f"/admin/certs/{model}/add/").status_code == 200, model


def add_series(n: int):
    source = Source.objects.get(slug="canalys-q2-2024")
    for i in range(n):
        series = MarketSeries.objects.create(
            slug=f"extra-{i}",
            title=f"Extra series {i}",
            measures="Something counted.",
            order=100 + i,
            verified_on=datetime.date(2026, 11, 30),
        )
        series.sources.add(source)
        for j in range(5):
            MarketFigure.objects.create(
                series=series,
                slug=f"extra-{i}-{j}",
                label=f"Vendor {j}",
                value=Decimal(10 + j),
                period="Q1 2026",
                measures="Share of something.",
                source=source,
                verified_on=datetime.date(2026, 11, 30),
            )
        statement = MarketStatement.objects.create(
            series=series,
            slug=f"extra-statement-{i}",
            kind="no_figure",
            heading="Not counted",
            text="No one counts this.",
            verified_on=datetime.date(2026, 11, 30),
        )
        statement.sources.add(source)


def test_query_count_is_constant(client, django_assert_num_queries):
    with django_assert_num_queries(5):
        assert client.get("/market/").status_code == 200
    add_series(5)
    with django_assert_num_queries(5):
        page = client.get("/market/").content.decode()
    assert "Extra series 4" in page and "extra-4-4" in page
