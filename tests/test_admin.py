"""Staff keep the facts current in the admin; invalid data is refused and nothing is saved."""

import datetime

import pytest
from django.contrib.auth import get_user_model

from certs.models import Certification, Source, Value
from tests.helpers import form_data, post_change_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(make_staff):
    return make_staff("editor")


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    response = client.get("/admin/certs/certification/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_non_staff_users_cannot_reach_the_admin(client):
    user = get_user_model().objects.create_user("reader", password="pw-long-enough-1")
    client.force_login(user)
    assert client.get("/admin/certs/value/").status_code == 302


def test_staff_can_browse_every_content_list(staff):
    for model in [
        "certification",
        "value",
        "feature",
        "category",
        "source",
        "faqentry",
        "matchup",
        "editorialblock",
        "examversion",
        "skilldomain",
    ]:
        response = staff.get(f"/admin/certs/{model}/")
        assert response.status_code == 200, model
    assert (
        staff.get(
            "/admin/certs/certification/?vendor__exact=microsoft&status__exact=retired"
        ).status_code
        == 200
    )
    assert staff.get("/admin/certs/value/?q=165").status_code == 200


def test_staff_can_fix_a_fee_and_the_site_shows_it(staff):
    pmle = Certification.objects.get(slug="pmle")
    url = f"/admin/certs/certification/{pmle.pk}/change/"
    data = form_data(staff, url)
    fee = Value.objects.get(certification=pmle, feature__slug="exam-fee")
    prefix = next(
        k.removesuffix("-id") for k, v in data.items() if k.endswith("-id") and v == str(fee.pk)
    )
    data[f"{prefix}-text"] = "USD 210 plus tax"
    data[f"{prefix}-amount"] = "210"
    response = staff.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    fee.refresh_from_db()
    assert fee.text == "USD 210 plus tax"
    assert "USD 210 plus tax" in staff.get("/certifications/pmle/").content.decode()


def test_a_fact_without_a_source_is_refused_and_nothing_changes(staff):
    fee = Value.objects.get(certification__slug="pmle", feature__slug="exam-fee")
    response = post_change_form(staff, fee, source="", text="USD 999")
    assert response.status_code == 200
    assert "A fact needs a source." in response.content.decode()
    fee.refresh_from_db()
    assert fee.text != "USD 999" and fee.source_id


def test_a_successor_pointing_at_itself_is_refused_with_inlines_untouched(staff):
    cert = Certification.objects.get(slug="ai-103")
    url = f"/admin/certs/certification/{cert.pk}/change/"
    data = form_data(staff, url)
    before = list(Value.objects.filter(certification=cert).values_list("text", flat=True))
    data["successor"] = str(cert.pk)
    # An inline edit in the same submission must not be saved either.
    first_text = next(k for k in data if k.startswith("values-") and k.endswith("-text"))
    data[first_text] = "changed in a failed save"
    response = staff.post(url, data)
    assert response.status_code == 200
    assert "A certification cannot be its own successor." in response.content.decode()
    cert.refresh_from_db()
    assert cert.successor_id != cert.pk
    assert list(Value.objects.filter(certification=cert).values_list("text", flat=True)) == before


def test_a_bad_url_is_refused(staff):
    source = Source.objects.get(slug="google-recertification")
    response = post_change_form(staff, source, url="not a url")
    assert response.status_code == 200
    assert "Enter a valid URL." in response.content.decode()
    source.refresh_from_db()
    assert source.url.startswith("https://")


def test_dates_are_british_in_the_admin(staff):
    # The site is English only (USE_I18N off): formats still come from en-gb, day first.
    cert = Certification.objects.get(slug="ai-102")
    url = f"/admin/certs/certification/{cert.pk}/change/"
    data = form_data(staff, url)
    assert data["status_date"] == "30/06/2026"
    data.update({"status_date": "01/07/2026", "_change_reason": "Day-first date"})
    assert staff.post(url, data).status_code == 302
    cert.refresh_from_db()
    assert cert.status_date == datetime.date(2026, 7, 1)


def test_the_sign_in_page_has_a_level_one_heading(client):
    page = client.get("/admin/login/").content.decode()
    assert page.count("<h1>") == 1 and "Sign in to keep every fact current" in page
