"""What search engines and link previews read: sitemap, robots.txt, canonical links, noindex,
Open Graph and Twitter tags, meta descriptions and JSON-LD."""

import datetime
import re
import xml.etree.ElementTree as ET
from urllib.parse import urlencode

import pytest
from django.utils import timezone

from certs.models import Certification, ContentVersion, FAQEntry, Matchup, Value

from .factories import make_certification
from .helpers import CATALOG, HTMLPage
from .helpers import WIZARD_ANSWERS as HELPER_ANSWERS

pytestmark = pytest.mark.django_db

SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
WIZARD_ANSWERS = urlencode(HELPER_ANSWERS)
INDEXABLE = [
    "/",
    "/certifications/",
    "/certifications/pmle/",
    "/certifications/ai-103/",
    "/compare/",
    "/compare/pmle-vs-ai-102/",
    "/compare/mla-c02-vs-pmle-vs-ai-103-vs-ai-300/",
    "/fit/",
    "/faq/",
    "/sources/",
    "/changes/",
    "/certifications/pmle/changes/",
    "/lifecycle/",
]


def head(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return HTMLPage(response.content.decode())


# robots.txt and the sitemap


def test_robots_txt_allows_crawling_and_points_at_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert lines[:2] == ["User-agent: *", "Allow: /"]
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    assert "admin" not in response.content.decode()  # the admin's address stays private


def date_last_edit(obj, when):
    """simple_history dates an edit now; pin a date the fixtures cannot have."""
    record = obj.history.latest()
    record.history_date = when
    record.save()


def sitemap_entries(client):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    root = ET.fromstring(response.content)
    return {
        url.find("s:loc", SITEMAP_NS).text: url.findtext("s:lastmod", None, SITEMAP_NS)
        for url in root.findall("s:url", SITEMAP_NS)
    }


def test_sitemap_lists_every_public_page_and_nothing_else(client):
    entries = sitemap_entries(client)
    expected = {
        "http://testserver" + path
        for path in ["/", "/certifications/", "/compare/", "/fit/", "/faq/", "/sources/"]
        + ["/lifecycle/", "/changes/", "/market/"]
    }
    expected |= {
        "http://testserver" + cert.get_absolute_url()
        for cert in Certification.objects.filter(is_published=True)
    }
    expected |= {
        "http://testserver/compare/pmle-vs-ai-102/",
        "http://testserver/compare/pmle-vs-ai-103/",
    }
    assert expected <= set(entries)
    assert len(entries) == 9 + len(CATALOG) + Matchup.objects.filter(is_published=True).count()
    assert not [url for url in entries if "/fit/" in url and not url.endswith("/fit/")]
    assert all(lastmod for lastmod in entries.values())


def test_sitemap_leaves_out_drafts(client):
    draft = make_certification(slug="draft-only")
    assert not draft.is_published
    assert "http://testserver/certifications/draft-only/" not in sitemap_entries(client)


def test_sitemap_lastmod_follows_an_edit_of_a_fact(client):
    before = sitemap_entries(client)
    value = Value.objects.get(certification__slug="mls-c01", feature__slug="exam-fee")
    value.note = value.note + " Re-read."
    value.save()
    date_last_edit(value, datetime.datetime(2027, 3, 4, 10, 0, tzinfo=datetime.UTC))
    after = sitemap_entries(client)
    url = "http://testserver/certifications/mls-c01/"
    assert after[url] == "2027-03-04"
    assert before[url] != after[url]
    assert (
        after["http://testserver/certifications/pmle/"]
        == before["http://testserver/certifications/pmle/"]
    )


def test_sitemap_lastmod_follows_an_edit_of_a_question_shown_on_the_page(client):
    # A certification page lists its FAQ entries: editing one used to leave lastmod behind.
    before = sitemap_entries(client)
    entry = FAQEntry.objects.filter(certifications__slug="ai-102").first()
    entry.answer = entry.answer + " Checked again."
    entry.save()
    date_last_edit(entry, datetime.datetime(2027, 5, 6, 10, 0, tzinfo=datetime.UTC))
    after = sitemap_entries(client)
    for cert in entry.certifications.all():
        assert after[f"http://testserver/certifications/{cert.slug}/"] == "2027-05-06"
    unrelated = Certification.objects.exclude(faq_entries=entry).first()
    page = f"http://testserver/certifications/{unrelated.slug}/"
    assert after[page] == before[page]


@pytest.mark.parametrize("about", ["value", "certification"])
def test_sitemap_lastmod_follows_a_new_disagreeing_source(client, about):
    from certs.models import Disagreement, Source

    cert = Certification.objects.get(slug="mls-c01")
    target = {"certification": cert}
    if about == "value":
        target = {"value": Value.objects.get(certification=cert, feature__slug="exam-fee")}
    found = Disagreement.objects.create(
        slug="elsewhere", source=Source.objects.first(), says="Something else.", **target
    )
    date_last_edit(found, datetime.datetime(2027, 7, 8, 10, 0, tzinfo=datetime.UTC))
    assert sitemap_entries(client)["http://testserver/certifications/mls-c01/"] == "2027-07-08"


def test_sitemap_lastmod_of_site_wide_pages_is_the_last_content_change(
    client, django_capture_on_commit_callbacks
):
    ContentVersion.objects.filter(pk=1).update(
        changed_at=datetime.datetime(2026, 1, 2, tzinfo=datetime.UTC)
    )
    assert sitemap_entries(client)["http://testserver/faq/"] == "2026-01-02"
    with django_capture_on_commit_callbacks(execute=True):
        FAQEntry.objects.first().save()
    today = timezone.now().date().isoformat()
    assert sitemap_entries(client)["http://testserver/faq/"] == today


# Canonical links, noindex and link previews


@pytest.mark.parametrize("url", INDEXABLE)
def test_indexable_pages_have_canonical_og_and_twitter_tags(client, url):
    page = head(client, url)
    assert page.links["canonical"] == "http://testserver" + url
    assert "robots" not in page.meta
    assert page.meta["og:url"] == page.links["canonical"]
    assert page.meta["og:title"] and page.meta["og:description"]
    assert page.meta["og:type"] == "website"
    assert page.meta["og:image"] == "http://testserver/static/img/og.png"
    assert page.meta["twitter:card"] == "summary_large_image"
    assert page.meta["description"] == page.meta["og:description"]


def test_the_link_preview_image_is_a_1200_by_630_png():
    from django.contrib.staticfiles import finders

    path = finders.find("img/og.png")
    with open(path, "rb") as image:
        header = image.read(24)
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    assert int.from_bytes(header[16:20]) == 1200 and int.from_bytes(header[20:24]) == 630


def test_meta_descriptions_are_written_per_page(client):
    descriptions = {url: head(client, url).meta["description"] for url in INDEXABLE}
    for url, text in descriptions.items():
        assert 50 <= len(text) <= 160, (url, len(text))
    assert len(set(descriptions.values())) == len(descriptions)


@pytest.mark.parametrize(
    "url", ["/compare/pmle-vs-ai-102/?only=diff", "/compare/pmle-vs-ai-102/?p=cost&utm_x=1"]
)
def test_query_string_variants_of_a_comparison_point_to_its_canonical_url(client, url):
    page = head(client, url)
    assert page.links["canonical"] == "http://testserver/compare/pmle-vs-ai-102/"
    assert page.meta["og:url"] == "http://testserver/compare/pmle-vs-ai-102/"


@pytest.mark.parametrize(
    "url",
    [
        "/fit/questions/",
        "/fit/questions/?background=software-developer",
        f"/fit/check/?{WIZARD_ANSWERS}",
        f"/fit/result/?{WIZARD_ANSWERS}",
    ],
)
def test_wizard_steps_are_noindex(client, url):
    page = head(client, url)
    assert page.meta["robots"] == "noindex, follow"
    assert "canonical" not in page.links


def test_a_shared_wizard_result_previews_as_itself(client):
    page = head(client, f"/fit/result/?{WIZARD_ANSWERS}&utm_source=news&fbclid=x1")
    assert page.meta["og:url"] == f"http://testserver/fit/result/?{WIZARD_ANSWERS}"
    assert page.meta["og:title"].startswith("Your result: ")


@pytest.mark.parametrize("url", ["/certifications/nope/", "/compare/pmle-vs-pmle/", "/fit/x/"])
def test_error_pages_are_noindex(client, url):
    response = client.get(url)
    assert response.status_code in (400, 404)
    page = HTMLPage(response.content.decode())
    assert page.meta["robots"] == "noindex"
    assert "canonical" not in page.links and "og:title" not in page.meta


def test_downloads_are_noindex(client):
    response = client.get("/compare/pmle-vs-ai-102/?format=csv")
    assert response["X-Robots-Tag"] == "noindex"


# JSON-LD


def test_faq_is_a_faqpage_with_every_question_and_answer(client):
    data = head(client, "/faq/").structured()
    faq = data["FAQPage"]
    assert faq["@context"] == "https://schema.org"
    entries = list(FAQEntry.objects.order_by("order"))
    assert [q["name"] for q in faq["mainEntity"]] == [e.question for e in entries]
    assert [q["acceptedAnswer"]["text"] for q in faq["mainEntity"]] == [e.answer for e in entries]
    assert all(q["@type"] == "Question" for q in faq["mainEntity"])


def test_catalog_is_an_itemlist_in_the_order_shown(client):
    response = client.get("/certifications/")
    items = HTMLPage(response.content.decode()).structured()["ItemList"]
    shown = re.findall(r'<th scope="row"><a href="([^"]+)"', response.content.decode())
    assert [item["url"] for item in items["itemListElement"]] == [
        "http://testserver" + path for path in shown
    ]
    assert items["numberOfItems"] == len(shown) == len(CATALOG)
    assert [item["position"] for item in items["itemListElement"]] == list(
        range(1, len(CATALOG) + 1)
    )


@pytest.mark.parametrize(
    "url,names",
    [
        ("/certifications/pmle/", ["Home", "Certifications", "PMLE"]),
        ("/compare/mla-c02-vs-pmle-vs-ai-103/", ["Home", "Compare", "MLA-C02 vs PMLE vs AI-103"]),
        ("/certifications/pmle/changes/", ["Home", "Certifications", "PMLE", "What changed"]),
    ],
)
def test_breadcrumbs_are_shown_and_described_alike(client, url, names):
    page = head(client, url)
    trail = page.structured()["BreadcrumbList"]["itemListElement"]
    assert [item["name"] for item in trail] == names
    assert [item["item"] for item in trail] == [
        "http://testserver" + href for href in page.breadcrumb_links
    ]
    assert trail[-1]["item"] == "http://testserver" + url


def test_json_ld_cannot_be_closed_by_content(client):
    entry = FAQEntry.objects.first()
    entry.answer = 'Watch out: </script><script>alert("x")</script> & more.'
    entry.save()
    html = client.get("/faq/").content.decode()
    assert "</script><script>" not in html
    faq = HTMLPage(html).structured()["FAQPage"]
    assert entry.answer in [q["acceptedAnswer"]["text"] for q in faq["mainEntity"]]


def test_fragments_carry_no_head_metadata(client):
    response = client.get("/compare/pmle-vs-ai-102/", headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "og:title" not in html and "application/ld+json" not in html
    assert '<nav class="breadcrumbs"' in html  # the trail is part of what is swapped


def test_the_configured_site_address_is_the_canonical_one(client, settings):
    # Without it, every host the site answers on declared itself canonical.
    settings.SITE_URL = "https://certs.example.com"
    page = head(client, "/faq/?only=x")
    assert page.links["canonical"] == "https://certs.example.com/faq/"
    assert page.meta["og:image"] == "https://certs.example.com/static/img/og.png"
    catalog = head(client, "/certifications/").structured()["ItemList"]
    assert catalog["itemListElement"][0]["url"].startswith("https://certs.example.com/")
    robots = client.get("/robots.txt").content.decode()
    assert "Sitemap: https://certs.example.com/sitemap.xml" in robots
    locations = list(sitemap_entries(client))
    assert locations and all(loc.startswith("https://certs.example.com/") for loc in locations)


def test_a_malformed_site_address_stops_the_site_at_start():
    import os
    import subprocess
    import sys
    from pathlib import Path

    env = {**os.environ, "DJANGO_SITE_URL": "certs.example.com/path"}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=Path(__file__).resolve().parents[1],
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "DJANGO_SITE_URL must look like https://certs.example.com" in result.stderr


def test_sitemap_lastmod_follows_an_edit_of_an_exam_version(client):
    from certs.models import ExamVersion

    version = ExamVersion.objects.filter(certification__slug="pmle").first()
    version.note = version.note + " Re-read."
    version.save()
    date_last_edit(version, datetime.datetime(2027, 5, 6, 9, 0, tzinfo=datetime.UTC))
    assert sitemap_entries(client)["http://testserver/certifications/pmle/"] == "2027-05-06"
