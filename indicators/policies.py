"""Who maintains the registers: the coordination, the lead offices of a register (e.g. VA/SLR
for 2-84), and the editors of a Gemeinde for its own entries. Built on `accounts.policies`."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from accounts import policies
from accounts.models import Membership
from indicators.contribution_reads import is_led_by_kommunen
from indicators.models import Register, RegisterEntry
from plans.models import Measure


def _leads_register(user: Any, register: Register) -> bool:
    """Coordination, or an office editor of one of the register's lead offices."""
    if policies.is_coordination(user, register.plan_id):
        return True
    found = policies.membership(user, register.plan_id)
    return (
        found is not None
        and found.role == Membership.Role.EDITOR
        and found.organisation is not None
        and found.organisation.abbreviation in register.lead_offices
    )


def can_open_registers(user: Any, plan_id: int) -> bool:
    """See the staff pages of the registers: anyone who may maintain some entry."""
    if policies.is_coordination(user, plan_id) or policies.municipality_ags(user, plan_id):
        return True
    return any(_leads_register(user, r) for r in Register.objects.filter(plan_id=plan_id))


def can_maintain_entry(user: Any, register: Register, ags: str) -> bool:
    """Add, change or delete an entry of the register in the Gemeinde with this AGS."""
    return _leads_register(user, register) or (
        bool(ags) and policies.municipality_ags(user, register.plan_id) == ags
    )


def maintainable_ags(user: Any, register: Register) -> set[str] | None:
    """The Gemeinden whose entries the user maintains: None for all, else a (maybe empty) set."""
    if _leads_register(user, register):
        return None
    own = policies.municipality_ags(user, register.plan_id)
    return {own} if own else set()


def entries_maintainable_by(user: Any, register: Register) -> QuerySet[RegisterEntry]:
    """The register's entries the user may maintain."""
    entries = RegisterEntry.objects.filter(register=register)
    allowed = maintainable_ags(user, register)
    return entries if allowed is None else entries.filter(municipality__ags__in=allowed)


# --- contributions of the Gemeinden to measures led by "Kommunen" ---------------------------


def contributing_ags(user: Any, plan_id: int) -> str | None:
    """The Gemeinde whose contributions the user enters: a Gemeinde editor's own AGS, else
    None. Only a Gemeinde speaks for itself: the coordination and the offices read."""
    return policies.municipality_ags(user, plan_id)


def can_contribute(user: Any, measure: Measure, ags: str) -> bool:
    """Enter or change the contribution of the Gemeinde with this AGS to the measure: its own
    editors, and only to a measure led by "Kommunen". (Whether the round still accepts changes
    is `monitoring.policies.round_accepts_changes`, asked by the service.)"""
    return (
        bool(ags) and contributing_ags(user, measure.plan_id) == ags and is_led_by_kommunen(measure)
    )
