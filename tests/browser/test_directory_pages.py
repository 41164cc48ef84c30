"""Organisations, key projects, interlinkages and open data in a real browser: axe and CSP."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

PAGES = {
    "organisation index": "/organisationen/",
    "organisation": "/organisationen/SLR/",
    "organisation with a slash": "/organisationen/EB%20RD/BS/",
    "key project index": "/schluesselvorhaben/",
    "key project": "/schluesselvorhaben/sv-i-2/",
    "interlinkages": "/verflechtungen/",
    "open data": "/daten/",
}

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", PAGES.values(), ids=PAGES.keys())
def test_directory_page_has_no_wcag_21_aa_violations(
    page: Page, live_server, kek_plan, axe_violations, path
):
    page.goto(live_server.url + path)

    assert page.locator("h1").count() == 1
    assert axe_violations(page) == []


def test_interlinkages_page_works_with_the_csp_enforced(
    csp_page: Page, csp_violations, live_server, kek_plan
):
    csp_page.goto(live_server.url + "/verflechtungen/")
    csp_page.wait_for_load_state("networkidle")

    assert csp_violations == []
    # The stylesheet was allowed: the matrix cells carry their shades.
    shaded = csp_page.evaluate(
        "getComputedStyle(document.querySelector('.portal-matrix__cell--shade-4')).backgroundColor"
    )
    assert shaded not in ("rgba(0, 0, 0, 0)", "transparent")
