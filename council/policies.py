"""Who may enter, link and confirm Kreistag papers: the plan's coordination."""

from __future__ import annotations

from typing import Any

from accounts import policies
from plans.models import Plan


def can_manage_papers(user: Any, plan: Plan | int) -> bool:
    """Enter and edit papers, link them to measures, confirm or reject the sync's proposals."""
    return policies.is_coordination(user, plan)
