"""Who reports what: offices their own measures, the coordination for every other lead."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core import mail

from accounts.models import Membership
from monitoring import services, worklists
from monitoring.dashboard import round_dashboard
from monitoring.models import StatusReport
from monitoring.tests.factories import MembershipFactory, UserFactory, World, lead
from plans.models import Measure, Organisation, Plan
from plans.tests.factories import MeasureFactory, OrganisationFactory, PlacementFactory

State = StatusReport.State
Kind = Organisation.Kind


def add_other_leads(world: World) -> dict[str, Any]:
    """Add measures led by a municipality, a partner (with AfS) and "Alle Ämter"."""
    plan = world.plan
    kommunen = OrganisationFactory(
        plan=plan, abbreviation="Kommunen", kind=Kind.MUNICIPALITY, in_glossary=False
    )
    zvnl = OrganisationFactory(plan=plan, abbreviation="ZVNL", kind=Kind.PARTNER)
    alle = OrganisationFactory(
        plan=plan, abbreviation="Alle Ämter", kind=Kind.OFFICE, in_glossary=False
    )
    municipal = MeasureFactory(plan=plan, number="1-3", title="Ortskerne stärken")
    lead(PlacementFactory(measure=municipal), kommunen)
    shared = MeasureFactory(plan=plan, number="1-4", title="Nahverkehr verdichten", home_field=2)
    lead(PlacementFactory(measure=shared), world.afs, zvnl)
    everyone = MeasureFactory(plan=plan, number="1-5", title="Verwaltung digitalisieren")
    lead(PlacementFactory(measure=everyone), alle)
    return {
        "kommunen": kommunen,
        "zvnl": zvnl,
        "alle": alle,
        "municipal": municipal,
        "shared": shared,
        "everyone": everyone,
    }


@pytest.fixture
def mixed(world: World) -> dict[str, Any]:
    """The world plus measures led by a municipality, a partner and "Alle Ämter"."""
    return add_other_leads(world)


def _names(pairs: set[tuple[int, int]]) -> set[tuple[str, str]]:
    measures = Measure.objects.in_bulk({m for m, _o in pairs})
    organisations = Organisation.objects.in_bulk({o for _m, o in pairs})
    return {(measures[m].number, organisations[o].abbreviation) for m, o in pairs}


def test_offices_of_the_glossary_report_and_the_coordination_reports_every_other_lead(
    mixed: dict[str, Any], world: World
) -> None:
    offices = _names(worklists.lead_pairs(world.plan, by_coordination=False))
    coordination = _names(worklists.lead_pairs(world.plan, by_coordination=True))
    assert offices == {("1-1", "AfS"), ("1-2", "SLR"), ("1-4", "AfS")}
    assert coordination == {("1-3", "Kommunen"), ("1-4", "ZVNL"), ("1-5", "Alle Ämter")}
    assert worklists.lead_pairs(world.plan) == worklists.lead_pairs(
        world.plan, by_coordination=False
    ) | worklists.lead_pairs(world.plan, by_coordination=True)


def test_alle_aemter_is_an_office_by_kind_but_no_reporting_office(mixed: dict[str, Any]) -> None:
    assert mixed["alle"].kind == Kind.OFFICE
    assert not worklists.is_reporting_office(mixed["alle"])
    assert not worklists.is_reporting_office(mixed["kommunen"])
    assert worklists.is_reporting_office(OrganisationFactory(kind=Kind.OFFICE))


def test_dashboard_counts_the_offices_and_the_coordination_apart(
    mixed: dict[str, Any], world: World
) -> None:
    world.report(State.SUBMITTED)
    services.start_report(
        world.coordination, world.reporting_round, mixed["municipal"], mixed["kommunen"]
    )
    dashboard = round_dashboard(world.reporting_round)
    assert [row.label for row in dashboard.by_office] == ["AfS", "SLR"]
    assert [row.label for row in dashboard.by_coordination] == ["Alle Ämter", "Kommunen", "ZVNL"]
    assert dict(dashboard.office_totals.counts) == {"submitted": 1, "missing": 2}
    assert dict(dashboard.coordination_totals.counts) == {"draft": 1, "missing": 2}
    assert dashboard.totals.total == 6
    assert sum(row.total for row in dashboard.by_field) == 6


def test_overdue_items_are_split_into_offices_and_coordination(
    mixed: dict[str, Any], world: World
) -> None:
    dashboard = round_dashboard(world.reporting_round, today=datetime.date(2027, 1, 1))
    assert [(i.measure.number, i.organisation.abbreviation) for i in dashboard.overdue] == [
        ("1-1", "AfS"),
        ("1-2", "SLR"),
        ("1-3", "Kommunen"),
        ("1-4", "AfS"),
        ("1-4", "ZVNL"),
        ("1-5", "Alle Ämter"),
    ]
    assert len(dashboard.overdue_of_offices) == 3
    assert {i.organisation.abbreviation for i in dashboard.overdue_of_coordination} == {
        "Kommunen",
        "ZVNL",
        "Alle Ämter",
    }


def test_outstanding_by_organisation_holds_only_offices(
    mixed: dict[str, Any], world: World
) -> None:
    outstanding = worklists.outstanding_by_organisation(world.reporting_round)
    assert {o.abbreviation: len(items) for o, items in outstanding.items()} == {"AfS": 2, "SLR": 1}
    assert worklists.outstanding_by_organisation(world.reporting_round, mixed["kommunen"]) == {}


def test_reminders_reach_only_office_editors(mixed: dict[str, Any], world: World) -> None:
    for persona in ("editor_of_lead_office", "editor_of_other_office"):
        world.user(persona).email = f"{persona}@example.org"
        world.user(persona).save()
    # Even a (misconfigured) editor of the municipalities gets no reminder.
    kommune = UserFactory(username="kommune", email="kommune@example.org")
    MembershipFactory(
        user=kommune, plan=world.plan, role=Membership.Role.EDITOR, organisation=mixed["kommunen"]
    )
    sent = services.send_reminders(world.coordination, world.reporting_round)
    assert sent == 2
    assert sorted(m.to[0] for m in mail.outbox) == [
        "editor_of_lead_office@example.org",
        "editor_of_other_office@example.org",
    ]
    body = next(m.body for m in mail.outbox if m.to == ["editor_of_lead_office@example.org"])
    assert "1-4" in body and "1-3" not in body


def test_offices_without_editors_are_named_and_left_out_of_the_reminder_choice(
    world: World,
) -> None:
    Membership.objects.filter(organisation=world.slr).delete()
    dashboard = round_dashboard(world.reporting_round)
    assert [row.label for row in dashboard.offices_with_outstanding] == ["AfS"]
    assert [row.label for row in dashboard.offices_without_editors] == ["SLR"]


def test_coordination_works_on_the_pairs_of_other_leads(
    mixed: dict[str, Any], world: World
) -> None:
    work = worklists.my_work(world.coordination, world.plan)
    assert work.reporter is not None and work.reporter.is_coordination
    assert [(i.measure.number, i.organisation.abbreviation) for i in work.items] == [
        ("1-3", "Kommunen"),
        ("1-4", "ZVNL"),
        ("1-5", "Alle Ämter"),
    ]


def test_office_editor_works_on_its_own_pairs(mixed: dict[str, Any], world: World) -> None:
    work = worklists.my_work(world.user("editor_of_lead_office"), world.plan)
    assert work.reporter == worklists.Reporter(world.afs)
    assert [i.measure.number for i in work.items] == ["1-1", "1-4"]


@pytest.mark.parametrize("persona", ["participant", "reader"])
def test_participants_and_readers_report_on_nothing(world: World, persona: str) -> None:
    work = worklists.my_work(world.user(persona), world.plan)
    assert (work.reporter, work.items) == (None, [])


def test_an_editor_of_a_municipality_reports_on_nothing(
    mixed: dict[str, Any], world: World
) -> None:
    user = UserFactory(username="kommune")
    MembershipFactory(
        user=user, plan=world.plan, role=Membership.Role.EDITOR, organisation=mixed["kommunen"]
    )
    assert worklists.my_work(user, world.plan).items == []


def test_filters_combine_state_field_and_text(mixed: dict[str, Any], world: World) -> None:
    world.report(State.SUBMITTED)
    items = worklists.round_items(world.reporting_round)

    def numbers(**filters: Any) -> list[str]:
        return [
            f"{i.measure.number} {i.organisation.abbreviation}"
            for i in worklists.filter_work(items, **filters)
        ]

    assert numbers(state="submitted") == ["1-1 AfS"]
    assert numbers(state="outstanding", home_field=2) == ["1-4 AfS", "1-4 ZVNL"]
    assert numbers(text="  ORTSKERNE ") == ["1-3 Kommunen"]
    assert numbers(text="1-5") == ["1-5 Alle Ämter"]
    assert numbers(text="Verwaltung", state="missing", home_field=1) == ["1-5 Alle Ämter"]


def test_text_filter_folds_sharp_s(world: World) -> None:
    items = worklists.round_items(world.reporting_round)
    item = items[0]
    item.measure.title = "Straßennetz ertüchtigen"
    assert worklists.filter_work([item], text="strassen") == [item]


# --- KEK 2030 ------------------------------------------------------------------------------


def _open_round(plan: Plan) -> Any:
    user = UserFactory(username="koordination-kek")
    MembershipFactory(user=user, plan=plan, role=Membership.Role.COORDINATION)
    reporting_round = services.open_round(
        user, plan, "Monitoring 2026", datetime.date(2026, 6, 30), datetime.date(2026, 9, 30)
    )
    return user, reporting_round


def test_kek_2030_has_232_office_pairs_and_108_the_coordination_reports(
    kek_plan: Plan,
) -> None:
    everything = worklists.lead_pairs(kek_plan)
    offices = worklists.lead_pairs(kek_plan, by_coordination=False)
    coordination = worklists.lead_pairs(kek_plan, by_coordination=True)
    assert (len(everything), len(offices), len(coordination)) == (340, 232, 108)
    assert offices | coordination == everything and not offices & coordination
    kinds = Organisation.objects.in_bulk({o for _m, o in coordination})
    by_kind = {kind: 0 for kind in Kind.values}
    for _m, o in coordination:
        by_kind[kinds[o].kind] += 1
    # 31 pairs of the municipalities, 76 of partners, 1 of "Alle Ämter".
    assert by_kind == {"municipality": 31, "partner": 76, "office": 1}
    # SLR leads the most measures of any office.
    slr = Organisation.objects.get(plan=kek_plan, abbreviation="SLR")
    assert sum(1 for _m, o in offices if o == slr.pk) == 90


def test_kek_2030_numbers_agree_between_dashboard_my_measures_and_reminders(
    kek_plan: Plan,
) -> None:
    coordination, reporting_round = _open_round(kek_plan)
    slr = Organisation.objects.get(plan=kek_plan, abbreviation="SLR")
    editor = UserFactory(username="redaktion-slr")
    MembershipFactory(user=editor, plan=kek_plan, role=Membership.Role.EDITOR, organisation=slr)
    kommunen = Organisation.objects.get(plan=kek_plan, abbreviation="Kommunen")
    led_by_slr = Measure.objects.filter(plan=kek_plan, placements__lead_rows__organisation=slr)
    for measure in led_by_slr.distinct().in_number_order()[:5]:
        report = services.start_report(editor, reporting_round, measure, slr)
        services.save_report(editor, report, {"progress": 10, "summary": "läuft"}, report.version)
        services.submit_report(editor, report)
    municipal = Measure.objects.filter(
        plan=kek_plan, placements__lead_rows__organisation=kommunen
    ).first()
    services.start_report(coordination, reporting_round, municipal, kommunen)

    dashboard = round_dashboard(reporting_round)
    assert (dashboard.office_totals.total, dashboard.coordination_totals.total) == (232, 108)
    assert dashboard.totals.total == 340
    slr_row = next(row for row in dashboard.by_office if row.organisation == slr)
    assert (slr_row.counts["submitted"], slr_row.outstanding, slr_row.editors) == (5, 85, 1)
    assert dashboard.coordination_totals.outstanding == 108  # the draft still counts

    outstanding = worklists.outstanding_by_organisation(reporting_round)
    assert sum(len(items) for items in outstanding.values()) == dashboard.office_totals.outstanding
    assert len(outstanding[slr]) == 85
    assert kommunen not in outstanding

    mine = worklists.my_work(coordination, kek_plan)
    assert len(mine.items) == 108
    assert mine.outstanding(reporting_round) == dashboard.coordination_totals.outstanding
    theirs = worklists.my_work(editor, kek_plan)
    assert (len(theirs.items), theirs.outstanding(reporting_round)) == (90, 85)


def test_an_editor_of_a_municipality_cannot_start_the_report_the_coordination_owes(
    world: World, mixed: dict[str, Any]
) -> None:
    editor = UserFactory(username="redaktion-kommunen")
    MembershipFactory(
        user=editor, plan=world.plan, role=Membership.Role.EDITOR, organisation=mixed["kommunen"]
    )
    with pytest.raises(services.NotAllowed):
        services.start_report(editor, world.reporting_round, mixed["municipal"], mixed["kommunen"])
    report = services.start_report(
        world.coordination, world.reporting_round, mixed["municipal"], mixed["kommunen"]
    )
    assert report.organisation == mixed["kommunen"]


def test_of_two_open_rounds_on_the_same_reporting_date_the_one_opened_later_is_current(
    world: World,
) -> None:
    """A real round sharing the demo round's Stichtag: every consumer takes the same round as
    the newest open one (`ReportingRound.objects.newest_first`: the one opened later), not
    the one created later or whichever the database returns first."""
    from monitoring.comments import add_comment
    from monitoring.models import Event, ReportingRound

    first = world.reporting_round
    assert first is not None
    created_later = services.open_round(
        world.coordination,
        world.plan,
        "Monitoring 2026 (Demo)",
        first.reporting_date,
        first.deadline,
    )
    # The round created first was opened (again) later: it is the newest.
    ReportingRound.objects.filter(pk=first.pk).update(
        opened_at=created_later.opened_at + datetime.timedelta(hours=1)
    )
    newest = ReportingRound.objects.open().filter(plan=world.plan).newest_first().first()
    assert newest is not None and newest.pk == first.pk

    assert worklists.open_rounds(world.plan)[0] == newest
    measure = Measure.objects.filter(plan=world.plan).first()
    add_comment(world.coordination, measure, "Gilt für die neue Runde.")
    assert Event.objects.filter(kind=Event.Kind.COMMENT_ADDED).get().reporting_round == newest
