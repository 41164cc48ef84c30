"""Restore drill, part 2: every table's row count and every export's checksum, as JSON."""

import hashlib
import json

from django.apps import apps

from plans.models import Plan
from portal.views.open_data import downloads

counts = {m._meta.label: m._base_manager.count() for m in apps.get_models()}
plan = Plan.objects.get(slug="kek-2030")
exports = {}
for download in downloads(plan):
    if download.filename.endswith(".xlsx"):
        continue  # openpyxl stamps the time of writing into the file
    body = download.render(plan)
    exports[download.filename] = hashlib.sha256(
        body if isinstance(body, bytes) else body.encode()
    ).hexdigest()
print(json.dumps({"counts": counts, "exports": exports}))
