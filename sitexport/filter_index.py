"""The index behind the measure filters of the static site: any combination, no server.

The single-filter variants of the measure list are pre-rendered pages; from them this index
keeps, per filter value, the numbers of the measures the portal listed, and per measure its
row of the unfiltered list. The static site's script intersects the lists of the chosen
values and shows those rows: the same rows and the same answers as the portal's own filter,
since both come from the portal's pages.
"""

from __future__ import annotations

import re
from typing import Any

from django.urls import reverse

RESULTS = re.compile(r'<table class="kern-table portal-results">(.*?)</table>', re.S)
ROW = re.compile(
    r'<tr class="kern-table__row">(?:(?!</tr>).)*?href="([^"]+)"(?:(?!</tr>).)*</tr>', re.S
)
PAGE_PARAMETER = "page"


class FilterIndex:
    """Measure numbers per filter value and the rows of the unfiltered list."""

    def __init__(self) -> None:
        self.path = reverse("portal:measure_list")
        self.sets: dict[str, list[str]] = {}
        self.rows: dict[str, str] = {}
        self.order: list[str] = []

    def add_page(self, path: str, query: str, text: str) -> None:
        """Take the results of a page of the measure list (filtered by one value or not)."""
        if path != self.path:
            return
        pairs = [pair for pair in query.split("&") if pair and not pair.startswith("page=")]
        if len(pairs) > 1:
            return
        table = RESULTS.search(text)
        rows = ROW.finditer(table.group(1)) if table else iter(())
        numbers = []
        for row in rows:
            number = row.group(1).rstrip("/").rsplit("/", 1)[-1]
            numbers.append(number)
            if not pairs and number not in self.rows:
                self.rows[number] = row.group(0)
                self.order.append(number)
        if pairs:
            self.sets.setdefault(pairs[0], []).extend(numbers)

    def as_json(self) -> dict[str, Any]:
        """The index as written to static-site.json (numbers as in the measure URLs)."""
        return {"path": self.path, "order": self.order, "rows": self.rows, "sets": self.sets}
