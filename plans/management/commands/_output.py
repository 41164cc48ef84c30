"""Shared output plumbing of the catalogue's management commands."""

from __future__ import annotations

from typing import IO, Any, NoReturn

from django.core.management.base import OutputWrapper


def raw_stream(wrapper: OutputWrapper) -> IO[Any]:
    """The stream behind Django's OutputWrapper (which would add line endings to each write)."""
    return getattr(wrapper, "_out", wrapper)


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
    """Print a German error message without a traceback and exit with code."""
    wrapper.write(f"Fehler: {message}")
    raise SystemExit(code)
