"""Headers, the strict CSP, and the deploy checklist."""

import re
from pathlib import Path

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db

ROOT = Path(settings.BASE_DIR)


def test_strict_csp_on_every_page(client):
    for url in [
        "/",
        "/certifications/",
        "/certifications/pmle/",
        "/faq/",
        "/sources/",
        "/missing/",
    ]:
        csp = client.get(url)["Content-Security-Policy"]
        for directive in [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "frame-ancestors 'none'",
            "form-action 'self'",
            "img-src 'self' data:",
        ]:
            assert directive in csp, (url, directive)
        assert "unsafe-inline" not in csp


# A JSON-LD data block is never executed (browsers skip script elements of a non-JavaScript
# type before any CSP check), so it is the one <script> without src allowed.
INLINE = r'style="|<style|<script>|<script(?![^>]*\b(?:src=|type="application/ld\+json"))[^>]*>'


def test_no_inline_script_or_style_in_templates():
    offenders = []
    for path in (ROOT / "templates").rglob("*.html"):
        text = path.read_text()
        if re.search(INLINE + "|hx-on|js:", text):
            offenders.append(path.name)
    assert offenders == []


def test_no_inline_script_or_style_in_rendered_pages(client):
    for url in [
        "/",
        "/certifications/",
        "/certifications/pmle/",
        "/faq/",
        "/compare/pmle-vs-ai-102/",
    ]:
        html = client.get(url).content.decode()
        assert not re.search(INLINE, html), url


def test_security_headers(client):
    response = client.get("/")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_deploy_checklist_is_clean_with_production_settings(run_manage):
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="x" * 20 + "a-long-random-production-secret-key-0123456789",
        DJANGO_ALLOWED_HOSTS="certs.example.com",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret(run_manage):
    result = run_manage("check", DJANGO_DEBUG="0", DJANGO_SECRET_KEY="", DJANGO_ALLOWED_HOSTS="x")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_every_part_of_a_derived_cost_is_escaped(client):
    # The cost cells are built in Python too (certs/templatetags/provenance.py).
    from certs.models import Feature, Value

    evil = "<i>X</i>"
    Value.objects.filter(certification__slug="pmle", feature__slug="exam-fee").update(unit=evil)
    Feature.objects.filter(slug="exam-fee").update(label=f"Fee {evil}")
    html = client.get("/").content.decode()
    assert evil not in html and evil.lower() not in html
    costs = html.split('class="matrix__costs"')[1]
    assert "&lt;i&gt;X&lt;/i&gt; " in costs  # the currency, before the amount
    assert "fee &lt;i&gt;x&lt;/i&gt;</a>" in costs  # the row it was derived from


def test_every_part_of_a_fact_is_escaped(client):
    # The value cells and provenance lines are built in Python (certs/templatetags).
    from certs.models import Disagreement, Value

    from .factories import make_source

    evil = '<script>alert("x")</script>'
    value = Value.objects.get(certification__slug="pmle", feature__slug="exam-fee")
    source = make_source(publisher=f"Pub {evil}", url='https://example.com/?a=1&b="2"')
    Value.objects.filter(pk=value.pk).update(
        text=f"USD {evil}", note=f"Note {evil}", disagreement=f"Other {evil}", source=source
    )
    Disagreement.objects.create(slug="evil", value=value, source=source, says=f"Says {evil}")
    html = client.get("/certifications/pmle/").content.decode()
    assert evil not in html
    escaped = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"
    for text in ("USD ", "Note ", "Other ", "Pub ", "Says "):
        assert text + escaped in html
    assert 'href="https://example.com/?a=1&amp;b=&quot;2&quot;"' in html
