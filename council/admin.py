"""The back office for Kreistag papers: enter and edit papers and links, decide proposals.

Plan-scoped like the catalogue (`plans.plan_scoped_admin`): only the plan's coordination sees
and changes them. Every write goes through `council.services` or announces the change there.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from plans.plan_scoped_admin import PlanScopedAdmin, PlanScopedPermissions

from . import services
from .models import CouncilPaper, LinkProposal, PaperLink


class PaperLinkInline(PlanScopedPermissions, admin.TabularInline):
    """The measures citing the paper; who confirmed a link is recorded on saving."""

    model = PaperLink
    extra = 1
    autocomplete_fields = ["measure"]
    fields = ["measure", "confirmed_by", "confirmed_at"]
    readonly_fields = ["confirmed_by", "confirmed_at"]


@admin.register(CouncilPaper)
class CouncilPaperAdmin(PlanScopedAdmin):
    """Kreistag papers with the measures citing them."""

    list_display = ["reference", "name", "date", "paper_type", "concerns_plan", "synced_at"]
    list_filter = ["concerns_plan", "paper_type"]
    search_fields = ["reference", "name", "decision"]
    date_hierarchy = "date"
    readonly_fields = ["synced_at"]
    inlines = [PaperLinkInline]
    # OParl and the council's web pages are https; a typed address without scheme is too.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        links = formset.save(commit=False)
        for link in links:
            if link.pk is None:
                link.confirmed_by = request.user
            link.save()
        for deleted in formset.deleted_objects:
            deleted.delete()
        formset.save_m2m()

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        services.papers_changed(form.instance.plan_id)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        super().delete_model(request, obj)
        services.papers_changed(obj.plan_id)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        plan_ids = set(queryset.values_list("plan_id", flat=True))
        super().delete_queryset(request, queryset)
        for plan_id in plan_ids:
            services.papers_changed(plan_id)


@admin.register(LinkProposal)
class LinkProposalAdmin(PlanScopedAdmin):
    """The sync's proposals: the coordination confirms or rejects them (actions)."""

    plan_lookup = "paper__plan"
    list_display = ["paper_label", "target", "state", "decided_by"]
    list_filter = ["state"]
    list_select_related = ["paper", "measure", "decided_by"]
    search_fields = ["paper__reference", "paper__name", "measure__number"]
    actions = ["confirm", "reject"]
    readonly_fields = [
        "paper",
        "measure",
        "reason",
        "state",
        "proposed_at",
        "decided_by",
        "decided_at",
    ]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        """Proposals come from `kek oparl sync`; links by hand are entered on the paper."""
        return False

    @admin.display(description=_("Paper"), ordering="paper__reference")
    def paper_label(self, proposal: LinkProposal) -> str:
        return Truncator(str(proposal.paper)).chars(45)

    @admin.display(description=_("Measure"))
    def target(self, proposal: LinkProposal) -> str:
        if proposal.measure is None:
            return str(_("KEK as a whole"))
        return f"{proposal.measure.number} {Truncator(proposal.measure.title).chars(50)}"

    @admin.action(description=_("Confirm selected proposals"))
    def confirm(self, request: HttpRequest, queryset: QuerySet[LinkProposal]) -> None:
        self._decide(request, queryset, services.confirm_proposal)

    @admin.action(description=_("Reject selected proposals"))
    def reject(self, request: HttpRequest, queryset: QuerySet[LinkProposal]) -> None:
        self._decide(request, queryset, services.reject_proposal)

    def _decide(self, request: HttpRequest, queryset: QuerySet[LinkProposal], decide: Any) -> None:
        done = 0
        for proposal in queryset.select_related("paper", "measure"):
            try:
                decide(request.user, proposal)
            except services.CouncilError as error:
                self.message_user(request, f"{proposal}: {error}", messages.WARNING)
            else:
                done += 1
        if done:
            self.message_user(
                request,
                ngettext("%(n)d proposal decided.", "%(n)d proposals decided.", done) % {"n": done},
                messages.SUCCESS,
            )
