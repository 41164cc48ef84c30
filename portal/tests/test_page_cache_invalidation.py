"""The page cache renders anew what a change touched, and nothing else (portal/caching.py).

A page served from the cache renders no template: `response.templates` is empty.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from monitoring.models import StatusReport
from monitoring.tests.factories import World, build_world
from plans.services import mark_catalogue_changed

LISTS = ["/massnahmen/", "/"]


@pytest.fixture
def world(db: Any, settings: Any) -> World:
    world = build_world()
    settings.KEK_PLAN_SLUG = world.plan.slug
    return world


def rendered(client: Any, path: str) -> bool:
    """Whether the page was rendered for this request (not served from the cache)."""
    response = client.get(path)
    assert response.status_code == 200, path
    return bool(response.templates)


def test_a_publication_renders_its_measure_page_and_the_lists_anew_and_no_other_measure_page(
    client: Any, world: World, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.KEK_PAGE_CACHE_CHECK_SECONDS = 600  # as with a shared cache: no database check
    mine = f"/massnahmen/{world.measure.number}/"
    other = f"/massnahmen/{world.other_measure.number}/"
    for path in [mine, other, *LISTS]:
        assert rendered(client, path)
        assert not rendered(client, path)
    before = client.get("/massnahmen/").content
    with CaptureQueriesContext(connection) as queries:
        assert not rendered(client, other)
    assert len(queries) == 0  # the plan and its generations come from the cache

    with django_capture_on_commit_callbacks(execute=True):
        world.report(StatusReport.State.PUBLISHED)

    page = client.get(mine)
    assert page.templates and "Erster Stand" in page.content.decode()
    for path in LISTS:
        assert rendered(client, path), path
    assert client.get("/massnahmen/").content != before  # the list shows the new status
    assert not rendered(client, other)  # the other measure's page stays cached
    assert not rendered(client, mine)


def test_a_catalogue_change_renders_every_page_anew(
    client: Any, world: World, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.KEK_PAGE_CACHE_CHECK_SECONDS = 600
    paths = [f"/massnahmen/{world.measure.number}/", f"/massnahmen/{world.other_measure.number}/"]
    for path in [*paths, *LISTS]:
        rendered(client, path)
    with django_capture_on_commit_callbacks(execute=True):
        mark_catalogue_changed(world.plan.pk)
    for path in [*paths, *LISTS]:
        assert rendered(client, path), path


def test_a_change_the_cache_did_not_hear_of_shows_once_the_revision_is_checked(
    client: Any, world: World, settings: Any
) -> None:
    """Another worker's own cache, or a renewal lost: the plan's revision is the truth."""
    settings.KEK_PAGE_CACHE_CHECK_SECONDS = 600
    other = f"/massnahmen/{world.other_measure.number}/"
    page = f"/massnahmen/{world.measure.number}/"
    for path in (page, other):
        rendered(client, path)
    world.report(StatusReport.State.PUBLISHED)  # the test's transaction: no listener runs
    assert "Erster Stand" not in client.get(page).content.decode()  # not yet checked
    cache.delete("portal:checked:kek-test")  # the check is due
    assert "Erster Stand" in client.get(page).content.decode()
    assert rendered(client, other)  # what changed is unknown: everything renders anew


def test_with_a_cache_of_its_own_a_worker_checks_the_revision_on_every_hit(
    client: Any, world: World
) -> None:
    page = f"/massnahmen/{world.measure.number}/"
    rendered(client, page)
    world.report(StatusReport.State.PUBLISHED)  # as if by another worker: no listener here
    assert "Erster Stand" in client.get(page).content.decode()


def test_an_evicted_plan_entry_renders_every_page_anew(
    client: Any, world: World, settings: Any
) -> None:
    settings.KEK_PAGE_CACHE_CHECK_SECONDS = 600
    page = f"/massnahmen/{world.other_measure.number}/"
    rendered(client, page)
    assert not rendered(client, page)
    cache.delete("portal:plan:kek-test")  # nothing says what the cached pages show
    assert rendered(client, page)
    assert not rendered(client, page)


def test_while_one_request_renders_a_list_anew_every_stale_list_is_served_as_it_was(
    client: Any,
    world: World,
    settings: Any,
    django_capture_on_commit_callbacks: Any,
    monkeypatch: Any,
) -> None:
    """One stale page at a time is rendered anew, on every worker and server: a publication
    makes all lists stale at once, and rendered side by side they took every worker."""
    settings.KEK_PAGE_CACHE_CHECK_SECONDS = 600
    mine = f"/massnahmen/{world.measure.number}/"
    before = {path: client.get(path).content for path in [*LISTS, mine]}
    with django_capture_on_commit_callbacks(execute=True):
        world.report(StatusReport.State.PUBLISHED)
    add = cache.add

    def another_request_renders(key: str, *args: Any, **kwargs: Any) -> bool:
        return False if key == "portal:rendering:kek-test" else add(key, *args, **kwargs)

    with monkeypatch.context() as meanwhile:
        meanwhile.setattr(cache, "add", another_request_renders)
        for path in LISTS:  # whichever page that request renders: these wait their turn
            assert not rendered(client, path), path
            assert client.get(path).content == before[path]
        assert rendered(client, mine)  # a measure page never: it is cheap and shows the report
    for path in LISTS:  # then each request renders its list anew, and lets the next one go
        assert rendered(client, path), path
        assert client.get(path).content != before[path]
        assert cache.get("portal:rendering:kek-test") is None


def test_a_list_whose_rendering_fails_lets_the_next_page_be_rendered(
    client: Any,
    world: World,
    settings: Any,
    django_capture_on_commit_callbacks: Any,
    monkeypatch: Any,
) -> None:
    settings.KEK_PAGE_CACHE_CHECK_SECONDS = 600
    for path in LISTS:
        client.get(path)
    with django_capture_on_commit_callbacks(execute=True):
        world.report(StatusReport.State.PUBLISHED)
    with monkeypatch.context() as failing:
        failing.setattr("portal.views.catalogue.MeasureFilterForm", _fails)
        client.raise_request_exception = False
        assert client.get("/massnahmen/").status_code == 500
    assert cache.get("portal:rendering:kek-test") is None
    assert rendered(client, "/")


def _fails(*args: Any, **kwargs: Any) -> Any:
    raise RuntimeError("rendering failed")


def test_after_a_publication_a_list_is_rendered_anew_at_most_once_per_refresh_interval(
    client: Any,
    world: World,
    settings: Any,
    django_capture_on_commit_callbacks: Any,
    monkeypatch: Any,
) -> None:
    settings.KEK_PAGE_CACHE_CHECK_SECONDS = 600
    settings.KEK_STATUS_LISTS_REFRESH_SECONDS = 10
    mine = f"/massnahmen/{world.measure.number}/"
    clock = [1_000_000.0]
    monkeypatch.setattr("portal.caching._now", lambda: clock[0])
    before = client.get("/massnahmen/").content
    with django_capture_on_commit_callbacks(execute=True):
        world.report(StatusReport.State.PUBLISHED)

    clock[0] += 9
    assert not rendered(client, "/massnahmen/")  # rendered 9 s ago: shown as it was
    get = cache.get
    looked_up: list[str] = []

    def noting(key: str, *args: Any, **kwargs: Any) -> Any:
        looked_up.append(key)
        return get(key, *args, **kwargs)

    with monkeypatch.context() as noted:
        noted.setattr(cache, "get", noting)
        assert client.get("/massnahmen/").content == before
    # The next request finds the last rendering under the page's own key: no second lookup.
    assert looked_up and not [key for key in looked_up if key.startswith("portal:last:")]
    assert "Erster Stand" in client.get(mine).content.decode()  # the measure's page at once
    clock[0] += 2
    assert rendered(client, "/massnahmen/")  # 11 s: rendered anew with the new status
    assert client.get("/massnahmen/").content != before
    assert not rendered(client, "/massnahmen/")
