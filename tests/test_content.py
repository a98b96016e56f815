"""The content itself: complete, sourced, loadable twice, and exportable byte for byte."""

import datetime
import re

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command

from certs.management.commands.check_content import content_problems
from certs.management.commands.export_content import export_to
from certs.models import Basis, Certification, Feature, Source, Status, Value
from tests.helpers import CATALOG

pytestmark = pytest.mark.django_db


def counts():
    return {
        m._meta.label: m._default_manager.count() for m in apps.get_app_config("certs").get_models()
    }


def test_the_whole_research_catalog_is_there():
    assert set(Certification.objects.values_list("slug", flat=True)) == CATALOG


def test_content_is_valid_and_complete():
    assert content_problems() == []


def test_lifecycle_matches_the_research():
    get = Certification.objects.get
    ai102 = get(slug="ai-102")
    assert (ai102.status, ai102.status_date, ai102.successor.slug) == (
        Status.RETIRED,
        datetime.date(2026, 6, 30),
        "ai-103",
    )
    assert get(slug="dp-100").successor.slug == "ai-300"
    assert get(slug="dp-100").status_date == datetime.date(2026, 6, 1)
    assert get(slug="ai-900").successor.slug == "ai-901"
    assert get(slug="mla-c01").successor.slug == "mla-c02"
    assert get(slug="mla-c02").status == Status.BETA
    assert get(slug="mls-c01").status == Status.RETIRED
    assert get(slug="mls-c01").status_date == datetime.date(2026, 3, 31)


def test_every_fact_has_a_source_and_a_date():
    assert not Value.objects.filter(basis=Basis.FACT, source=None).exists()
    assert not Value.objects.filter(basis=Basis.FACT, verified_on=None).exists()
    assessments = Feature.objects.filter(basis=Basis.ASSESSMENT)
    assert (
        not Value.objects.filter(feature__in=assessments).exclude(basis=Basis.ASSESSMENT).exists()
    )


def test_quick_facts_are_filled_for_every_certification():
    quick = Feature.objects.filter(is_quick_fact=True)
    for cert in Certification.objects.all():
        values = Value.objects.filter(certification=cert, feature__in=quick)
        assert values.count() == quick.count(), cert.slug
        for value in values:
            assert value.display.strip(), (cert.slug, value.feature.slug)


def test_key_figures_match_the_research():
    def amount(cert, feature):
        return Value.objects.get(certification__slug=cert, feature__slug=feature).amount

    assert amount("pmle", "exam-fee") == 200
    assert amount("pmle", "duration") == 120
    assert amount("pmle", "validity") == 24
    assert amount("ai-102", "exam-fee") == 165
    assert amount("mla-c02", "exam-fee") == 75
    assert amount("aif-c01", "duration") == 90
    assert amount("aip-c01", "exam-fee") == 300


def test_no_proxy_or_mirror_urls_are_published():
    bad = re.compile(r"proxy|rproxy|workers\.dev|mirror|dump", re.I)
    urls = list(Source.objects.values_list("url", flat=True))
    urls += list(Certification.objects.values_list("official_url", flat=True))
    assert [u for u in urls if bad.search(u)] == []
    assert all(u.startswith("https://") for u in urls if u)


def test_loading_the_fixtures_twice_creates_no_duplicates():
    before = counts()
    call_command("load_content", verbosity=0)
    assert counts() == before


def test_export_round_trip_is_byte_identical(tmp_path):
    for path in export_to(tmp_path):
        committed = settings.CONTENT_FIXTURE_DIR / path.name
        assert path.read_bytes() == committed.read_bytes(), path.name


def test_export_reflects_an_edit(tmp_path):
    value = Value.objects.get(certification__slug="pmle", feature__slug="exam-fee")
    value.note = "Edited in a test."
    value.save()
    export_to(tmp_path)
    assert "Edited in a test." in (tmp_path / "values.json").read_text()
