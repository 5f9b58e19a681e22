"""The back-office menu: each domain declares its entries as ``MENU`` next to its URLs, and the
base template asks :func:`entries_for` which of them the signed-in user sees."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse


@dataclass(frozen=True)
class MenuEntry:
    """One link in the menu. ``nav`` is the value a page's ``nav`` attribute takes to highlight
    it; ``permission`` is the rules permission (asked without an object) the user needs to see
    it; ``order`` places it among every domain's entries; ``more`` puts it in the "More" menu
    with the other pages of the setting-up kind, so the bar fits one line on a desktop."""

    label: str
    url_name: str
    nav: str
    order: int
    permission: str = ""
    icon: str = ""
    more: bool = False

    def visible_to(self, user) -> bool:
        return not self.permission or user.has_perm(self.permission)

    @property
    def url(self) -> str:
        return reverse(self.url_name)


def all_entries() -> list[MenuEntry]:
    from .urls import DOMAINS

    return sorted((entry for domain in DOMAINS for entry in domain.MENU), key=lambda e: e.order)


def entries_for(user) -> list[MenuEntry]:
    return [entry for entry in all_entries() if entry.visible_to(user)]
