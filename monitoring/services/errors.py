"""The domain errors of monitoring writes: German messages meant for the user."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _

from monitoring.models import StatusReport


class MonitoringError(Exception):
    """A monitoring write was refused; the message is German and meant for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotAllowed(MonitoringError):
    """The user's role does not allow this."""


class InvalidTransition(MonitoringError):
    """The report's or round's state does not allow this action."""


class InvalidData(MonitoringError):
    """The submitted values are not valid; `errors` maps field names to German messages."""

    def __init__(self, message: str, errors: Mapping[str, list[str]] | None = None) -> None:
        super().__init__(message)
        self.errors = dict(errors or {})


class ConflictError(MonitoringError):
    """Someone else saved the report meanwhile: carries the stored and the attempted version."""

    def __init__(
        self, stored: StatusReport, attempted: Mapping[str, Any], expected_version: int
    ) -> None:
        super().__init__(
            _(
                "The report was changed by someone else in the meantime (version %(stored)s, "
                "you edited version %(expected)s). Nothing was overwritten."
            )
            % {"stored": stored.version, "expected": expected_version}
        )
        self.stored = stored
        self.attempted = dict(attempted)
        self.expected_version = expected_version

    @property
    def stored_version(self) -> int:
        """The version now in the database."""
        return self.stored.version
