"""The public booking form and the ticket look-up form.

The form only turns what was typed into Python values; the rules (mobile number, ID check digit,
consents, group size) live in ``validation.field_errors`` behind ``services.book``, so the page
and the API refuse exactly the same things with the same words. The service's field errors are
put back beside the fields.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from sciweek.common.forms import BootstrapMixin

from .enums import IdType
from .models import ConsentText
from .validation import BookingRequest


class NotEchoedInput(forms.TextInput):
    """A text input that never sends its value back: a page re-shown after an error must not
    carry the ID number (sensitive personal information) again; the booker types it anew."""

    def format_value(self, value):
        return None


def latest_consents() -> dict[str, ConsentText]:
    """The newest version of each consent text, by kind."""
    texts: dict[str, ConsentText] = {}
    for text in ConsentText.objects.order_by("kind", "-version"):
        texts.setdefault(text.kind, text)
    return texts


class BookingForm(BootstrapMixin, forms.Form):
    # The service, not the form, requires these (so the page and the API refuse alike).
    marked_required = ("name", "phone", "id_type", "id_number")

    name = forms.CharField(
        label=_("Name of the person coming"),
        required=False,
        max_length=50,
        help_text=_("Real name, as on the ID shown at the gate."),
    )
    phone = forms.CharField(label=_("Mobile number"), required=False, max_length=20)
    email = forms.EmailField(
        label=_("Email (optional)"),
        required=False,
        max_length=254,
        help_text=_("We send the confirmation and any change there."),
    )
    # No min/max here: the service's own words say what is allowed (same as the API).
    party_size = forms.IntegerField(label=_("Number of people"), required=False)
    group_name = forms.CharField(
        label=_("Group (school and class, or unit)"), required=False, max_length=100
    )
    id_type = forms.ChoiceField(label=_("Document type"), required=False, choices=IdType.choices)
    id_number = forms.CharField(
        label=_("Document number"), required=False, max_length=32, widget=NotEchoedInput
    )
    id_consent = forms.BooleanField(required=False)
    is_minor = forms.BooleanField(label=_("The person coming is a child under 14"), required=False)
    guardian_name = forms.CharField(label=_("Guardian's name"), required=False, max_length=50)
    guardian_consent = forms.BooleanField(required=False)
    consent = forms.BooleanField(required=False)

    def __init__(self, *args, activity, consents: dict[str, ConsentText] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.activity = activity
        self.consents = consents if consents is not None else latest_consents()
        if activity.max_group_size > 1:
            self.fields["party_size"].widget.attrs.update(
                {"min": 1, "max": activity.max_group_size, "inputmode": "numeric"}
            )
            self.fields["party_size"].help_text = _(
                "One booking may cover up to %(n)d people; the mobile number above is the "
                "group leader's contact."
            ) % {"n": activity.max_group_size}
            self.fields["party_size"].initial = 1
        else:
            del self.fields["party_size"]
            del self.fields["group_name"]
        if not activity.id_number_required:
            del self.fields["id_type"]
            del self.fields["id_number"]
            del self.fields["id_consent"]
        else:
            self.fields["id_type"].initial = IdType.RESIDENT_ID
            self.fields["id_number"].widget.attrs.update(
                {"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
            )
        self.fields["name"].widget.attrs.update({"autocomplete": "name"})
        self.fields["phone"].widget = forms.TextInput(
            attrs={
                "class": "form-control",
                "type": "tel",
                "inputmode": "tel",
                "autocomplete": "tel",
                "placeholder": "13812345678",
            }
        )
        self.fields["email"].widget.attrs.update({"autocomplete": "email", "inputmode": "email"})
        self.fields["guardian_name"].widget.attrs.update({"autocomplete": "off"})

    @property
    def consent_text(self):
        return self.consents.get(ConsentText.Kind.PERSONAL_DATA)

    @property
    def id_consent_text(self):
        return self.consents.get(ConsentText.Kind.ID_NUMBER)

    @property
    def guardian_consent_text(self):
        return self.consents.get(ConsentText.Kind.GUARDIAN)

    @property
    def id_number_retype(self) -> bool:
        return self.is_bound and "id_number" in self.fields and bool(self.data.get("id_number"))

    @property
    def guardian_open(self) -> bool:
        """Show the guardian part open when it was ticked or has errors."""
        if not self.is_bound:
            return False
        return bool(
            self.data.get("is_minor")
            or self.errors.get("guardian_name")
            or self.errors.get("guardian_consent")
        )

    def to_request(self) -> BookingRequest:
        data = self.cleaned_data
        party_size = data.get("party_size")
        return BookingRequest(
            name=data.get("name", ""),
            phone=data.get("phone", ""),
            email=data.get("email", ""),
            id_type=data.get("id_type", "") or "",
            id_number=data.get("id_number", ""),
            party_size=1 if party_size is None else party_size,
            group_name=data.get("group_name", ""),
            is_minor=bool(data.get("is_minor")),
            guardian_name=data.get("guardian_name", ""),
            consent=bool(data.get("consent")),
            id_consent=bool(data.get("id_consent")),
            guardian_consent=bool(data.get("guardian_consent")),
        )

    def add_service_errors(self, error_dict) -> None:
        """Put the service's field errors beside the fields; errors about a field this form
        does not show go above the form."""
        for field, errors in error_dict.items():
            target = field if field in self.fields else None
            for error in errors:
                self.add_error(target, error)


def _tel_widget() -> forms.TextInput:
    return forms.TextInput(
        attrs={"class": "form-control", "type": "tel", "inputmode": "tel", "autocomplete": "tel"}
    )


class LookupPhoneForm(BootstrapMixin, forms.Form):
    """Step 1 of the recovery by SMS: the mobile number booked with."""

    phone = forms.CharField(label=_("Mobile number used for the booking"), max_length=20)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phone"].widget = _tel_widget()


class LookupCodeForm(BootstrapMixin, forms.Form):
    """Step 2: the 6-digit code the SMS brought (the number rides along, hidden)."""

    phone = forms.CharField(max_length=20, widget=forms.HiddenInput)
    otp = forms.CharField(label=_("Code from the SMS"), max_length=12)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["otp"].widget.attrs.update(
            {"inputmode": "numeric", "autocomplete": "one-time-code", "pattern": "[0-9]*"}
        )


class LookupForm(BootstrapMixin, forms.Form):
    phone = forms.CharField(label=_("Mobile number used for the booking"), max_length=20)
    code = forms.CharField(label=_("Ticket code"), max_length=32)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phone"].widget = forms.TextInput(
            attrs={
                "class": "form-control",
                "type": "tel",
                "inputmode": "tel",
                "autocomplete": "tel",
            }
        )
        self.fields["code"].widget.attrs.update(
            {"autocapitalize": "characters", "autocomplete": "off", "spellcheck": "false"}
        )


class SurveyForm(BootstrapMixin, forms.Form):
    """After the visit: satisfaction 1–5 and two short texts (checked again by the service)."""

    RATINGS = [(5, _("5 · excellent")), (4, _("4 · good")), (3, _("3 · fair")),
               (2, _("2 · poor")), (1, _("1 · very poor"))]  # fmt: skip

    rating = forms.TypedChoiceField(
        label=_("How satisfied were you?"), choices=RATINGS, coerce=int, widget=forms.RadioSelect
    )
    best = forms.CharField(
        label=_("What was best?"), required=False, max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip
    improve = forms.CharField(
        label=_("What should we improve?"), required=False, max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip
