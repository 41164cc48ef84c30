"""URLs of the progress reports (namespace "reports"): public under /berichte/, staff download."""

from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("berichte/", views.round_list, name="list"),
    path("berichte/<slug:round_slug>/", views.report, name="report"),
    path("berichte/<slug:round_slug>.pdf", views.report_pdf, name="pdf"),
    path(
        "intern/umsetzungsbericht/<int:round_id>/",
        views.staff_download,
        name="staff_download",
    ),
]
