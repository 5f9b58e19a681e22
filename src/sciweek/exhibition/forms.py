"""Forms of the ceremony pages; every write goes through ``services``."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from sciweek.common.forms import BootstrapMixin, https_urls

from .enums import ORGANISER_ONLY_KINDS, ExhibitMediaKind, GuestAction
from .models import Ceremony, Exhibit, GuestCategory
from .services import CEREMONY_FIELDS, EXHIBIT_FIELDS


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class CeremonyForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = Ceremony
        formfield_callback = https_urls
        fields = CEREMONY_FIELDS
        widgets = {
            name: DateTimeInput()
            for name in ("starts_at", "ends_at", "rsvp_deadline", "exhibit_deadline")
        }

    def __init__(self, *args, edition, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["activity"].queryset = edition.activities.order_by("title")


class GuestForm(BootstrapMixin, forms.Form):
    category = forms.ModelChoiceField(label=_("Category"), queryset=GuestCategory.objects.none())
    name = forms.CharField(label=_("Name"), max_length=50)
    organization_name = forms.CharField(label=_("Organisation or school"), max_length=100)
    post = forms.CharField(label=_("Post"), max_length=100, required=False)
    mobile = forms.CharField(label=_("Mobile"), max_length=20)
    teacher = forms.CharField(
        label=_("Teacher in charge"), max_length=50, required=False,
        help_text=_("For students: the teacher who brings them."),
    )  # fmt: skip

    def __init__(self, *args, categories, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = categories


def organiser_categories(ceremony):
    return GuestCategory.objects.filter(ceremony=ceremony)


def area_categories(ceremony, area):
    return GuestCategory.objects.filter(ceremony=ceremony, quotas__area=area).exclude(
        kind__in=ORGANISER_ONLY_KINDS
    )


class RsvpForm(BootstrapMixin, forms.Form):
    action = forms.ChoiceField(
        label=_("Your answer"),
        choices=[(a.value, a.label) for a in GuestAction if a != GuestAction.CHECK_IN],
        widget=forms.RadioSelect,
    )
    substitute_name = forms.CharField(label=_("Substitute's name"), max_length=50, required=False)
    substitute_post = forms.CharField(label=_("Substitute's post"), max_length=100, required=False)
    substitute_mobile = forms.CharField(
        label=_("Substitute's mobile"), max_length=20, required=False
    )


class ExhibitForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = Exhibit
        fields = EXHIBIT_FIELDS
        widgets = {"description": forms.Textarea(attrs={"rows": 5})}


class TransitionForm(BootstrapMixin, forms.Form):
    action = forms.CharField(max_length=20)
    reason = forms.CharField(label=_("Reason"), max_length=500, required=False)


class ExhibitMediaForm(BootstrapMixin, forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), choices=ExhibitMediaKind.choices, initial=ExhibitMediaKind.PHOTO
    )
    file = forms.FileField(
        label=_("File"),
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/jpeg,image/png,image/webp,video/mp4,video/webm"}
        ),
        help_text=_(
            "Up to 6 photos (JPEG, PNG or WebP) and one video of at most 3 minutes (MP4 or "
            "WebM). Location and camera data are removed from photos."
        ),
    )
    alt_text = forms.CharField(
        label=_("Description for screen readers"),
        max_length=200,
        required=False,
        help_text=_("Required for photos: what the picture shows."),
    )
