from django import template

from sciweek.activities.enums import ActivityState

register = template.Library()


@register.filter
def state_label(code: str) -> str:
    try:
        return str(ActivityState(code).label)
    except ValueError:
        return code or ""
