"""The search index is kept by the writes that change what it shows, never by a search (issue 16).

After each kind of write the search page finds the new text, and the GET of the search page
writes nothing (no INSERT, UPDATE, DELETE, ANALYZE …): on SQLite it never takes the write lock.
"""

from __future__ import annotations

import dataclasses
import datetime
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from plans.importers.structure import ParsedPlan
from plans.measure_deletion import restore_measures, soft_delete_measures
from plans.models import Measure, Node, Organisation, Placement, Plan
from plans.services import import_parsed_plan
from search.models import SearchEntry

WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE", "ANALYZE", "CREATE", "DROP", "ALTER")


def search_page(query: str) -> str:
    """The search page for query, asserted to have written nothing."""
    with CaptureQueriesContext(connection) as queries:
        response = Client().get("/suche/", {"q": query})
    assert response.status_code == 200
    writes = [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(WRITES)]
    assert writes == []
    return response.content.decode()


def found(query: str, path: str) -> bool:
    """True if the search page for query links path (the page of a hit)."""
    return f'href="{path}"' in search_page(query)


def post_change_form(client: Any, url: str, **changes: Any) -> None:
    """Submit a back-office change form as shown, with changes (inline forms unchanged)."""
    response = client.get(url)
    data: dict[str, Any] = {}
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        data |= {
            management.add_prefix(name): management[name].value() for name in management.fields
        }
        forms += formset.forms
    for form in forms:
        for name in form.fields:
            value = form[name].value()
            if value is True:
                data[form.add_prefix(name)] = "on"
            elif value is not None and value is not False:
                data[form.add_prefix(name)] = value
    data |= changes
    response = client.post(url, data)
    assert response.status_code == 302, response.context and [
        response.context["adminform"].form.errors,
        *(inline.formset.errors for inline in response.context["inline_admin_formsets"]),
    ]


@pytest.fixture
def back_office(kek_plan: Plan) -> Client:
    client = Client()
    client.force_login(get_user_model().objects.create_superuser("koordination", "", "pw-1234!"))
    return client


def entry_ids_except(plan: Plan, kind: str, key: str) -> set[int]:
    return set(
        SearchEntry.objects.filter(plan=plan)
        .exclude(kind=kind, key=key)
        .values_list("id", flat=True)
    )


def test_a_measure_edited_in_the_back_office_is_found_at_once_and_alone_rewritten(
    kek_plan: Plan, back_office: Client
) -> None:
    measure = Measure.objects.get(plan=kek_plan, number="1-1")
    others = entry_ids_except(kek_plan, "measure", "1-1")
    assert not found("Zauberwort", "/massnahmen/1-1/")

    url = reverse("admin:plans_measure_change", args=[measure.pk])
    post_change_form(back_office, url, title="Zauberwort Kreisstraßenkonzept")

    assert found("Zauberwort", "/massnahmen/1-1/")
    assert entry_ids_except(kek_plan, "measure", "1-1") == others


def test_a_placement_text_edited_in_the_back_office_is_found(
    kek_plan: Plan, back_office: Client
) -> None:
    placement = Placement.objects.filter(plan=kek_plan, measure__number="3-55").first()
    url = reverse("admin:plans_placement_change", args=[placement.pk])

    post_change_form(back_office, url, text=placement.text + " Lastenradverleih")

    assert found("Lastenradverleih", "/massnahmen/3-55/")


def test_a_placement_moved_to_another_measure_takes_its_text_along(
    kek_plan: Plan, back_office: Client
) -> None:
    placement = Placement.objects.filter(plan=kek_plan, measure__number="1-1").first()
    target = Measure.objects.get(plan=kek_plan, number="1-2")
    url = reverse("admin:plans_placement_change", args=[placement.pk])
    post_change_form(back_office, url, text=placement.text + " Kiesgrubenrenaturierung")
    assert found("Kiesgrubenrenaturierung", "/massnahmen/1-1/")

    post_change_form(back_office, url, measure=target.pk)

    assert not found("Kiesgrubenrenaturierung", "/massnahmen/1-1/")
    assert found("Kiesgrubenrenaturierung", "/massnahmen/1-2/")


def test_an_organisation_and_a_goal_edited_in_the_back_office_are_found(
    kek_plan: Plan, back_office: Client
) -> None:
    afs = Organisation.objects.get(plan=kek_plan, abbreviation="AfS")
    goal = Node.objects.get(plan=kek_plan, key="3.3")

    post_change_form(
        back_office,
        reverse("admin:plans_organisation_change", args=[afs.pk]),
        name="Amt für Straßenbau und Brückenunterhaltung",
    )
    post_change_form(
        back_office,
        reverse("admin:plans_node_change", args=[goal.pk]),
        text=goal.text + " Lärmaktionsplanung",
    )

    assert found("Brückenunterhaltung", "/organisationen/AfS/")
    assert found("Lärmaktionsplanung", "/leitziele/3.3/")


def test_an_organisation_added_and_deleted_in_the_back_office_comes_and_goes(
    kek_plan: Plan, back_office: Client
) -> None:
    response = back_office.post(
        reverse("admin:plans_organisation_add"),
        {
            "plan": kek_plan.pk,
            "abbreviation": "ZKW",
            "name": "Zweckverband Kieswerke",
            "kind": "partner",
            "aliases": "[]",
        },
    )
    assert response.status_code == 302, (
        response.context and response.context["adminform"].form.errors
    )
    assert found("Kieswerke", "/organisationen/ZKW/")

    organisation = Organisation.objects.get(plan=kek_plan, abbreviation="ZKW")
    url = reverse("admin:plans_organisation_delete", args=[organisation.pk])
    assert back_office.post(url, {"post": "yes"}).status_code == 302

    assert not found("Kieswerke", "/organisationen/ZKW/")


def test_a_softly_deleted_measure_leaves_the_search_and_comes_back_restored(
    kek_plan: Plan,
) -> None:
    measure = Measure.objects.get(plan=kek_plan, number="2-84")
    user = get_user_model().objects.create_user("koordinatorin")
    assert found("Brachflächenkataster", "/massnahmen/2-84/")

    soft_delete_measures([measure.pk], user=user)
    assert not found("Brachflächenkataster", "/massnahmen/2-84/")

    restore_measures([measure.pk], user=user)
    assert found("Brachflächenkataster", "/massnahmen/2-84/")


def test_a_changed_document_imported_again_is_found(kek_plan: Plan, kek_parsed: ParsedPlan) -> None:
    changed = dataclasses.replace(
        kek_parsed,
        measures=[
            dataclasses.replace(m, title="Zauberwort Schienenersatzverkehr")
            if m.number == "1-1"
            else m
            for m in kek_parsed.measures
        ],
    )
    assert not found("Schienenersatzverkehr", "/massnahmen/1-1/")

    assert import_parsed_plan(changed, apply=True).applied

    assert found("Schienenersatzverkehr", "/massnahmen/1-1/")


def test_a_publication_leaves_the_index_alone_and_the_search_writes_nothing(
    kek_plan: Plan,
) -> None:
    from monitoring import services
    from monitoring.models import StatusOption

    entries = set(SearchEntry.objects.filter(plan=kek_plan).values_list("id", "folded_body"))
    coordinator = get_user_model().objects.create_superuser("koordination-p", "", "pw-123456!")
    reporting_round = services.open_round(
        coordinator,
        kek_plan,
        "Monitoring 2026",
        datetime.date(2026, 12, 31),
        datetime.date(2027, 1, 31),
    )
    measure = Measure.objects.get(plan=kek_plan, number="2-84")
    lead = Organisation.objects.filter(lead_rows__placement__measure=measure).first()
    report = services.start_report(coordinator, reporting_round, measure, organisation=lead)
    status = StatusOption.objects.filter(plan=kek_plan).order_by("order").first()
    data = {"status": status, "progress": 40, "summary": "Geoportal qualifiziert."}
    report = services.save_report(coordinator, report, data, report.version)
    for step in (services.submit_report, services.approve_report, services.publish_report):
        report.refresh_from_db()
        step(coordinator, report)

    assert found("Geoportal", "/massnahmen/2-84/")
    assert (
        set(SearchEntry.objects.filter(plan=kek_plan).values_list("id", "folded_body")) == entries
    )
