"""The public pages of the current plan for sitemap.xml, and the paths robots.txt keeps out.

Each kind of page is listed with one query, so the sitemap grows with the plan but its number
of queries does not. Pages that only exist with a query string (search, filters) are left out.
"""

from __future__ import annotations

import datetime

from django.urls import reverse

from indicators.models import Indicator, Municipality, Register
from monitoring.models import ReportingRound
from monitoring.reads import published_span
from plans.models import KeyProject, Measure, Node, Organisation, Plan
from portal.slugs import key_project_slug

# Staff area, admin, sign-in and the API: nothing for search engines. Search result pages are
# endless combinations of queries; every hit has its own page in the sitemap.
DISALLOWED_PREFIXES = ("/intern/", "/admin/", "/anmelden/", "/abmelden/", "/api/", "/suche/")


def public_paths(plan: Plan) -> list[str]:
    """Every public page of the plan (paths), the overview pages first."""
    paths = [
        reverse(name)
        for name in [
            "portal:start",
            "portal:measure_list",
            "portal:progress",
            "portal:organisation_list",
            "portal:key_project_list",
            "portal:interlinks",
            "portal:open_data",
            "reports:list",
            "indicators:indicator_list",
            "indicators:municipality_list",
            "indicators:register_list",
            "portal:accessibility",
            "portal:easy_language",
        ]
    ]
    nodes = Node.objects.filter(plan=plan, level__lte=3).in_document_order()
    for level, key, code in nodes.values_list("level", "key", "code"):
        if level == 1:
            paths.append(reverse("portal:field", args=[int(key)]))
        else:
            paths.append(reverse("portal:goal" if level == 2 else "portal:subgoal", args=[code]))
    numbers = Measure.objects.filter(plan=plan).in_number_order().values_list("number", flat=True)
    paths += [reverse("portal:measure", args=[number]) for number in numbers]
    abbreviations = Organisation.objects.filter(plan=plan).order_by("abbreviation")
    paths += [
        reverse("portal:organisation", args=[abbreviation])
        for abbreviation in abbreviations.values_list("abbreviation", flat=True)
    ]
    codes = KeyProject.objects.filter(plan=plan).order_by("field_number", "code")
    paths += [
        reverse("portal:key_project", args=[key_project_slug(code)])
        for code in codes.values_list("code", flat=True)
    ]
    rounds = ReportingRound.objects.filter(plan=plan).closed().newest_first()
    paths += [reverse("reports:report", args=[r.slug]) for r in rounds]
    indicators = Indicator.objects.filter(plan=plan).order_by("slug").values_list("slug", flat=True)
    paths += [reverse("indicators:indicator", args=[slug]) for slug in indicators]
    municipalities = Municipality.objects.by_name().values_list("ags", flat=True)
    paths += [reverse("indicators:municipality", args=[ags]) for ags in municipalities]
    registers = Register.objects.filter(plan=plan).order_by("slug").values_list("slug", flat=True)
    paths += [reverse("indicators:register", args=[slug]) for slug in registers]
    return paths


def last_change(plan: Plan) -> datetime.datetime:
    """When the plan's public content last changed: its import or the newest publication."""
    _first, last = published_span(plan)
    return max(plan.imported_at, last or plan.imported_at)
