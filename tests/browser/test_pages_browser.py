"""What only a browser shows: layout at phone and desktop widths, and accessibility."""

import re

import pytest

from .conftest import WIDTHS

# Every kind of page once, at both widths: axe, sideways scrolling, and nothing the strict CSP
# blocks. Pages with their own behaviour are also tested in their own file.
PAGES = [
    "/",
    "/certifications/",
    "/certifications/?focus=genai&sort=name",
    "/certifications/?vendor=aws&level=expert",  # nothing matches
    "/compare/",
    "/compare/?c=pmle&c=mla-c02&c=aif-c01&c=ai-103&c=nca-genl",  # five vendors' groups open
    "/compare/pmle-vs-ai-102/?p=cost&p=generative-ai",
    "/compare/mla-c02-vs-pmle-vs-ai-103-vs-ai-300/?only=diff",
    "/market/",
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


@pytest.mark.parametrize("width_name", WIDTHS)
@pytest.mark.parametrize("path", PAGES)
def test_page_fits_the_width_and_passes_axe(
    site_url, page_at, path, width_name, fits_and_passes_axe
):
    page = page_at(WIDTHS[width_name])
    errors, failed = [], []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("response", lambda r: failed.append(r.url) if r.status >= 400 else None)
    response = page.goto(site_url + path)
    assert response.status == (404 if path.endswith("nope/") else 200)
    name = re.sub(r"[^\w-]+", "_", path.strip("/")) or "home"
    fits_and_passes_axe(page, f"{name}-{width_name}", f"{path} at {width_name}")
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
