"""Two editors never silently undo each other: a form opened before a colleague's save is
refused (and says who changed what) when it would overwrite that save."""

import datetime
import re

import pytest
from django.utils import timezone

from certs.models import Certification, Value
from certs.revisions import latest_revision
from tests.helpers import HTMLPage, form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice(make_staff):
    return make_staff("alice")


@pytest.fixture
def bob(make_staff):
    return make_staff("bob")


def fee() -> Value:
    return Value.objects.get(certification__slug="pmle", feature__slug="exam-fee")


def refused_form(response) -> dict:
    """The fields of a form the admin sent back with errors, as the browser would resubmit."""
    return HTMLPage(response.content.decode()).form


def test_an_older_form_cannot_undo_a_colleagues_edit(alice, bob):
    url = f"/admin/certs/value/{fee().pk}/change/"
    alices, bobs = form_data(alice, url), form_data(bob, url)
    old_text = bobs["text"]

    alices["text"] = "USD 250 (changed by alice)"
    assert alice.post(url, alices).status_code == 302

    bobs["note"] = "Bob adds a note on the form he opened earlier."
    response = bob.post(url, bobs)
    assert response.status_code == 200
    page = response.content.decode()
    assert "alice changed this value" in page
    assert "USD 250 (changed by alice)" in page and old_text in page
    assert "Nothing was saved" in page
    assert fee().text == "USD 250 (changed by alice)"
    assert fee().note != bobs["note"]

    # The refused form now holds alice's text and Bob's note: saving it keeps both.
    again = refused_form(response)
    assert again["text"] == "USD 250 (changed by alice)"
    assert again["note"] == bobs["note"]
    assert bob.post(url, again).status_code == 302
    assert (fee().text, fee().note) == ("USD 250 (changed by alice)", bobs["note"])


def test_both_editors_changing_one_field_keeps_the_second_editors_typing(alice, bob):
    url = f"/admin/certs/value/{fee().pk}/change/"
    alices, bobs = form_data(alice, url), form_data(bob, url)
    alices["text"], bobs["text"] = "USD 250 (alice)", "USD 260 (bob)"
    assert alice.post(url, alices).status_code == 302
    response = bob.post(url, bobs)
    assert response.status_code == 200
    assert refused_form(response)["text"] == "USD 260 (bob)"
    assert fee().text == "USD 250 (alice)"


def cert_form_row(data: dict, value: Value) -> str:
    """The inline prefix (values-3) of `value` in a certification's change form."""
    for key, pk in data.items():
        if re.fullmatch(r"values-\d+-id", key) and pk == str(value.pk):
            return key.removesuffix("-id")
    raise AssertionError("value not in the form")


def bob_saves_the_fee_inline(alice, bob, text: str):
    """Both editors open PMLE's change page, then Bob changes the exam fee in its values inline
    and saves. Returns PMLE, the page's URL, Alice's (now older) form and the fee's prefix."""
    pmle = Certification.objects.get(slug="pmle")
    url = f"/admin/certs/certification/{pmle.pk}/change/"
    alices, bobs = form_data(alice, url), form_data(bob, url)
    row = cert_form_row(bobs, fee())
    bobs[f"{row}-text"] = text
    assert bob.post(url, bobs).status_code == 302
    return pmle, url, alices, row


def test_a_certification_page_does_not_write_back_a_colleagues_inline_edit(alice, bob):
    pmle, url, alices, _ = bob_saves_the_fee_inline(
        alice, bob, "USD 300 (bob, on the certification page)"
    )

    # Alice edits only the summary on her older page: Bob's fee must survive.
    alices["summary"] = "A summary alice rewrote."
    alices["change_reason"] = "Clearer summary"
    assert alice.post(url, alices).status_code == 302
    assert fee().text == "USD 300 (bob, on the certification page)"
    pmle.refresh_from_db()
    assert pmle.summary == "A summary alice rewrote."
    assert pmle.history.first().history_change_reason == "Clearer summary"


def test_an_inline_row_both_changed_refuses_the_whole_page(alice, bob):
    pmle, url, alices, row = bob_saves_the_fee_inline(alice, bob, "USD 300 (bob)")

    alices[f"{row}-text"] = "USD 310 (alice)"
    alices["summary"] = "Alice's summary."
    response = alice.post(url, alices)
    assert response.status_code == 200
    assert "bob changed this value" in response.content.decode()
    pmle.refresh_from_db()
    assert pmle.summary != "Alice's summary."  # nothing half-saved
    assert fee().text == "USD 300 (bob)"


def make_stale(value: Value) -> None:
    Value.objects.filter(pk=value.pk).update(verified_on=datetime.date(2020, 1, 1))


def list_revisions(client, url) -> dict:
    page = client.get(url).content.decode()
    return dict(re.findall(r'name="(seen-\d+)" value="(\d+)"', page))


def test_saving_an_older_form_does_not_undo_verified_today(alice, bob):
    make_stale(fee())
    url = f"/admin/certs/value/{fee().pk}/change/"
    alices = form_data(alice, url)

    listing = "/admin/certs/facttoreverify/"
    action = {"action": "verified_today", "_selected_action": [fee().pk]}
    response = bob.post(listing, action | list_revisions(bob, listing))
    assert response.status_code == 302
    assert fee().verified_on == timezone.localdate()

    alices["note"] = "Alice's note on a form opened before the re-verification."
    response = alice.post(url, alices)
    assert response.status_code == 200
    assert "bob changed this value" in response.content.decode()
    assert fee().verified_on == timezone.localdate()


def test_a_bulk_action_refuses_rows_changed_since_the_list_was_shown(alice, bob):
    make_stale(fee())
    listing = "/admin/certs/facttoreverify/"
    seen = list_revisions(bob, listing)
    assert f"seen-{fee().pk}" in seen

    url = f"/admin/certs/value/{fee().pk}/change/"
    alices = form_data(alice, url)
    alices["text"] = "USD 275 (alice, new price)"
    assert alice.post(url, alices).status_code == 302

    action = {"action": "verified_today", "_selected_action": [fee().pk]}
    response = bob.post(listing, action | seen, follow=True)
    page = response.content.decode()
    assert "alice changed this value" in page and "Nothing was changed" in page
    assert fee().verified_on == datetime.date(2020, 1, 1)
    assert fee().verified_by != "bob"


def test_an_unchanged_save_writes_nothing(alice, bob):
    url = f"/admin/certs/value/{fee().pk}/change/"
    before = latest_revision(Value, fee().pk)
    alices, bobs = form_data(alice, url), form_data(bob, url)
    assert alice.post(url, alices).status_code == 302
    assert latest_revision(Value, fee().pk) == before
    bobs["note"] = "Bob's note."
    assert bob.post(url, bobs).status_code == 302
    assert fee().note == "Bob's note."
