from django import template

from ..menu import entries_for

register = template.Library()


@register.inclusion_tag("dashboard/_menu.html", takes_context=True)
def office_menu(context):
    """The menu entries the signed-in user may use, the current page's highlighted."""
    return {"entries": entries_for(context["user"]), "nav": context.get("nav", "")}
