"""The catalog page through real requests: its filters, orders, counts, the ticked-compare form,
bad input, its htmx fragment and its cost in queries."""

import re

import pytest

from certs.models import Certification, Level, Status, Vendor

from .factories import make_certification, make_focus, make_vendor
from .helpers import CATALOG, HTMLPage

pytestmark = pytest.mark.django_db


def shown(response) -> list[str]:
    """The slugs of the certifications listed, in the order shown."""
    assert response.status_code == 200
    return re.findall(
        r'<th scope="row"><a href="/certifications/([^/]+)/"', response.content.decode()
    )


def catalog_order(**filters) -> list[str]:
    return list(
        Certification.objects.filter(is_published=True, **filters)
        .order_by("vendor__order", "vendor__slug", "order", "slug")
        .values_list("slug", flat=True)
    )


def test_whole_catalog_grouped_by_vendor_in_display_order(client):
    response = client.get("/certifications/")
    assert sorted(shown(response)) == sorted(CATALOG)
    assert shown(response) == catalog_order()
    html = response.content.decode()
    headings = re.findall(r'<h2 id="group-([^"]+)">([^<]+)</h2>', html)
    assert headings == [(v.slug, v.name) for v in Vendor.objects.order_by("order")]
    assert "All 29 certifications." in html
    assert '<th scope="col">Vendor</th>' not in html  # the headings say it


def test_filter_options_are_counted(client):
    html = client.get("/certifications/").content.decode()
    assert 'Databricks <span class="filters__count">(3)</span>' in html
    assert 'Expert <span class="filters__count">(1)</span>' in html
    genai = Certification.objects.filter(focus__slug="genai").count()
    assert f'Generative AI and agents <span class="filters__count">({genai})</span>' in html
    # Counted against the other filters: with only Databricks shown, MLOps has two.
    narrowed = client.get("/certifications/?vendor=databricks").content.decode()
    assert 'ML engineering and MLOps <span class="filters__count">(2)</span>' in narrowed
    assert 'Databricks <span class="filters__count">(3)</span>' in narrowed


@pytest.mark.parametrize(
    "query,filters",
    [
        ("vendor=databricks", {"vendor": "databricks"}),
        ("level=expert", {"level": Level.EXPERT}),
        ("status=announced", {"status": Status.ANNOUNCED}),
        ("status=retired", {"status": Status.RETIRED}),
        ("focus=infrastructure", {"focus__slug": "infrastructure"}),
    ],
)
def test_each_filter(client, query, filters):
    expected = catalog_order(**filters)
    assert expected
    response = client.get(f"/certifications/?{query}")
    assert shown(response) == expected
    name, value = query.split("=")
    assert f'name="{name}" value="{value}" id="filter-{name}-{value}" checked' in (
        response.content.decode()
    )
    assert f"{len(expected)} of 29 certifications match" in response.content.decode()


def test_filters_combine_any_within_all_across(client):
    query = "vendor=microsoft&vendor=aws&status=active&status=beta&focus=genai"
    slugs = shown(client.get(f"/certifications/?{query}"))
    assert slugs == [
        slug
        for slug in catalog_order(
            vendor__in=["microsoft", "aws"], status__in=["active", "beta"], focus__slug="genai"
        )
    ]
    assert set(slugs) == {"ai-103", "ai-300", "ai-500", "mla-c02", "aip-c01"}


def test_sort_by_name_lists_one_table_with_a_vendor_column(client):
    response = client.get("/certifications/?vendor=aws&vendor=google&sort=name")
    slugs = shown(response)
    names = dict(Certification.objects.values_list("slug", "name"))
    assert slugs == sorted(
        catalog_order(vendor__in=["aws", "google"]), key=lambda s: names[s].lower()
    )
    html = response.content.decode()
    assert '<th scope="col">Vendor</th>' in html and 'id="group-' not in html
    assert '<option value="name" selected>' in html
    assert "sorted by name (A to Z)" in html


def test_sort_by_level_puts_entry_level_first(client):
    levels = dict(Certification.objects.values_list("slug", "level"))
    slugs = shown(client.get("/certifications/?sort=level"))
    assert levels[slugs[0]] == Level.FOUNDATIONAL and levels[slugs[-1]] == Level.UNSTATED
    assert slugs.index("ai-500") > slugs.index("pmle")  # expert after professional


def test_sort_by_lifecycle_date_puts_the_latest_dated_first(client):
    dates = dict(Certification.objects.values_list("slug", "status_date"))
    slugs = shown(client.get("/certifications/?sort=lifecycle"))
    dated = [s for s in slugs if dates[s]]
    assert slugs[: len(dated)] == dated  # the undated follow
    assert [dates[s] for s in dated] == sorted((dates[s] for s in dated), reverse=True)
    assert slugs[0] == "mla-c01"  # retiring in January 2027


def test_statuses_show_with_their_dates(client):
    html = " ".join(
        re.sub(r"<[^>]+>", " ", client.get("/certifications/").content.decode()).split()
    )
    assert "Retired 30 Jun 2026 · replaced by AI-103" in html
    assert "Retiring 14 Jan 2027" in html
    assert "Beta since 29 Sep 2026" in html
    assert "Announced, not yet bookable" in html


def test_an_empty_result_says_so_and_offers_to_clear(client):
    response = client.get(
        "/certifications/?vendor=aws&vendor=google&level=associate&status=active&focus=genai&sort=name"
    )
    assert response.status_code == 200 and shown(response) == []
    html = response.content.decode()
    assert "No certification matches all of these filters." in html
    assert '<a href="/certifications/">Clear the filters and show all 29</a>' in html
    assert 'action="/compare/"' not in html  # nothing to tick


@pytest.mark.parametrize(
    "query,message",
    [
        pytest.param(
            "vendor=nope",
            "We list no certifications from a vendor called “nope”.",
            id="unknown-vendor",
        ),
        pytest.param("level=guru", "“guru” is not a level we list.", id="unknown-level"),
        pytest.param("status=gone", "“gone” is not a status we list.", id="unknown-status"),
        pytest.param("focus=quantum", "We list no topic called “quantum”.", id="unknown-focus"),
        pytest.param("sort=price", "The catalog cannot be sorted by “price”.", id="unknown-sort"),
        pytest.param("sort=name&sort=level", "more than one order", id="two-sorts"),
    ],
)
def test_bad_input_is_the_400_page_in_the_layout(client, query, message):
    response = client.get(f"/certifications/?{query}")
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert '<main id="main"' in html and 'class="site-header' in html
    fragment = client.get(f"/certifications/?{query}", headers={"HX-Request": "true"})
    assert fragment.status_code == 400 and message in fragment.content.decode()


def test_a_draft_vendor_is_not_told_to_visitors(client):
    make_certification(vendor=make_vendor("hidden-co", name="Hidden Co"))  # a draft
    assert "Hidden Co" not in client.get("/certifications/").content.decode()
    assert client.get("/certifications/?vendor=hidden-co").status_code == 400


def test_tracking_and_unknown_parameters_are_ignored(client):
    plain = shown(client.get("/certifications/?vendor=nvidia"))
    assert shown(client.get("/certifications/?utm_source=x&vendor=nvidia&fbclid=y")) == plain


def test_ticked_ones_go_to_the_comparison_picker(client):
    html = client.get("/certifications/").content.decode()
    form = re.search(
        r'<form method="get" action="/compare/" class="tick-compare".*?</form>', html, re.S
    )
    assert form, "the compare-the-ticked-ones form is missing"
    for slug in CATALOG:
        assert f'name="c" value="{slug}" id="tick-{slug}"' in form.group(0)
    assert '<label for="tick-pmle" class="visually-hidden">Compare PMLE</label>' in form.group(0)
    assert '<button type="submit" class="button">Compare the ticked ones</button>' in form.group(0)
    response = client.get("/compare/?c=ai-103&c=pmle")
    assert response.status_code == 302 and response["Location"] == "/compare/pmle-vs-ai-103/"


def test_a_new_vendor_and_topic_appear_without_a_code_change(client):
    vendor = make_vendor("acme", name="Acme AI", kind=Vendor.Kind.MODEL_VENDOR, order=0)
    focus = make_focus(slug="robotics", name="Robotics")
    cert = make_certification(vendor=vendor, name="Acme Robot Wrangler", is_published=True)
    cert.focus.set([focus])
    response = client.get("/certifications/")
    html = response.content.decode()
    assert '<h2 id="group-acme">Acme AI</h2>' in html
    assert shown(response)[0] == cert.slug  # order 0: the first group
    assert 'Acme AI <span class="filters__count">(1)</span>' in html
    assert 'Robotics <span class="filters__count">(1)</span>' in html
    assert shown(client.get("/certifications/?vendor=acme")) == [cert.slug]
    assert shown(client.get("/certifications/?focus=robotics")) == [cert.slug]


def test_the_fragment_is_the_list_and_its_filters(client):
    response = client.get("/certifications/?vendor=aws", headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert html.lstrip().startswith('<div id="catalog-list">')
    assert 'hx-get="/certifications/"' in html and 'hx-push-url="true"' in html
    assert 'id="catalog-announce"' in html and 'hx-swap-oob="true"' in html
    assert f"{len(catalog_order(vendor='aws'))} of 29 certifications match." in html
    assert "HX-Request" in response["Vary"]
    page = client.get("/certifications/?vendor=aws")
    assert "HX-Request" in page["Vary"] and "<html" in page.content.decode()


def test_the_filter_form_works_without_javascript(client):
    html = client.get("/certifications/").content.decode()
    assert '<form method="get" action="/certifications/" class="filters"' in html
    for name in ("vendor", "level", "status", "focus"):
        assert f'<input type="checkbox" name="{name}"' in html
    assert '<select name="sort" id="filter-sort">' in html
    assert '<label for="filter-sort">Sort by</label>' in html


def test_a_filtered_page_describes_what_it_shows_and_points_to_the_plain_one(client):
    response = client.get("/certifications/?vendor=nvidia&vendor=oracle&sort=name")
    page = HTMLPage(response.content.decode())
    assert page.links["canonical"] == "http://testserver/certifications/"
    items = page.structured()["ItemList"]["itemListElement"]
    assert [item["url"].rsplit("/", 2)[-2] for item in items] == shown(response)
    assert sorted(shown(response)) == sorted(catalog_order(vendor__in=["nvidia", "oracle"]))


URLS = [
    "/certifications/",
    "/certifications/?vendor=aws&vendor=databricks&level=associate&focus=genai&sort=name",
    "/certifications/?status=retired&sort=lifecycle",
    "/certifications/?level=expert&vendor=aws",  # nothing matches
]


@pytest.mark.parametrize("url", URLS)
def test_query_count(client, django_assert_num_queries, url):
    # The certifications with their vendors, then their focus areas; filtering costs nothing.
    with django_assert_num_queries(2):
        assert client.get(url).status_code == 200
    with django_assert_num_queries(2):
        assert client.get(url, headers={"HX-Request": "true"}).status_code == 200


@pytest.mark.parametrize("url", URLS)
def test_query_count_is_the_same_with_more_content(
    client, django_assert_num_queries, url, more_content
):
    certs = more_content()
    Certification.objects.filter(pk__in=[c.pk for c in certs]).update(is_published=True)
    assert len(shown(client.get("/certifications/"))) == 29 + len(certs)
    with django_assert_num_queries(2):
        assert client.get(url + ("&" if "?" in url else "?") + "focus=genai").status_code == 200
    with django_assert_num_queries(2):
        assert client.get(url).status_code == 200
