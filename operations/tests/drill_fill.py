"""Restore drill, part 1: a second, closed round with a published report (run with `kek shell`)."""

import datetime

from django.contrib.auth import get_user_model

from monitoring import services
from monitoring.comments import add_comment
from monitoring.models import ReportingRound, StatusOption
from plans.models import Plan

plan = Plan.objects.get(slug="kek-2030")
users = get_user_model().objects.in_bulk(
    ["koordination", "redaktion-afs", "beteiligte-uwa"], field_name="username"
)
coordination, editor = users["koordination"], users["redaktion-afs"]
demo_round = ReportingRound.objects.get(plan=plan)
services.close_round(coordination, demo_round)
second = services.open_round(
    coordination, plan, "Drill 2026/2", datetime.date(2026, 12, 31), datetime.date(2027, 1, 31)
)
report = next(r for r in demo_round.reports.all() if r.state == "published")
new = services.start_report(editor, second, report.measure)
status = StatusOption.objects.filter(plan=plan, key="completed").first() or report.status
services.save_report(
    editor, new, {"status": status, "progress": 100, "summary": "Fertig – Drill."}, new.version
)
services.submit_report(editor, new)
services.approve_report(coordination, new)
services.publish_report(coordination, new)
add_comment(coordination, report.measure, "Kommentar für die Wiederherstellungsprobe")
print("filled")
