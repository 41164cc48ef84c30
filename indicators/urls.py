"""URLs of the indicators' public pages (namespace "indicators"); the paths are public.

The project's URL configuration includes `public_urlpatterns(public_page)` with the portal's
page cache, which passes the current plan to each view: this app does not import the portal,
so the portal may import this app (the Leitziel page reads `reads.goal_attainment`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.urls import URLPattern, path
from django.views.decorators.http import require_safe

from indicators import contribution_staff, register_staff, register_views, value_staff, views

app_name = "indicators"

PageCache = Callable[[Callable[..., Any]], Callable[..., Any]]


def public_urlpatterns(page_cache: PageCache) -> list[URLPattern]:
    """The public pages, each wrapped in `page_cache` (which calls `view(request, plan, …)`)."""

    def page(view: Callable[..., Any]) -> Callable[..., Any]:
        return require_safe(page_cache(view))

    return [
        path("indikatoren/", page(views.indicator_list), name="indicator_list"),
        path("indikatoren/<slug:slug>/", page(views.indicator), name="indicator"),
        path("indikatoren/<slug:slug>/werte.csv", page(views.indicator_csv), name="indicator_csv"),
        path("gemeinden/", page(views.municipality_list), name="municipality_list"),
        path("gemeinden/<str:ags>/", page(views.municipality), name="municipality"),
        path("kataster/", page(register_views.register_list), name="register_list"),
        path("kataster/<slug:slug>/", page(register_views.register), name="register"),
    ]


def staff_urlpatterns() -> list[URLPattern]:
    """The staff pages of the registers (never cached), in the same namespace."""
    return [
        path("intern/werte/", value_staff.value_upload, name="staff_values"),
        path("intern/kataster/", register_staff.register_list, name="staff_registers"),
        path(
            "intern/kataster/<slug:slug>/",
            register_staff.register_entries,
            name="staff_register",
        ),
        path(
            "intern/kataster/<slug:slug>/neu/",
            register_staff.entry_form,
            name="staff_entry_new",
        ),
        path(
            "intern/kataster/<slug:slug>/import/",
            register_staff.register_import,
            name="staff_register_import",
        ),
        path(
            "intern/kataster/<slug:slug>/<int:pk>/",
            register_staff.entry_form,
            name="staff_entry",
        ),
        path(
            "intern/kataster/<slug:slug>/<int:pk>/loeschen/",
            register_staff.entry_delete,
            name="staff_entry_delete",
        ),
        path(
            "intern/beitraege/",
            contribution_staff.contribution_list,
            name="staff_contributions",
        ),
        path(
            "intern/beitraege/<slug:round_slug>/<str:number>/",
            contribution_staff.contribution_form,
            name="staff_contribution",
        ),
    ]
