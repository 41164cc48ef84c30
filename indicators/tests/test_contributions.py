"""The Gemeinden's contributions to measures led by “Kommunen”: who enters what, the frozen
round, the one aggregate on the measure page, the Gemeinde page and the staff pages."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from accounts.models import Membership
from indicators.contribution_reads import (
    contribution_tally,
    contributions_of_municipality,
    measures_led_by_kommunen,
)
from indicators.models import MunicipalContribution
from indicators.services import ContributionError, save_contribution
from indicators.tests.register_data import BORNA, GRIMMA
from monitoring.models import ClosedRoundError
from monitoring.services.rounds import close_round, open_round
from monitoring.tests.factories import MembershipFactory, UserFactory, lead
from plans.models import Organisation, Plan
from plans.tests.factories import MeasureFactory, OrganisationFactory, PlacementFactory

pytestmark = pytest.mark.django_db

Kind = Organisation.Kind


@pytest.fixture
def world(people: dict[str, Any], registers: Plan) -> dict[str, Any]:
    """Measure 2-7 led by “Kommunen”, 2-8 by Borna alone; an open round 2026; Borna's editor."""
    plan = registers
    kommunen = OrganisationFactory(plan=plan, abbreviation="Kommunen", kind=Kind.MUNICIPALITY)
    borna = OrganisationFactory(plan=plan, abbreviation="Borna", kind=Kind.MUNICIPALITY, ags=BORNA)
    led = MeasureFactory(plan=plan, number="2-7", title="Ortskerne beleben")
    lead(PlacementFactory(measure=led), kommunen)
    own = MeasureFactory(plan=plan, number="2-8", title="Stadtpark Borna")
    lead(PlacementFactory(measure=own), borna)
    borna_editor = UserFactory(username="borna_editor")
    MembershipFactory(
        user=borna_editor, plan=plan, role=Membership.Role.MUNICIPALITY_EDITOR, organisation=borna
    )
    reporting_round = open_round(
        people["coordination"],
        plan,
        "Monitoring 2026",
        datetime.date(2026, 6, 30),
        datetime.date(2026, 8, 31),
    )
    return {
        "plan": plan,
        "measure": led,
        "other": own,
        "round": reporting_round,
        "people": {**people, "borna_editor": borna_editor},
    }


def enter(world: dict[str, Any], who: str, ags: str, status: str, text: str = "") -> Any:
    return save_contribution(
        world["people"][who], world["round"], world["measure"], ags, status_key=status, text=text
    )


def test_measures_led_by_kommunen_are_those_with_the_organisation_without_ags_as_lead(world):
    assert [m.number for m in measures_led_by_kommunen(world["plan"])] == ["2-7"]


def test_a_gemeinde_editor_enters_its_own_contribution_with_history(world):
    first = enter(world, "grimma_editor", GRIMMA, "in_progress", "Sanierungsgebiet beantragt")
    second = enter(world, "grimma_editor", GRIMMA, "implemented", "Fertig")

    assert first.pk == second.pk and second.version == 2
    assert second.changed_by == world["people"]["grimma_editor"]
    statuses = [h.status.key for h in second.history.order_by("history_date")]
    assert statuses == ["in_progress", "implemented"]


@pytest.mark.parametrize(
    "who", ["coordination", "va_editor", "other_office", "reader", "borna_editor"]
)
def test_nobody_else_enters_grimmas_contribution(world, who):
    with pytest.raises(ContributionError):
        enter(world, who, GRIMMA, "implemented")
    assert not MunicipalContribution.objects.exists()


def test_no_contribution_to_a_measure_not_led_by_kommunen(world):
    with pytest.raises(ContributionError, match="nicht"):
        save_contribution(
            world["people"]["borna_editor"],
            world["round"],
            world["other"],
            BORNA,
            status_key="implemented",
            text="",
        )


def test_a_closed_round_freezes_the_contributions(world):
    contribution = enter(world, "grimma_editor", GRIMMA, "in_progress")
    close_round(world["people"]["coordination"], world["round"])

    with pytest.raises(ContributionError, match="abgeschlossen"):
        enter(world, "grimma_editor", GRIMMA, "implemented")
    contribution.refresh_from_db()
    with pytest.raises(ClosedRoundError):
        contribution.save()
    with pytest.raises(ClosedRoundError):
        contribution.delete()
    assert MunicipalContribution.objects.get().status.key == "in_progress"


def test_the_tally_counts_each_gemeindes_newest_contribution(world):
    enter(world, "grimma_editor", GRIMMA, "in_progress")
    enter(world, "borna_editor", BORNA, "implemented")
    close_round(world["people"]["coordination"], world["round"])
    newer = open_round(
        world["people"]["coordination"],
        world["plan"],
        "Monitoring 2027",
        datetime.date(2027, 6, 30),
        datetime.date(2027, 8, 31),
    )
    save_contribution(
        world["people"]["grimma_editor"],
        newer,
        world["measure"],
        GRIMMA,
        status_key="implemented",
        text="",
    )

    tally = contribution_tally(world["measure"])

    assert tally is not None
    assert (tally.total, tally.count("implemented"), tally.count("in_progress")) == (30, 2, 0)
    assert tally.sentence == "In 2 von 30 Gemeinden umgesetzt; 28 ohne Angabe."
    assert contribution_tally(world["other"]) is None
    borna = contributions_of_municipality(world["plan"], BORNA)
    assert [(c.measure.number, c.reporting_round.name) for c in borna] == [
        ("2-7", "Monitoring 2026")
    ]


def test_the_measure_page_the_gemeinde_page_and_the_api_show_the_same_tally(client, world):
    enter(world, "grimma_editor", GRIMMA, "in_progress", "Förderantrag gestellt")
    enter(world, "borna_editor", BORNA, "implemented")

    measure_page = client.get("/massnahmen/2-7/").content.decode()
    grimma_page = client.get(f"/gemeinden/{GRIMMA}/").content.decode()
    other_page = client.get("/massnahmen/2-8/").content.decode()

    sentence = "In 1 von 30 Gemeinden umgesetzt, in 1 in Umsetzung; 28 ohne Angabe."
    assert sentence == contribution_tally(world["measure"]).sentence
    assert sentence in measure_page and "Förderantrag gestellt" in measure_page
    assert 'id="beitraege"' in grimma_page and "Förderantrag gestellt" in grimma_page
    assert "In den Gemeinden" not in other_page
    api = client.get("/api/v1/measures/2-7/").json()["municipalities"]
    assert api["sentence"] == sentence and api["without_statement"] == 28
    assert {c["key"]: c["count"] for c in api["counts"] if c["count"]} == {
        "implemented": 1,
        "in_progress": 1,
    }
    assert client.get("/api/v1/measures/2-8/").json()["municipalities"] is None


# --- staff pages: every view × persona -------------------------------------------------------

PERSONAS = [
    "anonymous",
    "reader",
    "other_office",
    "va_editor",
    "coordination",
    "grimma_editor",
    "borna_editor",
]
ENTER = {"grimma_editor", "borna_editor"}


def _cases() -> dict[str, tuple[str, str, dict[str, Any] | None, set[str]]]:
    form = "/intern/beitraege/monitoring-2026/2-7/"
    return {
        "list": ("GET", "/intern/beitraege/", None, set(PERSONAS) - {"anonymous"}),
        "form": ("GET", form, None, ENTER),
        "save": ("POST", form, {"status": "in_progress", "text": "Begonnen"}, ENTER),
        "not_kommunen": ("GET", "/intern/beitraege/monitoring-2026/2-8/", None, set()),
    }


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("case", ["list", "form", "save", "not_kommunen"])
def test_contribution_staff_views_by_persona(client, world, case, persona):
    method, url, payload, allowed = _cases()[case]
    if persona != "anonymous":
        client.force_login(world["people"][persona])

    response = client.get(url) if method == "GET" else client.post(url, payload)

    if persona == "anonymous":
        assert response.status_code == 302 and "/anmelden/" in response["Location"]
    elif persona in allowed:
        assert response.status_code == (200 if method == "GET" else 302)
    else:
        assert response.status_code == 403
    saved = list(MunicipalContribution.objects.values_list("municipality__ags", "text"))
    if method == "POST" and persona in allowed:
        own = GRIMMA if persona == "grimma_editor" else BORNA
        assert saved == [(own, "Begonnen")]
    else:
        assert saved == []


def test_the_form_of_a_closed_round_shows_the_statement_and_refuses_a_post(client, world):
    enter(world, "grimma_editor", GRIMMA, "in_progress", "Begonnen")
    close_round(world["people"]["coordination"], world["round"])
    client.force_login(world["people"]["grimma_editor"])
    url = "/intern/beitraege/monitoring-2026/2-7/"

    page = client.get(url).content.decode()
    posted = client.post(url, {"status": "implemented", "text": "Fertig"})

    assert "abgeschlossen" in page and '<form method="post" novalidate>' not in page
    assert posted.status_code == 409
    assert MunicipalContribution.objects.get().text == "Begonnen"


def test_a_stale_version_is_refused_in_the_form(client, world):
    enter(world, "grimma_editor", GRIMMA, "in_progress", "Begonnen")
    enter(world, "grimma_editor", GRIMMA, "delayed", "Verzögert")
    client.force_login(world["people"]["grimma_editor"])

    posted = client.post(
        "/intern/beitraege/monitoring-2026/2-7/",
        {"status": "implemented", "text": "Fertig", "version": "1"},
    )

    assert posted.status_code == 409
    assert "in der Zwischenzeit" in posted.content.decode()
    assert MunicipalContribution.objects.get().text == "Verzögert"


def test_the_staff_list_shows_the_own_status_and_the_tally(client, world):
    enter(world, "grimma_editor", GRIMMA, "implemented")
    client.force_login(world["people"]["grimma_editor"])

    html = client.get("/intern/beitraege/").content.decode()

    assert "Ortskerne beleben" in html and "Stadtpark Borna" not in html
    assert "In 1 von 30 Gemeinden umgesetzt; 29 ohne Angabe." in html
    assert 'href="/intern/beitraege/monitoring-2026/2-7/"' in html


def test_the_staff_list_reads_a_fixed_number_of_queries_and_each_tally_as_the_measure_page(
    client, world, django_assert_max_num_queries
):
    kommunen = Organisation.objects.get(plan=world["plan"], abbreviation="Kommunen")
    more = [MeasureFactory(plan=world["plan"], number=f"2-{n}") for n in range(20, 30)]
    for measure in more:
        lead(PlacementFactory(measure=measure), kommunen)
    enter(world, "grimma_editor", GRIMMA, "implemented")
    client.force_login(world["people"]["grimma_editor"])
    client.get("/intern/beitraege/")  # the session and the round once

    with django_assert_max_num_queries(20):  # eleven measures; before, four queries each
        html = client.get("/intern/beitraege/").content.decode()

    for measure in [world["measure"], *more]:
        tally = contribution_tally(measure)
        assert tally is not None
        assert html.count(tally.sentence) >= 1
    assert "In 1 von 30 Gemeinden umgesetzt; 29 ohne Angabe." in html
