"""Forms of the summary pages. Services decide; forms only parse what was typed."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from sciweek.activities.forms import ActivityFilterForm
from sciweek.campaigns.selectors import current_edition, editions_for_office
from sciweek.common.forms import BootstrapMixin
from sciweek.organizations.models import Organization

from .enums import CompileKind, FileKind, SummaryAction
from .figures import in_current_language
from .models import AreaSummary, ReportingTask, plain_number
from .services import NARRATIVE_FIELDS
from .texts import DOCUMENT_FIELDS, PROSE_FIELDS, PROSE_MAX, TEXT_FIELDS
from .week_statistics import StatisticsFilters

MB = 1024 * 1024


class FiguresForm(forms.Form):
    """One value and one note per figure: ``value_<key>`` and ``note_<key>``. An empty value
    means "the platform's figure"."""

    def __init__(self, *args, figures, **kwargs):
        super().__init__(*args, **kwargs)
        self.figures = in_current_language(list(figures))
        for figure in self.figures:
            self.fields[f"value_{figure.key}"] = forms.DecimalField(
                label=figure.label,
                required=False,
                min_value=0,
                max_digits=14,
                decimal_places=2,
                initial=plain_number(figure.reported),
                widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
            )
            self.fields[f"note_{figure.key}"] = forms.CharField(
                label=_("Why changed"), required=False, max_length=300, initial=figure.note
            )
        # BootstrapMixin ran before these fields existed.
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-control form-control-sm")

    def rows(self):
        for figure in self.figures:
            yield figure, self[f"value_{figure.key}"], self[f"note_{figure.key}"]

    def values(self) -> dict[str, tuple[Decimal | None, str]]:
        data = self.cleaned_data
        return {
            f.key: (data.get(f"value_{f.key}"), data.get(f"note_{f.key}") or "")
            for f in self.figures
        }


class NarrativeForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = AreaSummary
        fields = NARRATIVE_FIELDS
        widgets = {name: forms.Textarea(attrs={"rows": 4}) for name in NARRATIVE_FIELDS}


class FileUploadForm(BootstrapMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=FileKind.choices, widget=forms.HiddenInput)
    file = forms.FileField(label=_("File"))
    caption = forms.CharField(label=_("Caption"), required=False, max_length=200)


class TransitionForm(BootstrapMixin, forms.Form):
    action = forms.ChoiceField(choices=SummaryAction.choices, widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Reason"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class TaskForm(BootstrapMixin, forms.ModelForm):
    """The reporting task; sizes are typed in MB."""

    document_max_mb = forms.IntegerField(
        label=_("Largest document (MB)"), min_value=1, max_value=200
    )
    photo_max_mb = forms.IntegerField(label=_("Largest photo (MB)"), min_value=1, max_value=50)
    video_max_mb = forms.IntegerField(label=_("Largest video (MB)"), min_value=1, max_value=2048)

    class Meta:
        model = ReportingTask
        fields = [
            "deadline",
            "receiving_section",
            "receiving_email",
            "areas",
            "instructions",
            "require_document",
            "min_photos",
            "require_video",
            "max_video_seconds",
            "remind_days_before",
        ]
        widgets = {
            "deadline": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "areas": forms.CheckboxSelectMultiple,
            "instructions": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["areas"].queryset = Organization.objects.areas().order_by("path")
        self.fields["max_video_seconds"].min_value = 1
        for name in ("document", "photo", "video"):
            self.fields[f"{name}_max_mb"].initial = (
                getattr(self.instance, f"{name}_max_bytes") // MB
            )

    def save(self, commit=True):
        task = super().save(commit=False)
        for name in ("document", "photo", "video"):
            setattr(task, f"{name}_max_bytes", self.cleaned_data[f"{name}_max_mb"] * MB)
        if commit:
            task.save()
            self.save_m2m()
        return task


class CompileForm(BootstrapMixin, forms.Form):
    compact_fields = True

    kind = forms.ChoiceField(label=_("Document to prepare"), choices=CompileKind.choices)
    area = forms.ModelChoiceField(
        label=_("Area (for one area's materials)"),
        queryset=Organization.objects.none(),
        required=False,
    )
    include_unreported = forms.BooleanField(
        label=_("Also count the records of areas without an accepted summary"),
        required=False,
        help_text=_(
            "Otherwise the totals count accepted summaries only; either way the report names "
            "the areas left out or counted from records."
        ),
    )

    def __init__(self, *args, task, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = task.areas.order_by("path")

    def clean(self):
        data = super().clean()
        if data.get("kind") == CompileKind.ZIP_AREA and not data.get("area"):
            self.add_error("area", _("Choose the area."))
        return data


class ReportProseForm(BootstrapMixin, forms.ModelForm):
    """The city report's prose, shown filled with the text generated from the figures, and its
    masthead, addressee and closing block (版头, 主送机关, 版记)."""

    class Meta:
        model = ReportingTask
        fields = TEXT_FIELDS
        widgets = {
            **{
                name: forms.Textarea(attrs={"rows": 6, "maxlength": PROSE_MAX})
                for name in PROSE_FIELDS
            },
            "report_printed_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        help_texts = {
            name: _(
                "One paragraph a line. Empty, or unchanged: the text generated from the figures."
            )
            for name in PROSE_FIELDS
        }

    def __init__(self, *args, generated: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        for name in PROSE_FIELDS:
            self.fields[name].required = False
            self.fields[name].validators.append(MaxLengthValidator(PROSE_MAX))
            if not getattr(self.instance, name):
                self.initial[name] = generated[name]

    @property
    def prose_fields(self):
        return [self[name] for name in PROSE_FIELDS]

    @property
    def document_fields(self):
        return [self[name] for name in DOCUMENT_FIELDS]


# The dashboard's and the statistics API's filters ------------------------------------------------
# The activity list's own form with only edition, area, category and dates, so an area or an
# edition the user may not see is refused the same way.
STATISTICS_FIELDS = ("edition", "area", "category", "date_from", "date_to")


class StatisticsFilterForm(ActivityFilterForm):
    def __init__(self, data, *, user):
        super().__init__(
            data or None,
            user=user,
            editions=editions_for_office(user),
            default_edition=default_edition(user),
        )
        for name in list(self.fields):
            if name not in STATISTICS_FIELDS:
                del self.fields[name]
        self.fields["edition"].empty_label = None

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", self.error_class([_end_before_start()]))
        return data

    def statistics_filters(self) -> StatisticsFilters | None:
        """The filters asked for (invalid fields left out); None when there is no edition."""
        f = self.filters()
        edition = (
            self.fields["edition"].queryset.filter(pk=f.edition).first() if f.edition else None
        )
        if edition is None:
            return None
        errors = self.errors if self.is_bound else {}
        return StatisticsFilters(
            edition=edition,
            area=f.area,
            category=f.category,
            date_from=None if "date_to" in errors else f.date_from,
            date_to=None if "date_to" in errors else f.date_to,
        )


def default_edition(user):
    """The current edition if the user may see it, else the latest one they may."""
    editions = editions_for_office(user)
    current = current_edition()
    if current is not None and editions.filter(pk=current.pk).exists():
        return current
    return editions.order_by("-year").first()


def _end_before_start():
    return gettext("The end date is before the start date.")
