"""URLs of the public portal (namespace "portal")."""

from django.urls import path

from portal import views

app_name = "portal"

urlpatterns = [
    path("", views.start, name="start"),
    path("barrierefreiheit/", views.accessibility, name="accessibility"),
]
