"""Tracking parameters (utm_*, fbclid, gclid…) that social networks, newsletters and ad
platforms add to links. They identify people and never change what a page shows, so they are
no part of the answers a page reads, of its page-cache key, of the links we print or of the
request log."""

import re
from urllib.parse import unquote_plus

_TRACKING = re.compile(
    r"utm_\w+|fbclid|gclid|gbraid|wbraid|dclid|msclkid|twclid|igshid|mc_cid|mc_eid|_ga|_gl"
)


def is_tracking(name: str) -> bool:
    return _TRACKING.fullmatch(name) is not None


def without_tracking(query_string: str) -> str:
    """A raw query string minus its tracking parameters, the rest exactly as sent."""
    return "&".join(
        part
        for part in query_string.split("&")
        if part and not is_tracking(unquote_plus(part.partition("=")[0]))
    )


def path_without_tracking(request) -> str:
    query = without_tracking(request.META.get("QUERY_STRING", ""))
    return request.path + (f"?{query}" if query else "")
