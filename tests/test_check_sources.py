"""manage.py check_sources against a local HTTP server (never the internet), what it records,
and what staff see of it in the admin."""

import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from certs.models import FactToReverify, Source, SourceCheck, Value
from certs.source_checks import Outcome, check_all, check_url, classify
from tests.factories import make_source

pytestmark = pytest.mark.django_db

SLOW = 2.0  # seconds the slow page takes, against a --timeout of 0.5


class Pages(BaseHTTPRequestHandler):
    """One path per kind of answer; every request is noted in the server's `seen` list."""

    def do_HEAD(self):
        self.answer()

    def do_GET(self):
        self.answer()

    def answer(self):
        self.server.seen.append((self.command, self.path, self.headers["User-Agent"]))
        status, headers = {
            "/ok": (200, {}),
            "/moved": (301, {"Location": "/new-home"}),
            "/gone": (404, {}),
            "/fails": (500, {}),
            "/no-head": (405 if self.command == "HEAD" else 200, {"Allow": "GET"}),
        }.get(self.path, (200, {}))
        if self.path == "/slow":
            time.sleep(SLOW)
        try:
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", "0")
            self.end_headers()
        except OSError:
            pass  # the checker gave up on the slow page before it answered

    def log_message(self, format, *args):
        pass


@pytest.fixture
def server(monkeypatch):
    """The base URL of a local server answering with Pages."""
    monkeypatch.setenv("no_proxy", "127.0.0.1")
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Pages)
    httpd.seen = []
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


def base(httpd) -> str:
    return f"http://127.0.0.1:{httpd.server_address[1]}"


@pytest.fixture
def sources(server):
    """One source per page of the server; every other source's URL is blanked, so no test
    reaches the internet."""
    Source.objects.update(url="")
    return {
        path: make_source(slug=f"page-{path.strip('/')}", url=base(server) + path)
        for path in ["/ok", "/moved", "/gone", "/fails", "/no-head", "/slow"]
    }


def check_sources(*args) -> str:
    out = StringIO()
    call_command("check_sources", "--timeout", "0.5", *args, stdout=out)
    return out.getvalue()


def outcomes() -> dict[str, tuple]:
    return {
        check.source.slug: (check.outcome, check.status_code, check.moved_to)
        for check in SourceCheck.objects.select_related("source")
    }


def test_each_answer_is_recorded_and_every_one_not_ok_is_reported(server, sources):
    skipped = Source.objects.filter(url="").count()
    started = time.monotonic()
    output = check_sources()
    assert time.monotonic() - started < SLOW  # the slow page was given up on

    moved_to = base(server) + "/new-home"
    assert outcomes() == {
        "page-ok": ("ok", 200, ""),
        "page-moved": ("moved", 301, moved_to),
        "page-gone": ("broken", 404, ""),
        "page-fails": ("error", 500, ""),
        "page-no-head": ("ok", 200, ""),
        "page-slow": ("unreachable", None, ""),
    }
    slow = SourceCheck.objects.get(source=sources["/slow"])
    assert slow.error == "no answer within 0.5 s" and slow.url == sources["/slow"].url
    assert output.splitlines() == [
        "page-fails: error 500",
        "page-gone: broken 404",
        f"page-moved: moved 301 -> {moved_to}",
        "page-slow: unreachable (no answer within 0.5 s)",
        "6 sources checked: 2 ok, 1 moved, 1 broken, 1 error, 1 unreachable; "
        f"{skipped} without a URL skipped",
    ]


def test_head_first_get_only_when_head_is_refused_and_no_redirect_followed(
    server, sources, settings
):
    settings.SITE_URL = "https://certs.example.com"
    check_sources()
    requests = {(method, path) for method, path, _ in server.seen}
    assert ("HEAD", "/no-head") in requests and ("GET", "/no-head") in requests
    assert not any(method == "GET" for method, path in requests if path != "/no-head")
    assert "/new-home" not in {path for _, path in requests}
    assert {agent for *_, agent in server.seen} == {
        "CertCompare source checker (+https://certs.example.com/sources/)"
    }


def test_a_check_writes_no_history_and_a_second_run_updates_the_first(server, sources):
    history = Source.history.count()
    check_sources()
    first = SourceCheck.objects.get(source=sources["/ok"]).checked_at
    check_sources()
    assert Source.history.count() == history
    assert SourceCheck.objects.count() == len(sources)
    assert SourceCheck.objects.get(source=sources["/ok"]).checked_at > first


def test_sources_without_a_url_are_skipped_and_lose_an_old_check(server, sources):
    check_sources()
    Source.objects.filter(pk=sources["/gone"].pk).update(url="")
    output = check_sources()
    assert not SourceCheck.objects.filter(source=sources["/gone"]).exists()
    assert not SourceCheck.objects.filter(source__url="").exists()
    assert output.splitlines()[-1].startswith("5 sources checked: 2 ok, 1 moved, 0 broken,")


def test_broken_sources_fail_the_run_only_when_asked(server, sources):
    check_sources()  # a report: broken pages do not make it fail
    with pytest.raises(CommandError, match="1 source"):
        check_sources("--fail-on-broken")
    assert SourceCheck.objects.get(source=sources["/gone"]).outcome == "broken"


def test_the_overall_limit_stops_waiting_for_slow_pages(server):
    slow = base(server) + "/slow"
    started = time.monotonic()
    results = check_all({"slow": slow}, workers=1, timeout=5, overall=0.2, user_agent="test")
    assert time.monotonic() - started < SLOW
    assert results["slow"].outcome == Outcome.UNREACHABLE
    assert results["slow"].error == "not checked within the overall 0.2 s"


def test_a_closed_port_is_unreachable():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    result = check_url(f"http://127.0.0.1:{port}/", timeout=1, user_agent="test")
    assert result.outcome == Outcome.UNREACHABLE and "refused" in result.error.lower()


@pytest.mark.parametrize(
    "status, location, expected",
    [
        (204, "", (Outcome.OK, "")),
        (302, "../b", (Outcome.MOVED, "https://example.com/b")),
        (308, "https://other.example/x", (Outcome.MOVED, "https://other.example/x")),
        (302, "", (Outcome.ERROR, "")),
        (410, "", (Outcome.BROKEN, "")),
        (403, "", (Outcome.ERROR, "")),
        (503, "", (Outcome.ERROR, "")),
    ],
)
def test_classify(status, location, expected):
    result = classify("https://example.com/a/page", status, location)
    assert (result.outcome, result.moved_to) == expected and result.status_code == status


# The admin: what staff see of the checks.


@pytest.fixture
def staff(make_staff):
    return make_staff("editor")


def make_check(source, outcome, status=None, **fields) -> SourceCheck:
    return SourceCheck.objects.create(
        source=source,
        url=source.url,
        checked_at=timezone.now(),
        outcome=outcome,
        status_code=status,
        **fields,
    )


def test_a_check_is_not_a_content_change(django_capture_on_commit_callbacks):
    """Cached pages stay valid: no page shows a check, so none bumps the content version."""
    source = make_source()
    with django_capture_on_commit_callbacks() as bumps:
        make_check(source, "broken", 404).delete()
    assert bumps == []


def listed(obj, page: str) -> bool:
    return f"/{obj._meta.model_name}/{obj.pk}/change/" in page


def test_the_source_list_shows_and_filters_the_last_check(staff):
    gone, fine, unchecked = make_source(), make_source(), make_source()
    make_check(gone, "broken", 404)
    make_check(fine, "ok", 200)
    today = timezone.localdate().strftime("%-d %b %Y")

    page = staff.get(f"/admin/certs/source/?q={gone.slug}").content.decode()
    assert f"broken 404, {today}" in page
    broken = staff.get("/admin/certs/source/?check=broken").content.decode()
    assert listed(gone, broken) and not listed(fine, broken)
    never = staff.get("/admin/certs/source/?check=never&q=test-source").content.decode()
    assert listed(unchecked, never) and not listed(gone, never) and not listed(fine, never)

    Source.objects.filter(pk=gone.pk).update(url="https://example.com/fixed")
    page = staff.get(f"/admin/certs/source/?q={gone.slug}").content.decode()
    assert "URL changed since" in page


def test_the_source_list_costs_the_same_queries_with_more_checks(staff, django_assert_num_queries):
    make_check(make_source(), "broken", 404)
    staff.get("/admin/certs/source/")  # the session and the user, cached after the first page
    with django_assert_num_queries(SOURCE_LIST_QUERIES):
        staff.get("/admin/certs/source/?check=broken")
    for _ in range(10):
        make_check(make_source(), "broken", 404)
    with django_assert_num_queries(SOURCE_LIST_QUERIES):
        page = staff.get("/admin/certs/source/?check=broken").content.decode()
    assert page.count("broken 404,") == 11


def fact_citing(source) -> Value:
    """A fixture fact, verified today, now citing `source` (checked already): listed only if the
    source failed."""
    facts = Value.objects.filter(basis="fact", source__last_check__isnull=True).order_by("pk")
    value = facts.first()
    Value.objects.filter(pk=value.pk).update(source=source, verified_on=timezone.localdate())
    return FactToReverify.objects.get(pk=value.pk)


def test_the_re_verify_queue_lists_facts_whose_source_failed(staff):
    gone, fine = make_source(), make_source()
    make_check(gone, "broken", 404)
    broken_fact = fact_citing(gone)
    make_check(fine, "ok", 200)
    fine_fact = fact_citing(fine)

    listing = "/admin/certs/facttoreverify/?why=source"
    page = staff.get(listing).content.decode()
    assert listed(broken_fact, page) and not listed(fine_fact, page)
    assert "broken 404," in page
    everything = staff.get("/admin/certs/facttoreverify/").content.decode()
    assert listed(broken_fact, everything) and not listed(fine_fact, everything)

    # Staff fixed the URL: the failed check was about the old one.
    Source.objects.filter(pk=gone.pk).update(url="https://example.com/fixed")
    assert not listed(broken_fact, staff.get(listing).content.decode())


def test_the_re_verify_queue_costs_the_same_queries_with_more_failed_sources(
    staff, django_assert_num_queries
):
    make_check(source := make_source(), "moved", 301, moved_to="https://example.com/new")
    facts = [fact_citing(source)]
    listing = "/admin/certs/facttoreverify/?why=source"
    staff.get(listing)
    with django_assert_num_queries(REVERIFY_LIST_QUERIES):
        staff.get(listing)
    for outcome in ["broken", "error", "unreachable"] * 3:
        make_check(source := make_source(), outcome)
        facts.append(fact_citing(source))
    with django_assert_num_queries(REVERIFY_LIST_QUERIES):
        page = staff.get(listing).content.decode()
    assert all(listed(fact, page) for fact in facts)
    assert "moved 301 to https://example.com/new" in page


SOURCE_LIST_QUERIES = 9
REVERIFY_LIST_QUERIES = 10
