"""HTML typed into report texts is shown as text: staff report page, report form, public page."""

from __future__ import annotations

import html
from typing import Any

from django.core.cache import cache

from monitoring import services
from monitoring.models import StatusReport
from monitoring.tests.factories import World

State = StatusReport.State


def report_url(report: StatusReport) -> str:
    return f"/intern/berichte/{report.pk}/"


def publish(world: World, report: StatusReport) -> StatusReport:
    """Submit, approve and publish the report as the coordination."""
    for step in (services.submit_report, services.approve_report, services.publish_report):
        report = step(world.coordination, StatusReport.objects.get(pk=report.pk))
    return StatusReport.objects.get(pk=report.pk)


MARKUP = "<script>alert(1)</script> <b>x</b>"
TEXTS = {
    "summary": f"Sachstand {MARKUP}",
    "next_steps": f"Nächste Schritte {MARKUP}",
    "obstacles": f"Hemmnisse {MARKUP}",
}


def _report_with_markup(world: World) -> StatusReport:
    report = world.report(State.DRAFT)
    services.save_report(world.coordination, report, TEXTS, report.version)
    return StatusReport.objects.get(pk=report.pk)


def _assert_shown_as_text(page: str, text: str) -> None:
    """The text is on the page with its markup escaped: "&lt;b&gt;x&lt;/b&gt;"."""
    assert html.escape(text, quote=False) in page


def test_html_in_report_texts_is_shown_as_text_on_the_staff_report_page(
    staff_client: Any, world: World
) -> None:
    report = publish(world, _report_with_markup(world))

    page = staff_client("coordination").get(report_url(report)).content.decode()

    assert "<script>alert(1)</script>" not in page
    assert "<b>x</b>" not in page
    for text in TEXTS.values():
        _assert_shown_as_text(page, text)


def test_html_in_report_texts_is_shown_as_text_in_the_report_form(
    staff_client: Any, world: World
) -> None:
    report = _report_with_markup(world)

    page = staff_client("editor_of_lead_office").get(report_url(report)).content.decode()

    assert 'name="summary"' in page  # the form
    assert "<script>alert(1)</script>" not in page
    assert "<b>x</b>" not in page
    for text in TEXTS.values():
        _assert_shown_as_text(page, text)


def test_html_in_report_texts_is_shown_as_text_on_the_public_measure_page(
    client: Any, world: World, settings: Any
) -> None:
    settings.KEK_PLAN_SLUG = world.plan.slug
    publish(world, _report_with_markup(world))
    cache.clear()

    response = client.get(f"/massnahmen/{world.measure.number}/")

    page = response.content.decode()
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in page
    assert "<b>x</b>" not in page
    _assert_shown_as_text(page, TEXTS["summary"])
    _assert_shown_as_text(page, TEXTS["next_steps"])
