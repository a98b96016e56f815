"""Whether the pages our sources point at still answer: one request per URL, HEAD first, no
redirect followed. Plain functions over URLs and the standard library; the check_sources command
reads the sources and records the results."""

import enum
import http.client
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from collections.abc import Hashable, Mapping
from concurrent.futures import ThreadPoolExecutor, wait
from dataclasses import dataclass


class Outcome(enum.StrEnum):
    OK = "ok"
    MOVED = "moved"
    BROKEN = "broken"
    ERROR = "error"
    UNREACHABLE = "unreachable"


# What staff should look at: every outcome but "ok".
NEEDS_A_LOOK = (Outcome.MOVED, Outcome.BROKEN, Outcome.ERROR, Outcome.UNREACHABLE)

REDIRECTS = {301, 302, 303, 307, 308}
GONE = {404, 410}
# Servers that refuse HEAD say so with these; the same URL is then asked with GET.
HEAD_REFUSED = {405, 501}


@dataclass(frozen=True)
class Result:
    outcome: Outcome
    status_code: int | None = None
    moved_to: str = ""
    error: str = ""


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect is what we report, not something to follow: the page it leads to may be a
    different document from the one the source names."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


_opener = urllib.request.build_opener(_NoRedirects)


def _status(url: str, *, method: str, timeout: float, user_agent: str) -> tuple[int, str]:
    """The status code and Location header of one request; the body is never read."""
    request = urllib.request.Request(
        url, method=method, headers={"User-Agent": user_agent, "Accept": "*/*"}
    )
    try:
        with _opener.open(request, timeout=timeout) as response:
            return response.status, response.headers.get("Location", "")
    except urllib.error.HTTPError as error:
        with error:
            return error.code, error.headers.get("Location", "")


def classify(url: str, status: int, location: str) -> Result:
    """The outcome of a response with this status (and Location, for a redirect)."""
    if 200 <= status < 300:
        return Result(Outcome.OK, status)
    if status in REDIRECTS and location:
        return Result(Outcome.MOVED, status, moved_to=urllib.parse.urljoin(url, location))
    if status in GONE:
        return Result(Outcome.BROKEN, status)
    return Result(Outcome.ERROR, status)


def check_url(url: str, *, timeout: float, user_agent: str) -> Result:
    """Request `url` (HEAD, or GET when HEAD is refused) and say what came back. `timeout`
    bounds each wait on the network: connecting, and each read of the answer."""
    try:
        status, location = _status(url, method="HEAD", timeout=timeout, user_agent=user_agent)
        if status in HEAD_REFUSED:
            status, location = _status(url, method="GET", timeout=timeout, user_agent=user_agent)
    except TimeoutError:
        return Result(Outcome.UNREACHABLE, error=f"no answer within {timeout:g} s")
    except urllib.error.URLError as error:
        reason = error.reason
        if isinstance(reason, TimeoutError):
            return Result(Outcome.UNREACHABLE, error=f"no answer within {timeout:g} s")
        return Result(Outcome.UNREACHABLE, error=str(reason))
    except (OSError, http.client.HTTPException, ValueError) as error:
        return Result(Outcome.UNREACHABLE, error=str(error) or type(error).__name__)
    return classify(url, status, location)


def check_all[K: Hashable](
    urls: Mapping[K, str], *, workers: int, timeout: float, overall: float, user_agent: str
) -> dict[K, Result]:
    """check_url for every URL, `workers` at a time. A URL still unanswered after `overall`
    seconds counts as unreachable, so one slow server cannot hold up the report."""
    pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="check-sources")
    futures = {
        key: pool.submit(check_url, url, timeout=timeout, user_agent=user_agent)
        for key, url in urls.items()
    }
    done, _ = wait(futures.values(), timeout=overall)
    pool.shutdown(wait=False, cancel_futures=True)
    late = Result(Outcome.UNREACHABLE, error=f"not checked within the overall {overall:g} s")
    return {key: future.result() if future in done else late for key, future in futures.items()}


def describe(result, *, moved: str = "to") -> str:
    """A check's outcome with its status, where it moved (after `moved`) and its error, e.g.
    "moved 301 to https://example.com/new": for a Result or a stored SourceCheck alike."""
    parts = [result.outcome]
    if result.status_code:
        parts.append(str(result.status_code))
    if result.moved_to:
        parts.append(f"{moved} {result.moved_to}")
    if result.error:
        parts.append(f"({result.error})")
    return " ".join(parts)


def report(results: Mapping[str, Result], *, skipped: int) -> list[str]:
    """One line per URL that is not ok (its name, outcome, status, where it moved, the error),
    then the counts."""
    lines = []
    for name, result in results.items():
        if result.outcome == Outcome.OK:
            continue
        lines.append(f"{name}: {describe(result, moved='->')}")
    counts = Counter(result.outcome for result in results.values())
    lines.append(
        f"{len(results)} sources checked: "
        + ", ".join(f"{counts[outcome]} {outcome}" for outcome in Outcome)
        + f"; {skipped} without a URL skipped"
    )
    return lines
