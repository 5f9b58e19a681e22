"""An organisation admin's integrations: API clients (made, shown once, revoked) and webhook
endpoints (registered, changed, their deliveries and "send again")."""

from __future__ import annotations

from datetime import datetime, time

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _g
from django.views import View
from django.views.generic import FormView, ListView, TemplateView

from sciweek.integrations.models import ApiClient, WebhookDelivery, WebhookEndpoint
from sciweek.integrations.selectors import administered, api_clients_of, endpoints_of
from sciweek.integrations.services import (
    client_create,
    client_revoke,
    delivery_send_again,
    endpoint_save,
)

from ..mixins import OfficePermissionMixin
from .forms import ApiClientForm, WebhookForm

VIEW = "integrations.view_integrations"
MANAGE = "integrations.manage_integrations"


class IntegrationsMixin(OfficePermissionMixin):
    permission_required = VIEW
    nav = "api-clients"

    def organizations(self):
        return administered(self.request.user)


class ApiClientListView(IntegrationsMixin, ListView):
    template_name = "dashboard/integrations/client_list.html"
    context_object_name = "clients"

    def get_queryset(self):
        return api_clients_of(self.request.user)


class ApiClientCreateView(IntegrationsMixin, FormView):
    template_name = "dashboard/integrations/client_form.html"
    form_class = ApiClientForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "organizations": self.organizations()}

    def form_valid(self, form):
        self.refusing(form)
        data = form.cleaned_data
        expires = timezone.make_aware(datetime.combine(data["expires_on"], time(23, 59, 59)))
        client, key = client_create(
            organization=data["organization"], name=data["name"], scopes=data["scopes"],
            expires_at=expires, requests_per_minute=data["requests_per_minute"],
            by=self.request.user,
        )  # fmt: skip
        # Drawn, not redirected to: the key lives only in this answer.
        return self.render_to_response(
            self.get_context_data(created=client, key=key), headers={"Cache-Control": "no-store"}
        )


class ApiClientRevokeView(IntegrationsMixin, View):
    http_method_names = ["post"]

    def get_permission_object(self):
        return self.client

    def dispatch(self, request, *args, **kwargs):
        self.client = get_object_or_404(ApiClient, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_permission_required(self):
        return (MANAGE,)

    def get_refusal_url(self):
        return reverse("dashboard:api-client-list")

    def post(self, request, pk: int):
        client_revoke(client=self.client, by=request.user)
        messages.success(request, _g("The API client is revoked: its key no longer works."))
        return redirect("dashboard:api-client-list")


class WebhookListView(IntegrationsMixin, ListView):
    nav = "webhooks"
    template_name = "dashboard/integrations/webhook_list.html"
    context_object_name = "endpoints"

    def get_queryset(self):
        return endpoints_of(self.request.user)


class WebhookFormView(IntegrationsMixin, FormView):
    nav = "webhooks"
    template_name = "dashboard/integrations/webhook_form.html"
    form_class = WebhookForm
    endpoint = None

    def dispatch(self, request, *args, **kwargs):
        if "pk" in kwargs:
            self.endpoint = get_object_or_404(WebhookEndpoint, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_permission_object(self):
        return self.endpoint

    def get_permission_required(self):
        return (MANAGE,) if self.endpoint else (VIEW,)

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "organizations": self.organizations(),
            "instance": self.endpoint or WebhookEndpoint(),
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(endpoint=self.endpoint, **kwargs)

    def form_valid(self, form):
        self.refusing(form)
        endpoint, secret = endpoint_save(
            endpoint=form.save(commit=False), events=form.cleaned_data["events"],
            by=self.request.user,
        )  # fmt: skip
        if secret is None:
            messages.success(self.request, _g("The webhook endpoint is saved."))
            return redirect("dashboard:webhook-list")
        return self.render_to_response(
            self.get_context_data(created=endpoint, secret=secret),
            headers={"Cache-Control": "no-store"},
        )


class WebhookDeliveriesView(IntegrationsMixin, TemplateView):
    nav = "webhooks"
    template_name = "dashboard/integrations/webhook_deliveries.html"

    def dispatch(self, request, *args, **kwargs):
        self.endpoint = get_object_or_404(WebhookEndpoint, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_permission_object(self):
        return self.endpoint

    def get_permission_required(self):
        return (MANAGE,)

    def get_context_data(self, **kwargs):
        deliveries = (
            WebhookDelivery.objects.filter(endpoint=self.endpoint)
            .select_related("message")
            .prefetch_related("attempts")[:100]
        )
        return super().get_context_data(endpoint=self.endpoint, deliveries=deliveries, **kwargs)


class WebhookSendAgainView(IntegrationsMixin, View):
    nav = "webhooks"
    http_method_names = ["post"]

    def dispatch(self, request, *args, **kwargs):
        self.delivery = get_object_or_404(
            WebhookDelivery.objects.select_related("endpoint__organization"), pk=kwargs["pk"]
        )
        return super().dispatch(request, *args, **kwargs)

    def get_permission_object(self):
        return self.delivery.endpoint

    def get_permission_required(self):
        return (MANAGE,)

    def post(self, request, pk: int):
        delivery_send_again(delivery=self.delivery, by=request.user)
        messages.success(request, _g("The event waits to be sent again."))
        return redirect("dashboard:webhook-deliveries", self.delivery.endpoint_id)
