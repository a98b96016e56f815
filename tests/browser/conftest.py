"""Browser tests drive Debian's Chromium against the site served exactly as in production:
DJANGO_DEBUG=0, collected static files through whitenoise, gunicorn, a database built from the
fixtures. No Playwright browser download is ever used."""

from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.helpers import gunicorn, production_site

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
WIDTHS = {"phone": 390, "desktop": 1280}


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def site_url(tmp_path_factory):
    work = tmp_path_factory.mktemp("site")
    env = production_site(work, purpose="browser-tests")
    with gunicorn(env, work, ready_path="/faq/") as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's Chromium is missing: run 'apt-get install -y chromium'.")
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def page_at(browser):
    """page_at(width, javascript=True) -> a fresh page in its own context."""
    contexts = []

    def make(width: int = 1280, javascript: bool = True):
        context = browser.new_context(
            viewport={"width": width, "height": 900}, java_script_enabled=javascript
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        return page

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def open_page(site_url, page_at):
    """open_page(path, width, javascript=True) -> a fresh page showing `path` of the site."""

    def open_(path: str, width: int = 1280, javascript: bool = True):
        page = page_at(width, javascript)
        page.goto(site_url + path)
        return page

    return open_


WCAG = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"],
    }
}
SHOTS = Path(__file__).parent / "screenshots"


def _fits_and_passes_axe(page, shot: str, what: str = "the page") -> None:
    """No sideways scrolling at this width, a full-page screenshot for people to look at, and
    no axe-core violation of WCAG 2.2 A/AA."""
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{what} scrolls sideways by {overflow}px"
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SHOTS / f"{shot}.png", full_page=True)
    results = Axe().run(page, options=WCAG)
    assert results.violations_count == 0, results.generate_report()


@pytest.fixture
def fits_and_passes_axe():
    """fits_and_passes_axe(page, shot, what): no sideways scrolling, a screenshot, no axe
    violation."""
    return _fits_and_passes_axe
