"""Which plan the portal shows: the one named by settings.KEK_PLAN_SLUG."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404

from plans.models import Plan


def current_plan() -> Plan:
    """The plan of the portal (one query); 404 while none is imported."""
    plan = Plan.objects.filter(slug=settings.KEK_PLAN_SLUG).first()
    if plan is None:
        raise Http404("No plan imported yet")
    return plan
