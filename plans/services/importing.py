"""Import a plan: a parsed document (create, or diff and update in place) or exported plan JSON."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from plans.importers.structure import ParsedPlan
from plans.models import Measure, Plan
from plans.plan_data import parsed_plan_from_data, plan_data_errors, plan_snapshot
from plans.plan_diff import (
    ImportResult,
    PlanImportError,
    check_parsed_plan,
    diff_plans,
    duplicated_number_warnings,
)

from .catalogue_sync import write_plan
from .statistics import refresh_statistics


def import_parsed_plan(parsed: ParsedPlan, *, apply: bool) -> ImportResult:
    """Create the plan, or compare it with the stored one and (with apply) update it in place."""
    check_parsed_plan(parsed)
    result = ImportResult(slug=parsed.slug, warnings=duplicated_number_warnings(parsed))
    try:
        _import_in_transaction(parsed, apply, result)
    except IntegrityError:
        # Two imports of a new plan: both saw no plan; the other one's insert came first.
        if not result.plan_created or not Plan.objects.filter(slug=parsed.slug).exists():
            raise
        raise PlanImportError(
            _(
                "Plan “%(slug)s” was created by another import at the same time; nothing "
                "was written. Run the import again to compare with it."
            )
            % {"slug": parsed.slug}
        ) from None
    if result.applied:
        refresh_statistics()
    return result


def _import_in_transaction(parsed: ParsedPlan, apply: bool, result: ImportResult) -> None:
    """The import's reads and writes in one transaction (the plan row locked if it exists)."""
    with transaction.atomic():
        plan = Plan.objects.select_for_update().filter(slug=parsed.slug).first()
        if plan is None:
            plan = Plan(slug=parsed.slug, imported_at=timezone.now())
            result.plan_created = True
        else:
            diff_plans(plan_snapshot(plan), parsed, result)
            _explain_soft_deletion(plan, parsed, result)
            if not result.has_changes or not apply:
                return
        write_plan(plan, parsed)
        result.applied = True


def _explain_soft_deletion(plan: Plan, parsed: ParsedPlan, result: ImportResult) -> None:
    """Say that dropped measures are deleted softly, and which deleted ones come back."""
    numbers = {m.number for m in parsed.measures}
    # Compared here, not in an IN list of every number (a large plan has 250,000).
    stored = Measure.objects.filter(plan=plan).values_list("number", flat=True)
    if any(number not in numbers for number in stored.iterator(chunk_size=2000)):
        result.notes.append(
            _(
                "Dropped measures are only marked as deleted: their status reports, comments "
                "and history stay."
            )
        )
    for number, deleted_at in (
        Measure.all_objects.filter(plan=plan).deleted().values_list("number", "deleted_at")
    ):
        if number not in numbers:
            continue
        result.notes.append(
            _("Measure %(number)s, deleted on %(date)s, is in the document and comes back.")
            % {"number": number, "date": timezone.localtime(deleted_at).strftime("%d.%m.%Y")}
        )


def import_plan_json(data: Any) -> Plan:
    """Import plan data exported by `kek export plan` into a database without that plan."""
    try:
        errors = plan_data_errors(data)
        if errors:
            shown = "\n".join(errors[:10])
            raise PlanImportError(_("The file does not match the plan format:") + "\n" + shown)
        parsed = parsed_plan_from_data(data)
    except RecursionError:
        raise PlanImportError(_("The file is nested too deeply.")) from None
    exists = _(
        "Plan “%(slug)s” already exists; a plan export is only imported into a "
        "database without this plan."
    ) % {"slug": data["slug"]}
    if Plan.objects.filter(slug=data["slug"]).exists():
        raise PlanImportError(exists)
    # The check above is a courtesy; this one holds when another import ran in between.
    if not import_parsed_plan(parsed, apply=False).plan_created:
        raise PlanImportError(exists)
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
