"""Real-browser fixtures: Debian's Chromium driven by Playwright, axe-core from npm.

Playwright is driven directly (no pytest-playwright): one session-scoped browser and a fresh
context per test are all we need, and it avoids that plugin's browser download assumptions
and its deprecation warnings under `filterwarnings = error`.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connections
from playwright.sync_api import Browser, ConsoleMessage, Page, Playwright, sync_playwright

# Playwright's sync API runs an event loop in the main thread; Django would then refuse
# database access from tests and the live server ("SynchronousOnlyOperation").
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE_SCRIPT = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
VIEWPORT = {"width": 1280, "height": 900}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test in this directory as a browser test."""
    browser_dir = Path(__file__).parent
    for item in items:
        if browser_dir in item.path.parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    """The Playwright driver, started once per test session.

    While it runs, its event loop makes the main thread count as asynchronous: Django then
    keeps the database connections of the main thread per context, not per thread, and the
    test database's own teardown (after the driver has stopped) never sees those. They are
    closed here, before the driver stops; left open, PostgreSQL refused to drop the test
    database at the end of the session ("is being accessed by other users").
    """
    with sync_playwright() as driver:
        yield driver
        connections.close_all()


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    """Headless Debian Chromium (`playwright install` is neither needed nor possible here)."""
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} fehlt: scripts/install-system-packages.sh als root ausführen.")
    browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A page in a fresh context, German locale, 1280×900.

    bypass_csp: Playwright injects axe-core as an inline script, which the portal's CSP
    rightly blocks. test_security_headers.py loads the pages with the CSP enforced.
    """
    context = browser.new_context(locale="de-DE", viewport=VIEWPORT, bypass_csp=True)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def csp_page(browser: Browser) -> Iterator[Page]:
    """A page with the Content-Security-Policy enforced, as a visitor's browser does."""
    context = browser.new_context(locale="de-DE", viewport=VIEWPORT)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def csp_violations(csp_page: Page) -> list[str]:
    """Collect the Content-Security-Policy violations Chromium reports on `csp_page`."""
    violations: list[str] = []

    def record(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text:
            violations.append(f"{csp_page.url}: {message.text}")

    csp_page.on("console", record)
    return violations


@pytest.fixture
def axe_violations() -> Callable[[Page], list[dict[str, Any]]]:
    """Return a function that runs axe-core (WCAG 2.1 A and AA rules) on a loaded page.

    Each violation is reduced to its rule id, impact, help text and the CSS selectors of the
    offending nodes, so that a failing assertion reads like a to-do list.
    """
    if not AXE_SCRIPT.exists():
        pytest.fail(f"{AXE_SCRIPT} fehlt: `make setup` (npm ci) ausführen.")

    def run(page: Page) -> list[dict[str, Any]]:
        page.add_script_tag(path=str(AXE_SCRIPT))
        result = page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
        )
        return [
            {
                "id": violation["id"],
                "impact": violation["impact"],
                "help": violation["help"],
                "targets": [node["target"] for node in violation["nodes"]],
            }
            for violation in result["violations"]
        ]

    return run


@pytest.fixture
def open_context(browser: Browser) -> Iterator[Callable[[], Page]]:
    """Open pages in fresh browser contexts (one person each); closed after the test."""
    contexts = []

    def new_page() -> Page:
        context = browser.new_context(locale="de-DE", viewport=VIEWPORT, bypass_csp=True)
        contexts.append(context)
        return context.new_page()

    yield new_page
    for context in contexts:
        context.close()
