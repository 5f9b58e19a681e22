from django import forms
from django.forms import inlineformset_factory
from django.utils.translation import gettext_lazy as _

from sciweek.common.forms import BootstrapMixin
from sciweek.organizations.enums import OrganizationKind
from sciweek.organizations.models import Organization

from .models import BasisDocument, Edition, FocusArea, Notice

DATE_WIDGET = forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d")


class EditionForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = Edition
        fields = [
            "year", "title", "theme", "start_date", "end_date", "summary_deadline",
            "receiving_section", "receiving_email", "booker_sms_always",
            "no_show_limit", "no_show_window_days", "no_show_block_days", "one_session_per_day",
        ]  # fmt: skip
        widgets = {
            "start_date": DATE_WIDGET,
            "end_date": DATE_WIDGET,
            "summary_deadline": DATE_WIDGET,
        }

    # Fair-use rules (bookings.fair_use): a form posted without them (an older page, a script)
    # keeps the edition's current rules rather than failing.
    FAIR_USE = ("no_show_limit", "no_show_window_days", "no_show_block_days",
                "one_session_per_day")  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.FAIR_USE:
            self.fields[name].required = False

    def clean(self):
        data = super().clean()
        for name in self.FAIR_USE:
            if data.get(name) in (None, ""):
                data[name] = getattr(self.instance, name)
        return data


class EditionCopyForm(BootstrapMixin, forms.Form):
    year = forms.IntegerField(label=_("Year of the new edition"), min_value=2000, max_value=2100)


class EditionPartForm(BootstrapMixin, forms.ModelForm):
    """A basis document or focus area: one row of small fields."""

    compact_fields = True


BasisDocumentFormSet = inlineformset_factory(
    Edition,
    BasisDocument,
    form=EditionPartForm,
    fields=["number", "title", "issuer", "position", "needs_update"],
    extra=1,
    can_delete=True,
    widgets={
        "number": forms.TextInput(attrs={"class": "form-control"}),
        "title": forms.TextInput(attrs={"class": "form-control"}),
        "issuer": forms.TextInput(attrs={"class": "form-control"}),
        "position": forms.NumberInput(attrs={"class": "form-control", "min": 0}),
        "needs_update": forms.CheckboxInput(attrs={"class": "form-check-input"}),
    },
)

FocusAreaFormSet = inlineformset_factory(
    Edition,
    FocusArea,
    form=EditionPartForm,
    fields=["title", "description", "position"],
    extra=1,
    can_delete=True,
    widgets={
        "title": forms.TextInput(attrs={"class": "form-control"}),
        "description": forms.Textarea(attrs={"class": "form-control", "rows": 2}),
        "position": forms.NumberInput(attrs={"class": "form-control", "min": 0}),
    },
)

RECIPIENT_KINDS = [
    OrganizationKind.AREA_DEPARTMENT,
    OrganizationKind.CITY_DEPARTMENT,
    OrganizationKind.CO_ORGANIZER,
    OrganizationKind.AREA,
    OrganizationKind.HOST_UNIT,
]


class NoticeForm(BootstrapMixin, forms.ModelForm):
    recipients = forms.ModelMultipleChoiceField(
        label=_("Recipients"),
        queryset=Organization.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The organisations that must acknowledge receipt."),
    )

    class Meta:
        model = Notice
        fields = ["edition", "title", "document_number", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 16})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recipients"].queryset = (
            Organization.objects.active().filter(kind__in=RECIPIENT_KINDS).select_related("area")
        )
        self.fields["recipients"].widget.attrs["class"] = "form-check-input"
        if self.instance.pk:
            self.initial["recipients"] = list(
                self.instance.deliveries.values_list("organization_id", flat=True)
            )


class AttachmentForm(BootstrapMixin, forms.Form):
    file = forms.FileField(
        label=_("Attachment"), help_text=_("PDF, Word (docx), Excel (xlsx), JPG or PNG.")
    )
