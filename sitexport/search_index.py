"""The static site's search: a Pagefind index built from the exported pages.

Pagefind (npm, pinned in package.json) runs from node_modules, offline, after the pages are
written; it indexes the `<main>` of every page the portal marks with `data-pagefind-body`
(not the filtered and paged variants) and writes `pagefind/` with its index and JavaScript.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from django.conf import settings

PAGEFIND = Path(settings.BASE_DIR) / "node_modules" / ".bin" / "pagefind"


class SearchIndexError(Exception):
    """Pagefind is missing or failed; the message is one German line."""


def build_search_index(directory: Path) -> None:
    """Run Pagefind over the site in `directory`."""
    if not PAGEFIND.exists():
        raise SearchIndexError(
            f"Pagefind fehlt ({PAGEFIND}): „npm ci“ im Projektverzeichnis ausführen."
        )
    try:
        done = subprocess.run(
            [str(PAGEFIND), "--site", str(directory), "--force-language", "de"],
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        raise SearchIndexError(f"Pagefind ließ sich nicht ausführen: {error}") from error
    if done.returncode != 0:
        last = (done.stderr or done.stdout).strip().splitlines()
        raise SearchIndexError(
            f"Pagefind meldet einen Fehler: {last[-1] if last else done.returncode}"
        )
