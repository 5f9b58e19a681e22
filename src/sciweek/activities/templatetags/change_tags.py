from django import template

from sciweek.activities.changes import changes_to_review

register = template.Library()


@register.simple_tag
def changes_waiting(user) -> int:
    """How many changes of published activities wait for ``user``'s decision."""
    return changes_to_review(user).count()
