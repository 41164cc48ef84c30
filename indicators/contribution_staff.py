"""Staff pages of the Gemeinden's contributions (/intern/beitraege/…).

Anyone with a role in the plan reads the list; only a Gemeinde's editors enter its
contributions (`indicators.policies.can_contribute`), only in an open round
(`monitoring.policies.round_accepts_changes`, asked by the service).
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from indicators import contribution_reads, policies
from indicators.forms import ContributionForm
from indicators.models import MunicipalContribution, Municipality
from indicators.register_staff import _forbidden, staff_register_page
from indicators.services import ContributionError, refusal, save_contribution
from monitoring.models import ReportingRound, StatusOption
from plans.models import Measure


def _chosen_round(request: HttpRequest, rounds: list[ReportingRound]) -> ReportingRound | None:
    wanted = request.GET.get("runde", "")
    return next((r for r in rounds if r.slug == wanted), rounds[0] if rounds else None)


@require_safe
@staff_register_page
def contribution_list(request: HttpRequest) -> HttpResponse:
    """The measures led by “Kommunen”: a Gemeinde editor's own contribution in an open round
    (`?runde=`, newest by default) with a link to enter it; for everyone the aggregate."""
    plan = request.plan  # type: ignore[attr-defined]
    rounds = contribution_reads.open_rounds(plan)
    chosen = _chosen_round(request, rounds)
    ags = policies.contributing_ags(request.user, plan.pk)
    measures = list(contribution_reads.measures_led_by_kommunen(plan).in_number_order())
    own: dict[int, MunicipalContribution] = {}
    if ags and chosen is not None:
        own = {
            c.measure_id: c
            for c in MunicipalContribution.objects.filter(
                reporting_round=chosen, municipality__ags=ags
            ).select_related("status")
        }
    tallies = contribution_reads.contribution_tallies(plan, measures)
    rows = [(measure, own.get(measure.pk), tallies[measure.pk]) for measure in measures]
    municipality = Municipality.objects.defer("boundary").filter(ags=ags).first() if ags else None
    return render(
        request,
        "indicators/staff/contributions.html",
        {
            "rows": rows,
            "rounds": rounds,
            "chosen": chosen,
            "municipality": municipality,
        },
    )


@require_http_methods(["GET", "POST"])
@staff_register_page
def contribution_form(request: HttpRequest, round_slug: str, number: str) -> HttpResponse:
    """Enter or change the own Gemeinde's contribution to a measure in a round."""
    plan = request.plan  # type: ignore[attr-defined]
    reporting_round = ReportingRound.objects.filter(plan=plan).by_slug(round_slug)
    if reporting_round is None:
        raise Http404("No such round")
    measure = get_object_or_404(Measure, plan=plan, number=number)
    ags = policies.contributing_ags(request.user, plan.pk) or ""
    if not policies.can_contribute(request.user, measure, ags):
        return _forbidden(
            request, _("Only the editors of a municipality enter its contribution to a measure.")
        )
    municipality = get_object_or_404(Municipality.objects.defer("boundary"), ags=ags)
    existing = (
        MunicipalContribution.objects.filter(
            reporting_round=reporting_round, measure=measure, municipality=municipality
        )
        .select_related("status")
        .first()
    )
    statuses = [(s.key, s.label) for s in StatusOption.objects.filter(plan=plan)]
    initial = (
        {"status": existing.status.key, "text": existing.text, "version": existing.version}
        if existing
        else {}
    )
    form = ContributionForm(
        request.POST if request.method == "POST" else None, initial=initial, statuses=statuses
    )
    refused = refusal(request.user, reporting_round, measure, ags)
    status_code = 200
    if request.method == "POST":
        if refused:
            status_code = 409
        elif form.is_valid():
            try:
                save_contribution(
                    request.user,
                    reporting_round,
                    measure,
                    ags,
                    status_key=form.cleaned_data["status"],
                    text=form.cleaned_data["text"],
                    expected_version=form.cleaned_data.get("version") or None,
                )
            except ContributionError as error:
                form.add_error(None, error.message)
                status_code = 409
            else:
                messages.success(
                    request,
                    _("The contribution of %(name)s to %(number)s was saved.")
                    % {"name": municipality.name, "number": measure.number},
                )
                list_url = reverse("indicators:staff_contributions")
                return redirect(f"{list_url}?runde={reporting_round.slug}")
        else:
            status_code = 400
    history = list(existing.history.select_related("status", "history_user")) if existing else []
    return render(
        request,
        "indicators/staff/contribution_form.html",
        {
            "form": form,
            "measure": measure,
            "municipality": municipality,
            "reporting_round": reporting_round,
            "existing": existing,
            "refused": refused,
            "history": history,
        },
        status=status_code,
    )
