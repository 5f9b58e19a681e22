from django import template

from sciweek.audit.labels import action_label

register = template.Library()


@register.filter(name="action_label")
def action_label_filter(code: str) -> str:
    return action_label(code)
