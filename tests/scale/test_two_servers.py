"""Several app servers, one database, one cache: an admin edit made through one server is
served by the other on the very next request; the database or Redis going away degrades the
site instead of breaking it. Run by `make test-scale` against real PostgreSQL and Redis."""

import http.cookiejar
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from tests.helpers import HTMLPage

pytestmark = pytest.mark.scale
ROOT = Path(__file__).resolve().parents[2]
DATABASE_URL = os.environ.get("SCALE_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/test")
REDIS_URL = os.environ.get("SCALE_REDIS_URL", "redis://127.0.0.1:6379/15")
SCALE_DB = "certcompare_scale"
RECOVERY_CODES: list[str] = []


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def database_url(port=None, name=SCALE_DB) -> str:
    parts = urllib.parse.urlsplit(DATABASE_URL)
    host = parts.hostname or "127.0.0.1"
    netloc = f"{parts.username or 'postgres'}@{host}:{port or parts.port or 5432}"
    return urllib.parse.urlunsplit((parts.scheme, netloc, f"/{name}", "", ""))


def env(**extra):
    return {
        **os.environ,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "scale-tests-only-" + "s" * 40,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_SECURE_COOKIES": "0",  # plain http on 127.0.0.1
        "DATABASE_URL": database_url(),
        "REDIS_URL": REDIS_URL,
        **extra,
    }


def manage(*args, **extra):
    subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env(**extra),
        check=True,
        timeout=300,
        stdout=subprocess.DEVNULL,
    )


def get(url, opener=None, headers=None):
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with (opener or urllib.request.build_opener()).open(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


class Server:
    def __init__(self, tmp, name, **extra):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = tmp / f"{name}.log"
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "-c",
                "deploy/gunicorn.conf.py",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                "2",
            ],
            cwd=ROOT,
            env=env(**extra),
            # The app logs to stdout (certs/logs.py), gunicorn to stderr: keep both.
            stdout=self.log.open("w"),
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(self.url + "/healthz", timeout=2)
                return
            except OSError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    self.stop()
                    raise RuntimeError(self.log.read_text()) from None
                time.sleep(0.2)

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)


class Proxy:
    """A TCP forwarder in front of PostgreSQL that the test can switch off and on, or pause: a
    paused proxy accepts connections and data but forwards nothing, as a hung server would."""

    def __init__(self, target_port):
        self.port, self.target = free_port(), target_port
        self.running = False
        self.connections = []
        self.flowing = threading.Event()
        self.flowing.set()

    def start(self):
        self.server = socket.create_server(("127.0.0.1", self.port), reuse_port=True)
        self.running = True
        threading.Thread(target=self._accept, daemon=True).start()

    def stop(self):
        self.running = False
        # shutdown() wakes the thread blocked in accept(); close() alone would not on Linux.
        try:
            self.server.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.server.close()
        for conn in self.connections:
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            conn.close()
        self.connections = []

    def _accept(self):
        while self.running:
            try:
                client, _ = self.server.accept()
            except OSError:
                return
            upstream = socket.create_connection(("127.0.0.1", self.target))
            self.connections += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    def _pipe(self, source, sink):
        try:
            while data := source.recv(65536):
                self.flowing.wait()
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for s in (source, sink):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass


@pytest.fixture(scope="module")
def database():
    import psycopg

    admin_url = database_url(name=urllib.parse.urlsplit(DATABASE_URL).path.lstrip("/") or "test")
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {SCALE_DB} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {SCALE_DB}")
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()
    manage("migrate", "--noinput", "-v0")
    manage("load_content", "-v0")
    manage("collectstatic", "--noinput", "-v0")
    # Outside DEBUG staff need their second factor: the editor signs in with recovery codes.
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "shell",
            "-c",
            "from django.contrib.auth import get_user_model as g; "
            "g().objects.create_superuser('editor', 'e@example.com', 'scale-test-password-1')",
        ],
        cwd=ROOT,
        env=env(),
        check=True,
        timeout=60,
    )
    enrolment = subprocess.run(
        [sys.executable, "manage.py", "two_factor", "editor"],
        cwd=ROOT,
        env=env(),
        check=True,
        timeout=60,
        capture_output=True,
        text=True,
    ).stdout
    RECOVERY_CODES.extend(re.findall(r"^  ([a-z2-7]{8})$", enrolment, re.M))
    yield
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {SCALE_DB} WITH (FORCE)")


def admin_session(server):
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    _, _, page = get(server.url + "/admin/login/", opener)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode(
        {
            "csrfmiddlewaretoken": token,
            "username": "editor",
            "password": "scale-test-password-1",
            "otp_token": RECOVERY_CODES.pop(),
            "next": "/admin/",
        }
    ).encode()
    request = urllib.request.Request(
        server.url + "/admin/login/", data=data, headers={"Referer": server.url + "/admin/login/"}
    )
    with opener.open(request, timeout=10) as response:
        assert "/admin/" in response.url and "Log out" in response.read().decode()
    assert {cookie.name for cookie in jar} >= {"sessionid", "staff"}
    return opener


def test_an_admin_edit_on_one_server_is_served_by_the_other_at_once(database, tmp_path):
    a, b = Server(tmp_path, "a"), Server(tmp_path, "b")
    try:
        # Warm B's cache (twice: the second answer comes from Redis).
        for _ in range(2):
            status, headers, html = get(b.url + "/certifications/pmle/")
            assert status == 200 and "USD 200" in html
        etag = headers["ETag"]

        opener = admin_session(a)
        _, _, changelist = get(a.url + "/admin/certs/value/?q=USD+200", opener)
        change = re.search(r'href="(/admin/certs/value/\d+/change/)[^"]*"', changelist).group(1)
        _, _, form_html = get(a.url + change, opener)
        fields = HTMLPage(form_html).form
        assert fields["text"].startswith("USD 200")
        fields["text"] = "USD 215 plus tax (edited through server A)"
        data = urllib.parse.urlencode(fields, doseq=True).encode()
        request = urllib.request.Request(
            a.url + change, data=data, headers={"Referer": a.url + change}
        )
        with opener.open(request, timeout=10) as response:
            assert response.status == 200 and "was changed successfully" in response.read().decode()

        status, headers, html = get(b.url + "/certifications/pmle/")
        assert status == 200
        assert "USD 215 plus tax (edited through server A)" in html
        assert headers["ETag"] != etag
        # and the browser's old copy is no longer "not modified"
        assert get(b.url + "/certifications/pmle/", headers={"If-None-Match": etag})[0] == 200
    finally:
        a.stop()
        b.stop()


def test_database_outage_gives_503_and_recovers_by_itself(database, tmp_path):
    target = urllib.parse.urlsplit(DATABASE_URL).port or 5432
    proxy = Proxy(target)
    proxy.start()
    server = Server(
        tmp_path, "c", DATABASE_URL=database_url(port=proxy.port), DJANGO_PAGE_CACHE="0"
    )
    try:
        assert get(server.url + "/faq/")[0] == 200
        proxy.stop()
        status, headers, html = get(server.url + "/faq/")
        assert status == 503
        assert headers["Retry-After"] == "30"
        assert "back in a moment" in html
        assert get(server.url + "/readyz")[0] == 503
        proxy.start()
        deadline = time.monotonic() + 10
        while get(server.url + "/faq/")[0] != 200:
            assert time.monotonic() < deadline, "the site did not recover after the database"
            time.sleep(0.2)
        assert get(server.url + "/readyz")[0] == 200
    finally:
        server.stop()
        if proxy.running:
            proxy.stop()


def test_redis_outage_serves_pages_uncached(database, tmp_path):
    server = Server(tmp_path, "d", REDIS_URL="redis://127.0.0.1:1/0")
    try:
        for _ in range(2):
            status, headers, html = get(server.url + "/faq/")
            assert status == 200 and "Frequently asked questions" in html
            assert "ETag" not in headers
        # Still serving pages: the load balancer must keep this server.
        status, _, body = get(server.url + "/readyz")
        assert status == 200 and '"status": "degraded"' in body
        assert "page cache unavailable" in server.log.read_text()
    finally:
        server.stop()


class Nginx:
    """deploy/nginx.conf as shipped, its tokens filled in, in front of one app server."""

    def __init__(self, upstream):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        # Workers run as www-data when nginx starts as root: everything they read or write lives
        # in a directory of its own that they can reach (pytest's tmp_path is private to root).
        self.prefix = prefix = Path(tempfile.mkdtemp(prefix="certcompare-nginx-"))
        prefix.chmod(0o755)
        for sub in ("logs", "tmp", "cache"):
            (prefix / sub).mkdir(mode=0o777)
            (prefix / sub).chmod(0o777)
        shutil.copytree(ROOT / "staticfiles", prefix / "static")
        text = (ROOT / "deploy" / "nginx.conf").read_text()
        for token, value in {
            "__LISTEN__": f"127.0.0.1:{self.port}",
            "__SERVER_NAME__": "127.0.0.1",
            "__UPSTREAM__": f"127.0.0.1:{upstream.port}",
            "__STATIC_ROOT__": str(prefix / "static"),
            "__CACHE_DIR__": str(prefix / "cache"),
        }.items():
            text = text.replace(token, value)
        if os.geteuid() != 0:
            text = text.replace("user www-data;", "")
        conf = prefix / "nginx.conf"
        conf.write_text(text)
        self.access_log = prefix / "logs" / "access.log"
        command = ["nginx", "-p", f"{prefix}/", "-c", str(conf), "-g", "daemon off;"]
        subprocess.run([*command, "-t", "-q"], check=True, timeout=30)
        self.process = subprocess.Popen(command, stderr=(prefix / "logs" / "stderr.log").open("w"))
        deadline = time.monotonic() + 10
        while not self._answers():
            if time.monotonic() > deadline:
                error_log = (prefix / "logs" / "error.log").read_text()
                self.stop()
                raise RuntimeError(error_log)
            time.sleep(0.2)

    def _answers(self):
        try:
            return get(self.url + "/healthz")[0] == 200
        except OSError:  # not listening yet
            return False

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)
        shutil.rmtree(self.prefix, ignore_errors=True)


def test_nginx_in_front_caches_public_pages_and_follows_requests_by_id(database, tmp_path):
    server = Server(tmp_path, "e")
    proxy = Nginx(server)
    try:
        page = proxy.url + "/certifications/pmle/"
        miss = get(page)[1]
        hits = [get(page)[1] for _ in range(2)]
        assert miss["X-Cache-Status"] == "MISS"
        assert [h["X-Cache-Status"] for h in hits] == ["HIT", "HIT"]
        # Every answer has its own id, never the one stored with the page ...
        ids = {miss["X-Request-ID"], *(h["X-Request-ID"] for h in hits)}
        assert len(ids) == 3 and all(re.fullmatch(r"[0-9a-f]{32}", i) for i in ids)
        # ... and the id nginx gave the request that reached the app is in the app's log line.
        assert f'"request_id":"{miss["X-Request-ID"]}"' in server.log.read_text()
        assert hits[0]["Cache-Control"].startswith("public")
        assert "Content-Security-Policy" in hits[0]

        # A session cookie alone is no reason to skip the cache ...
        forged = get(page, headers={"Cookie": "sessionid=x"})[1]
        assert forged["X-Cache-Status"] == "HIT"
        # ... only the staff cookie is, and a made-up one gets the public page from the app's
        # own cache (never stored by nginx: it could be a real member of staff).
        forged = get(page, headers={"Cookie": "sessionid=x; staff=x"})[1]
        assert forged["X-Cache-Status"] == "BYPASS"
        assert forged["Cache-Control"].startswith("public") and "ETag" in forged
        opener = admin_session(server)  # cookies are per host, not per port: nginx gets them
        request = urllib.request.Request(page)
        with opener.open(request, timeout=10) as response:
            assert response.headers["X-Cache-Status"] == "BYPASS"
            assert response.headers["Cache-Control"] == "private, no-store"

        # Hashed static files are nginx's own, cached for a year.
        css = re.search(r'href="(/static/css/site\.[0-9a-f]{12}\.css)"', get(page)[2]).group(1)
        status, headers, _ = get(proxy.url + css)
        assert status == 200 and "immutable" in headers["Cache-Control"]
        assert "X-Request-ID" not in headers  # served without reaching the app
    finally:
        proxy.stop()
        server.stop()


# A hung dependency: the process is there and accepts connections, but never answers.


def raw_get(url) -> int:
    """The status of one GET over a plain socket: a tenth of urllib's cost, so that the client
    does not set the pace on two cores."""
    parts = urllib.parse.urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    with socket.create_connection((parts.hostname, parts.port), timeout=10) as sock:
        sock.sendall(
            f"GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\nAccept-Encoding: gzip\r\n\r\n".encode()
        )
        head = sock.recv(65536)
        while sock.recv(65536):
            pass
    return int(head.split(b" ", 2)[1])


def load(url, seconds, threads=4):
    """Requests per second over `seconds` from `threads` clients, statuses and the slowest."""
    statuses, slowest, stop = [], [0.0], time.monotonic() + seconds

    def client():
        while time.monotonic() < stop:
            started = time.monotonic()
            try:
                statuses.append(raw_get(url))
            except OSError:
                statuses.append(0)
            slowest[0] = max(slowest[0], time.monotonic() - started)

    workers = [threading.Thread(target=client) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return len(statuses) / seconds, statuses, slowest[0]


def report(capsys, text):
    with capsys.disabled():
        print(f"\n[scale figures] {text}")


def test_a_hung_redis_costs_a_short_timeout_not_the_site(database, tmp_path, capsys):
    port = free_port()
    redis_server = subprocess.Popen(
        [
            "redis-server",
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
        ],
        stdout=subprocess.DEVNULL,
    )
    try:
        time.sleep(0.5)
        server = Server(tmp_path, "f", REDIS_URL=f"redis://127.0.0.1:{port}/0")
        try:
            url = server.url + "/compare/pmle-vs-ai-103/"
            get(url)
            before, statuses, _ = load(url, 3)
            assert set(statuses) == {200}
            redis_server.send_signal(signal.SIGSTOP)
            during, statuses, slowest = load(url, 10)
            assert set(statuses) == {200}
            # Before: about 6 req/s, each request waiting up to three times 0.5 s. Now pages are
            # rendered without the cache at the speed of an uncached render (tens of req/s on
            # two busy cores), and Redis is asked once per worker every 5 s.
            assert during > 15 and slowest < 1.0
            log = server.log.read_text()
            # One warning per worker and outage, not one per request.
            assert 1 <= log.count("page cache unavailable") <= 2
            redis_server.send_signal(signal.SIGCONT)
            time.sleep(5.5)  # the breaker tries Redis again after 5 s
            after, statuses, _ = load(url, 3)
            assert set(statuses) == {200}
            assert "ETag" in get(url)[1]  # served from the cache again
            report(
                capsys,
                f"hung Redis: {before:.0f} req/s cached before, {during:.0f} req/s during a 10 s "
                f"hang (slowest {slowest * 1000:.0f} ms), {after:.0f} req/s after",
            )
        finally:
            server.stop()
    finally:
        redis_server.send_signal(signal.SIGCONT)
        redis_server.terminate()
        redis_server.wait(timeout=10)


def test_a_hung_database_gives_503_within_seconds_and_cached_pages_go_on(
    database, tmp_path, capsys
):
    target = urllib.parse.urlsplit(DATABASE_URL).port or 5432
    proxy = Proxy(target)
    proxy.start()
    server = Server(tmp_path, "g", DATABASE_URL=database_url(port=proxy.port))
    try:
        cached = server.url + "/certifications/"
        for _ in range(2):
            assert get(cached)[0] == 200
        before, _, _ = load(cached, 3)
        proxy.flowing.clear()  # PostgreSQL stops answering
        started = time.monotonic()
        # A page no test has asked for, so not in the cache: it needs the database.
        status, headers, html = get(server.url + "/compare/pmle-vs-ai-103/?p=coding&p=exam-time")
        to_503 = time.monotonic() - started
        # Before: no answer at all for 30 s, then a dropped connection.
        assert status == 503 and headers["Retry-After"] == "30" and "back in a moment" in html
        assert to_503 < 6
        during, statuses, slowest = load(cached, 5)
        assert set(statuses) == {200} and during > 50
        ready_started = time.monotonic()
        assert get(server.url + "/readyz")[0] == 503
        ready_after = time.monotonic() - ready_started
        proxy.flowing.set()
        deadline = time.monotonic() + 15
        while get(server.url + "/lifecycle/")[0] != 200:
            assert time.monotonic() < deadline, "the site did not recover after the database"
            time.sleep(0.2)
        report(
            capsys,
            f"hung PostgreSQL: 503 after {to_503:.1f} s (readyz 503 after {ready_after:.1f} s); "
            f"cached pages {before:.0f} req/s before, {during:.0f} req/s during the hang",
        )
    finally:
        proxy.flowing.set()
        server.stop()
        if proxy.running:
            proxy.stop()
