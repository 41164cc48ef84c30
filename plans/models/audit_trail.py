"""What django-simple-history adds to audited models at run time, declared for the type checker."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser
    from simple_history.manager import HistoryManager


class AuditTrail:
    """Mixin of the models with a history: declares its manager and the next record's author.

    Declarations only, no fields: the history manager comes from `HistoricalRecords()` on the
    model or from `simple_history.register()` (the catalogue, in `monitoring.models`).
    """

    history: ClassVar[HistoryManager]
    # Author and reason of the next history record, set before save() by services that change
    # an entry outside a request (in a request, HistoryRequestMiddleware names the user).
    _history_user: AbstractBaseUser | None
    _change_reason: str
