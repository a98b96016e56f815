"""One way to answer a page or its htmx fragment, and one way to turn bad input into a 400 page,
in the spirit of django-htmx-patterns' `for_htmx`.

A view returns a TemplateResponse of its whole page. When htmx asks for it (and it is not a
history restore, which needs the whole page), the same template's partial named `fragment` is
rendered instead: the server chooses the fragment, never a request parameter. Input that does
not validate (a form's ValidationError) becomes the 400 page, rendered in the site's layout with
the message, or in the page's own template when the view names one (the wizard shows its own).
Every answer varies on HX-Request, so caches keep the page and the fragment apart.
"""

import functools

from django.core.exceptions import ValidationError
from django.http import Http404
from django.template.response import TemplateResponse
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_safe

from . import seo


class NotCovered(Http404):
    """A 404 whose message is written for visitors (Django's own 404 messages are not): the
    404 page shows it."""


# A history restore asks for the whole page even where htmx marks it as its own request.
VARY_ON = ("HX-Request", "HX-History-Restore-Request")


def page_response(request, template: str, context: dict, **metadata) -> TemplateResponse:
    """The page in `template`, with its metadata (title and description read from the
    template's own partials, see seo.page_for) as `page`. The one way every page is answered."""
    page = seo.page_for(request, template, context, **metadata)
    return TemplateResponse(request, template, {**context, "page": page})


def wants_fragment(request) -> bool:
    return bool(request.htmx) and not request.htmx.history_restore_request


def bad_input_message(error: ValidationError) -> str:
    return " ".join(error.messages)


def for_htmx(*, fragment=None, invalid_template=None, invalid_context=None):
    """Decorate a GET view: its page or `fragment`, and a ValidationError as a 400 answer in
    `invalid_template` (default: the site's 400 page), with `invalid_context(request)` added
    to the message."""

    def decorator(view):
        @require_safe
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            partial = fragment
            try:
                response = view(request, *args, **kwargs)
            except ValidationError as error:
                extra = invalid_context(request) if invalid_context else {}
                context = {**extra, "message": bad_input_message(error)}
                response = TemplateResponse(
                    request, invalid_template or "400.html", context, status=400
                )
                if invalid_template is None:
                    partial = None  # the site's 400 page has no fragment of its own
            if partial and isinstance(response, TemplateResponse) and wants_fragment(request):
                response.template_name = f"{response.template_name}#{partial}"
            patch_vary_headers(response, VARY_ON)
            return response

        wrapper.vary_on = VARY_ON  # the page cache keys on these (certs/caching.py)
        return wrapper

    return decorator
