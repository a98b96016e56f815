"""Fixtures seed, the admin rules: loading the fixtures again never overwrites a staff edit
without saying so."""

import io
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command

from certs.models import FAQEntry, FixtureConflict, Source, Value

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def editor():
    return get_user_model().objects.create_superuser("ann", "ann@example.com", "pw-long-enough-1")


@pytest.fixture
def release(tmp_path, settings):
    """A copy of fixtures/ that a test edits as a new release would, then loads."""
    folder = tmp_path / "fixtures"
    shutil.copytree(settings.CONTENT_FIXTURE_DIR, folder)
    settings.CONTENT_FIXTURE_DIR = folder

    def set_text(cert, feature, text):
        path = folder / "values.json"
        rows = json.loads(path.read_text())
        for row in rows:
            natural = row["fields"].get("certification"), row["fields"].get("feature")
            if row["model"] == "certs.value" and natural == ([cert], [feature]):
                row["fields"]["text"] = text
        path.write_text(json.dumps(rows, indent=2, ensure_ascii=False))

    return set_text


def value(cert, feature) -> Value:
    return Value.objects.get(certification__slug=cert, feature__slug=feature)


def staff_edit(obj, user, **fields):
    for name, new in fields.items():
        setattr(obj, name, new)
    obj._history_user, obj._change_reason = user, "Edited in the admin"
    obj.save()


def load(*args) -> str:
    out = io.StringIO()
    call_command("load_content", *args, stdout=out)
    return out.getvalue()


def test_a_restart_keeps_a_staff_edit(editor):
    staff_edit(value("pmle", "exam-fee"), editor, text="USD 210 (staff correction)")
    out = load("--if-empty")
    assert "already holds content" in out
    assert value("pmle", "exam-fee").text == "USD 210 (staff correction)"


def test_start_up_targets_never_reload_into_an_edited_database():
    commands = subprocess.run(
        ["make", "-n", "run", "serve", "bench"], cwd=ROOT, capture_output=True, text=True
    ).stdout
    loads = [line for line in commands.splitlines() if "load_content" in line]
    assert loads and all("--if-empty" in line for line in loads)


def test_both_sides_changed_one_row_keeps_the_staff_value_and_reports_it(
    editor, release, admin_client
):
    release("pmle", "exam-fee", "USD 999 (new release)")
    staff_edit(value("pmle", "exam-fee"), editor, text="USD 210 (staff correction)")

    out = load()
    assert "1 conflicts" in out and "CONFLICT" in out and "USD 999 (new release)" in out
    assert value("pmle", "exam-fee").text == "USD 210 (staff correction)"
    conflict = FixtureConflict.objects.get()
    assert conflict.key == "pmle / exam-fee"
    listing = admin_client.get("/admin/certs/fixtureconflict/").content.decode()
    assert "pmle / exam-fee" in listing and "USD 999 (new release)" in listing

    # Loading again reports it again: nothing is lost and nothing is settled behind staff's back.
    assert "1 conflicts" in load()
    assert value("pmle", "exam-fee").text == "USD 210 (staff correction)"

    response = admin_client.post(
        "/admin/certs/fixtureconflict/",
        {"action": "take_fixture_version", "_selected_action": [conflict.pk]},
    )
    assert response.status_code == 302
    assert value("pmle", "exam-fee").text == "USD 999 (new release)"
    assert not FixtureConflict.objects.exists()
    assert "0 conflicts" in load()


def test_changes_to_different_rows_are_both_applied(editor, release):
    release("pmle", "duration", "150 minutes (new release)")
    staff_edit(value("pmle", "exam-fee"), editor, text="USD 210 (staff correction)")

    out = load()
    assert "0 conflicts" in out
    assert value("pmle", "exam-fee").text == "USD 210 (staff correction)"
    assert value("pmle", "duration").text == "150 minutes (new release)"
    assert not FixtureConflict.objects.exists()


def test_a_staff_edit_of_a_row_the_release_left_alone_is_kept_quietly(editor):
    staff_edit(value("pmle", "exam-fee"), editor, text="USD 210 (staff correction)")
    out = load()
    assert "1 staff edits kept" in out and "0 conflicts" in out
    assert value("pmle", "exam-fee").text == "USD 210 (staff correction)"


def test_deleted_rows_stay_deleted(editor):
    faq = FAQEntry.objects.order_by("order").first()
    faq._history_user = editor
    faq.delete()
    fee = value("pmle", "exam-fee")
    fee._history_user = editor
    fee.delete()

    out = load()
    assert not FAQEntry.objects.filter(slug=faq.slug).exists()
    assert not Value.objects.filter(certification__slug="pmle", feature__slug="exam-fee").exists()
    assert out.count("left deleted:") == 2


def test_new_rows_of_a_release_are_created(release):
    path = settings.CONTENT_FIXTURE_DIR / "sources.json"
    rows = json.loads(path.read_text())
    new = json.loads(json.dumps(rows[0]))
    new["fields"].update(slug="a-new-source", title="A source added by a release")
    path.write_text(json.dumps([*rows, new], indent=2))
    assert "1 rows created" in load()
    assert Source.objects.get(slug="a-new-source").history.first().history_change_reason == (
        "Loaded from fixtures"
    )


def test_staff_values_the_fixtures_catch_up_with_are_in_sync_again(editor, release):
    release("pmle", "exam-fee", "USD 210 (staff correction)")
    staff_edit(value("pmle", "exam-fee"), editor, text="USD 210 (staff correction)")
    load()  # the exported edit came back in a release: the row is the fixtures' again
    release("pmle", "exam-fee", "USD 220 (a later release)")
    assert "0 conflicts" in load()
    assert value("pmle", "exam-fee").text == "USD 220 (a later release)"


def test_reset_is_the_explicit_way_back_to_the_fixtures(editor):
    staff_edit(value("pmle", "exam-fee"), editor, text="USD 210 (staff correction)")
    load("--reset")
    fee = value("pmle", "exam-fee")
    assert fee.text != "USD 210 (staff correction)"
    assert [h.history_change_reason for h in fee.history.all()] == ["Loaded from fixtures"]
    assert get_user_model().objects.filter(username="ann").exists()
