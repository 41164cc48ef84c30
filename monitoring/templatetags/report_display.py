"""Template helpers for reading a report: its steps with their states, amounts, who reports."""

from __future__ import annotations

from typing import Any

from django import template

from monitoring import report_values
from monitoring.models import StatusReport
from monitoring.policies import is_reporting_office
from plans.models import Organisation

register = template.Library()


@register.simple_tag
def report_step_rows(report: StatusReport) -> list[report_values.StepRow]:
    """Every building block and step of the report's measure with its state."""
    return report_values.step_rows(report)


@register.filter
def euros(value: Any) -> str:
    """An amount as "12.500,50 €"; "–" if there is none."""
    return "–" if value in (None, "") else report_values.euros(value)


@register.filter
def reports_itself(organisation: Organisation) -> bool:
    """Whether the organisation's editors write its reports (else the coordination does)."""
    return is_reporting_office(organisation)
