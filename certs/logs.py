"""Request logs: one structured line per request on stdout, and a request id on every log line
written while that request is handled, so an error can be matched to the request behind it.

The id comes from the proxy in front (nginx sends X-Request-ID) when it looks like one, else it
is made here; either way it goes back to the client in the X-Request-ID response header.
"""

import contextvars
import json
import logging
import re
import time
import uuid

from .tracking import path_without_tracking

request_id = contextvars.ContextVar("request_id", default="-")
log = logging.getLogger("certs.requests")

_ACCEPTABLE_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")
# Load balancers poll these every few seconds; a healthy answer is not worth a line.
_QUIET_PATHS = {"/healthz", "/readyz"}


class RequestLogMiddleware:
    """First in MIDDLEWARE, so it times and logs everything, page-cache hits included."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        incoming = request.headers.get("X-Request-ID", "")
        rid = incoming if _ACCEPTABLE_ID.fullmatch(incoming) else uuid.uuid4().hex
        # Not reset afterwards: Django logs 4xx/5xx answers ("Service Unavailable: /x") after
        # the middleware chain has returned, and those lines need the id too. The next request
        # sets its own before anything is logged.
        request_id.set(rid)
        response = self.get_response(request)
        response["X-Request-ID"] = rid
        quiet = request.path in _QUIET_PATHS and response.status_code < 400
        if not quiet and log.isEnabledFor(logging.INFO):
            log.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "http": {
                        "method": request.method,
                        # fbclid, gclid and the like identify people; they are not logged.
                        "path": path_without_tracking(request),
                        "status": response.status_code,
                        "bytes": _length(response),
                        "ms": round((time.perf_counter() - started) * 1000, 2),
                        "htmx": request.headers.get("HX-Request") == "true",
                    }
                },
            )
        return response


def _length(response) -> int | None:
    if response.streaming:
        return None
    if response.has_header("Content-Length"):
        return int(response["Content-Length"])
    return len(response.content)


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every record ("-" outside a request: startup, commands)."""

    def filter(self, record):
        record.request_id = request_id.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC), level, logger, message, request_id, then the
    request's fields (`http`) on request lines and the traceback (`exc`) on errors."""

    converter = time.gmtime

    def format(self, record):
        entry = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S") + f".{int(record.msecs):03d}Z",
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "-"),
        }
        if hasattr(record, "http"):
            entry["http"] = record.http
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str, separators=(",", ":"))
