"""The views, one module per concern: pages (home, catalog, a certification, FAQ, sources),
compare (the picker and the comparison), wizard (the fit wizard), editorial (what changed,
lifecycle dates) and ops (robots.txt, favicon, health checks, error pages).

Each view reads the request (query strings through certs/forms.py), calls a queryset method or a
pure function (certs/comparison.py, certs/fit.py, certs/changes.py) and renders; certs/htmx.py
picks the page or its htmx fragment and turns bad input into the 400 page."""

from django.conf import settings
from django.contrib.auth.models import AnonymousUser

from ..security import is_staff_user


def viewer(request):
    """The signed-in member of staff (verified by the second factor when it is required) when
    there is a session cookie, else an anonymous user. Visitors never touch the session, so
    their pages need no query for it and do not vary on cookies."""
    if settings.SESSION_COOKIE_NAME in request.COOKIES and is_staff_user(request.user):
        return request.user
    return AnonymousUser()
