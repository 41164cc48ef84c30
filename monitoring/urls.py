"""URLs of the German staff area (namespace "staff"), all under /intern/."""

from django.urls import path

from monitoring.views import history, home, measures, reports, rounds, workbook

app_name = "staff"

urlpatterns = [
    path("intern/", home.home, name="home"),
    # An office's to-do list and its reports.
    path("intern/massnahmen/", home.my_measures, name="my_measures"),
    path("intern/massnahme/", home.open_measure, name="open_measure"),
    path("intern/berichte/anlegen/", home.start_report, name="start_report"),
    path("intern/berichte/unveraendert/", home.carry_forward, name="carry_forward"),
    # The Arbeitsmappe (Excel round trip).
    path("intern/arbeitsmappe/herunterladen/", workbook.download, name="workbook_download"),
    path("intern/arbeitsmappe/hochladen/", workbook.upload, name="workbook_upload"),
    path("intern/arbeitsmappe/uebernehmen/", workbook.apply, name="workbook_apply"),
    # One measure: lead, participants, reports and comments.
    path("intern/massnahmen/<str:number>/", measures.measure, name="measure"),
    path(
        "intern/massnahmen/<str:number>/verlauf/",
        measures.measure_history,
        name="measure_history",
    ),
    path(
        "intern/massnahmen/<str:number>/kommentare/",
        measures.add_comment,
        name="add_comment",
    ),
    path("intern/kommentare/<int:pk>/ausblenden/", measures.delete_comment, name="delete_comment"),
    path("intern/berichte/<int:pk>/", reports.report, name="report"),
    path("intern/berichte/<int:pk>/einreichen/", reports.submit, name="submit"),
    path("intern/berichte/<int:pk>/zurueckgeben/", reports.return_report, name="return"),
    path("intern/berichte/<int:pk>/freigeben/", reports.approve, name="approve"),
    path("intern/berichte/<int:pk>/veroeffentlichen/", reports.publish, name="publish"),
    path("intern/berichte/<int:pk>/loeschen/", reports.delete, name="delete"),
    path("intern/berichte/<int:pk>/verlauf/", history.report_history, name="history"),
    path(
        "intern/berichte/<int:pk>/verlauf/<int:history_id>/wiederherstellen/",
        history.restore,
        name="restore",
    ),
    # The coordination's rounds.
    path("intern/runden/", rounds.round_list, name="rounds"),
    path("intern/runden/<int:pk>/", rounds.dashboard, name="round"),
    path("intern/runden/<int:pk>/schliessen/", rounds.close_round, name="close_round"),
    path("intern/runden/<int:pk>/wieder-oeffnen/", rounds.reopen_round, name="reopen_round"),
    path("intern/runden/<int:pk>/veroeffentlichen/", rounds.publish_round, name="publish_round"),
    path("intern/runden/<int:pk>/erinnern/", rounds.remind, name="remind"),
]
