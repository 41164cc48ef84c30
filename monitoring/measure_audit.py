"""The audit trail of one measure: catalogue changes and monitoring events, newest first.

Catalogue changes come from django-simple-history (measure and its placements: who, when,
old → new); monitoring events from the append-only `Event` log, limited to what the user may
read (events on another office's drafts stay hidden). A fixed number of queries.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from accounts.policies import is_coordination
from plans.models import Measure, Placement

from . import policies
from .models import Event

# Bookkeeping fields of the catalogue that a reader does not need as changes.
_SILENT_FIELDS = {"field_part", "seq", "plan"}


@dataclass
class Change:
    """One field changed from old to new."""

    label: str
    old: str
    new: str


@dataclass
class TimelineEntry:
    """Something that happened to the measure."""

    when: datetime.datetime
    who: Any
    what: str
    changes: list[Change] = field(default_factory=list)
    report_id: int | None = None


def _text(value: Any) -> str:
    if value in (None, ""):
        return "–"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return str(value)


def _catalogue_entries(records: list[Any], describe: Any) -> list[TimelineEntry]:
    """Entries for the history records of catalogue objects (oldest first per object)."""
    entries = []
    previous: dict[int, Any] = {}
    for record in records:
        before = previous.get(record.id)
        previous[record.id] = record
        changes = []
        if before is not None and record.history_type == "~":
            for change in record.diff_against(before).changes:
                if change.field in _SILENT_FIELDS:
                    continue
                label = str(record.instance._meta.get_field(change.field).verbose_name)
                changes.append(Change(label, _text(change.old), _text(change.new)))
            if not changes:
                continue
        # A first record with a reason is the imported state, recorded before the first edit.
        imported = record.history_type == "+" and record.history_change_reason
        entries.append(
            TimelineEntry(
                when=record.history_date,
                who=record.history_user,
                what=record.history_change_reason if imported else describe(record),
                changes=changes,
            )
        )
    return entries


def _describe_measure(record: Any) -> str:
    return {
        "+": _("The measure was created."),
        "~": _("The measure was changed."),
        "-": _("The measure was deleted."),
    }[record.history_type]


def _describe_placement(record: Any) -> str:
    where = f"{record.field_number} / {record.goal_code}"
    return {
        "+": _("A placement (%(where)s) was added.") % {"where": where},
        "~": _("The placement in %(where)s was changed.") % {"where": where},
        "-": _("The placement in %(where)s was removed.") % {"where": where},
    }[record.history_type]


def measure_timeline(user: Any, measure: Measure) -> list[TimelineEntry]:
    """Everything recorded about the measure that the user may read, newest first."""
    measure_records = list(
        Measure.history.filter(id=measure.pk)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    placement_ids = Placement.history.filter(measure_id=measure.pk).values("id")
    placement_records = list(
        Placement.history.filter(id__in=placement_ids)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    events = Event.objects.filter(measure=measure).select_related("user")
    if not is_coordination(user, measure.plan_id):
        visible_reports = policies.reports_visible_to(
            user, measure.plan, include_deleted=True
        ).values("pk")
        events = events.filter(Q(report__isnull=True) | Q(report__in=visible_reports))
    entries = _catalogue_entries(measure_records, _describe_measure)
    entries += _catalogue_entries(placement_records, _describe_placement)
    entries += [
        TimelineEntry(
            when=event.created_at, who=event.user, what=event.sentence(), report_id=event.report_id
        )
        for event in events
    ]
    entries.sort(key=lambda entry: entry.when, reverse=True)
    return entries
