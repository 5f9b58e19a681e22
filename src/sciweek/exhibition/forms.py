"""Forms of the ceremony pages; every write goes through ``services``."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from sciweek.common.forms import BootstrapMixin, https_urls
from sciweek.organizations.models import Organization

from .enums import ORGANISER_ONLY_KINDS, ExhibitMediaKind, ExhibitState, GuestAction, JuryScale
from .models import Ceremony, Exhibit, GuestCategory, Juror
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


# --- the jury ---------------------------------------------------------------------------------

CRITERIA_ROWS = 6  # rows of the criteria form (criteria beyond are refused by the service)


class JuryForm(BootstrapMixin, forms.Form):
    """The jury's scale and jurors per exhibit; the criteria come as ``name-<i>``/``weight-<i>``
    rows beside it (checked together by the service: weights add up to 100)."""

    scale_max = forms.TypedChoiceField(label=_("Scores from 0 to"), choices=JuryScale.choices,
                                       coerce=int)  # fmt: skip
    per_exhibit = forms.IntegerField(label=_("Jurors per exhibit"), min_value=1, max_value=9)

    @staticmethod
    def criteria_from(data) -> list[tuple[str, str]]:
        return [
            (data.get(f"name-{i}", ""), data.get(f"weight-{i}", "")) for i in range(CRITERIA_ROWS)
        ]


class JurorForm(BootstrapMixin, forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)
    organization = forms.ModelChoiceField(
        label=_("Comes from"), queryset=Organization.objects.none(), required=False,
        empty_label=_("— an outside expert —"),
        help_text=_("A juror never scores the exhibits of this organisation's area."),
    )  # fmt: skip
    title = forms.CharField(label=_("Post or expertise"), max_length=100, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = Organization.objects.filter(is_active=True).order_by(
            "path"
        )

    def clean_username(self):
        from django.contrib.auth import get_user_model

        name = self.cleaned_data["username"].strip()
        user = get_user_model().objects.filter(username=name, is_active=True).first()
        if user is None:
            raise forms.ValidationError(_("No active user has this username."), code="no_user")
        return user


class AssignForm(BootstrapMixin, forms.Form):
    juror = forms.ModelChoiceField(label=_("Juror"), queryset=Juror.objects.none())
    exhibit = forms.ModelChoiceField(label=_("Exhibit"), queryset=Exhibit.objects.none())

    def __init__(self, *args, jury, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["juror"].queryset = Juror.objects.filter(jury=jury).select_related("user")
        self.fields["exhibit"].queryset = Exhibit.objects.filter(
            ceremony=jury.ceremony_id, state=ExhibitState.SUBMITTED
        ).order_by("pk")


class ScoreForm(BootstrapMixin, forms.Form):
    """One number field per criterion (``criterion_<id>``), whole numbers on the jury's scale,
    and a comment. Big inputs with the numeric keypad, for a phone."""

    comment = forms.CharField(label=_("Comment"), max_length=2000, required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))  # fmt: skip

    def __init__(self, *args, assignment, **kwargs):
        jury = assignment.juror.jury
        given = {s.criterion_id: s.value for s in assignment.scores.all()}
        initial = {f"criterion_{k}": v for k, v in given.items()}
        initial["comment"] = assignment.comment
        super().__init__(*args, initial=initial, **kwargs)
        self.criteria = list(jury.criteria.all())
        fields = {}
        for criterion in self.criteria:
            fields[f"criterion_{criterion.pk}"] = forms.IntegerField(
                label=f"{criterion.name} ({criterion.weight}%)", min_value=0,
                max_value=jury.scale_max,
                widget=forms.NumberInput(attrs={
                    "class": "form-control form-control-lg", "inputmode": "numeric",
                    "min": 0, "max": jury.scale_max, "step": 1, "data-criterion": criterion.pk,
                }),
            )  # fmt: skip
        self.fields = {**fields, **self.fields}

    def values(self) -> dict[int, int]:
        return {c.pk: self.cleaned_data[f"criterion_{c.pk}"] for c in self.criteria}


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
