#!/usr/bin/env python3
"""Compile every locale/*/LC_MESSAGES/*.po below the given directories into .mo files.

Uses Babel instead of GNU gettext's msgfmt, so a fresh machine needs no Debian package.
Writes a .mo only when it is missing or older than its .po (a second run changes nothing).
Usage: compile_messages.py [DIRECTORY …]   (default: the project root)
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SKIPPED_DIRECTORIES = {".venv", "node_modules", ".git", "var"}


def po_files(root: Path) -> list[Path]:
    """Return the .po files of the project's locale directories, skipping dependencies."""
    return sorted(
        path
        for path in root.rglob("LC_MESSAGES/*.po")
        if not SKIPPED_DIRECTORIES.intersection(path.relative_to(root).parts)
    )


def compile_po(po_path: Path) -> Path:
    """Compile one .po file into the .mo file beside it and return the .mo's path."""
    mo_path = po_path.with_suffix(".mo")
    with po_path.open("rb") as po_file:
        catalog = read_po(po_file, locale=po_path.parent.parent.name)
    # Like msgfmt without --use-fuzzy: a fuzzy translation is not trusted yet.
    with mo_path.open("wb") as mo_file:
        write_mo(mo_file, catalog, use_fuzzy=False)
    return mo_path


def main(argv: list[str]) -> int:
    roots = [Path(arg).resolve() for arg in argv] or [PROJECT_ROOT]
    for root in roots:
        for po_path in po_files(root):
            mo_path = po_path.with_suffix(".mo")
            if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
                continue
            compile_po(po_path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
