"""The files of the open-data page: their names, types and how each is written from the plan.

`downloads(plan)` lists them; each `Download.write(source, stream)` streams the file's bytes
(portal.open_data_formats) from rows read in chunks. `download_store` builds them once per
change, all from one `Source`, and the view serves the stored files.
"""

from __future__ import annotations

import io
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import IO

from django.utils.translation import gettext as _

from monitoring import reads as monitoring_reads
from plans.exporters import PLACEMENT_COLUMNS, iter_placement_rows
from plans.models import Plan
from plans.plan_data import SCHEMA_PATH, plan_data_streaming
from portal.open_data_formats import streamed, write_csv, write_json, write_xlsx
from portal.open_data_rows import MEASURE_COLUMNS, Row, measure_rows

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
REPORT_COLUMNS = monitoring_reads.REPORT_COLUMNS


class Source:
    """What one build writes its files from: the plan, and the rows several files share.

    The four status files show the same rows: read once per build (at the 100× plan 1.1 s
    each time), they cannot differ either.
    """

    def __init__(self, plan: Plan) -> None:
        self.plan = plan

    @cached_property
    def measure_rows(self) -> list[Row]:
        return measure_rows(self.plan)


Writer = Callable[[Source, IO[bytes]], None]


@dataclass(frozen=True)
class Download:
    """A file of the open-data page: its name, type and how it is written from the plan."""

    filename: str
    format: str  # as shown, and the EU file-type authority code
    media_type: str
    title: str
    write: Writer
    # False for the files of the catalogue alone: a publication leaves them as they are.
    shows_statuses: bool = True

    @property
    def content_type(self) -> str:
        """The Content-Type header: text formats declare UTF-8."""
        if self.media_type.startswith("text/"):
            return f"{self.media_type}; charset=utf-8"
        return self.media_type

    def render(self, plan: Plan) -> bytes:
        """The whole file in memory (for checks; the portal serves the stored file)."""
        buffer = io.BytesIO()
        self.write(Source(plan), buffer)
        return buffer.getvalue()


def _placements_csv(source: Source, stream: IO[bytes]) -> None:
    write_csv(stream, PLACEMENT_COLUMNS, iter_placement_rows(source.plan))


def _placements_json(source: Source, stream: IO[bytes]) -> None:
    write_json(stream, streamed(iter_placement_rows(source.plan)))


def _placements_xlsx(source: Source, stream: IO[bytes]) -> None:
    plan = source.plan
    rows = iter_placement_rows(plan)
    write_xlsx(stream, PLACEMENT_COLUMNS, rows, title=plan.slug, created=plan.imported_at)


def _statuses_csv(source: Source, stream: IO[bytes]) -> None:
    write_csv(stream, MEASURE_COLUMNS, source.measure_rows)


def _statuses_excel_csv(source: Source, stream: IO[bytes]) -> None:
    write_csv(stream, MEASURE_COLUMNS, source.measure_rows, for_excel=True)


def _statuses_json(source: Source, stream: IO[bytes]) -> None:
    write_json(stream, source.measure_rows)


def _statuses_xlsx(source: Source, stream: IO[bytes]) -> None:
    write_xlsx(stream, MEASURE_COLUMNS, source.measure_rows, title=source.plan.slug)


def _reports_csv(source: Source, stream: IO[bytes]) -> None:
    write_csv(stream, REPORT_COLUMNS, monitoring_reads.iter_published_report_rows(source.plan))


def _reports_excel_csv(source: Source, stream: IO[bytes]) -> None:
    rows = monitoring_reads.iter_published_report_rows(source.plan)
    write_csv(stream, REPORT_COLUMNS, rows, for_excel=True)


def _reports_json(source: Source, stream: IO[bytes]) -> None:
    write_json(stream, streamed(monitoring_reads.iter_published_report_rows(source.plan)))


def _reports_xlsx(source: Source, stream: IO[bytes]) -> None:
    plan = source.plan
    rows = monitoring_reads.iter_published_report_rows(plan)
    write_xlsx(stream, REPORT_COLUMNS, rows, title=plan.slug)


def _plan_json(source: Source, stream: IO[bytes]) -> None:
    plan = source.plan
    # The bytes of plans.exporters.export_plan_json, one chunk of placements at a time.
    write_json(stream, plan_data_streaming(plan, streamed), sort_keys=True)


def _schema(source: Source, stream: IO[bytes]) -> None:
    with SCHEMA_PATH.open("rb") as schema:
        shutil.copyfileobj(schema, stream)


def downloads(plan: Plan) -> list[Download]:
    """The files offered for the plan; their names derive from the plan's slug."""
    measures = _("Measures of the plan, one row per placement")
    statuses = _(
        "Every measure with its place in the plan, lead, participants, priority, key projects "
        "and current implementation status, one row per measure"
    )
    reports = _("Every published status report of every reporting round, one row per report")
    excel = _("for German Excel: semicolons, UTF-8 with byte order mark")
    return [
        Download(
            f"{plan.slug}-massnahmen.csv", "CSV", "text/csv", measures, _placements_csv, False
        ),
        Download(
            f"{plan.slug}-massnahmen.json",
            "JSON",
            "application/json",
            measures,
            _placements_json,
            False,
        ),
        Download(
            f"{plan.slug}-massnahmen.xlsx", "XLSX", XLSX_TYPE, measures, _placements_xlsx, False
        ),
        Download(f"{plan.slug}-umsetzungsstand.csv", "CSV", "text/csv", statuses, _statuses_csv),
        Download(
            f"{plan.slug}-umsetzungsstand-excel.csv",
            "CSV",
            "text/csv",
            f"{statuses} ({excel})",
            _statuses_excel_csv,
        ),
        Download(
            f"{plan.slug}-umsetzungsstand.json",
            "JSON",
            "application/json",
            statuses,
            _statuses_json,
        ),
        Download(f"{plan.slug}-umsetzungsstand.xlsx", "XLSX", XLSX_TYPE, statuses, _statuses_xlsx),
        Download(f"{plan.slug}-berichte.csv", "CSV", "text/csv", reports, _reports_csv),
        Download(
            f"{plan.slug}-berichte-excel.csv",
            "CSV",
            "text/csv",
            f"{reports} ({excel})",
            _reports_excel_csv,
        ),
        Download(f"{plan.slug}-berichte.json", "JSON", "application/json", reports, _reports_json),
        Download(f"{plan.slug}-berichte.xlsx", "XLSX", XLSX_TYPE, reports, _reports_xlsx),
        Download(
            f"{plan.slug}-plan.json",
            "JSON",
            "application/json",
            _("The whole plan: hierarchy, organisations, measures, placements and steps"),
            _plan_json,
            False,
        ),
        Download(
            "plan.schema.json",
            "JSON",
            "application/schema+json",
            _("JSON Schema of the whole plan"),
            _schema,
            False,
        ),
    ]
