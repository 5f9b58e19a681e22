from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from sciweek.common.markdown import render_markdown
from sciweek.common.workflow import EXTRA_TONES, workflow_for

register = template.Library()


@register.filter
def markdown(text: str):
    return render_markdown(text)


@register.filter
def waited(since) -> str:
    """How long ago, in days or hours: for "waiting 3 days" columns."""
    if not since:
        return ""
    delta = timezone.now() - since
    if delta.days >= 1:
        return ngettext("%(n)d day", "%(n)d days", delta.days) % {"n": delta.days}
    hours = delta.seconds // 3600
    if hours >= 1:
        return ngettext("%(n)d hour", "%(n)d hours", hours) % {"n": hours}
    return _("under an hour")


@register.simple_tag(takes_context=True)
def query_with(context, **changes) -> str:
    """The current query string with some parameters replaced, for pagination and filter links."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.filter
def waited_days(since) -> int:
    return (timezone.now() - since).days if since else 0


@register.simple_tag
def state_badge(obj, label=None, tones=None):
    """The one state badge: ``{% state_badge activity %}`` for an object with a workflow, coloured
    by the tones declared with it; ``{% state_badge row.status label=… tones="summary_board" %}``
    for a state set that is shown but moved by no workflow."""
    if tones is None:
        workflow = workflow_for(obj)
        value = workflow.state_of(obj)
        tone = workflow.tone(value)
        label = label or getattr(obj, f"get_{workflow.field}_display")()
    else:
        value, tone = obj, EXTRA_TONES[tones].get(obj, "light")
    return format_html(
        '<span class="badge state-badge state-{} text-bg-{}{}" data-state="{}">{}</span>',
        value,
        tone,
        " border" if tone == "light" else "",
        value,
        label if label is not None else value,
    )
