"""The back office (/admin/): every persona × every admin action; only the coordination succeeds.

A success is the admin's redirect after saving plus the change in the database; a refusal is
the login redirect (anonymous), 403 or 404 and changes nothing. The plan's coordination
manages its catalogue, statuses, roles and people; never another plan's, never superusers,
never staff or superuser rights.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth import get_user_model

from accounts.models import Membership
from monitoring.models import StatusOption
from monitoring.tests.factories import PERSONAS, MembershipFactory, UserFactory, World
from plans.measure_deletion import soft_delete_measures
from plans.models import Measure, Organisation, Plan
from plans.tests.factories import OrganisationFactory, PlanFactory

User = get_user_model()
Role = Membership.Role


@dataclass
class Case:
    """A POST to the admin and how to tell that it took effect."""

    url: str
    data: dict[str, Any]
    took_effect: Callable[[], bool]


def _change_organisation(world: World) -> Case:
    organisation = world.afs
    data = {
        "plan": world.plan.pk,
        "abbreviation": "AfS",
        "name": "Amt für Schule (umbenannt)",
        "kind": Organisation.Kind.OFFICE,
        "in_glossary": "on",
        "line": "",
        "aliases": "[]",
    }
    return Case(
        f"/admin/plans/organisation/{organisation.pk}/change/",
        data,
        lambda: Organisation.objects.get(pk=organisation.pk).name.endswith("(umbenannt)"),
    )


def _add_status(world: World) -> Case:
    data = {
        "plan": world.plan.pk,
        "key": "paused",
        "label": "pausiert",
        "order": "20",
    }
    return Case(
        "/admin/monitoring/statusoption/add/",
        data,
        StatusOption.objects.filter(plan=world.plan, key="paused").exists,
    )


def _add_membership(world: World) -> Case:
    newcomer = UserFactory.create(username="neu-im-amt")
    data = {
        "user": newcomer.pk,
        "plan": world.plan.pk,
        "role": Role.EDITOR,
        "organisation": world.uwa.pk,
    }
    return Case(
        "/admin/accounts/membership/add/",
        data,
        Membership.objects.filter(user=newcomer, organisation=world.uwa).exists,
    )


def _inline_management(prefix: str = "memberships", initial: int = 0) -> dict[str, Any]:
    return {
        f"{prefix}-TOTAL_FORMS": str(initial),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def _add_user(world: World) -> Case:
    data = {
        "username": "sachbearbeiterin",
        "usable_password": "true",
        "password1": "ein-langes-Passwort-2026",
        "password2": "ein-langes-Passwort-2026",
        **_inline_management(),
    }
    return Case(
        "/admin/auth/user/add/",
        data,
        User.objects.filter(username="sachbearbeiterin").exists,
    )


def _deactivate_user(world: World) -> Case:
    account = world.user("reader")
    data = {
        "username": account.username,
        "first_name": "",
        "last_name": "",
        "email": "",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "00:00:00",
        "initial-date_joined_0": "2026-01-01",
        "initial-date_joined_1": "00:00:00",
        **_inline_management(initial=1),
        "memberships-0-id": account.memberships.get().pk,
        "memberships-0-user": account.pk,
        "memberships-0-plan": world.plan.pk,
        "memberships-0-role": Role.READER,
        "memberships-0-organisation": "",
    }
    return Case(
        f"/admin/auth/user/{account.pk}/change/",
        data,
        lambda: not User.objects.get(pk=account.pk).is_active,
    )


def _soft_delete_measure(world: World) -> Case:
    data = {
        "action": "soft_delete",
        "_selected_action": [world.measure.pk],
        "confirmed": "yes",
        "note": "doppelt",
    }
    return Case(
        "/admin/plans/measure/",
        data,
        lambda: Measure.all_objects.get(pk=world.measure.pk).is_deleted,
    )


def _restore_measure(world: World) -> Case:
    soft_delete_measures([world.measure.pk], user=world.coordination)
    return Case(
        "/admin/plans/measure/",
        {"action": "restore", "_selected_action": [world.measure.pk]},
        lambda: not Measure.all_objects.get(pk=world.measure.pk).is_deleted,
    )


# admin action → (case, personas allowed)
ACTIONS: dict[str, Callable[[World], Case]] = {
    "change_organisation": _change_organisation,
    "add_status": _add_status,
    "add_membership": _add_membership,
    "add_user": _add_user,
    "deactivate_user": _deactivate_user,
    "soft_delete_measure": _soft_delete_measure,
    "restore_measure": _restore_measure,
}
MATRIX = [(action, persona) for action in ACTIONS for persona in PERSONAS]


def test_matrix_covers_every_admin_action_and_persona() -> None:
    assert (len(ACTIONS), len(PERSONAS), len(MATRIX)) == (7, 8, 56)


@pytest.mark.parametrize(("action", "persona"), MATRIX)
def test_only_the_coordination_changes_anything_in_the_back_office(
    staff_client: Any, world: World, action: str, persona: str
) -> None:
    case = ACTIONS[action](world)
    response = staff_client(persona).post(case.url, case.data)
    if persona == "coordination":
        assert response.status_code == 302, response.content.decode()[:3000]
        assert response["Location"].startswith("/admin/")
        assert case.took_effect()
    else:
        _assert_refused(staff_client(persona), response, signed_in=persona != "anonymous")
        assert not case.took_effect()


def _assert_refused(client: Any, response: Any, *, signed_in: bool) -> None:
    """Sent to the login (which tells a signed-in user they lack the right), or 403/404."""
    if response.status_code == 302:
        assert response["Location"].startswith("/admin/login/")
        followed = client.get(response["Location"])
        assert followed.status_code == (403 if signed_in else 302)
    else:
        assert signed_in and response.status_code in (403, 404)


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_the_coordination_enters_the_back_office(
    staff_client: Any, world: World, persona: str
) -> None:
    client = staff_client(persona)
    response = client.get("/admin/")
    if persona == "coordination":
        assert response.status_code == 200
        assert "Organisationen" in response.content.decode()
    else:
        _assert_refused(client, response, signed_in=persona != "anonymous")


def test_a_signed_in_user_without_the_right_gets_a_403_not_a_login_loop(
    staff_client: Any, world: World
) -> None:
    response = staff_client("reader").get("/admin/login/?next=/admin/")
    assert response.status_code == 403


@pytest.fixture
def other_plan_coordination(world: World) -> Any:
    """The coordination of another plan, with an organisation there."""
    other = PlanFactory(slug="anderer-plan")
    OrganisationFactory(plan=other, abbreviation="XYZ")
    user = UserFactory(username="koordination-anderswo")
    MembershipFactory(user=user, plan=other, role=Role.COORDINATION, organisation=None)
    return user


def test_the_coordination_of_another_plan_neither_sees_nor_changes_this_plan(
    client: Any, world: World, other_plan_coordination: Any
) -> None:
    client.force_login(other_plan_coordination)
    listing = client.get("/admin/plans/organisation/").content.decode()
    assert "XYZ" in listing and "AfS" not in listing
    case = _change_organisation(world)
    response = client.post(case.url, case.data)
    assert response.status_code in (302, 403, 404)
    assert not case.took_effect()
    assert client.get(f"/admin/auth/user/{world.user('reader').pk}/change/").status_code in (
        302,
        403,
        404,
    )


def test_the_coordination_cannot_grant_staff_or_superuser_rights(
    staff_client: Any, world: World
) -> None:
    case = _deactivate_user(world)
    data = {**case.data, "is_superuser": "on", "is_staff": "on", "is_active": "on"}
    response = staff_client("coordination").post(case.url, data)
    assert response.status_code == 302
    account = User.objects.get(pk=world.user("reader").pk)
    assert account.is_active and not account.is_superuser and not account.is_staff


def test_the_coordination_cannot_touch_a_superuser(
    staff_client: Any, world: World, admin_user: Any
) -> None:
    client = staff_client("coordination")
    assert client.get(f"/admin/auth/user/{admin_user.pk}/change/").status_code in (302, 403, 404)
    response = client.post(
        f"/admin/auth/user/{admin_user.pk}/password/",
        {"password1": "uebernommen-2026!", "password2": "uebernommen-2026!"},
    )
    assert response.status_code in (302, 403, 404)
    admin_user.refresh_from_db()
    assert admin_user.check_password("password")
    listing = client.get("/admin/auth/user/").content.decode()
    assert f"/admin/auth/user/{world.user('reader').pk}/change/" in listing
    assert f"/admin/auth/user/{admin_user.pk}/change/" not in listing


def test_nobody_deletes_a_measure_in_the_back_office(staff_client: Any, world: World) -> None:
    response = staff_client("coordination").post(
        f"/admin/plans/measure/{world.measure.pk}/delete/", {"post": "yes"}
    )
    assert response.status_code == 403
    assert world.measure.__class__.objects.filter(pk=world.measure.pk).exists()


def test_the_coordination_restores_an_earlier_version_of_a_catalogue_entry(
    staff_client: Any, world: World
) -> None:
    client = staff_client("coordination")
    organisation = world.afs
    original = organisation.history.earliest("history_date")
    case = _change_organisation(world)
    client.post(case.url, case.data)
    assert case.took_effect()
    revision = Plan.objects.get(pk=world.plan.pk).revision

    history_url = f"/admin/plans/organisation/{organisation.pk}/history/"
    listing = client.get(history_url)
    assert listing.status_code == 200
    assert "coordination" in listing.content.decode()  # who changed it
    response = client.post(
        f"{history_url}{original.history_id}/", {**case.data, "name": original.name}
    )

    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.name == original.name
    restored = organisation.history.latest("history_date")
    assert restored.history_user == world.coordination
    assert Plan.objects.get(pk=world.plan.pk).revision > revision


def test_others_cannot_open_the_history_of_a_catalogue_entry(
    staff_client: Any, world: World
) -> None:
    url = f"/admin/plans/organisation/{world.afs.pk}/history/"
    for persona in ("editor_of_lead_office", "participant", "reader"):
        response = staff_client(persona).get(url)
        _assert_refused(staff_client(persona), response, signed_in=True)


def _measure_form(world: World, title: str) -> dict[str, Any]:
    measure = world.measure
    return {
        "plan": world.plan.pk,
        "number": measure.number,
        "home_field": measure.home_field,
        "title": title,
        "placements-TOTAL_FORMS": "1",
        "placements-INITIAL_FORMS": "1",
        "placements-MIN_NUM_FORMS": "0",
        "placements-MAX_NUM_FORMS": "1000",
        "placements-0-id": world.placement.pk,
        "placements-0-measure": measure.pk,
    }


def test_the_first_edit_of_an_imported_measure_keeps_its_imported_state_restorable(
    staff_client: Any, world: World
) -> None:
    Measure = world.measure.__class__
    Measure.history.filter(id=world.measure.pk).delete()  # imported in bulk: no history
    client = staff_client("coordination")
    url = f"/admin/plans/measure/{world.measure.pk}/change/"
    response = client.post(url, _measure_form(world, "Neuer Titel"))
    assert response.status_code == 302, response.content.decode()[:3000]

    records = list(Measure.history.filter(id=world.measure.pk).order_by("history_date"))
    assert [r.title for r in records] == ["Radwegenetz ausbauen", "Neuer Titel"]
    assert records[0].history_change_reason == "Stand aus dem Import des Dokuments"
    timeline = client.get("/intern/massnahmen/1-1/verlauf/").content.decode()
    assert "Radwegenetz ausbauen</td>" in timeline and "Neuer Titel</td>" in timeline

    response = client.post(
        f"/admin/plans/measure/{world.measure.pk}/history/{records[0].history_id}/",
        _measure_form(world, "Radwegenetz ausbauen"),
    )
    assert response.status_code == 302
    assert Measure.objects.get(pk=world.measure.pk).title == "Radwegenetz ausbauen"


def test_plans_are_not_added_in_the_back_office(staff_client: Any, world: World) -> None:
    client = staff_client("coordination")
    assert client.get("/admin/plans/plan/add/").status_code == 403
    form = client.get(f"/admin/plans/organisation/{world.afs.pk}/change/").content.decode()
    assert "add_id_plan" not in form and "change_id_plan" not in form


def test_the_back_office_speaks_german_where_djangos_catalogue_does_not(
    staff_client: Any, world: World
) -> None:
    client = staff_client("coordination")
    account = client.get(f"/admin/auth/user/{world.user('reader').pk}/change/").content.decode()
    assert "Reset password" not in account and "Raw passwords" not in account
    events = client.get("/admin/monitoring/event/").content.decode()
    assert "Was geschah" in events


def test_a_wrong_password_says_so_in_german(client: Any, world: World) -> None:
    response = client.post("/anmelden/", {"username": "reader", "password": "falsch"})
    assert "Benutzername oder Passwort sind falsch" in response.content.decode()


def test_the_plan_form_says_the_level_names_are_a_json_list(
    staff_client: Any, world: World
) -> None:
    page = staff_client("coordination").get(f"/admin/plans/plan/{world.plan.pk}/change/")
    assert page.status_code == 200
    assert "als JSON-Liste" in page.content.decode()
