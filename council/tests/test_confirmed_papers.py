"""The coordination confirms proposals in the back office; confirmed papers show on the measure
page and in the progress report."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from council import services
from council.models import CouncilPaper, LinkProposal, PaperLink
from monitoring.tests.factories import build_world
from plans.services import mark_catalogue_changed
from reports.content import build_report
from reports.rendering import render_html

CHANGELIST = "/admin/council/linkproposal/"


@pytest.fixture
def world(db: Any, settings: Any) -> Any:
    built = build_world()
    settings.KEK_PLAN_SLUG = built.plan.slug
    return built


@pytest.fixture
def proposals(world: Any) -> tuple[LinkProposal, LinkProposal]:
    paper = CouncilPaper.objects.create(
        plan=world.plan,
        oparl_id="https://ris.example.org/oparl/v1/paper/101",
        reference="2026/017",
        name="Fortschreibung Standortmarketing",
        date=datetime.date(2026, 2, 20),
        paper_type="Beschlussvorlage",
        decision="einstimmig beschlossen",
        web_url="https://ris.example.org/vorlage/101",
    )
    to_measure = LinkProposal.objects.create(paper=paper, measure=world.other_measure, reason="1-2")
    to_plan = LinkProposal.objects.create(paper=paper, measure=None, reason="KEK")
    return to_measure, to_plan


def decide(client: Any, action: str, *chosen: LinkProposal) -> Any:
    return client.post(
        CHANGELIST, {"action": action, "_selected_action": [p.pk for p in chosen]}, follow=True
    )


def test_the_coordination_confirms_proposals_in_the_back_office(client, world, proposals):
    to_measure, to_plan = proposals
    client.force_login(world.coordination)
    listing = client.get(CHANGELIST)
    assert listing.status_code == 200
    assert "2026/017 Fortschreibung Standortmarketing" in listing.content.decode()
    response = decide(client, "confirm", to_measure, to_plan)
    assert "2 Vorschläge entschieden." in response.content.decode()
    link = PaperLink.objects.get()
    assert (link.measure, link.paper) == (world.other_measure, to_measure.paper)
    assert link.confirmed_by == world.coordination and link.confirmed_at is not None
    to_measure.refresh_from_db()
    assert to_measure.state == "confirmed" and to_measure.decided_by == world.coordination
    assert CouncilPaper.objects.get().concerns_plan is True


def test_a_rejected_proposal_links_nothing(client, world, proposals):
    client.force_login(world.coordination)
    decide(client, "reject", proposals[0])
    assert not PaperLink.objects.exists()
    assert LinkProposal.objects.get(pk=proposals[0].pk).state == "rejected"


@pytest.mark.parametrize("persona", ["editor_of_lead_office", "reader", "no_role"])
def test_no_one_but_the_coordination_decides_proposals(client, world, proposals, persona):
    client.force_login(world.user(persona))
    assert client.get(CHANGELIST).status_code in (302, 403)
    decide(client, "confirm", proposals[0])
    assert not PaperLink.objects.exists()
    with pytest.raises(services.CouncilError, match="Nur die Koordination"):
        services.confirm_proposal(world.user(persona), proposals[0])


def test_a_decided_proposal_is_not_decided_again(world, proposals):
    services.reject_proposal(world.coordination, proposals[0])
    with pytest.raises(services.CouncilError, match="bereits entschieden"):
        services.confirm_proposal(world.coordination, proposals[0])


def test_the_measure_page_shows_a_confirmed_paper_from_the_next_request(client, world, proposals):
    url = f"/massnahmen/{world.other_measure.number}/"
    before = client.get(url).content.decode()  # now in the page cache
    assert "Beschlüsse des Kreistags" not in before
    services.confirm_proposal(world.coordination, proposals[0])
    html = client.get(url).content.decode()
    assert "Beschlüsse des Kreistags" in html
    assert "Drucksache 2026/017" in html and "(Beschlussvorlage, 20. Februar 2026)" in html
    assert "Fortschreibung Standortmarketing" in html
    assert "einstimmig beschlossen" in html
    assert 'href="https://ris.example.org/vorlage/101"' in html
    other = client.get(f"/massnahmen/{world.measure.number}/").content.decode()
    assert "Beschlüsse des Kreistags" not in other


def test_the_progress_report_shows_a_confirmed_paper_in_the_fact_block(world, proposals):
    services.confirm_proposal(world.coordination, proposals[0])
    mark_catalogue_changed(world.plan.pk)  # the factories leave the Leitziel facets unbuilt
    report = build_report(world.plan, world.reporting_round)
    html = render_html(report)
    block = html.split('id="massnahme-1-2"', 1)[1].split("</article>", 1)[0]
    assert "Beschlüsse des Kreistags" in block
    assert "Drucksache 2026/017 (20.02.2026): Fortschreibung Standortmarketing" in block
    assert "Beschluss: einstimmig beschlossen" in block
    assert "2026/017" not in html.split('id="massnahme-1-1"', 1)[1].split("</article>", 1)[0]


def test_a_link_entered_by_hand_on_the_paper_records_who_confirmed_it(client, world):
    paper = CouncilPaper.objects.create(plan=world.plan, reference="2025/230", name="Radwege")
    client.force_login(world.coordination)
    url = f"/admin/council/councilpaper/{paper.pk}/change/"
    data = {
        "plan": world.plan.pk,
        "reference": "2025/230",
        "name": "Radwege",
        "links-TOTAL_FORMS": "1",
        "links-INITIAL_FORMS": "0",
        "links-0-measure": world.measure.pk,
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    link = PaperLink.objects.get()
    assert (link.measure, link.confirmed_by) == (world.measure, world.coordination)


def test_the_api_lists_the_confirmed_papers_of_a_measure(client, world, proposals):
    url = f"/api/v1/measures/{world.other_measure.number}/"
    assert client.get(url).json()["council_papers"] == []
    services.confirm_proposal(world.coordination, proposals[0])
    assert client.get(url).json()["council_papers"] == [
        {
            "reference": "2026/017",
            "name": "Fortschreibung Standortmarketing",
            "date": "2026-02-20",
            "paper_type": "Beschlussvorlage",
            "decision": "einstimmig beschlossen",
            "web_url": "https://ris.example.org/vorlage/101",
            "oparl_id": "https://ris.example.org/oparl/v1/paper/101",
        }
    ]
