"""The catalog in a real browser: filtering swaps the list and pushes the address, Back restores
the previous list, the form without JavaScript, ticking and comparing with the keyboard, widths
and axe."""

import re

import pytest
from playwright.sync_api import expect

ROWS = "#catalog-list tbody tr"


def test_filters_swap_the_list_push_the_address_and_back_restores_it(site_url, page_at):
    page = page_at()
    loads = []
    page.on("load", lambda: loads.append(page.url))
    page.goto(site_url + "/certifications/")
    expect(page.locator(ROWS)).to_have_count(29)

    page.check("#filter-vendor-databricks")
    page.wait_for_url("**/certifications/?vendor=databricks&sort=vendor")
    expect(page.locator(ROWS)).to_have_count(3)
    expect(page.locator("#catalog-announce")).to_have_text("3 of 29 certifications match.")
    assert page.evaluate("document.activeElement.id") == "filter-vendor-databricks"

    page.select_option("#filter-sort", "name")
    page.wait_for_url("**/certifications/?vendor=databricks&sort=name")
    expect(page.locator("#catalog-list h2")).to_have_count(0)  # one table, no vendor groups
    assert len(loads) == 1, "htmx should swap the list in, not reload the page"

    page.go_back()
    page.wait_for_url("**/certifications/?vendor=databricks&sort=vendor")
    expect(page.locator("#catalog-list h2")).to_have_text(["Databricks"])
    expect(page.locator(ROWS)).to_have_count(3)
    page.go_back()
    page.wait_for_url(re.compile(r".*/certifications/$"))
    expect(page.locator(ROWS)).to_have_count(29)
    assert not page.is_checked("#filter-vendor-databricks")


def test_filters_without_javascript(site_url, page_at):
    page = page_at(javascript=False)
    page.goto(site_url + "/certifications/")
    page.check("#filter-vendor-nvidia")
    page.check("#filter-focus-genai")
    page.click("button:has-text('Show')")
    page.wait_for_url("**/certifications/?vendor=nvidia&focus=genai&sort=vendor")
    expect(page.locator(ROWS)).to_have_count(2)
    page.click("text=Clear the filters")
    page.wait_for_url(re.compile(r".*/certifications/$"))
    expect(page.locator(ROWS)).to_have_count(29)


@pytest.mark.parametrize("javascript", [True, False])
def test_tick_two_and_compare_with_the_keyboard(site_url, page_at, javascript):
    page = page_at(javascript=javascript)
    page.goto(site_url + "/certifications/")
    page.focus("#tick-ai-103")
    page.keyboard.press("Space")
    page.focus("#tick-pmle")
    page.keyboard.press("Space")
    page.focus("button:has-text('Compare the ticked ones')")
    page.keyboard.press("Enter")
    page.wait_for_url("**/compare/pmle-vs-ai-103/")
    expect(page.locator("h1")).to_have_text("PMLE vs AI-103")
