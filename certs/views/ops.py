"""For machines and for when things go wrong: robots.txt, the favicon browsers ask for, the
load balancer's health checks, and the 400/404/500 pages."""

from django.db import DatabaseError, connection
from django.http import HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.http import require_safe

from .. import seo
from ..caching import CacheSkipped, shared_cache_call
from ..htmx import NotCovered


@require_safe
def robots_txt(request):
    """Everything public may be crawled: pages that should stay out of search results (wizard
    steps, downloads) say so themselves, and the admin's address is not advertised here."""
    sitemap_url = seo.origin(request) + reverse("sitemap")
    return HttpResponse(
        f"User-agent: *\nAllow: /\n\nSitemap: {sitemap_url}\n",
        content_type="text/plain; charset=utf-8",
    )


@require_safe
def favicon(request):
    """Browsers ask for /favicon.ico whatever the page links to: point them at the icon."""
    return HttpResponsePermanentRedirect(static("favicon.ico"))


# For the load balancer. Never cached (see certs/caching.py), never rendered with templates.


@require_safe
def healthz(request):
    """Liveness: the process answers."""
    return JsonResponse({"status": "ok"})


@require_safe
def readyz(request):
    """Readiness: 503 when the database does not answer. The cache down only makes the server
    "degraded" (200): pages are still served, uncached, so a load balancer must keep it."""
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except DatabaseError as error:
        checks["database"] = f"unavailable: {error.__class__.__name__}"
    try:
        shared_cache_call("set", "readyz", "1", timeout=5)
        round_trip = shared_cache_call("get", "readyz") == "1"
        checks["cache"] = "ok" if round_trip else "unavailable: no round trip"
    except CacheSkipped:
        checks["cache"] = "unavailable: skipped for a few seconds after a failure"
    except Exception as error:  # noqa: BLE001 - any cache client error means no cache
        checks["cache"] = f"unavailable: {error.__class__.__name__}"
    if checks["database"] != "ok":
        status = "unavailable"
    else:
        status = "ok" if checks["cache"] == "ok" else "degraded"
    response = JsonResponse(
        {"status": status, **checks}, status=503 if status == "unavailable" else 200
    )
    response["Cache-Control"] = "no-store"
    return response


def bad_request(request, exception=None):
    # The exception's text is for the logs, not for visitors.
    return render(request, "400.html", status=400)


def page_not_found(request, exception=None):
    message = str(exception) if isinstance(exception, NotCovered) else ""
    return render(request, "404.html", {"message": message}, status=404)


def server_error(request):
    return render(request, "500.html", status=500)
