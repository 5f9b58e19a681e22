"""The audit log, for organiser admins and platform admins."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.views.generic import ListView

from sciweek.audit.display import change_rows
from sciweek.audit.selectors import audit_entries
from sciweek.common.forms import BootstrapMixin
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


class AuditListView(OfficePermissionMixin, ListView):
    template_name = "dashboard/audit/list.html"
    context_object_name = "entries"
    paginate_by = 50
    permission_required = "audit.view_auditentry"
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
        filters = dict(form.cleaned_data)
        if organization := filters.pop("organization", None):
            filters["organization_ids"] = Organization.objects.subtree_of(organization).values("pk")
        return audit_entries(filters)

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
            entry.change_rows = change_rows(model, entry.changes)
        return context
