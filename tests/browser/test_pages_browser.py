"""What only a browser shows: layout at phone and desktop widths, and accessibility."""

from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe

from .conftest import WIDTHS

PAGES = [
    "/",
    "/certifications/",
    "/certifications/pmle/",
    "/certifications/ai-102/",
    "/certifications/mla-c02/",
    "/faq/",
    "/sources/",
    "/certifications/nope/",
    "/changes/",
    "/certifications/pmle/changes/",
    "/lifecycle/",
]
WCAG = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"],
    }
}
SHOTS = Path(__file__).parent / "screenshots"


def assert_fits_and_passes_axe(page, shot: str, what: str = "the page") -> None:
    """No sideways scrolling at this width, a full-page screenshot for people to look at, and
    no axe-core violation of WCAG 2.2 A/AA."""
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{what} scrolls sideways by {overflow}px"
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SHOTS / f"{shot}.png", full_page=True)
    results = Axe().run(page, options=WCAG)
    assert results.violations_count == 0, results.generate_report()


@pytest.mark.parametrize("width_name", WIDTHS)
@pytest.mark.parametrize("path", PAGES)
def test_page_fits_the_width_and_passes_axe(site_url, page_at, path, width_name):
    page = page_at(WIDTHS[width_name])
    errors, failed = [], []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("response", lambda r: failed.append(r.url) if r.status >= 400 else None)
    response = page.goto(site_url + path)
    assert response.status == (404 if path.endswith("nope/") else 200)
    name = path.strip("/").replace("/", "_") or "home"
    assert_fits_and_passes_axe(page, f"{name}-{width_name}", f"{path} at {width_name}")
    # The strict CSP must not block anything the page needs (a blocked resource logs an error),
    # and every stylesheet, script and icon is found.
    assert [url for url in failed if url != site_url + path] == []
    assert [e for e in errors if not e.startswith("Failed to load resource")] == []


def test_htmx_and_stylesheet_load_under_the_csp(site_url, page_at):
    page = page_at()
    page.goto(site_url + "/")
    assert page.evaluate("typeof window.htmx") == "object"
    colour = page.evaluate("getComputedStyle(document.querySelector('.banner')).borderLeftWidth")
    assert colour == "8px"


def test_keyboard_reaches_the_skip_link_and_main_content(site_url, page_at):
    page = page_at()
    page.goto(site_url + "/faq/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_works_without_javascript(site_url, page_at):
    page = page_at(javascript=False)
    page.goto(site_url + "/")
    page.get_by_role("link", name="AI-103: Developing AI Apps and Agents on Azure").first.click()
    assert page.url.endswith("/certifications/ai-103/")
    assert (
        page.get_by_role("heading", level=1).inner_text()
        == "Developing AI Apps and Agents on Azure"
    )


def test_structured_data_is_read_and_not_blocked_by_the_csp(site_url, page_at):
    page = page_at()
    reports = []
    page.on("console", lambda m: reports.append(m.text) if "Security Policy" in m.text else None)
    page.goto(site_url + "/faq/")
    data = page.evaluate(
        "JSON.parse(document.querySelector('script[type=\"application/ld+json\"]').textContent)"
    )
    assert data["@type"] == "FAQPage" and len(data["mainEntity"]) >= 10
    assert page.evaluate("document.querySelector('link[rel=canonical]').href") == (
        site_url + "/faq/"
    )
    assert reports == []
