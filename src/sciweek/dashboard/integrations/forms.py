from __future__ import annotations

from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sciweek.common.forms import BootstrapMixin
from sciweek.integrations.enums import EventKind, Scope
from sciweek.integrations.models import WebhookEndpoint


class ApiClientForm(BootstrapMixin, forms.Form):
    organization = forms.ModelChoiceField(label=_("Organisation"), queryset=None)
    name = forms.CharField(label=_("Name"), max_length=100)
    scopes = forms.MultipleChoiceField(
        label=_("Scopes"), choices=Scope.choices, widget=forms.CheckboxSelectMultiple
    )
    expires_on = forms.DateField(
        label=_("Expires on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    requests_per_minute = forms.IntegerField(
        label=_("Requests per minute"), min_value=1, max_value=6000, initial=120
    )

    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations
        self.fields["organization"].initial = organizations.first()
        self.fields["expires_on"].initial = (timezone.localdate() + timedelta(days=365)).isoformat()
        self.fields["scopes"].initial = [Scope.READ]

    def clean_expires_on(self):
        value = self.cleaned_data["expires_on"]
        if value <= timezone.localdate():
            raise forms.ValidationError(_("Choose a day after today."))
        return value


class WebhookForm(BootstrapMixin, forms.ModelForm):
    url = forms.URLField(
        label=_("URL"),
        max_length=500,
        assume_scheme="https",
        help_text=_("Receives a signed POST for each event (https recommended)."),
    )
    events = forms.MultipleChoiceField(
        label=_("Events"), choices=EventKind.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = WebhookEndpoint
        fields = ["organization", "url", "is_active", "personal_data"]
        help_texts = {
            "personal_data": _("Bookers' names and phone numbers go only to such an endpoint."),
        }

    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["organization"]
            self.fields["events"].initial = self.instance.events
        else:
            self.fields["organization"].queryset = organizations
            # A ModelForm's initial comes from its (empty) instance, not from the field.
            if first := organizations.first():
                self.initial["organization"] = self.initial.get("organization") or first.pk
            self.fields["organization"].label = _("Organisation")

    def clean_url(self):
        url = self.cleaned_data["url"]
        if not url.startswith(("https://", "http://")):
            raise forms.ValidationError(_("Enter an http or https address."))
        return url
