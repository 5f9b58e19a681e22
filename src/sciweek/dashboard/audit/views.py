"""The audit log, for organiser admins and platform admins."""

from __future__ import annotations

from django import forms
from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext_lazy as _
from django.views.generic import ListView

from sciweek.common.forms import BootstrapMixin
from sciweek.common.selectors import audit_entries
from sciweek.organizations.models import Organization

from ..mixins import OfficePermissionMixin


class AuditFilterForm(BootstrapMixin, forms.Form):
    compact_fields = True

    action = forms.CharField(
        label=_("Action"),
        required=False,
        max_length=64,
        # Matched as a prefix, so the hint shows a family of actions.
        widget=forms.TextInput(attrs={"placeholder": _("e.g. notice.")}),
    )
    actor = forms.CharField(label=_("Actor"), required=False, max_length=150)
    q = forms.CharField(label=_("Object"), required=False, max_length=100)
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    organization = forms.ModelChoiceField(
        label=_("Organisation"),
        required=False,
        queryset=Organization.objects.order_by("path"),
        empty_label=_("All organisations"),
    )


def _field_label(model, name: str) -> str:
    if model is not None:
        try:
            return str(model._meta.get_field(name).verbose_name)
        except FieldDoesNotExist:
            pass
    return name


def _readable(value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if isinstance(value, list):
        return ", ".join(_readable(v) for v in value)
    return str(value)


def _change_rows(model, changes) -> list[tuple[str, str, str]]:
    """``{field: [old, new]}`` as (label, old, new) rows; anything else shown as it is."""
    rows = []
    # Sorted by field: PostgreSQL's jsonb does not keep the order the keys were written in.
    items = sorted(changes.items()) if isinstance(changes, dict) else ()
    for field, pair in items:
        if isinstance(pair, list) and len(pair) == 2:
            # Nothing before (a creation) shows only the new value rather than "— → x".
            old = "" if pair[0] in (None, "") else _readable(pair[0])
            rows.append((_field_label(model, field), old, _readable(pair[1])))
        else:
            rows.append((_field_label(model, field), "", _readable(pair)))
    return rows


class AuditListView(OfficePermissionMixin, ListView):
    template_name = "dashboard/audit/list.html"
    context_object_name = "entries"
    paginate_by = 50
    permission_required = "common.view_auditentry"
    nav = "audit"

    def get_filter_form(self) -> AuditFilterForm:
        if not hasattr(self, "_filter_form"):
            self._filter_form = AuditFilterForm(self.request.GET or None)
        return self._filter_form

    def get_queryset(self):
        form = self.get_filter_form()
        if not form.is_bound:
            return audit_entries()
        # An invalid value (a malformed date) is shown beside its field and ignored; the
        # filters that are valid still apply (cleaned_data holds only those).
        form.is_valid()
        return audit_entries(form.cleaned_data)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(filter_form=self.get_filter_form(), **kwargs)
        entries = context["entries"]
        # organization_id is a plain number (the log outlives what it describes), so names
        # for the page come in one query rather than one per row.
        org_ids = {e.organization_id for e in entries if e.organization_id}
        names = dict(Organization.objects.filter(pk__in=org_ids).values_list("pk", "name"))
        for entry in entries:
            model = entry.content_type.model_class() if entry.content_type_id else None
            entry.organization_name = names.get(entry.organization_id, "")
            entry.change_rows = _change_rows(model, entry.changes)
        return context
