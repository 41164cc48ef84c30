"""Import a plan: a parsed document (create, or diff and update in place) or exported plan JSON."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from plans.importers.structure import ParsedPlan
from plans.models import Measure, Plan
from plans.plan_data import parsed_plan_from_data, plan_data_errors, plan_snapshot
from plans.plan_diff import ImportResult, PlanImportError, check_parsed_plan, diff_plans

from .catalogue_sync import write_plan
from .statistics import refresh_statistics


def import_parsed_plan(parsed: ParsedPlan, *, apply: bool) -> ImportResult:
    """Create the plan, or compare it with the stored one and (with apply) update it in place."""
    check_parsed_plan(parsed)
    result = ImportResult(slug=parsed.slug)
    with transaction.atomic():
        plan = Plan.objects.select_for_update().filter(slug=parsed.slug).first()
        if plan is None:
            plan = Plan(slug=parsed.slug, imported_at=timezone.now())
            result.plan_created = True
        else:
            diff_plans(plan_snapshot(plan), parsed, result)
            _explain_soft_deletion(plan, parsed, result)
            if not result.has_changes or not apply:
                return result
        write_plan(plan, parsed)
        result.applied = True
    if result.applied:
        refresh_statistics()
    return result


def _explain_soft_deletion(plan: Plan, parsed: ParsedPlan, result: ImportResult) -> None:
    """Say that dropped measures are deleted softly, and which deleted ones come back."""
    numbers = {m.number for m in parsed.measures}
    if Measure.objects.filter(plan=plan).exclude(number__in=numbers).exists():
        result.notes.append(
            _(
                "Dropped measures are only marked as deleted: their status reports, comments "
                "and history stay."
            )
        )
    for number, deleted_at in (
        Measure.all_objects.filter(plan=plan, number__in=numbers)
        .deleted()
        .values_list("number", "deleted_at")
    ):
        result.notes.append(
            _("Measure %(number)s, deleted on %(date)s, is in the document and comes back.")
            % {"number": number, "date": timezone.localtime(deleted_at).strftime("%d.%m.%Y")}
        )


def import_plan_json(data: Any) -> Plan:
    """Import plan data exported by `kek export plan` into a database without that plan."""
    errors = plan_data_errors(data)
    if errors:
        shown = "\n".join(errors[:10])
        raise PlanImportError(_("The file does not match the plan format:") + "\n" + shown)
    if Plan.objects.filter(slug=data["slug"]).exists():
        raise PlanImportError(
            _(
                "Plan “%(slug)s” already exists; a plan export is only imported into a "
                "database without this plan."
            )
            % {"slug": data["slug"]}
        )
    import_parsed_plan(parsed_plan_from_data(data), apply=False)
    return Plan.objects.get(slug=data["slug"])


def iter_report_lines(parsed: ParsedPlan) -> Iterator[str]:
    """The import report's detail lines: every normalisation and unresolved abbreviation."""
    yield _("Normalisations (%(count)d):") % {"count": len(parsed.normalisations)}
    for n in sorted(parsed.normalisations, key=lambda n: n.line):
        note = f" – {n.note}" if n.note else ""
        yield "  " + _("Line %(line)s: [%(kind)s] “%(original)s” → “%(result)s”%(note)s") % {
            "line": n.line,
            "kind": n.kind,
            "original": n.original,
            "result": n.result,
            "note": note,
        }
    yield _("Unresolved abbreviations (%(count)d):") % {"count": len(parsed.unresolved)}
    for line, abbreviation in sorted(parsed.unresolved):
        yield "  " + _("Line %(line)s: “%(abbreviation)s”") % {
            "line": line,
            "abbreviation": abbreviation,
        }
