"""Validators of the public API's answers: ETag and Last-Modified from the plan's revision.

The portal's page cache is keyed by `Plan.revision` (portal/caching.py), which every
catalogue change and every published report counts up; the API's validators use the same
revision, plus the rounds' own dates (opening or closing a round does not count a revision).
"""

from __future__ import annotations

import datetime
import hashlib

from django.core.cache import cache
from django.db.models import Max

from monitoring.models import ReportingRound, StatusReport
from plans.models import Plan


def _rounds_state(plan: Plan) -> tuple[int, list[datetime.datetime]]:
    """How many rounds the plan has and the latest moments they changed."""
    found = ReportingRound.objects.filter(plan=plan).aggregate(
        opened=Max("opened_at"), closed=Max("closed_at"), reopened=Max("reopened_at")
    )
    moments = [moment for moment in found.values() if moment is not None]
    return ReportingRound.objects.filter(plan=plan).count(), moments


def plan_validators(plan: Plan) -> tuple[str, datetime.datetime]:
    """The ETag (strong, quoted) and the Last-Modified moment of what the public API shows.

    Last-Modified is the latest of the import, the newest publication and the rounds' dates,
    remembered per revision; the ETag changes with every revision and every round change.
    """
    count, moments = _rounds_state(plan)
    latest_round = max(moments, default=None)
    tag = hashlib.sha256(f"{plan.pk}:{plan.revision}:{count}:{latest_round}".encode()).hexdigest()[
        :20
    ]
    key = f"api:last-modified:{plan.pk}:{plan.revision}"
    published = cache.get(key)
    if published is None:
        published = (
            StatusReport.objects.published()
            .filter(reporting_round__plan=plan)
            .aggregate(latest=Max("published_at"))["latest"]
            or plan.imported_at
        )
        cache.set(key, published, 3600)
    last_modified = max([plan.imported_at, published, *moments])
    return f'"{tag}"', last_modified
