"""The back office (/admin/) for the coordination, with permissions from `accounts.policies`.

Django's admin decides by `is_staff` and model permissions; here the policy module decides:
superusers and Koordination members enter, and each sees and changes only its own plans. The
plan-scoped model admins (`plans.plan_scoped_admin`) ask this site who administers a plan.
"""

from __future__ import annotations

import logging
from typing import Any

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.defaults import permission_denied

from accounts import policies
from plans.models import Plan

logger = logging.getLogger(__name__)


class BackOfficeSite(admin.AdminSite):
    """The admin site: entry by policy, login through the staff login page."""

    site_header = _("KEK-Monitor – back office")
    site_title = _("KEK-Monitor – back office")
    index_title = _("Back office")

    def has_permission(self, request: HttpRequest) -> bool:
        return policies.can_use_back_office(request.user)

    def can_administer(self, request: HttpRequest, plan_id: int) -> bool:
        """Whether the user changes the plan's catalogue, statuses and memberships."""
        return policies.can_administer(request.user, plan_id)

    def administered_plans(self, request: HttpRequest) -> QuerySet[Plan]:
        """The plans the user administers (`policies.administered_plans`)."""
        return policies.administered_plans(request.user)

    def login(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        """One login for everyone: the staff login page, back here afterwards.

        A signed-in user without the right is told so (the login page would send them back).
        """
        if request.user.is_authenticated:
            # A routine refusal, not an error: one INFO line instead of Django's warning with
            # a traceback for a raised PermissionDenied.
            logger.info("Back office refused to %s (no role for it)", request.user.get_username())
            response = permission_denied(
                request, PermissionDenied(_("The back office is for the coordination only."))
            )
            response._has_been_logged = True  # type: ignore[attr-defined]  # see log_response
            return response
        return redirect_to_login(request.GET.get("next") or reverse("admin:index"))
