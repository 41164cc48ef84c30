"""Top-level URL configuration: admin, health check, staff login, staff area, the portal."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.urls import include, path
from django.views.decorators.http import require_safe

from accounts import views as accounts_views
from indicators.urls import public_urlpatterns as indicator_pages
from indicators.urls import staff_urlpatterns as register_staff_pages
from portal.caching import public_page


@require_safe
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico on pages that name no icon (the admin): the portal's."""
    return HttpResponsePermanentRedirect(static("portal/favicon.svg"))


# /healthz is answered by operations.health.HealthCheckMiddleware, before any URL.
handler500 = "operations.health.server_error"

urlpatterns = [
    # The public portal first: its pages are the hot path, resolved without trying the rest.
    path("", include("portal.urls")),
    # Indicators, Gemeinden and registers: public pages under the portal's page cache, the
    # registers' staff pages (/intern/kataster/…) without it.
    path("", include((indicator_pages(public_page) + register_staff_pages(), "indicators"))),
    # The progress reports of closed rounds (and the staff's download under /intern/).
    path("", include("reports.urls")),
    # The REST API and its token pages in the staff area.
    path("", include("api.urls")),
    path("admin/", admin.site.urls),
    path("favicon.ico", favicon),
    path("anmelden/", accounts_views.LoginView.as_view(), name="login"),
    path("abmelden/", auth_views.LogoutView.as_view(), name="logout"),
    path("", include("monitoring.urls")),
]
