import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from sciweek.activities.enums import ActivityState, Audience, Mode
from sciweek.activities.models import Activity
from sciweek.activities.selectors import (
    ORDERINGS,
    ActivityFilters,
    bookable_activities,
    filter_activities,
    office_activities,
    order_activities,
)
from sciweek.organizations.enums import OrganizationKind
from sciweek.organizations.models import Organization

# The range of a database id (BigAutoField): a larger number is a 400, not an overflow (a 500 on
# SQLite).
ID_MAX = 2**63 - 1


class IdField(forms.IntegerField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", ID_MAX)
        super().__init__(*args, **kwargs)


@extend_schema_field(OpenApiTypes.INT)
class IdFilter(django_filters.NumberFilter):
    """A whole number (an id or a year) from 1 to 2**63-1; ``1.5``, ``abc`` or a number out of
    that range is a 400, not a silent no-op or an overflow."""

    field_class = IdField


class OrganizationFilter(django_filters.FilterSet):
    # Plain ids rather than ModelChoiceFilter: validating against a queryset would tell the
    # caller whether an organisation it may not see exists.
    kind = django_filters.ChoiceFilter(choices=OrganizationKind.choices)
    area = IdFilter(field_name="area_id", help_text="Area id.")
    parent = IdFilter(field_name="parent_id", help_text="Parent id.")
    q = django_filters.CharFilter(method="search", help_text="Part of the name or short name.")

    class Meta:
        model = Organization
        fields = ["kind", "area", "parent", "q"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(short_name__icontains=value))


# Activities ------------------------------------------------------------------------------------


class StrictBooleanField(forms.Field):
    """``true``/``false`` (or ``1``/``0``); anything else is an error rather than ignored."""

    TRUE = frozenset({"true", "1", "yes", "on"})
    FALSE = frozenset({"false", "0", "no", "off"})

    def to_python(self, value):
        if value in (None, ""):
            return None
        text = str(value).strip().lower()
        if text in self.TRUE:
            return True
        if text in self.FALSE:
            return False
        raise forms.ValidationError(_("Enter true or false."), code="invalid")


class StrictBooleanFilter(django_filters.BooleanFilter):
    field_class = StrictBooleanField


class ActivityFilterForm(forms.Form):
    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("The end date is before the start date."))
        return cleaned


class ActivityFilter(django_filters.FilterSet):
    """The public list's filters (the same meaning as on the public page) plus ``state``,
    ``edition``, ``year`` and ``is_key``. Every value is checked: a malformed one answers 400
    naming the field. The filtering itself is the activities selector's, so the page, the
    back office, the exports and the API cannot drift apart."""

    state = django_filters.ChoiceFilter(
        choices=ActivityState.choices,
        help_text="Workflow state. Anonymous users only ever see published and held activities.",
    )
    edition = IdFilter(help_text="Edition id.")
    year = IdFilter(help_text="Edition year, e.g. 2025.")
    area = IdFilter(help_text="Area id (the area the activity takes place in).")
    category = IdFilter(help_text="Category id (categories belong to one edition).")
    date_from = django_filters.DateFilter(
        help_text="Has a session that ends on or after this day (YYYY-MM-DD, Asia/Shanghai)."
    )
    date_to = django_filters.DateFilter(
        help_text="Has a session that starts on or before this day (YYYY-MM-DD, Asia/Shanghai)."
    )
    audience = django_filters.ChoiceFilter(
        choices=Audience.choices, help_text="Has this audience among its audiences."
    )
    mode = django_filters.ChoiceFilter(choices=Mode.choices, help_text="Offline, online or both.")
    q = django_filters.CharFilter(
        max_length=60, help_text="Part of the title, host name, venue or address (Chinese works)."
    )
    bookable = StrictBooleanFilter(
        help_text="true: only activities with a session that takes a booking now (open, or "
        "full with a waiting list); false or absent: no filter."
    )
    is_key = StrictBooleanFilter(help_text="Key activities only (true) or only the others (false).")
    host = IdFilter(help_text="Host organisation id.")
    large = StrictBooleanFilter(
        help_text="Large mass events only (true: 1,000 or more expected, or in one session) or "
        "only the others (false)."
    )
    has_media = StrictBooleanFilter(
        help_text="Only activities with photos, videos or a media report (true), or without (false)."
    )
    scope = django_filters.ChoiceFilter(
        choices=[("office", "office")],
        method="noop",
        help_text="`office`: the back office's list for the signed-in user — the whole city for "
        "the organiser, an area's activities for its admins and reviewers, a unit's own for the "
        "unit. Absent: everything the user may see.",
    )
    ordering = django_filters.ChoiceFilter(
        choices=[(key, key) for key in ORDERINGS],
        method="noop",
        help_text="`start` (first session; the default), `-start`, `filed` (newest first), "
        "`title`, `area`.",
    )

    class Meta:
        model = Activity
        form = ActivityFilterForm
        fields = [
            "state",
            "edition",
            "year",
            "area",
            "category",
            "date_from",
            "date_to",
            "audience",
            "mode",
            "q",
            "bookable",
            "is_key",
            "host",
            "large",
            "has_media",
            "scope",
            "ordering",
        ]

    def noop(self, queryset, name, value):
        return queryset  # applied in filter_queryset, which sees every value at once

    def filter_queryset(self, queryset):
        data = self.form.cleaned_data
        qs = filter_activities(
            queryset,
            ActivityFilters(
                state=data.get("state") or "",
                edition=data.get("edition"),
                area=data.get("area"),
                category=data.get("category"),
                date_from=data.get("date_from"),
                date_to=data.get("date_to"),
                is_key=data.get("is_key"),
                audience=data.get("audience") or "",
                mode=data.get("mode") or "",
                q=(data.get("q") or "").strip(),
                host=data.get("host"),
                is_large=data.get("large"),
                has_media=data.get("has_media"),
            ),
        )
        if data.get("scope") == "office":
            qs = qs.filter(pk__in=office_activities(self.request.user).values("pk"))
        if data.get("ordering"):
            qs = order_activities(qs, data["ordering"])
        if data.get("year") is not None:
            qs = qs.filter(edition__year=data["year"])
        if data.get("bookable"):
            qs = bookable_activities(qs)
        return qs
