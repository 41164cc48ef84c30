"""Every text of the indicators app has a German translation in its own catalogue."""

from __future__ import annotations

import re

from babel.messages.pofile import read_po
from django.conf import settings

APP_DIR = settings.BASE_DIR / "indicators"
PO_FILE = APP_DIR / "locale" / "de" / "LC_MESSAGES" / "django.po"


def message_ids() -> set[str]:
    """Message IDs of the app's templates and modules (the forms this app uses)."""
    ids: set[str] = set()
    for template in APP_DIR.rglob("*.html"):
        text = template.read_text(encoding="utf-8")
        ids |= set(re.findall(r"{% translate [\"']([^\"']+)[\"']", text))
        for block in re.findall(
            r"{% blocktranslate trimmed[^%]*%}(.*?){% endblocktranslate %}", text, re.S
        ):
            block = block.split("{% plural %}")[0]
            text_id = " ".join(block.split()).replace("%", "%%")
            ids.add(re.sub(r"{{ (\w+) }}", r"%(\1)s", text_id))
    for module in APP_DIR.rglob("*.py"):
        if "tests" in module.parts or "migrations" in module.parts:
            continue
        source = module.read_text(encoding="utf-8")
        for call in re.findall(r"\b_\(\s*((?:\"[^\"]*\"\s*)+)\)", source):
            ids.add("".join(re.findall(r'"([^"]*)"', call)))
    return ids


def test_every_indicator_text_has_a_german_translation():
    with PO_FILE.open("rb") as po_file:
        catalog = read_po(po_file)
    translated: set[str] = {
        str(message.id[0] if isinstance(message.id, tuple | list) else message.id)
        for message in catalog
        if message.id and message.string
    }

    assert message_ids() - translated == set()
