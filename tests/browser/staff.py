"""Signing in to the staff area in a browser test."""

from __future__ import annotations

from playwright.sync_api import Page, expect

# The password of every account the browser tests create.
PASSWORD = "ein-langes-Test-Passwort-2026"


def sign_in(page: Page, base_url: str, username: str) -> None:
    """Sign in on /anmelden/ and land on the staff area's start page."""
    page.goto(base_url + "/anmelden/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    expect(page.locator("h1")).to_have_text("Interner Bereich")
