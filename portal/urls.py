"""URLs of the public portal (namespace "portal"); the paths are part of the public contract."""

from django.urls import path

from portal.views import basic, catalogue, directory, open_data, progress, search, seo

app_name = "portal"

urlpatterns = [
    path("", catalogue.start, name="start"),
    path("barrierefreiheit/", basic.accessibility, name="accessibility"),
    # The plan's hierarchy and its measures.
    path("handlungsfelder/<int:number>/", catalogue.field, name="field"),
    path("leitziele/<str:code>/", catalogue.goal, name="goal"),
    path("teilziele/<str:code>/", catalogue.subgoal, name="subgoal"),
    path("massnahmen/", catalogue.measure_list, name="measure_list"),
    path("massnahmen/<str:number>/", catalogue.measure, name="measure"),
    path("suche/", search.search_page, name="search"),
    # The monitoring: statuses per field in each reporting round.
    path("umsetzungsstand/", progress.progress, name="progress"),
    # Who does what, key projects and how the fields interlink.
    path("organisationen/", directory.organisation_list, name="organisation_list"),
    path("organisationen/<path:abbreviation>/", directory.organisation, name="organisation"),
    path("schluesselvorhaben/", directory.key_project_list, name="key_project_list"),
    path("schluesselvorhaben/<slug:slug>/", directory.key_project, name="key_project"),
    path("verflechtungen/", directory.interlinks, name="interlinks"),
    # Open data.
    path("daten/", open_data.overview, name="open_data"),
    path("daten/dcat", open_data.dcat, name="dcat"),
    path("daten/dcat.ttl", open_data.dcat_turtle, name="dcat_turtle"),
    path("daten/<str:filename>", open_data.download, name="download"),
    # For search engines: what they may read, and every public page of the plan.
    path("robots.txt", seo.robots_txt, name="robots"),
    path("sitemap.xml", seo.sitemap, name="sitemap"),
    # What the KEK and this site are, in Leichte Sprache (linked from every page's footer).
    path("leichte-sprache/", basic.easy_language, name="easy_language"),
]
