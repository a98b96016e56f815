"""Whole-page caching for visitors, keyed by a content version that every content save bumps.

Visitors never need a session, so a public page is the same for everyone at its URL. The first
request renders it; the finished bytes (gzipped), their headers and an ETag are stored
in the shared cache; later requests are answered from there, or with 304 when the browser
already holds that version. Saving any content bumps the version (on commit), so the next
request on any app server renders afresh; nothing is ever invalidated by hand.

Where the version lives: with a shared cache (Redis) in the cache itself, fetched together with
the page in one round trip; with a per-process cache, in the database, because other worker
processes could not see a bump made in this one. The database stays authoritative: the cached
copy of the version lives for CONTENT_VERSION_CACHE_SECONDS only, then is read again from the
database, so a bump that never reached the cache (it was down) or a stale copy that survived a
cache restart hides an edit for that long at most.

Nobody outside can defeat it: only a request carrying a real staff session (proved by the
signed `staff` cookie, see is_staff_request) skips it, and a page is keyed only on the query
parameters its view reads (reads_query), so made-up parameters share the one entry. When Redis
fails, a circuit breaker stops asking it for a few seconds instead of waiting on every request.
"""

import gzip
import hashlib
import logging
import time
from email.utils import formatdate
from functools import lru_cache
from urllib.parse import unquote_plus

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse, HttpResponseNotModified
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from .tracking import is_tracking, without_tracking

log = logging.getLogger(__name__)

VERSION_KEY = "content-version"
PUBLIC_CACHE_CONTROL = "public, max-age=60, stale-while-revalidate=300"
PRIVATE_CACHE_CONTROL = "private, no-store"
_SKIPPED_HEADERS = {"set-cookie", "date", "content-length", "content-encoding"}
# Set next to the session cookie when staff sign in (certs.middleware.StaffCookieMiddleware);
# nginx bypasses its cache only for requests that carry it.
STAFF_COOKIE = "staff"
ALL_PARAMETERS = "*"


class Breaker:
    """After a shared-cache failure, the cache is skipped for `pause` seconds, so a hung Redis
    costs one short timeout per process every few seconds, not one (or three) per request. One
    warning when an outage starts, one line when it ends."""

    def __init__(self, pause: float):
        self.pause = pause
        self.skip_until = 0.0
        self.down = False

    def allows(self) -> bool:
        return time.monotonic() >= self.skip_until

    def failed(self, error: Exception) -> None:
        self.skip_until = time.monotonic() + self.pause
        if not self.down:
            self.down = True
            log.warning(
                "page cache unavailable (%s); serving uncached, retrying every %g s",
                error.__class__.__name__,
                self.pause,
            )

    def succeeded(self) -> None:
        if self.down:
            self.down = False
            log.warning("page cache available again")


breaker = Breaker(pause=5.0)


class CacheSkipped(Exception):
    """The breaker is open: the shared cache was not asked."""


def shared_cache_call(method: str, *args, **kwargs):
    """A call to the shared cache through the breaker. Raises CacheSkipped while it is open and
    the cache client's own error when the call fails (which opens it)."""
    if not breaker.allows():
        raise CacheSkipped
    try:
        result = getattr(cache, method)(*args, **kwargs)
    except Exception as error:  # noqa: BLE001 - any client error: connection, timeout, protocol
        breaker.failed(error)
        raise
    breaker.succeeded()
    return result


def staff_marker(session_key: str) -> str:
    """The `staff` cookie's value: a keyed hash of the session key, which nobody can make up
    without the secret key and which fits only that session."""
    return salted_hmac("certs.staff-cookie", session_key, algorithm="sha256").hexdigest()


def is_staff_request(request) -> bool:
    """Whether the request carries a session that was a staff session when the marker was set:
    checked without touching the session store, so a forged cookie costs nothing."""
    session_key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
    marker = request.COOKIES.get(STAFF_COOKIE)
    return bool(session_key and marker) and constant_time_compare(marker, staff_marker(session_key))


def reads_query(*names: str):
    """Declares the query parameters a view reads. The page cache keys a page on these alone,
    so `?miss=123` is answered from the entry of the plain page instead of storing a new one.
    A view that refuses any parameter it does not know (with a 400, never stored) declares
    ALL_PARAMETERS. Put it above the other decorators."""

    def decorate(view):
        view.query_parameters = frozenset(names)
        return view

    return decorate


@lru_cache(maxsize=4096)
def _declared(path: str) -> tuple[frozenset, tuple[str, ...]]:
    """What the view at `path` declares: the query parameters it reads (reads_query) and the
    request headers its answer varies on (certs/htmx.py declares HX-Request)."""
    try:
        view = resolve(path).func
    except Resolver404:
        return frozenset(), ()
    return getattr(view, "query_parameters", frozenset()), getattr(view, "vary_on", ())


# Caches that live inside one process: other workers cannot see what they hold.
_PROCESS_LOCAL = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
}


def _shared_cache() -> bool:
    """Whether every worker and app server sees the same cache (Redis, Memcached, a database
    or file cache), so the content version can live in it."""
    return settings.CACHES["default"]["BACKEND"] not in _PROCESS_LOCAL


def read_version() -> int:
    """The current content version, from the database (the source of truth)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT version FROM certs_contentversion WHERE id = 1")
        row = cursor.fetchone()
    return row[0] if row else 0


def bump_version() -> None:
    """Called after any content change commits. A time-based number, so versions never repeat
    even if the shared cache is flushed."""
    from .models import ContentVersion

    now = timezone.now()
    version = time.time_ns() // 1000
    ContentVersion.objects.update_or_create(pk=1, defaults={"version": version, "changed_at": now})
    if _shared_cache():
        try:
            cache.set(VERSION_KEY, version, timeout=settings.CONTENT_VERSION_CACHE_SECONDS)
        except Exception:  # noqa: BLE001 - a cache outage must never block an edit
            log.warning("content version not written to the cache; pages stay uncached")


def _on_content_change(sender, **kwargs):
    if kwargs.get("raw"):  # loaddata: the command bumps once at the end
        return
    transaction.on_commit(bump_version)


def connect_signals() -> None:
    """Every model of the certs app is content, except the version itself, the fixture loader's
    conflicts, the source checks (no page shows them) and the history tables (a historical row
    is written alongside a content save, which already bumps)."""
    for model in apps.get_app_config("certs").get_models():
        name = model._meta.model_name
        not_content = ("contentversion", "fixtureconflict", "sourcecheck")
        if name in not_content or name.startswith("historical"):
            continue
        post_save.connect(_on_content_change, sender=model, dispatch_uid=f"cv-save-{model}")
        post_delete.connect(_on_content_change, sender=model, dispatch_uid=f"cv-del-{model}")
        for field in model._meta.many_to_many:
            m2m_changed.connect(
                _on_content_change,
                sender=field.remote_field.through,
                dispatch_uid=f"cv-m2m-{field}",
            )


def _cacheable_request(request) -> bool:
    if request.method not in ("GET", "HEAD"):
        return False
    if is_staff_request(request):  # staff: always fresh, never stored
        return False
    path = request.path
    return not (
        path.startswith(settings.STATIC_URL)
        or path.startswith("/" + settings.ADMIN_URL)
        or path in ("/healthz", "/readyz")
    )


def _page_key(request) -> str:
    # The host is part of the page: canonical links, share links and the sitemap are absolute.
    # Then the headers the view says its answer varies on: a page and its htmx fragment apart.
    _, varies_on = _declared(request.path_info)
    headers = "|".join(request.headers.get(name, "") for name in varies_on)
    url = f"{request.scheme}://{request.get_host()}{request.path}?{_query_read(request)}"
    digest = hashlib.blake2b(f"{url}#{headers}".encode(), digest_size=16).hexdigest()
    return f"page:{digest}"


def _query_read(request) -> str:
    """The query string as sent, minus the parameters this page does not read."""
    query = request.META.get("QUERY_STRING", "")
    if not query:
        return ""
    names, _ = _declared(request.path_info)
    if ALL_PARAMETERS in names:
        return without_tracking(query)
    return "&".join(
        part
        for part in query.split("&")
        if (name := unquote_plus(part.partition("=")[0])) in names and not is_tracking(name)
    )


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not settings.PAGE_CACHE or not _cacheable_request(request):
            response = self.get_response(request)
            if settings.SESSION_COOKIE_NAME in request.COOKIES or request.path.startswith(
                "/" + settings.ADMIN_URL
            ):
                response["Cache-Control"] = PRIVATE_CACHE_CONTROL
            return response

        # Whatever session cookie a visitor sends, the page is rendered as for any visitor.
        request.COOKIES.pop(settings.SESSION_COOKIE_NAME, None)
        key = _page_key(request)
        version, entry = self._lookup(key)
        if entry is not None and version is not None and entry["version"] == version:
            return self._answer(request, entry)

        response = self.get_response(request)
        if version is not None and self._storable(response):
            entry = self._entry(response, version)
            try:
                if _shared_cache():
                    shared_cache_call("set", key, entry, timeout=settings.PAGE_CACHE_SECONDS)
                else:
                    cache.set(key, entry, timeout=settings.PAGE_CACHE_SECONDS)
            except Exception:  # noqa: BLE001, S110 - logged once per outage by the breaker
                pass
            return self._answer(request, entry)
        return response

    def _lookup(self, key):
        """(current version, stored entry); (None, None) when neither store can be read."""
        try:
            if _shared_cache():
                found = shared_cache_call("get_many", [VERSION_KEY, key])
                version = found.get(VERSION_KEY)
                if version is None:
                    version = read_version()
                    shared_cache_call(
                        "set", VERSION_KEY, version, timeout=settings.CONTENT_VERSION_CACHE_SECONDS
                    )
                return version, found.get(key)
            return read_version(), cache.get(key)
        except DatabaseError:
            return None, None
        except Exception:  # noqa: BLE001 - e.g. Redis down: serve uncached (the breaker logs)
            return None, None

    @staticmethod
    def _storable(response) -> bool:
        return (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and "private" not in response.get("Cache-Control", "")
            and "no-store" not in response.get("Cache-Control", "")
        )

    @staticmethod
    def _entry(response, version) -> dict:
        body = response.content
        etag = '"' + hashlib.blake2b(body, digest_size=12).hexdigest() + '"'
        headers = [(k, v) for k, v in response.items() if k.lower() not in _SKIPPED_HEADERS]
        # Only the gzipped bytes are kept (a seventh of the size); the rare client that does not
        # accept gzip gets them decompressed. This bounds the memory a flood of URLs can take.
        return {
            "version": version,
            "gzip": gzip.compress(body, compresslevel=6, mtime=0),
            "etag": etag,
            "last_modified": formatdate(version / 1_000_000, usegmt=True) if version else None,
            "headers": headers,
        }

    @staticmethod
    def _answer(request, entry) -> HttpResponse:
        if request.headers.get("If-None-Match") == entry["etag"]:
            response = HttpResponseNotModified()
        else:
            wants_gzip = "gzip" in request.headers.get("Accept-Encoding", "")
            body = entry["gzip"] if wants_gzip else gzip.decompress(entry["gzip"])
            response = HttpResponse(body)
            for name, value in entry["headers"]:
                response[name] = value
            if wants_gzip:
                response["Content-Encoding"] = "gzip"
            response["Content-Length"] = str(len(response.content))
        response["ETag"] = entry["etag"]
        if entry["last_modified"]:
            response["Last-Modified"] = entry["last_modified"]
        response["Cache-Control"] = PUBLIC_CACHE_CONTROL
        stored_vary = next((v for k, v in entry["headers"] if k.lower() == "vary"), "")
        vary = [v.strip() for v in stored_vary.split(",") if v.strip()]
        if "Accept-Encoding" not in vary:
            vary.append("Accept-Encoding")
        response["Vary"] = ", ".join(vary)
        return response
