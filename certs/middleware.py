import logging

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string

log = logging.getLogger(__name__)


class MethodNotAllowedPageMiddleware:
    """Django's require_* decorators answer 405 with an empty body; give visitors a readable page
    in the site's layout instead, keeping the Allow header."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 405 and not response.content:
            response.content = render_to_string(
                "405.html", {"allowed": response.get("Allow", "")}, request=request
            )
            response["Content-Type"] = "text/html; charset=utf-8"
        return response


class DatabaseUnavailableMiddleware:
    """When the database cannot be reached, answer 503 with Retry-After in the site's layout
    instead of a traceback. Django drops the broken connection at the end of the request, so
    the next request reconnects by itself once the database is back."""

    RETRY_AFTER_SECONDS = 30

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, (OperationalError, InterfaceError)):
            return None
        if "database is locked" in str(exception):
            # SQLite's busy timeout ran out behind another save: a queue, not an outage.
            log.warning("save gave up waiting for the database lock: %s", exception)
            waited = settings.DATABASES["default"].get("OPTIONS", {}).get("timeout", 5)
            page = render_to_string("busy.html", {"waited": waited}, request=None)
            response = HttpResponse(page, status=503)
            response["Retry-After"] = "2"
            response["Cache-Control"] = "no-store"
            return response
        log.error("database unavailable: %s", exception)
        response = HttpResponse(render_to_string("503.html", request=None), status=503)
        response["Retry-After"] = str(self.RETRY_AFTER_SECONDS)
        response["Cache-Control"] = "no-store"
        return response


class PermissionsPolicyMiddleware:
    """Django has no setting for Permissions-Policy; the site needs none of these features."""

    POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", self.POLICY)
        return response


class StaffCookieMiddleware:
    """Gives a signed-in member of staff the `staff` cookie next to the session cookie, and takes
    it away at sign-out. The page cache (and nginx, by its name) skips the cache only for it: a
    made-up session cookie or marker is answered from the cache like any visitor's request.
    With the second factor required, only a verified session gets it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from .caching import STAFF_COOKIE, staff_marker
        from .security import is_staff_user

        response = self.get_response(request)
        # Visitors have no session: nothing to look up for them.
        if not (settings.SESSION_COOKIE_NAME in request.COOKIES or response.cookies):
            return response
        session_key = request.session.session_key
        if session_key and is_staff_user(request.user):
            response.set_cookie(
                STAFF_COOKIE,
                staff_marker(session_key),
                max_age=settings.SESSION_COOKIE_AGE,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        elif STAFF_COOKIE in request.COOKIES:
            response.delete_cookie(STAFF_COOKIE, samesite="Lax")
        return response
