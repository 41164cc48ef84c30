"""Shared output plumbing of the catalogue's management commands."""

from __future__ import annotations

from typing import IO, TYPE_CHECKING, Any, NoReturn

from django.core.management.base import BaseCommand, CommandParser, OutputWrapper
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise


class TranslatedCommand(BaseCommand):
    """A command whose help is a lazy translation, given as `lazy_help` (`help` is a str)."""

    lazy_help: StrPromise | None = None

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        """Translate the description when the parser is built, not at import."""
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.description = str(self.lazy_help) if self.lazy_help else None
        return parser


def raw_stream(wrapper: OutputWrapper) -> IO[str]:
    """The stream behind Django's OutputWrapper (which would add line endings to each write)."""
    stream: IO[str] = vars(wrapper)["_out"]  # set by OutputWrapper.__init__, not in its stubs
    return stream


def write_bytes(wrapper: OutputWrapper, data: bytes) -> None:
    """Write bytes exactly: to the binary buffer of a real stream, else as text."""
    stream = raw_stream(wrapper)
    buffer = getattr(stream, "buffer", None)
    if buffer is not None:
        stream.flush()
        buffer.write(data)
        buffer.flush()
    else:
        stream.write(data.decode("utf-8"))


def fail(wrapper: OutputWrapper, message: str, code: int = 1) -> NoReturn:
    """Print a (translated) error message without a traceback and exit with code."""
    wrapper.write(_("Error: %(message)s") % {"message": message})
    raise SystemExit(code)
