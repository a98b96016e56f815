"""The comparison tool in a real browser: pick and compare with JavaScript on and off, toggle
differences and go Back, keyboard use, the live region, widths and axe."""

import re

import pytest
from playwright.sync_api import expect


def rows(page):
    return page.locator("#compare-table tr[id^=row-]").count()


@pytest.mark.parametrize("javascript", [True, False])
def test_pick_two_and_compare(site_url, page_at, javascript):
    page = page_at(javascript=javascript)
    loads = []
    page.on("load", lambda: loads.append(page.url))
    page.goto(site_url + "/compare/")
    # A group per vendor, closed until opened: 29 certifications fit a phone.
    assert not page.is_visible("#pick-ai-103")
    page.click("summary:has-text('Microsoft')")
    page.click("summary:has-text('Google Cloud')")
    page.check("#pick-ai-103")
    page.check("#pick-pmle")
    page.click("button:has-text('Compare')")
    page.wait_for_selector("h1:has-text('PMLE vs AI-103')")
    assert page.url == site_url + "/compare/pmle-vs-ai-103/"
    assert page.title().startswith("PMLE vs AI-103")
    if javascript:
        assert len(loads) == 1, "htmx should swap the table in, not reload the page"


def test_differences_toggle_announces_and_back_restores_the_table(site_url, page_at):
    page = page_at()
    page.goto(site_url + "/compare/ai-103-vs-ai-300/")
    before = rows(page)
    page.check("#only-diff")
    page.wait_for_url("**/compare/ai-103-vs-ai-300/?only=diff")
    # Polled with expect: wait_for_function would evaluate a string, which the CSP forbids.
    announce = page.locator("#compare-announce")
    expect(announce).to_have_text(re.compile(r"^\d+ identical rows hidden\.$"))
    hidden = before - rows(page)
    assert hidden > 0
    assert announce.inner_text() == f"{hidden} identical rows hidden."
    # focus stays on the checkbox the visitor used
    assert page.evaluate("document.activeElement.id") == "only-diff"
    page.go_back()
    page.wait_for_url("**/compare/ai-103-vs-ai-300/")
    expect(page.locator("#compare-table tr[id^=row-]")).to_have_count(before)
    assert not page.is_checked("#only-diff")


def test_differences_toggle_without_javascript(site_url, page_at):
    page = page_at(javascript=False)
    page.goto(site_url + "/compare/ai-103-vs-ai-300/")
    before = rows(page)
    page.check("#only-diff")
    page.click("button:has-text('Update the table')")
    page.wait_for_url("**/compare/ai-103-vs-ai-300/?only=diff")
    assert rows(page) < before


def test_priorities_with_the_keyboard(open_page):
    page = open_page("/compare/mla-c02-vs-pmle/")
    page.focus("#priority-cost")
    page.keyboard.press("Space")
    page.wait_for_url("**/compare/mla-c02-vs-pmle/?p=cost")
    page.wait_for_selector("text=On your priorities")
    assert page.evaluate("document.activeElement.id") == "priority-cost"
    assert page.locator("tbody.matrix__priorities #row-exam-fee").count() == 1


def test_retired_column_links_to_its_successor(site_url, page_at):
    page = page_at()
    page.goto(site_url + "/compare/pmle-vs-ai-102/")
    page.click("text=Compare AI-103 instead")
    page.wait_for_url("**/compare/pmle-vs-ai-103/")


@pytest.mark.parametrize(
    "path", ["pmle-vs-ai-103/?p=cost", "mla-c02-vs-pmle-vs-ai-102-vs-ai-103/?p=cost&p=validity"]
)
def test_print_fits_one_a4_page(site_url, page_at, path):
    page = page_at()
    page.goto(f"{site_url}/compare/{path}")
    pdf = page.pdf(format="A4")
    pages = len(re.findall(rb"/Type\s*/Page(?!s)", pdf))
    assert pages == 1, f"the printed comparison takes {pages} A4 pages"
