"""SQLite, the default database, holds two editors saving at the same moment: saves queue for
the write lock instead of failing with "database is locked"."""

import http.cookiejar
import os
import re
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from django.db import OperationalError

from certs.models import Source
from tests.helpers import HTMLPage, gunicorn, post_change_form

ROOT = Path(__file__).resolve().parents[1]
# These tests build their own SQLite site; the PostgreSQL run of the suite skips them.
pytestmark = pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "sqlite").split(":")[0] != "sqlite",
    reason="SQLite's locking; PostgreSQL locks rows",
)
PASSWORD = "concurrent-editors-pw-1"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """gunicorn with four workers on a file-backed SQLite database, as `make serve` runs it."""
    work = tmp_path_factory.mktemp("sqlite-site")
    env = {
        **os.environ,
        "DJANGO_DEBUG": "1",
        "DATABASE_URL": f"sqlite:///{work / 'site.sqlite3'}",
        "DJANGO_LOG_LEVEL": "WARNING",
    }
    env.pop("REDIS_URL", None)
    create_editors = (
        "from django.contrib.auth import get_user_model as g\n"
        "for name in ('alice', 'bob'):\n"
        f"    g().objects.create_superuser(name, name + '@example.com', {PASSWORD!r})\n"
    )
    for command in (
        ["migrate", "--noinput", "-v0"],
        ["load_content", "--if-empty", "-v0"],
        ["shell", "-c", create_editors],
    ):
        subprocess.run(
            [sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True, timeout=120
        )
    with gunicorn(env, work, workers=4) as url:
        yield url


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def signed_in(url, name):
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect())
    page = opener.open(url + "/admin/login/", timeout=10).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    data = {"csrfmiddlewaretoken": token, "username": name, "password": PASSWORD}
    try:
        opener.open(url + "/admin/login/", urllib.parse.urlencode(data).encode(), timeout=10)
    except urllib.error.HTTPError as redirect:
        assert redirect.code == 302, redirect.read().decode()[:500]
    return opener


def certification_url(url, opener, slug) -> str:
    listing = opener.open(f"{url}/admin/certs/certification/?q={slug}", timeout=10).read()
    pk = re.search(rb'href="/admin/certs/certification/(\d+)/change/', listing).group(1)
    return f"{url}/admin/certs/certification/{pk.decode()}/change/"


def save_repeatedly(url, name, slug, seconds, statuses):
    opener = signed_in(url, name)
    change = certification_url(url, opener, slug)
    deadline, n = time.monotonic() + seconds, 0
    while time.monotonic() < deadline:
        n += 1
        data = HTMLPage(opener.open(change, timeout=30).read().decode()).form
        data["summary"] = f"{data['summary'].split(' [')[0]} [{name} save {n}]"
        body = urllib.parse.urlencode(data, doseq=True).encode()
        try:
            response = opener.open(change, body, timeout=60)
            statuses.append(response.status)
        except urllib.error.HTTPError as error:
            statuses.append(error.code)


def test_two_editors_saving_two_certifications_at_once_all_succeed(site):
    statuses: list[int] = []
    editors = [
        threading.Thread(target=save_repeatedly, args=(site, name, slug, 8, statuses))
        for name, slug in (("alice", "pmle"), ("bob", "ai-103"))
    ]
    for thread in editors:
        thread.start()
    for thread in editors:
        thread.join()
    assert len(statuses) >= 4
    assert set(statuses) == {302}, f"{statuses.count(503)} of {len(statuses)} saves failed"


@pytest.mark.django_db
def test_a_save_that_waited_too_long_gets_a_try_again_page(admin_client, monkeypatch):
    def locked(*args, **kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr("certs.admin.ContentAdmin.save_model", locked)
    source = Source.objects.first()
    title = "A title saved while another editor held the lock"
    response = post_change_form(admin_client, source, title=title)
    assert response.status_code == 503
    html = response.content.decode()
    assert "Someone else was saving at the same moment" in html and "save again" in html
    assert "back in a moment" not in html  # not reported as an outage
    assert response["Retry-After"] == "2"
