from django import template

from ..selectors import checked_in_people

register = template.Library()


@register.simple_tag
def checked_in_count(activity) -> int:
    """People checked in at the gate over all the activity's sessions (party sizes)."""
    return checked_in_people(activity)
