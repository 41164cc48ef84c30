"""The portal's main navigation: one list, used by the header of every page."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class NavItem:
    """A link of the main navigation; `path` is the section's URL prefix."""

    label: str | Promise
    path: str

    def is_current_for(self, request_path: str) -> bool:
        """Tell whether a page at `request_path` belongs to this section."""
        if self.path == "/":
            return request_path == "/"
        return request_path.startswith(self.path)


# Plain paths because most sections are built after the portal's foundation; they are part
# of the public URL contract (issue "Public portal") and do not change.
MAIN_NAVIGATION: tuple[NavItem, ...] = (
    NavItem(_("Start"), "/"),
    NavItem(_("Measures"), "/massnahmen/"),
    NavItem(_("Implementation status"), "/umsetzungsstand/"),
    NavItem(_("Organisations"), "/organisationen/"),
    NavItem(_("Key projects"), "/schluesselvorhaben/"),
    NavItem(_("Interlinkages"), "/verflechtungen/"),
    NavItem(_("Indicators"), "/indikatoren/"),
    NavItem(_("Towns and municipalities"), "/gemeinden/"),
    NavItem(_("Open data"), "/daten/"),
)
