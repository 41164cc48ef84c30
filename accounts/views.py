"""The staff login page: Django's, plus the word that the session had expired."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import views as auth_views
from django.http import HttpRequest

# Set in the session when a staff page sends a user whose session expired to the login.
SESSION_EXPIRED_KEY = "kek_session_expired"


def mark_session_expired(request: HttpRequest, *, input_kept: bool = False) -> None:
    """Let the login page say (once) that the session expired, and whether the form the user
    had posted is kept for after the login."""
    request.session[SESSION_EXPIRED_KEY] = "input_kept" if input_kept else "expired"


class LoginView(auth_views.LoginView):
    """/anmelden/: says "Ihre Sitzung ist abgelaufen" when a staff page sent the user here."""

    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        expired = self.request.session.pop(SESSION_EXPIRED_KEY, "")
        context["session_expired"] = bool(expired)
        context["input_kept"] = expired == "input_kept"
        return context
