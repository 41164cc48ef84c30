"""Read the status cells (`StatusCell.html`) of a page, by measure number."""

from __future__ import annotations

import re
from html.parser import HTMLParser

MEASURE_LINK = re.compile(r"^/massnahmen/([^/?#]+)/$")


class _StatusParser(HTMLParser):
    """Pairs each status cell with the measure linked last before it."""

    def __init__(self) -> None:
        super().__init__()
        self.measure = ""
        self.depth = 0  # > 0 inside a status cell
        self.part = ""  # the class of the innermost part being read
        self.current: dict[str, str] = {}
        self.found: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        classes = (attributes.get("class") or "").split()
        if tag == "a" and (match := MEASURE_LINK.match(attributes.get("href") or "")):
            self.measure = match[1]
        if tag != "span":
            return
        if self.depth:
            self.depth += 1
            for part in ("kern-label", "portal-status__progress", "portal-status__round"):
                if part in classes:
                    self.part = part
        elif "portal-status" in classes:
            self.depth, self.current = 1, {}

    def handle_endtag(self, tag: str) -> None:
        if tag == "span" and self.depth:
            self.depth -= 1
            self.part = ""
            if not self.depth:
                self.found.append((self.measure, self.current))

    def handle_data(self, data: str) -> None:
        if self.depth and self.part:
            self.current[self.part] = self.current.get(self.part, "") + data.strip()


def status_cells(html: str) -> list[tuple[str, tuple[str, str, str]]]:
    """(number, (label, progress, round without "Stand: ")) for each status cell, in order."""
    parser = _StatusParser()
    parser.feed(html)
    return [
        (
            number,
            (
                cell.get("kern-label", ""),
                cell.get("portal-status__progress", ""),
                cell.get("portal-status__round", "").removeprefix("Stand: "),
            ),
        )
        for number, cell in parser.found
    ]
