"""Screenshots of the first screen of the pages people decide on, their full heights and their
weight on the wire, at 1280×800 and 390×844: `python docs/screens/shoot.py before|after`.

Serves the site as the browser tests do (gunicorn, DJANGO_DEBUG=0, a database built from the
fixtures) with Debian's Chromium; writes docs/screens/<label>/<page>-<width>.png and
docs/screens/<label>/measures.json."""

import gzip
import json
import sys
import tempfile
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from benchmarks.bench import build_site, site_env  # noqa: E402
from tests.helpers import gunicorn  # noqa: E402

PAGES = {
    "home": "/",
    "compare-2": "/compare/pmle-vs-ai-103/",
    "compare-4": "/compare/pmle-vs-ai-102-vs-ai-103-vs-mla-c02/",
    "certification": "/certifications/pmle/",
    "lifecycle": "/lifecycle/",
}
SCREENS = {1280: 800, 390: 844}
GZIP = {"Accept-Encoding": "gzip"}


def wire_bytes(url: str) -> int:
    """The page gzipped plus its stylesheets and scripts as served (whitenoise gzips them)."""
    request = urllib.request.Request(url, headers=GZIP)
    with urllib.request.urlopen(request) as response:
        body = response.read()
        html = gzip.decompress(body) if response.headers.get("Content-Encoding") == "gzip" else body
    total = len(gzip.compress(html, 6)) if len(body) == len(html) else len(body)
    base = url.split("/", 3)[:3]
    for part in html.decode().split('"'):
        if part.startswith("/static/") and part.endswith((".css", ".js")) and "print" not in part:
            asset = urllib.request.Request("/".join(base) + part, headers=GZIP)
            with urllib.request.urlopen(asset) as response:
                total += len(response.read())
    return total


def main(label: str) -> None:
    from playwright.sync_api import sync_playwright

    out = ROOT / "docs" / "screens" / label
    out.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp())
    env = site_env(work)
    build_site(env)
    measures = {}
    with gunicorn(env, work, ready_path="/faq/") as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        for name, path in PAGES.items():
            measures[name] = {"bytes_gzip": wire_bytes(base + path)}
            for width, height in SCREENS.items():
                page = browser.new_page(viewport={"width": width, "height": height})
                page.goto(base + path)
                page.screenshot(path=out / f"{name}-{width}.png")
                measures[name][f"height_{width}"] = page.evaluate(
                    "document.documentElement.scrollHeight"
                )
                page.close()
        browser.close()
    (out / "measures.json").write_text(json.dumps(measures, indent=2) + "\n")
    print(json.dumps(measures, indent=2))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "after")
