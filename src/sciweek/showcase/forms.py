from django import forms
from django.utils.translation import gettext_lazy as _

from sciweek.activities.enums import Audience, Mode
from sciweek.activities.forms import ActivityFiltersMixin
from sciweek.activities.models import Category
from sciweek.common.forms import BootstrapMixin
from sciweek.organizations.models import Organization


class PublicFilterForm(ActivityFiltersMixin, BootstrapMixin, forms.Form):
    """The public list's filters. Invalid values are ignored rather than shown as errors: a
    visitor following an old link still gets a list."""

    q = forms.CharField(label=_("Search"), required=False, max_length=60)
    area = forms.ModelChoiceField(
        label=_("Area"),
        required=False,
        queryset=Organization.objects.none(),
        empty_label=_("All areas"),
    )
    category = forms.ModelChoiceField(
        label=_("Category"),
        required=False,
        queryset=Category.objects.none(),
        empty_label=_("All categories"),
    )
    audience = forms.ChoiceField(
        label=_("For"), required=False, choices=[("", _("Everyone")), *Audience.choices]
    )
    mode = forms.ChoiceField(
        label=_("Mode"), required=False, choices=[("", _("Online or offline")), *Mode.choices]
    )
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    bookable = forms.BooleanField(label=_("Bookable only"), required=False)

    def __init__(self, *args, edition, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = Organization.objects.areas().active().order_by("path")
        self.fields["category"].queryset = Category.objects.filter(edition=edition).order_by(
            "position"
        )

    @property
    def only_bookable(self) -> bool:
        self.is_valid()
        return bool(getattr(self, "cleaned_data", {}).get("bookable"))
