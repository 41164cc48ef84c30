"""URLs of the API (/api/v1/…) and of the token pages in the staff area."""

from django.urls import path

from .staff import token_list, token_revoke
from .v1 import api

urlpatterns = [
    path("api/v1/", api.urls),
    path("intern/api-schluessel/", token_list, name="api_tokens"),
    path("intern/api-schluessel/<int:pk>/widerrufen/", token_revoke, name="api_token_revoke"),
]
