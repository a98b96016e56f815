"""Every public page, through real requests, real templates and the real fixtures."""

import re

import pytest
from django.contrib.auth.models import AnonymousUser

from certs.models import Certification, FAQEntry, Feature, Source, Status, Value, Vendor

from .helpers import CATALOG

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    """The visible text of a page, whitespace collapsed, for phrase assertions."""
    html = response.content.decode()
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_home_is_the_pmle_vs_ai_102_head_to_head(client):
    response = client.get("/")
    assert response.status_code == 200
    body = text_of(response)
    assert "Professional Machine Learning Engineer" in body
    assert "AI-102" in body
    for heading in ["The bottom line", "The two exams", "Side by side", "The verdict"]:
        assert heading in body
    assert "Choose PMLE if" in body and "Choose AI-102 if" in body


def test_home_says_ai_102_retired_and_links_its_successor(client):
    html = client.get("/").content.decode()
    banner = re.search(r'<div class="banner banner--retired".*?</div>', html, re.S)
    assert banner, "the retirement banner is missing"
    assert "AI-102 retired on" in banner.group(0)
    assert "30 June 2026" in banner.group(0)
    assert 'href="/certifications/ai-103/"' in banner.group(0)
    assert "can no longer be booked" in banner.group(0)
    # The banner comes before the comparison, so nobody reads the table first.
    assert html.index("banner--retired") < html.index('class="matrix')


def test_home_labels_opinions_and_cites_facts(client):
    body = text_of(client.get("/"))
    assert "Opinion" in body
    assert "Assessment our judgement, not a vendor figure" in body
    assert "verified 2026-11-25" in body


def test_home_table_has_row_and_column_headers(client):
    html = client.get("/").content.decode()
    assert '<th scope="col"><a href="/certifications/pmle/">PMLE</a>' in html
    assert 'id="row-exam-fee"' in html
    assert html.count('scope="row"') >= Feature.objects.count()


def test_catalog_lists_every_certification_grouped_by_vendor(client):
    response = client.get("/certifications/")
    assert response.status_code == 200
    html = response.content.decode()
    headings = re.findall(r'<h2 id="group-[^"]+">([^<]+)</h2>', html)
    assert headings == [vendor.name for vendor in Vendor.objects.order_by("order", "slug")]
    assert len(headings) == 11
    for cert in Certification.objects.all():
        assert f'href="/certifications/{cert.slug}/"' in html
    body = text_of(response)
    assert "Retired 30 Jun 2026 · replaced by AI-103" in body
    assert "Beta since" in body


@pytest.mark.parametrize("slug", sorted(CATALOG))
def test_every_certification_page_has_all_its_facts(client, slug):
    response = client.get(f"/certifications/{slug}/")
    assert response.status_code == 200
    html = response.content.decode()
    cert = Certification.objects.get(slug=slug)
    assert cert.name in html or cert.name.replace("'", "&#x27;") in html
    for feature in Feature.objects.all():
        assert f'id="row-{feature.slug}"' in html
    assert "No entry yet" not in html
    assert "Skill domains and lifecycle" in html
    if cert.official_url:
        assert f'href="{cert.official_url}"' in html
    else:
        assert "page for " + cert.credential + " is not in our sources yet" in html
    # every fact row carries a source line, every assessment row its label
    facts = Value.objects.filter(certification=cert, basis="fact").count()
    assert html.count("verified <time") >= facts


def test_retired_certification_page_points_to_its_successor(client):
    html = client.get("/certifications/ai-102/").content.decode()
    assert "banner--retired" in html
    assert 'href="/certifications/ai-103/"' in html
    successor_page = client.get("/certifications/ai-103/").content.decode()
    assert "replaces" in successor_page and 'href="/certifications/ai-102/"' in successor_page


def test_not_disclosed_is_shown_as_a_value(client):
    value = Value.objects.get(certification__slug="pmle", feature__slug="passing-score")
    assert value.availability == Value.Availability.NOT_DISCLOSED
    body = text_of(client.get("/certifications/pmle/"))
    assert "Not disclosed by the vendor" in body


def test_faq_has_ten_questions_linking_their_certifications(client):
    response = client.get("/faq/")
    assert response.status_code == 200
    html = response.content.decode()
    entries = list(FAQEntry.objects.all())
    assert len(entries) == 10
    for entry in entries:
        assert f'id="{entry.slug}"' in html
        assert entry.certifications.exists()
        for cert in entry.certifications.all():
            assert f'href="/certifications/{cert.slug}/"' in html
    assert "Correction to the original article" in html


def test_sources_page_lists_every_source_cited(client):
    response = client.get("/sources/")
    assert response.status_code == 200
    html = response.content.decode()
    for source in Source.objects.visible_to(AnonymousUser()):
        assert f'id="source-{source.slug}"' in html
    # Every source a published page cites is there (nothing of the real content is a draft).
    cited = {v.source.slug for v in Value.objects.select_related("source") if v.source}
    assert cited and all(f'id="source-{slug}"' in html for slug in cited)


@pytest.mark.parametrize(
    "url", ["/certifications/no-such-cert/", "/certifications/PMLE/", "/nothing-here/", "/faq/x/"]
)
def test_unknown_addresses_get_the_site_404(client, url):
    response = client.get(url)
    assert response.status_code == 404
    html = response.content.decode()
    assert "We could not find that page" in html
    assert 'class="site-header"' in html


@pytest.mark.parametrize(
    "url", ["/", "/certifications/", "/certifications/pmle/", "/faq/", "/sources/"]
)
def test_pages_refuse_writes_with_405(client, url):
    response = client.post(url)
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
    assert "This page can only be read" in response.content.decode()
    assert 'class="site-header"' in response.content.decode()


def test_head_requests_are_answered(client):
    assert client.head("/faq/").status_code == 200


def test_a_retired_certification_is_never_presented_as_bookable(client):
    assert not Certification.objects.bookable().filter(status=Status.RETIRED).exists()
    for cert in Certification.objects.filter(status=Status.RETIRED):
        html = client.get(cert.get_absolute_url()).content.decode()
        assert "It can no longer be booked" in html


def test_the_favicon_browsers_ask_for_is_there(client):
    # Browsers request /favicon.ico whatever the page links to; it used to be a 404 in every
    # console.
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("favicon.ico")
    from django.contrib.staticfiles import finders

    icon = finders.find("favicon.ico")
    assert icon and open(icon, "rb").read(4) == b"\x00\x00\x01\x00"  # an ICO file
