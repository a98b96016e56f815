"""Structured request logs on stdout, each line carrying the id of its request."""

import io
import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.cache import cache
from django.db import OperationalError

from certs.logs import JsonFormatter

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def log_lines():
    """What the configured console handler writes, as parsed JSON objects."""
    handler = logging.getHandlerByName("console")
    stream = io.StringIO()
    previous, formatter = handler.setStream(stream), handler.formatter
    handler.setFormatter(JsonFormatter())  # DEBUG runs default to text; the JSON is tested
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    handler.setStream(previous)
    handler.setFormatter(formatter)


def request_lines(lines):
    return [line for line in lines if line["logger"] == "certs.requests"]


def test_each_request_is_one_json_line_with_its_id(client, log_lines):
    response = client.get("/faq/?utm_source=x&fbclid=abc&q=1")
    [line] = request_lines(log_lines())
    assert line["request_id"] == response["X-Request-ID"]
    assert len(response["X-Request-ID"]) == 32
    assert line["level"] == "INFO"
    assert line["message"] == "GET /faq/ 200"
    assert line["time"].endswith("Z")
    http = line["http"]
    # Tracking parameters identify people: they are left out of the log.
    assert http["method"] == "GET" and http["path"] == "/faq/?q=1"
    assert http["status"] == 200 and http["bytes"] == len(response.content)
    assert 0 < http["ms"] < 10_000
    assert http["htmx"] is False


def test_every_request_gets_a_new_id_even_from_the_page_cache(client, settings, log_lines):
    settings.PAGE_CACHE = True
    cache.clear()
    responses = [client.get("/sources/") for _ in range(3)]
    # The same stored page (same ETag, which only the page cache sets) ...
    assert len({r["ETag"] for r in responses}) == 1
    # ... answered with a new id each time.
    assert len({r["X-Request-ID"] for r in responses}) == 3
    assert len(request_lines(log_lines())) == 3
    cache.clear()


def test_the_proxys_request_id_is_kept_when_it_looks_like_one(client, log_lines):
    response = client.get("/", headers={"X-Request-ID": "a1b2c3d4e5f6a7b8"})
    assert response["X-Request-ID"] == "a1b2c3d4e5f6a7b8"
    assert request_lines(log_lines())[0]["request_id"] == "a1b2c3d4e5f6a7b8"


@pytest.mark.parametrize("sent", ["short", "has space in it", "x" * 65, 'quote"and\\slash'])
def test_a_malformed_request_id_is_replaced(client, sent, log_lines):
    response = client.get("/", headers={"X-Request-ID": sent})
    assert response["X-Request-ID"] != sent
    assert len(response["X-Request-ID"]) == 32


def test_an_error_is_logged_with_the_request_id_and_traceback(client, monkeypatch, log_lines):
    def broken(*args, **kwargs):
        raise RuntimeError("boom in a view")

    monkeypatch.setattr("certs.seo.page", broken)
    client.raise_request_exception = False
    response = client.get("/sources/")
    assert response.status_code == 500
    lines = log_lines()
    [error] = [line for line in lines if line["level"] == "ERROR"]
    [request] = request_lines(lines)
    assert error["request_id"] == request["request_id"] == response["X-Request-ID"]
    assert "RuntimeError: boom in a view" in error["exc"]
    assert request["http"]["status"] == 500


def test_a_database_outage_is_logged_with_the_request_id(client, monkeypatch, log_lines):
    def unreachable(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr("certs.models.Source.objects.visible_to", unreachable)
    response = client.get("/sources/")
    assert response.status_code == 503
    errors = [line for line in log_lines() if line["level"] == "ERROR"]
    # Ours, with the reason, and Django's "Service Unavailable", logged after the middleware.
    assert [e["request_id"] for e in errors] == [response["X-Request-ID"]] * 2
    assert "connection refused" in errors[0]["message"]
    assert errors[1]["message"] == "Service Unavailable: /sources/"


def test_healthy_probes_are_not_logged(client, log_lines):
    assert client.get("/healthz").status_code == 200
    assert client.get("/readyz").status_code == 200
    assert request_lines(log_lines()) == []


def test_an_unknown_log_format_stops_the_site_at_start():
    env = {**os.environ, "DJANGO_LOG_FORMAT": "xml"}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "DJANGO_LOG_FORMAT must be json or text" in result.stderr
