"""Reads of the registers for public pages: entries with only the fields a register publishes."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.urls import reverse

from indicators.display import format_value, german_sort_key
from indicators.models import MAY_BE_INTERNAL, Municipality, Register, RegisterEntry
from plans.models import Plan


@dataclass(frozen=True, slots=True)
class PublicEntry:
    """An entry as the public sees it: internal fields are None."""

    designation: str
    municipality: Municipality
    municipality_url: str
    quantity: str | None
    status: str | None
    available_from: str | None
    owner_type: str | None
    location: str | None


def public_entry(register: Register, entry: RegisterEntry, municipality_url: str) -> PublicEntry:
    """The entry with only the fields the register publishes."""
    shown = {name: register.is_public(name) for name in MAY_BE_INTERNAL}
    precision = 2 if register.unit == "ha" else 0
    return PublicEntry(
        designation=entry.designation,
        municipality=entry.municipality,
        municipality_url=municipality_url,
        quantity=format_value(entry.quantity, precision) if shown["quantity"] else None,
        status=entry.get_status_display() if shown["status"] else None,
        available_from=(
            entry.available_from.strftime("%d.%m.%Y")
            if shown["available_from"] and entry.available_from
            else ("" if shown["available_from"] else None)
        ),
        owner_type=entry.get_owner_type_display() if shown["owner_type"] else None,
        location=(
            f"{format_value(entry.latitude, 5)}, {format_value(entry.longitude, 5)}"
            if shown["location"]
            else None
        ),
    )


def public_entries(register: Register, ags: str | None = None) -> list[PublicEntry]:
    """The register's entries as the public sees them (of one Gemeinde if given)."""
    entries = (
        RegisterEntry.objects.filter(register=register)
        .select_related("municipality")
        .defer("municipality__boundary")
    )
    if ags:
        entries = entries.of_municipality(ags)
    ordered = sorted(entries, key=lambda e: (german_sort_key(e.municipality.name), e.designation))
    urls = {
        ags: reverse("indicators:municipality", args=[ags])
        for ags in {e.municipality.ags for e in ordered}
    }
    return [public_entry(register, e, urls[e.municipality.ags]) for e in ordered]


# Entries per page of a register's public page.
PAGE_SIZE = 50


def public_entries_page(
    register: Register, ags: str | None, page_number: str | None
) -> tuple[Page, list[PublicEntry]]:
    """One page of the register's public entries (of one Gemeinde if given), in the order of
    `public_entries`; only the page's entries are loaded."""
    entries = RegisterEntry.objects.filter(register=register)
    if ags:
        entries = entries.of_municipality(ags)
    keys = entries.values_list("pk", "municipality__name", "designation")
    ordered = [
        pk for pk, name, designation in sorted(keys, key=lambda k: (german_sort_key(k[1]), k[2]))
    ]
    page = Paginator(ordered, PAGE_SIZE).get_page(page_number)
    loaded = (
        RegisterEntry.objects.filter(pk__in=list(page.object_list))
        .select_related("municipality")
        .defer("municipality__boundary")
    )
    by_pk = {entry.pk: entry for entry in loaded}
    return page, [
        public_entry(
            register,
            by_pk[pk],
            reverse("indicators:municipality", args=[by_pk[pk].municipality.ags]),
        )
        for pk in page.object_list
    ]


def municipality_registers(
    plan: Plan, ags: str
) -> list[tuple[Register, list[PublicEntry], dict[str, bool]]]:
    """For the Gemeinde page: each register with the Gemeinde's public entries and the fields
    it shows."""
    return [
        (r, public_entries(r, ags), {name: r.is_public(name) for name in MAY_BE_INTERNAL})
        for r in Register.objects.filter(plan=plan)
    ]
