"""Vendors and relations between certifications as data: on the certification pages, in the
wizard's platform question and result, and guarded in the admin."""

import datetime
import re
from urllib.parse import urlencode

import pytest

from certs.models import Certification, Relation, Vendor
from tests.factories import make_certification
from tests.helpers import WIZARD_ANSWERS, form_data

pytestmark = pytest.mark.django_db


def result(client, **answers):
    response = client.get("/fit/result/?" + urlencode({**WIZARD_ANSWERS, **answers}))
    assert response.status_code == 200
    return response.content.decode()


def test_a_requirement_shows_on_both_certification_pages(client):
    ai500 = client.get("/certifications/ai-500/").content.decode()
    assert 'AI-500 requires <a href="/certifications/ai-103/">AI-103</a>.' in ai500
    ai103 = client.get("/certifications/ai-103/").content.decode()
    assert 'AI-103 is required for <a href="/certifications/ai-500/">AI-500</a>.' in ai103
    snowflake = client.get("/certifications/snowpro-genai/").content.decode()
    # a target outside the catalog is named, with the disagreement in the note, not linked
    assert "requires SnowPro Core Certification.</strong>" in snowflake
    assert "another says it is only recommended" in snowflake


def test_a_credential_that_renews_another_shows_on_its_page(client):
    html = client.get("/certifications/mla-c02/").content.decode()
    assert (
        'MLA-C02 renews or counts towards <a href="/certifications/aif-c01/">AIF-C01</a>.' in html
    )


def test_a_relation_to_a_draft_is_not_shown_to_visitors(client, make_staff):
    Certification.objects.filter(slug="ai-500").update(is_published=False)
    assert "is required for" not in client.get("/certifications/ai-103/").content.decode()
    staff = make_staff()
    assert "is required for" in staff.get("/certifications/ai-103/").content.decode()


def test_the_wizard_names_a_missing_prerequisite_as_a_step(client):
    html = result(client, cloud="azure", beta="yes", held="nothing")
    assert "Take AI-103 first: AI-500 requires it." in html
    html = result(client, cloud="azure", beta="yes", held="associate-or-higher")
    assert "AI-500 requires AI-103: take it first unless you hold it." in html


def test_the_wizard_says_when_passing_renews_a_credential_held(client):
    step = "Passing MLA-C02 also renews AIF-C01, if you hold it."
    assert step in result(client, cloud="aws", beta="yes", held="fundamentals")
    assert step not in result(client, cloud="aws", beta="yes", held="nothing")


def test_every_vendor_with_a_bookable_certification_is_a_platform_choice(client):
    html = client.get("/fit/questions/?" + urlencode(dict(list(WIZARD_ANSWERS.items())[:3])))
    offered = re.findall(r'name="cloud" id="choice-[^"]+" value="([^"]+)"', html.content.decode())
    # the stored choices keep their slugs (old links work); other vendors come under theirs
    assert offered[:3] == ["google-cloud", "azure", "aws"]
    assert {"databricks", "nvidia", "snowflake", "oracle", "ibm", "github", "redhat"} <= set(
        offered
    )
    assert offered[-2:] == ["none-yet", "several"]


def test_a_vendor_added_by_staff_becomes_a_platform_without_a_code_change(client):
    vendor = Vendor.objects.create(slug="acme", name="Acme AI", kind="other", order=40)
    question = "/fit/questions/?" + urlencode(dict(list(WIZARD_ANSWERS.items())[:3]))
    assert 'value="acme"' not in client.get(question).content.decode()  # nothing bookable yet
    make_certification(vendor=vendor, short_name="ACME-1", is_published=True)
    assert 'value="acme"' in client.get(question).content.decode()
    html = result(client, cloud="acme")
    assert "among the Acme AI exams you can sit" in html or "No strong fit on Acme AI" in html
    ranked = html.split('id="ranking"')[1].split("</ol>")[0]
    assert "ACME-1" in ranked and "PMLE" not in ranked


def test_an_announced_exam_is_left_out_with_the_reason(client):
    html = result(client, cloud="nvidia", background="ml-engineer", level="professional")
    assert "NCP-GENL</a> would have ranked" in html
    assert (
        "It has been announced but cannot be booked yet, and our sources give no date from "
        "which it can." in html
    )


def test_a_beta_whose_window_closes_before_the_sitting_is_left_out(client):
    closes = datetime.date.today() + datetime.timedelta(days=20)
    Certification.objects.filter(slug="mla-c02").update(beta_ends_on=closes)
    html = result(client, cloud="aws", beta="yes", sitting="one-to-three-months")
    assert f"Its beta testing window closes on {closes:%-d %B %Y}, before you can sit it." in html
    html = result(client, cloud="aws", beta="yes", sitting="within-a-month")
    assert "beta testing window closes" not in html
    closed = datetime.date.today() - datetime.timedelta(days=1)
    Certification.objects.filter(slug="mla-c02").update(beta_ends_on=closed)
    html = result(client, cloud="aws", beta="yes", sitting="within-a-month")
    assert f"Its beta testing window closed on {closed:%-d %B %Y}, so it cannot be booked." in html


def test_admin_refuses_a_relation_with_two_targets(make_staff):
    staff = make_staff()
    data = form_data(staff, "/admin/certs/relation/add/")
    pmle, ai103 = Certification.objects.get(slug="pmle"), Certification.objects.get(slug="ai-103")
    data.update(
        from_certification=pmle.pk,
        kind="requires",
        to_certification=ai103.pk,
        to_name="Something else",
        source=pmle.status_source_id,
        verified_on="2026-11-30",
        change_reason="test",
    )
    before = Relation.objects.count()
    response = staff.post("/admin/certs/relation/add/", data)
    assert response.status_code == 200
    assert "Pick the other certification, or name it if it is not listed, not both." in (
        response.content.decode()
    )
    assert Relation.objects.count() == before


def test_an_exam_open_only_to_partner_firms_is_ranked_only_on_its_own_platform(client):
    html = result(client, cloud="several", goal="build-agents", background="software-developer")
    assert "Claude Architect" in html.split('id="left-out"')[1].split("</section>")[0]
    assert "Only staff of Claude Partner Network member firms can sit it." in html
    html = result(client, cloud="anthropic", goal="build-agents")
    ranked = html.split('id="ranking"')[1].split("</ol>")[0]
    assert "claude-architect-foundations" in ranked
    assert "Check that you may sit it: only staff of Claude Partner Network member firms can." in (
        html
    )


def test_when_nothing_on_the_platform_is_open_every_platform_counts_and_the_page_says_so(client):
    # GH-600, GitHub's only exam, is a beta; this person would not sit one
    html = result(client, cloud="github", beta="no")
    assert "Nothing on GitHub is open to you with these answers" in html
    assert "among the GitHub exams" not in html and "you can take on GitHub" not in html
    assert "GH-600</a> would have ranked" in html
