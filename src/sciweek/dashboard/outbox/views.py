"""The outbox (email and SMS, recipients masked), for organiser admins and platform admins: what
went, what waits, what gave up and why; a message that gave up can be sent again."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import ListView

from sciweek.common.forms import BootstrapMixin
from sciweek.notifications.models import Channel, OutboxMessage
from sciweek.notifications.selectors import masked_recipient, outbox_messages
from sciweek.notifications.services import retry

from ..mixins import OfficePermissionMixin


class OutboxFilterForm(BootstrapMixin, forms.Form):
    compact_fields = True

    channel = forms.ChoiceField(
        label=_("Channel"), required=False, choices=[("", _("All channels")), *Channel.choices]
    )
    failed = forms.BooleanField(label=_("Only those that gave up"), required=False)


class OutboxListView(OfficePermissionMixin, ListView):
    template_name = "dashboard/outbox/list.html"
    context_object_name = "outbox"
    paginate_by = 50
    permission_required = "notifications.view_outboxmessage"
    nav = "outbox"

    def get_filter_form(self) -> OutboxFilterForm:
        if not hasattr(self, "_filter_form"):
            self._filter_form = OutboxFilterForm(self.request.GET or None)
        return self._filter_form

    def get_queryset(self):
        form = self.get_filter_form()
        filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
        return outbox_messages(
            failed=bool(filters.get("failed")), channel=filters.get("channel") or ""
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(filter_form=self.get_filter_form(), **kwargs)
        for message in context["outbox"]:
            message.masked_recipient = masked_recipient(message)
        return context


class OutboxRetryView(OfficePermissionMixin, View):
    permission_required = "notifications.retry_outboxmessage"
    http_method_names = ["post"]

    def get_refusal_url(self) -> str:
        return reverse("dashboard:outbox-list")

    def post(self, request, pk: int):
        message = get_object_or_404(OutboxMessage, pk=pk)
        retry(message=message, by=request.user)
        messages.success(request, _g("The message waits to be sent again."))
        return redirect("dashboard:outbox-list")
