"""Domain errors of the indicator writes: German messages meant for the user."""

from __future__ import annotations

from collections.abc import Sequence


class IndicatorError(Exception):
    """A write was refused; the message is German and meant for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ValueImportError(IndicatorError):
    """A value file was refused as a whole; `problems` names each row and column."""

    def __init__(self, message: str, problems: Sequence[object] = ()) -> None:
        super().__init__(message)
        self.problems = [str(problem) for problem in problems]
