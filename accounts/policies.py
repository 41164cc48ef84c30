"""Who a user is in a plan: the role predicates every permission of the project builds on.

The back office, the staff area and `monitoring.policies` (reports, rounds, comments) ask
these functions; nothing else reads `Membership` to decide a right.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from accounts.models import Membership
from plans.models import Organisation, Plan

Role = Membership.Role


def membership(user: Any, plan: Plan | int) -> Membership | None:
    """The user's membership in the plan (cached on the user object for the request)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    plan_id = plan if isinstance(plan, int) else plan.pk
    cache: dict[int, Membership | None] = user.__dict__.setdefault("_kek_memberships", {})
    if plan_id not in cache:
        cache[plan_id] = (
            Membership.objects.select_related("organisation")
            .filter(user=user, plan_id=plan_id)
            .first()
        )
    return cache[plan_id]


def role(user: Any, plan: Plan | int) -> Role | None:
    """The user's role in the plan; superusers act as coordination."""
    if user is not None and user.is_authenticated and user.is_active and user.is_superuser:
        return Role.COORDINATION
    found = membership(user, plan)
    return Role(found.role) if found else None


def organisation_of(user: Any, plan: Plan | int) -> Organisation | None:
    """The organisation the user acts for in the plan, if any."""
    found = membership(user, plan)
    return found.organisation if found else None


def is_coordination(user: Any, plan: Plan | int) -> bool:
    """Koordination Kreisentwicklung of the plan (or a superuser)."""
    return role(user, plan) == Role.COORDINATION


def can_read_internal(user: Any, plan: Plan | int) -> bool:
    """Any role in the plan reads internal data (the drafts it may see, comments)."""
    return role(user, plan) is not None


# --- back office ---------------------------------------------------------------------------


def administered_plans(user: Any) -> QuerySet[Plan]:
    """Plans whose catalogue, statuses and members the user manages in the back office."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Plan.objects.none()
    if user.is_superuser:
        return Plan.objects.all()
    return Plan.objects.filter(memberships__user=user, memberships__role=Role.COORDINATION)


def can_use_back_office(user: Any) -> bool:
    """The back office (/admin/) is for superusers and the coordination of some plan."""
    if user is not None and user.is_authenticated and user.is_active and user.is_superuser:
        return True
    return administered_plans(user).exists()


def can_administer(user: Any, plan: Plan | int) -> bool:
    """Edit the plan's catalogue, statuses and memberships (coordination or superuser)."""
    return is_coordination(user, plan)


# --- Gemeinden -----------------------------------------------------------------------------


def municipality_ags(user: Any, plan: Plan | int) -> str | None:
    """The AGS of the Gemeinde a municipality editor maintains in the plan, else None."""
    found = membership(user, plan)
    if found is None or found.role != Role.MUNICIPALITY_EDITOR or found.organisation is None:
        return None
    return found.organisation.ags or None


def can_maintain_municipality_data(user: Any, plan: Plan | int, ags: str) -> bool:
    """Maintain a Gemeinde's register entries and values: the coordination, or the editors
    of that Gemeinde (an organisation with its AGS)."""
    return is_coordination(user, plan) or (bool(ags) and municipality_ags(user, plan) == ags)
