"""Every public page type passes the W3C Nu HTML checker (vnu.jar from npm) without errors.

One page of each type is rendered with the test client, written to a folder, and checked by
one run of vnu.jar over all of them (a single JVM start). Warnings are allowed; errors not.
"""

from __future__ import annotations

import datetime
import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from indicators.importers.municipalities import parse_boundaries
from indicators.models import COUNTY_AGS
from indicators.services import ensure_default_registers, load_municipalities
from plans.models import Plan
from reports.example import full_round

VNU_JAR = settings.BASE_DIR / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
BOUNDARIES = settings.BASE_DIR / "data" / "landkreis-leipzig" / "gemeinden.geojson"

PAGES = {
    "start": "/",
    "measure-list-filtered": "/massnahmen/?feld=2&federfuehrung=SLR&prioritaet=%2B%2B%2B",
    "measure": "/massnahmen/2-84/",
    "field": "/handlungsfelder/2/",
    "goal": "/leitziele/1.3/",
    "subgoal": "/teilziele/1.1.1/",
    "key-project": "/schluesselvorhaben/sv-i-2/",
    "key-projects": "/schluesselvorhaben/",
    "organisation": "/organisationen/SLR/",
    "organisations": "/organisationen/",
    "interlinks": "/verflechtungen/",
    "search": "/suche/?q=Radweg",
    "progress": "/umsetzungsstand/",
    "reports": "/berichte/",
    "report": "/berichte/monitoring-2026/",
    "open-data": "/daten/",
    "indicators": "/indikatoren/",
    "indicator": "/indikatoren/bevoelkerung/",
    "municipalities": "/gemeinden/",
    "municipality": "/gemeinden/14729160/",
    "registers": "/kataster/",
    "register": "/kataster/gewerbeflaechen/",
    "accessibility": "/barrierefreiheit/",
    "easy-language": "/leichte-sprache/",
    "login": "/anmelden/",
    "not-found": "/gibt-es-nicht/",
}


@pytest.fixture
def served_plan(kek_plan: Plan, settings: Any, tmp_path: Path) -> Plan:
    """KEK 2030 with two closed rounds, the Gemeinden, indicators and registers."""
    settings.VAR_DIR = tmp_path
    full_round(kek_plan, "Monitoring 2025", datetime.date(2025, 6, 30))
    full_round(kek_plan, "Monitoring 2026", datetime.date(2026, 6, 30), shift=1)
    boundaries = parse_boundaries(BOUNDARIES.read_text(encoding="utf-8"), COUNTY_AGS)
    load_municipalities(kek_plan, boundaries, BOUNDARIES.name)
    ensure_default_registers(kek_plan)
    return kek_plan


def _vnu_errors(folder: Path) -> list[str]:
    """Errors vnu.jar finds in the HTML files of the folder, as 'file:line: message'."""
    java = shutil.which("java")
    assert java, "java fehlt: scripts/install-system-packages.sh installiert default-jre-headless"
    assert VNU_JAR.exists(), "vnu.jar fehlt: npm ci (package.json: vnu-jar)"
    options = ["--errors-only", "--format", "json", "--exit-zero-always"]
    result = subprocess.run(
        [java, "-Xss1024k", "-jar", str(VNU_JAR), *options, str(folder)],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    messages = json.loads(result.stderr)["messages"]
    return [
        f"{Path(m.get('url', '')).name}:{m.get('lastLine', '?')}: {m['message']}"
        f" [{m.get('extract', '').strip()[:80]}]"
        for m in messages
        if m.get("type") in {"error", "non-document-error"}
    ]


# A page the checker must refuse, checked in the same run: the check can fail.
BROKEN_PAGE = (
    '<!DOCTYPE html><html lang="de"><head><title>x</title></head><body>'
    '<p id="a">1</p><p id="a">2</p><form hx-get="/">…</form></body></html>'
)
DESCRIPTION = re.compile(r'<meta name="description" content="([^"]+)">')


def test_every_public_page_type_passes_the_nu_html_checker(client, served_plan, tmp_path):
    folder = tmp_path / "pages"
    folder.mkdir()
    descriptions = {}
    for name, path in PAGES.items():
        response = client.get(path)
        expected = 404 if name == "not-found" else 200
        assert response.status_code == expected, path
        assert response["Content-Type"].startswith("text/html"), path
        (folder / f"{name}.html").write_bytes(response.content)
        descriptions[name] = DESCRIPTION.findall(response.content.decode())
    (folder / "broken.html").write_text(BROKEN_PAGE, encoding="utf-8")

    errors = _vnu_errors(folder)

    assert [e for e in errors if not e.startswith("broken.html:")] == [], "\n".join(errors)
    assert len(errors) == 2, errors
    assert any("Duplicate ID" in error for error in errors)
    assert any("hx-get" in error for error in errors)
    # Every page has one meta description; each page type its own German sentence.
    assert all(len(found) == 1 for found in descriptions.values()), descriptions
    texts = {name: found[0] for name, found in descriptions.items()}
    default = texts.pop("not-found")
    assert default.startswith("KEK-Monitor des Landkreises Leipzig")
    assert [name for name, text in texts.items() if text == default] == ["login"]
    assert texts["accessibility"].startswith("Erklärung zur Barrierefreiheit des KEK-Monitors")
    assert texts["easy-language"].startswith("Der KEK-Monitor in Leichter Sprache")
    assert texts["measure"].startswith("Maßnahme 2-84 des Kreisentwicklungskonzepts: ")
    assert texts["goal"].startswith("Leitziel 1.3 „")
    assert texts["subgoal"].startswith("Teilziel 1.1.1 „")
    assert texts["field"].startswith("Handlungsfeld 2 „")
    assert texts["organisation"].startswith("Stabsstelle des Landrates")  # SLR
    assert texts["municipality"].startswith("Grimma: ")
    assert texts["report"].startswith("Umsetzungsbericht Monitoring 2026: ")
