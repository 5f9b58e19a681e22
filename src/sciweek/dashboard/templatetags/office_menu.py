from django import template

from ..menu import entries_for

register = template.Library()


@register.inclusion_tag("dashboard/_menu.html", takes_context=True)
def office_menu(context):
    """The menu entries the signed-in user may use, the current page's highlighted; the
    setting-up pages in a "More" menu after the others."""
    entries = entries_for(context["user"])
    nav = context.get("nav", "")
    more = [entry for entry in entries if entry.more]
    return {
        "entries": [entry for entry in entries if not entry.more],
        "more": more,
        "more_active": any(entry.nav == nav for entry in more),
        "nav": nav,
    }
