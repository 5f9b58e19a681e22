"""How an entry's recorded changes read on a page: field names by their verbose names, choice
values (states, roles, kinds) by their labels, never as stored codes."""

from __future__ import annotations

from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext as _


def _field(model, name: str):
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def _readable(value, choices: dict) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if isinstance(value, list):
        return ", ".join(_readable(v, choices) for v in value)
    if isinstance(value, str) and value in choices:
        return str(choices[value])
    return str(value)


def change_rows(model, changes) -> list[tuple[str, str, str]]:
    """``{field: [old, new]}`` as (label, old, new) rows; anything else shown as it is."""
    rows = []
    # Sorted by field: PostgreSQL's jsonb does not keep the order the keys were written in.
    items = sorted(changes.items()) if isinstance(changes, dict) else ()
    for name, pair in items:
        field = _field(model, name)
        label = str(field.verbose_name) if field is not None else name
        choices = {str(k): v for k, v in field.flatchoices} if field is not None else {}
        if isinstance(pair, list) and len(pair) == 2:
            # Nothing before (a creation) shows only the new value rather than "— → x".
            old = "" if pair[0] in (None, "") else _readable(pair[0], choices)
            rows.append((label, old, _readable(pair[1], choices)))
        else:
            rows.append((label, "", _readable(pair, choices)))
    return rows
