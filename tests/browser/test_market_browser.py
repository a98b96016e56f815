"""The market page in a browser: every chart is drawn at a phone's and a desktop's width, and
an FAQ answer leads to its series. (Width, axe and the CSP: test_pages_browser.py.)"""

import pytest

from .conftest import WIDTHS


@pytest.mark.parametrize("width_name", WIDTHS)
def test_every_market_chart_is_drawn(site_url, page_at, width_name):
    page = page_at(WIDTHS[width_name])
    assert page.goto(site_url + "/market/").status == 200
    # Every chart is drawn: its bars have a width on screen, and their text is visible.
    assert page.locator("table.chart").count() == 5
    widths = page.eval_on_selector_all(
        "rect.bar__fill", "rects => rects.map(r => r.getBoundingClientRect().width)"
    )
    assert widths and all(width > 0 for width in widths)
    assert page.get_by_text("Q3 2025: 29%").is_visible()


def test_a_faq_answer_leads_to_its_series(site_url, page_at):
    page = page_at(390, javascript=False)
    page.goto(site_url + "/faq/")
    page.locator("#azure-vs-google-salary").get_by_role("link", name="What skills").click()
    assert page.url.endswith("/market/#pay-premium")
    assert page.locator("#pay-premium").is_visible()
