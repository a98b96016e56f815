"""The market page in a browser: it fits a phone and a desktop without sideways scrolling,
passes axe-core, every chart is drawn, and the strict CSP blocks nothing it needs."""

import pytest

from .conftest import WIDTHS


@pytest.mark.parametrize("width_name", WIDTHS)
def test_market_page_fits_the_width_and_passes_axe(
    site_url, page_at, width_name, fits_and_passes_axe
):
    page = page_at(WIDTHS[width_name])
    errors, failed = [], []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("response", lambda r: failed.append(r.url) if r.status >= 400 else None)
    response = page.goto(site_url + "/market/")
    assert response.status == 200
    fits_and_passes_axe(page, f"market-{width_name}", f"/market/ at {width_name}")
    assert failed == [] and errors == []
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
