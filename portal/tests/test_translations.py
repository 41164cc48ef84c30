"""The German catalogue covers the portal's texts and compiles without GNU gettext."""

from __future__ import annotations

import gettext
import importlib.util
import re
import shutil

from babel.messages.pofile import read_po
from django.conf import settings

PO_FILE = settings.BASE_DIR / "locale" / "de" / "LC_MESSAGES" / "django.po"
# The portal app's own catalogue (catalogue and search pages); Django merges both.
APP_PO_FILE = settings.BASE_DIR / "portal" / "locale" / "de" / "LC_MESSAGES" / "django.po"
PORTAL_DIR = settings.BASE_DIR / "portal"


def load_compile_messages():
    """Import scripts/compile_messages.py (a script, not a package module)."""
    path = settings.BASE_DIR / "scripts" / "compile_messages.py"
    spec = importlib.util.spec_from_file_location("compile_messages", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def portal_message_ids() -> set[str]:
    """Collect the message IDs of the portal's templates and modules.

    A small stand-in for `makemessages`, which needs GNU gettext: it understands the forms
    the portal uses: translate tags with a quoted string, trimmed blocktranslate blocks, and
    _() calls with a double-quoted string.
    """
    ids: set[str] = set()
    for template in PORTAL_DIR.rglob("*.html"):
        text = template.read_text(encoding="utf-8")
        ids |= set(re.findall(r"{% translate [\"']([^\"']+)[\"']", text))
        for block in re.findall(
            r"{% blocktranslate trimmed[^%]*%}(.*?){% endblocktranslate %}", text, re.S
        ):
            # As Django's blocktranslate: a literal % is doubled in the message ID.
            text_id = " ".join(block.split()).replace("%", "%%")
            ids.add(re.sub(r"{{ (\w+) }}", r"%(\1)s", text_id))
    for module in PORTAL_DIR.rglob("*.py"):
        ids |= set(re.findall(r"\b_\(\"([^\"]+)\"\)", module.read_text(encoding="utf-8")))
    return ids


def test_every_portal_text_has_a_german_translation():
    translated: set[str] = set()
    for path in (PO_FILE, APP_PO_FILE):
        with path.open("rb") as po_file:
            catalog = read_po(po_file)
        translated |= {message.id for message in catalog if message.id and message.string}

    assert portal_message_ids() - translated == set()


def test_compile_messages_writes_a_mo_file_that_gettext_reads(tmp_path):
    messages_dir = tmp_path / "locale" / "de" / "LC_MESSAGES"
    messages_dir.mkdir(parents=True)
    shutil.copy(PO_FILE, messages_dir / "django.po")

    assert load_compile_messages().main([str(tmp_path)]) == 0

    with (messages_dir / "django.mo").open("rb") as mo_file:
        translations = gettext.GNUTranslations(mo_file)
    assert translations.gettext("Skip to main content") == "Zum Inhalt springen"


def test_compile_messages_leaves_an_up_to_date_mo_file_alone(tmp_path):
    messages_dir = tmp_path / "locale" / "de" / "LC_MESSAGES"
    messages_dir.mkdir(parents=True)
    shutil.copy(PO_FILE, messages_dir / "django.po")
    compile_messages = load_compile_messages()
    compile_messages.main([str(tmp_path)])
    mo_file = messages_dir / "django.mo"
    first_mtime = mo_file.stat().st_mtime_ns

    compile_messages.main([str(tmp_path)])

    assert mo_file.stat().st_mtime_ns == first_mtime
