"""Writes of the registers of 2-84: the default registers, entries (by hand or from a file),
and their aggregate indicators, refreshed after every change.

Every write checks `indicators.policies` and raises `RegisterError` (German) when it refuses.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from indicators import policies
from indicators.geometry import point_in_boundary
from indicators.importers.register_csv import (
    ParsedRegister,
    RegisterRow,
    parse_register,
    parse_register_rows,
)
from indicators.importers.register_xlsx import SheetRefused, read_sheet
from indicators.importers.values_csv import ParsedValue, ParsedValues, RowProblem
from indicators.models import (
    COUNTY_AGS,
    Direction,
    EntryStatus,
    IndicatorValue,
    Municipality,
    OwnerType,
    Quantity,
    Register,
    RegisterEntry,
)
from monitoring.workbook.reading import WorkbookRefused, check_archive
from plans.models import Measure, Plan

from .definitions import define_indicator
from .errors import IndicatorError
from .values import import_values

# Measure 2-84 names the building blocks; VA/SLR lead them (the document's Ansprechpartner).
UMBRELLA_MEASURE = "2-84"
DEFAULT_REGISTERS = (
    ("gewerbeflaechen", "Gewerbeflächen", Quantity.AREA, "Verfügbare Gewerbefläche"),
    ("brachflaechen", "Brachflächen", Quantity.AREA, "Verfügbare Brachfläche"),
    ("leerstand", "Leerstand", Quantity.COUNT, "Leerstehende Gebäude"),
)
DEFAULT_LEADS = ["VA", "SLR"]


class RegisterError(IndicatorError):
    """A register write was refused; `problems` names rows and columns of a file."""

    def __init__(self, message: str, problems: list[RowProblem] | None = None) -> None:
        super().__init__(message)
        self.problems = [str(problem) for problem in problems or []]


def indicator_slug(register: Register) -> str:
    """The slug of the register's aggregate indicator."""
    return f"kataster-{register.slug}"


def ensure_register_indicator(register: Register) -> None:
    """Define the aggregate indicator of the register once (the coordination may edit it)."""
    if register.indicator_id is not None:
        return
    has_umbrella = Measure.objects.filter(plan=register.plan, number=UMBRELLA_MEASURE).exists()
    indicator, _outcome = define_indicator(
        register.plan,
        slug=indicator_slug(register),
        name=register.indicator_name,
        unit=register.unit,
        direction=Direction.NONE,
        precision=1 if register.quantity == Quantity.AREA else 0,
        definition=_(
            "Sum of the entries with the status “available” in the register “%(name)s”, "
            "per Gemeinde and for the county, as of the year of the last change."
        )
        % {"name": register.name},
        source=_("Register “%(name)s” of KEK-Monitor") % {"name": register.name},
        measures=[UMBRELLA_MEASURE] if has_umbrella else [],
    )
    register.indicator = indicator
    register.save(update_fields=["indicator"])


def ensure_default_registers(plan: Plan) -> int:
    """Create the registers Gewerbeflächen, Brachflächen and Leerstand once; how many were new."""
    created = 0
    for order, (slug, name, quantity, indicator_name) in enumerate(DEFAULT_REGISTERS):
        register, was_created = Register.objects.get_or_create(
            plan=plan,
            slug=slug,
            defaults={
                "name": name,
                "quantity": quantity,
                "indicator_name": indicator_name,
                "lead_offices": DEFAULT_LEADS,
                "order": order,
            },
        )
        created += was_created
        ensure_register_indicator(register)
    return created


@dataclass(frozen=True)
class EntryData:
    """The fields of an entry as a form or a file row gives them."""

    ags: str
    designation: str
    quantity: Decimal
    status: str
    available_from: datetime.date | None
    owner_type: str
    latitude: Decimal
    longitude: Decimal


def _municipality(register: Register, user: Any, data: EntryData) -> Municipality:
    municipality = Municipality.objects.filter(ags=data.ags).first()
    if municipality is None:
        raise RegisterError(_("%(ags)s is not a Gemeinde of the county.") % {"ags": data.ags})
    # user None: the command line, which acts for the coordination.
    if user is not None and not policies.can_maintain_entry(user, register, data.ags):
        raise RegisterError(
            _("You may not maintain entries of %(name)s in this register.")
            % {"name": municipality.name}
        )
    if not point_in_boundary(municipality.boundary, float(data.longitude), float(data.latitude)):
        raise RegisterError(
            _("The point %(lat)s, %(lon)s does not lie in %(name)s.")
            % {"lat": data.latitude, "lon": data.longitude, "name": municipality.name}
        )
    if data.quantity < 0:
        raise RegisterError(_("The area or count must not be negative."))
    return municipality


def _fill(entry: RegisterEntry, municipality: Municipality, data: EntryData, user: Any) -> None:
    entry.municipality = municipality
    entry.designation = data.designation
    entry.quantity = data.quantity
    entry.status = data.status
    entry.available_from = data.available_from
    entry.owner_type = data.owner_type
    entry.latitude = data.latitude
    entry.longitude = data.longitude
    entry.changed_at = timezone.now()
    entry.changed_by = user if user is not None and user.is_authenticated else None


@transaction.atomic
def save_entry(
    user: Any,
    register: Register,
    data: EntryData,
    entry: RegisterEntry | None = None,
    expected_version: int | None = None,
) -> RegisterEntry:
    """Add an entry, or change one whose version is still `expected_version`."""
    municipality = _municipality(register, user, data)
    if entry is None:
        entry = RegisterEntry(register=register)
    else:
        entry = RegisterEntry.objects.select_for_update().get(pk=entry.pk, register=register)
        if user is not None and not policies.can_maintain_entry(
            user, register, entry.municipality.ags
        ):
            raise RegisterError(_("You may not maintain this entry."))
        if expected_version is not None and entry.version != expected_version:
            raise RegisterError(
                _("Someone else changed this entry in the meantime. Reload it and try again.")
            )
        entry.version += 1
    _fill(entry, municipality, data, user)
    entry.save()
    refresh_aggregate(register, user)
    return entry


@transaction.atomic
def delete_entry(user: Any, entry: RegisterEntry) -> None:
    """Remove an entry (its Gemeinde's editors or the register's leads)."""
    register = entry.register
    if user is not None and not policies.can_maintain_entry(user, register, entry.municipality.ags):
        raise RegisterError(_("You may not maintain this entry."))
    entry.delete()
    refresh_aggregate(register, user)


def aggregates(register: Register) -> dict[str, Decimal]:
    """The sum of the available entries per Gemeinde (every Gemeinde, 0 if none) and county."""
    sums: dict[str, Decimal] = defaultdict(Decimal)
    for ags in Municipality.objects.values_list("ags", flat=True):
        sums[ags] = Decimal(0)
    rows = RegisterEntry.objects.filter(register=register, status=EntryStatus.AVAILABLE)
    for ags, quantity in rows.values_list("municipality__ags", "quantity"):
        sums[ags] += quantity
    sums[COUNTY_AGS] = sum((v for k, v in sums.items() if k != COUNTY_AGS), Decimal(0))
    return dict(sums)


def refresh_aggregate(register: Register, user: Any = None, year: int | None = None) -> None:
    """Write the register's sums of this year as values of its indicator (new rows only where
    a sum changed, with the register as their source)."""
    ensure_register_indicator(register)
    assert register.indicator is not None
    year = year or timezone.localdate().year
    values = ParsedValues(format="register", encoding="", delimiter="")
    for ags, total in sorted(aggregates(register).items()):
        values.values.append(
            ParsedValue(register.indicator.slug, ags, year, None, total, register.name, 0)
        )
    import_values(
        register.plan,
        values,
        file_name=_("Register “%(name)s”") % {"name": register.name},
        user=user,
        apply=True,
        origin=IndicatorValue.Origin.REGISTER,
    )


# --- file import ---------------------------------------------------------------------------


@dataclass
class RegisterImportPreview:
    """What a register import would do (or did, when `applied`)."""

    new: list[RegisterRow] = field(default_factory=list)
    changed: list[RegisterRow] = field(default_factory=list)
    unchanged: int = 0
    applied: bool = False


def is_workbook(data: bytes, file_name: str = "") -> bool:
    """Whether a register file is an XLSX workbook (a ZIP archive or named .xlsx/.xlsm)."""
    return data.startswith(b"PK\x03\x04") or file_name.lower().endswith((".xlsx", ".xlsm"))


def read_register_file(data: bytes, file_name: str = "") -> ParsedRegister:
    """Parse a register file (CSV, or the first sheet of an XLSX workbook) with the German
    labels of statuses and owners; a workbook that cannot be read safely is refused whole."""
    statuses = {key: str(label) for key, label in EntryStatus.choices}
    owners = {key: str(label) for key, label in OwnerType.choices}
    if not is_workbook(data, file_name):
        return parse_register(data, statuses, owners, EntryStatus.AVAILABLE)
    try:
        check_archive(data, file_name)
        sheet = read_sheet(data)
    except WorkbookRefused as error:
        raise RegisterError(error.message) from None
    except SheetRefused as error:
        raise RegisterError(error.message) from None
    return parse_register_rows(
        sheet.rows, statuses, owners, EntryStatus.AVAILABLE, sheet=sheet.sheet
    )


def _as_data(row: RegisterRow) -> EntryData:
    return EntryData(
        ags=row.ags,
        designation=row.designation,
        quantity=row.quantity,
        status=row.status,
        available_from=row.available_from,
        owner_type=row.owner_type,
        latitude=row.latitude,
        longitude=row.longitude,
    )


def _same(entry: RegisterEntry, row: RegisterRow) -> bool:
    return (
        entry.quantity == row.quantity.quantize(Decimal("0.01"))
        and entry.status == row.status
        and entry.available_from == row.available_from
        and entry.owner_type == row.owner_type
        and entry.latitude == row.latitude.quantize(Decimal("0.000001"))
        and entry.longitude == row.longitude.quantize(Decimal("0.000001"))
    )


def import_register(
    user: Any,
    register: Register,
    parsed: ParsedRegister,
    *,
    file_name: str,
    apply: bool = False,
) -> RegisterImportPreview:
    """Compare the file's rows with the entries (same Gemeinde and designation = same entry);
    with `apply` write all in one transaction. Any refused row refuses the whole file."""
    problems = list(parsed.errors)
    existing = {
        (e.municipality.ags, e.designation.casefold()): e
        for e in RegisterEntry.objects.filter(register=register)
        .select_related("municipality")
        .defer("municipality__boundary")
    }
    preview = RegisterImportPreview()
    for row in parsed.rows:
        try:
            _municipality(register, user, _as_data(row))
        except RegisterError as error:
            problems.append(RowProblem(row.row, "gemeinde", error.message, parsed.sheet))
            continue
        entry = existing.get((row.ags, row.designation.casefold()))
        if entry is None:
            preview.new.append(row)
        elif _same(entry, row):
            preview.unchanged += 1
        else:
            preview.changed.append(row)
    if problems:
        raise RegisterError(
            _("The file was not imported: %(count)s rows have problems.")
            % {"count": len({p.row for p in problems})},
            sorted(problems, key=lambda p: p.row),
        )
    if apply and (preview.new or preview.changed):
        with transaction.atomic():
            municipalities = {m.ags: m for m in Municipality.objects.all()}
            for row in [*preview.new, *preview.changed]:
                entry = existing.get((row.ags, row.designation.casefold()))
                if entry is None:
                    entry = RegisterEntry(register=register)
                else:
                    entry.version += 1
                _fill(entry, municipalities[row.ags], _as_data(row), user)
                entry.source_file = file_name[:300]
                entry.source_row = row.row
                entry.save()
            refresh_aggregate(register, user)
        preview.applied = True
    return preview
