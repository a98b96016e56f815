"""Decide at a glance, in a real browser: the answer and the key figures inside the first
screen at phone and desktop sizes, source markers that open with the keyboard and without
JavaScript, and charts whose text equivalent is there for a screen reader and on paper."""

import re

import pytest
from playwright.sync_api import expect

FIRST_SCREENS = {"phone": (390, 844), "desktop": (1280, 800)}
ANSWERED = ["/", "/compare/pmle-vs-ai-103/", "/compare/mla-c02-vs-pmle-vs-ai-102-vs-ai-103/"]


@pytest.mark.parametrize("screen", FIRST_SCREENS)
@pytest.mark.parametrize("path", ANSWERED)
def test_answer_and_key_figures_are_in_the_first_screen(site_url, browser, screen, path):
    width, height = FIRST_SCREENS[screen]
    context = browser.new_context(viewport={"width": width, "height": height})
    try:
        page = context.new_page()
        page.goto(site_url + path)
        answer = page.locator("#answer").bounding_box()
        figures = page.locator(".figures").bounding_box()
        assert answer["y"] >= 0 and figures["y"] + figures["height"] <= height, (
            f"{path} at {width}×{height}: the key figures end at "
            f"{figures['y'] + figures['height']:.0f}px"
        )
        choices = page.locator(".answer__choice, .answer__leads li")
        assert choices.count() >= 2
        last = choices.nth(choices.count() - 1).bounding_box()
        assert last["y"] + last["height"] <= height
        # The table follows the answer.
        assert page.locator(".matrix").bounding_box()["y"] > figures["y"]
    finally:
        context.close()


@pytest.mark.parametrize("javascript", [True, False])
def test_source_marker_opens_with_the_keyboard(site_url, page_at, javascript):
    page = page_at(390, javascript=javascript)
    page.goto(site_url + "/compare/pmle-vs-ai-103/")
    marker = page.locator("#row-exam-fee td").first.locator("details.cite")
    summary = marker.locator("summary")
    assert not marker.locator(".provenance").is_visible()
    summary.focus()
    page.keyboard.press("Enter")
    assert marker.get_attribute("open") is not None
    assert "verified 2026-11-25" in marker.locator(".provenance").inner_text()
    # The marker's number leads to the page's numbered source list.
    number = summary.inner_text().split()[0]
    page.keyboard.press("Tab")  # the publisher, linked to its entry in the list
    assert page.evaluate("document.activeElement.getAttribute('href')") == f"#source-{number}"
    page.keyboard.press("Enter")
    # A same-page link updates the address a moment after the key press: wait for it.
    expect(page).to_have_url(re.compile(f"#source-{number}$"))
    assert page.locator(f"#source-{number}").is_visible()


def test_charts_have_text_equivalents_in_the_accessibility_tree(site_url, page_at):
    page = page_at(1280)
    page.goto(site_url + "/certifications/pmle/")
    chart = page.get_by_role("table", name="Weight of each skill domain in the PMLE exam")
    row = chart.get_by_role("row", name="Serving and scaling models")
    assert "Exam guide live 1 Jun 2026: 20%" in row.inner_text()
    assert page.locator("table.chart svg[aria-hidden=true]").count() >= 12
    page.goto(site_url + "/lifecycle/")
    lane = page.get_by_role("row", name="AI-102", exact=False).first
    assert "30 Jun 2026: retired" in lane.text_content()
    page.goto(site_url + "/compare/pmle-vs-ai-103/")
    cost = page.get_by_role("table", name="Cost of holding each certification", exact=False)
    assert "5 years: USD 400" in cost.first.inner_text()


def test_print_keeps_full_provenance(site_url, page_at):
    page = page_at(1280)
    page.goto(site_url + "/compare/pmle-vs-ai-103/")
    page.emulate_media(media="print")
    line = page.locator("#row-exam-fee td").first.locator(".provenance")
    assert line.is_visible() and re.match(r"Source \d+: \S", line.inner_text())
