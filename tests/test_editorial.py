"""Editorial integrity: history and revert, the publish gate, re-verification, roles, login
lockout, freshness, the public change log and its feeds, lifecycle dates, drafts."""

import datetime
import re
import xml.etree.ElementTree as ET
from urllib.parse import urlencode

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command

from certs.admin import CertificationAdmin
from certs.models import Certification, Freshness, Value, freshness_of

from .factories import make_certification
from .helpers import WIZARD_ANSWERS, form_data, post_change_form

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def staff(make_staff):
    return make_staff("ed")


def list_revisions(client, url) -> dict:
    """The revision of each row as the changelist shows it: a browser posts them with an action."""
    return dict(re.findall(r'name="(seen-\d+)" value="(\d+)"', client.get(url).content.decode()))


def change_fee(staff, text, reason="Vendor raised the fee"):
    fee = Value.objects.get(certification__slug="pmle", feature__slug="exam-fee")
    response = post_change_form(staff, fee, text=text, amount="210", change_reason=reason)
    assert response.status_code == 302
    return fee


def test_an_edit_is_recorded_with_who_and_why_and_shown_as_a_diff(staff):
    fee = change_fee(staff, "USD 210 plus tax")
    record = fee.history.first()
    assert record.history_change_reason == "Vendor raised the fee"
    assert record.history_user.username == "ed"
    page = staff.get(f"/admin/certs/value/{fee.pk}/history/").content.decode()
    assert "Vendor raised the fee" in page
    assert "USD 200 plus tax where applicable" in page and "USD 210 plus tax" in page  # the diff


def test_revert_restores_the_exact_earlier_values(staff):
    fee = Value.objects.get(certification__slug="pmle", feature__slug="exam-fee")
    original = (fee.text, fee.amount, fee.unit, fee.note, fee.source_id, fee.verified_on)
    change_fee(staff, "USD 210 plus tax")
    change_fee(staff, "USD 230 plus tax", reason="Second change")
    baseline = fee.history.order_by("history_date", "history_id").first()  # as loaded
    assert baseline.history_change_reason == "Loaded from fixtures"
    url = f"/admin/certs/value/{fee.pk}/history/{baseline.history_id}/"
    data = form_data(staff, url)
    data["change_reason"] = "Reverted to the loaded version"
    assert staff.post(url, data).status_code == 302
    fee.refresh_from_db()
    assert (fee.text, fee.amount, fee.unit, fee.note, fee.source_id, fee.verified_on) == original
    assert fee.history.first().history_change_reason == "Reverted to the loaded version"


def test_a_certification_has_history_with_reasons_for_its_inline_rows_and_revert(staff):
    cert = Certification.objects.get(slug="pmle")
    original_name = cert.name
    url = f"/admin/certs/certification/{cert.pk}/change/"
    data = form_data(staff, url)
    row = next(
        k.removesuffix("-id")
        for k, v in data.items()
        if re.fullmatch(r"values-\d+-id", k)
        and v == str(cert.values.get(feature__slug="exam-fee").pk)
    )
    data.update({"name": "Renamed by the vendor", f"{row}-text": "USD 215 plus tax"})
    data["change_reason"] = "Vendor renamed the exam and raised the fee"
    assert staff.post(url, data).status_code == 302

    cert.refresh_from_db()
    fee = cert.values.get(feature__slug="exam-fee")
    for record in (cert.history.first(), fee.history.first()):
        assert record.history_change_reason == "Vendor renamed the exam and raised the fee"
        assert record.history_user.username == "ed"
    page = staff.get(f"/admin/certs/certification/{cert.pk}/history/").content.decode()
    assert "Vendor renamed the exam and raised the fee" in page
    assert original_name in page and "Renamed by the vendor" in page  # the field diff

    loaded = cert.history.order_by("history_id").first()
    revert = f"/admin/certs/certification/{cert.pk}/history/{loaded.history_id}/"
    data = form_data(staff, revert)
    data["change_reason"] = "Back to the loaded name"
    assert staff.post(revert, data).status_code == 302
    cert.refresh_from_db()
    assert cert.name == original_name


def test_publishing_is_blocked_by_incomplete_quick_facts_and_names_the_rows(staff):
    draft = make_certification(slug="draft-cert", short_name="DRAFT-1")
    response = post_change_form(staff, draft, is_published="on")
    assert response.status_code == 200
    html = response.content.decode()
    assert "DRAFT-1 cannot be published yet" in html
    assert "Exam fee: no value" in html and "Passing score: no value" in html
    draft.refresh_from_db()
    assert not draft.is_published


def test_publish_action_reports_blockers_and_publishes_complete_ones(staff):
    draft = make_certification(short_name="DRAFT-2")
    complete = Certification.objects.get(slug="aif-c01")
    Certification.objects.filter(pk=complete.pk).update(is_published=False)
    response = staff.post(
        "/admin/certs/certification/",
        {"action": "publish", "_selected_action": [draft.pk, complete.pk]}
        | list_revisions(staff, "/admin/certs/certification/"),
        follow=True,
    )
    html = response.content.decode()
    assert "DRAFT-2 was not published" in html and "AIF-C01 is published." in html
    assert Certification.objects.get(pk=complete.pk).is_published
    assert not Certification.objects.get(pk=draft.pk).is_published


def test_drafts_are_invisible_to_visitors_and_previewable_by_staff(client, staff):
    draft = make_certification(slug="hidden-cert", short_name="HIDDEN")
    from django.test import Client

    anonymous = Client()
    assert anonymous.get("/certifications/hidden-cert/").status_code == 404
    assert b"HIDDEN" not in anonymous.get("/certifications/").content
    assert anonymous.get("/compare/hidden-cert-vs-pmle/").status_code in (301, 404)
    preview = staff.get(f"/certifications/{draft.slug}/")
    assert preview.status_code == 200
    assert b"Draft preview" in preview.content


def test_re_verify_action_updates_only_the_selected_stale_facts(staff):
    old = datetime.date(2026, 1, 1)
    stale = list(Value.objects.filter(certification__slug="pmle", basis="fact")[:3])
    Value.objects.filter(pk__in=[v.pk for v in stale]).update(verified_on=old)
    listing = staff.get("/admin/certs/facttoreverify/").content.decode()
    assert listing.count("1 Jan 2026") == 3
    chosen = stale[:2]
    staff.post(
        "/admin/certs/facttoreverify/",
        {"action": "verified_today", "_selected_action": [v.pk for v in chosen]}
        | list_revisions(staff, "/admin/certs/facttoreverify/"),
    )
    for value in chosen:
        value.refresh_from_db()
        assert value.verified_on == datetime.date.today()
        assert value.verified_by == "ed"
        assert value.history.first().history_change_reason == "Re-verified; source unchanged"
    untouched = Value.objects.get(pk=stale[2].pk)
    assert untouched.verified_on == old and untouched.verified_by == ""


def test_editors_edit_content_but_not_users(client):
    editor = get_user_model().objects.create_user(
        "editor", password="pw-long-enough-1", is_staff=True
    )
    editor.groups.add(Group.objects.get(name="Editor"))
    client.force_login(editor)
    assert client.get("/admin/certs/value/").status_code == 200
    assert client.get("/admin/certs/certification/add/").status_code == 200
    assert client.get("/admin/auth/user/").status_code == 403
    assert client.get("/admin/auth/group/").status_code == 403


def test_repeated_failed_logins_lock_out(client, settings):
    get_user_model().objects.create_superuser("boss", "b@example.com", "right-password-123")
    login = "/admin/login/?next=/admin/"
    for attempt in range(1, settings.AXES_FAILURE_LIMIT + 1):
        response = client.post(login, {"username": "boss", "password": "wrong"})
        # the login form again until the limit; the attempt that reaches it is locked out
        assert response.status_code == (200 if attempt < settings.AXES_FAILURE_LIMIT else 429)
    locked = client.post(login, {"username": "boss", "password": "right-password-123"})
    assert locked.status_code == 429
    assert "Too many failed sign-ins" in locked.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    "age,expected",
    [
        (0, Freshness.FRESH),
        (60, Freshness.FRESH),
        (61, Freshness.AGEING),
        (90, Freshness.AGEING),
        (91, Freshness.STALE),
    ],
)
def test_freshness_thresholds(age, expected):
    today = datetime.date(2026, 11, 25)
    verified = today - datetime.timedelta(days=age)
    assert freshness_of(verified, today=today, cadence_days=90) == expected
    assert freshness_of(None, today=today, cadence_days=90) == Freshness.STALE


def test_freshness_badges_are_shown(client):
    Value.objects.filter(certification__slug="pmle", feature__slug="exam-fee").update(
        verified_on=datetime.date.today() - datetime.timedelta(days=200)
    )
    html = client.get("/certifications/pmle/").content.decode()
    assert '<span class="fresh fresh--stale">needs re-checking</span>' in html
    assert '<span class="fresh fresh--fresh">recently checked</span>' in html
    assert "every fact on this page checked since" in html


def test_change_log_and_feeds(staff, client):
    change_fee(staff, "USD 210 plus tax")
    page = client.get("/changes/").content.decode()
    assert (
        "Exam fee</a> of PMLE</strong> changed from "
        "“USD 200 plus tax where applicable” to “USD 210 plus tax”" in page
    )
    assert "Vendor raised the fee" in page
    assert "USD 210" in client.get("/certifications/pmle/changes/").content.decode()
    assert "USD 210" not in client.get("/certifications/ai-103/changes/").content.decode()
    for url in ["/changes/feed/", "/certifications/pmle/changes/feed/"]:
        response = client.get(url)
        assert response["Content-Type"].startswith("application/atom+xml")
        feed = ET.fromstring(response.content)
        entries = feed.findall(f"{ATOM}entry")
        assert len(entries) == 1
        assert "USD 210 plus tax" in entries[0].find(f"{ATOM}title").text
        assert (
            entries[0]
            .find(f"{ATOM}link")
            .get("href")
            .endswith("/certifications/pmle/#row-exam-fee")
        )
    assert client.get("/certifications/nope/changes/feed/").status_code == 404


def test_lifecycle_page_splits_upcoming_and_past(client, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda: datetime.date(2026, 11, 25))
    html = client.get("/lifecycle/").content.decode()
    coming, past = html.split('id="already-happened"')
    assert "MLA-C01" in coming and "14 Jan 2027" in coming
    assert "retired; replaced by AI-103" in past and "30 Jun 2026" in past


def test_conflicting_sources_are_both_shown(client):
    html = client.get("/certifications/ai-102/").content.decode()
    assert "Sources disagree:" in html
    assert "30 April 2025" in html and "30 June 2026" in html


def test_a_failed_admin_save_leaves_nothing_half_written(staff, monkeypatch):
    cert = Certification.objects.get(slug="ai-103")
    url = f"/admin/certs/certification/{cert.pk}/change/"
    data = form_data(staff, url)
    data["name"] = "Renamed in a save that fails"
    first_text = next(k for k in data if k.startswith("values-") and k.endswith("-text"))
    data[first_text] = "changed in a save that fails"

    def explode(*args, **kwargs):
        raise RuntimeError("injected failure after the certification row was saved")

    monkeypatch.setattr(CertificationAdmin, "save_related", explode)
    with pytest.raises(RuntimeError):
        staff.post(url, data)
    cert.refresh_from_db()
    assert cert.name == "Developing AI Apps and Agents on Azure"
    assert not Value.objects.filter(text="changed in a save that fails").exists()
    assert not cert.history.filter(name="Renamed in a save that fails").exists()


def test_loading_fixtures_again_adds_no_history():
    before = Value.history.count()
    call_command("load_content", verbosity=0)
    assert Value.history.count() == before


def test_a_certification_taken_back_to_draft_hides_its_write_ups(client):
    # The home page used to show PMLE's facts to visitors while /certifications/pmle/ was a 404.
    Certification.objects.filter(slug="pmle").update(is_published=False)
    assert client.get("/certifications/pmle/").status_code == 404
    assert client.get("/").status_code == 404
    sitemap = client.get("/sitemap.xml").content.decode()
    assert "pmle" not in sitemap  # neither its page nor any comparison with it


def test_a_draft_successor_is_not_announced_to_visitors(client):
    # AI-102's banner, status line, comparison swap, lifecycle entry and wizard note named and
    # linked the successor even while it was a draft: a 404 for visitors, and news staff had
    # not published yet. (Prose that staff wrote may still mention it: that is theirs to word.)
    Certification.objects.filter(slug="ai-103").update(is_published=False)
    wizard = "/fit/result/?" + urlencode(WIZARD_ANSWERS)
    assert "AI-102</a> would have ranked" in client.get(wizard).content.decode()
    pages = ["/", "/certifications/", "/certifications/ai-102/", "/compare/pmle-vs-ai-102/"]
    for path in [*pages, "/lifecycle/", wizard]:
        response = client.get(path)
        assert response.status_code == 200, path
        html = response.content.decode()
        assert "/certifications/ai-103/" not in html, path
        assert "replaced by AI-103" not in html and "Compare AI-103 instead" not in html, path
    # Staff preview drafts, successors included.
    staff = get_user_model().objects.create_superuser("ed", "ed@example.com", "pw-long-enough-1")
    client.force_login(staff)
    for path in pages:
        assert "/certifications/ai-103/" in client.get(path).content.decode(), path
