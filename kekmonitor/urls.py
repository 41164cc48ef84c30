"""Top-level URL configuration: the admin, a health check for load balancers, the portal."""

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.urls import include, path
from django.views.decorators.http import require_safe

admin.site.site_header = "KEK-Monitor – Verwaltung"
admin.site.site_title = "KEK-Monitor – Verwaltung"
admin.site.index_title = "Verwaltung"


@require_safe
def healthz(request: HttpRequest) -> HttpResponse:
    """Answer "ok" so that a load balancer or a smoke test can see the process is up."""
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")


urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("", include("portal.urls")),
]
