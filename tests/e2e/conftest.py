"""Browser fixtures: Debian's /usr/bin/chromium driven by Playwright (never a downloaded browser)."""

import os

import pytest

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make between
# page actions are still synchronous and safe.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser):
    """``new_page(width, height)``: a page in its own context (own cookies), closed afterwards."""
    contexts = []

    def make(width: int, height: int, locale: str = "zh-CN"):
        context = browser.new_context(viewport={"width": width, "height": height}, locale=locale)
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def screenshots(tmp_path):
    directory = tmp_path / "screenshots"
    directory.mkdir()
    return directory
