"""Refusal pages of the staff area lead back to the page the user came from, on this host only."""

from __future__ import annotations

from typing import Any

from monitoring.tests.factories import World


def _page(response: Any) -> str:
    return response.content.decode()


def test_refusal_page_links_back_to_the_page_the_user_came_from(
    staff_client: Any, world: World
) -> None:
    report = world.report()  # a draft cannot be approved
    dashboard = f"http://testserver/intern/runden/{world.reporting_round.pk}/"
    response = staff_client("coordination").post(
        f"/intern/berichte/{report.pk}/freigeben/", HTTP_REFERER=dashboard
    )
    assert response.status_code == 409
    page = _page(response)
    assert f'<a class="kern-link" href="{dashboard}">Zurück</a>' in page
    assert "Zurück zur Übersicht" in page


def test_refusal_page_ignores_a_referer_of_another_host(staff_client: Any, world: World) -> None:
    report = world.report()
    response = staff_client("coordination").post(
        f"/intern/berichte/{report.pk}/freigeben/", HTTP_REFERER="https://evil.example/x"
    )
    page = _page(response)
    assert "evil.example" not in page
    assert '<a class="kern-link" href="/intern/">Zurück</a>' in page
