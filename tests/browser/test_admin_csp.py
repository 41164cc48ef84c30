"""Django's admin works under the same strict Content-Security-Policy as the portal."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page


@pytest.mark.django_db
def test_admin_pages_cause_no_csp_violations(
    csp_page: Page, csp_violations, live_server, admin_user
):
    csp_page.goto(live_server.url + "/admin/")
    csp_page.wait_for_url("**/anmelden/?next=/admin/")  # one login page for everyone
    csp_page.fill("#id_username", admin_user.username)
    csp_page.fill("#id_password", "password")
    csp_page.click("main button[type=submit]")
    csp_page.wait_for_url("**/admin/")

    model_paths = sorted(set(re.findall(r'href="(/admin/\w+/\w+/)"', csp_page.content())))
    assert model_paths, "the admin index lists no models"
    for path in model_paths:
        for suffix in ["", "add/"]:
            csp_page.goto(live_server.url + path + suffix)

    assert csp_violations == []
