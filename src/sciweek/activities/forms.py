from django import forms
from django.db.models import Q
from django.forms import BaseInlineFormSet, inlineformset_factory
from django.utils.translation import gettext_lazy as _

from sciweek.campaigns.models import Edition, FocusArea
from sciweek.campaigns.selectors import current_edition
from sciweek.common.forms import BootstrapMixin, https_urls
from sciweek.common.livestream import validate_livestream_url
from sciweek.common.validators import validate_phone
from sciweek.organizations.access import access_for
from sciweek.organizations.enums import Role
from sciweek.organizations.models import Organization
from sciweek.organizations.rules import is_organizer_staff, is_platform_admin
from sciweek.organizations.selectors import areas_visible_to

from .enums import ActivityState, Audience, DocumentKind, Mode
from .models import Activity, Category, MediaCoverage, Session
from .rules import HOST_KINDS
from .selectors import ActivityFilters, hosts_for

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format=DATETIME_FORMAT)


class ActivityForm(BootstrapMixin, forms.ModelForm):
    """The filing form. ``hosts`` are the organisations the user may file for."""

    audiences = forms.MultipleChoiceField(
        label=_("Audiences"), choices=Audience.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Activity
        formfield_callback = https_urls
        fields = [
            "edition", "host", "area", "title", "summary", "description", "category", "focus_area",
            "mode", "venue_name", "address", "latitude", "longitude", "livestream_url", "budget",
            "co_hosts", "co_host_names", "lead_name", "contact_name", "contact_phone", "is_key",
            "is_series", "expected_participants", "booking_required", "real_name_required",
            "id_number_required", "max_group_size", "waitlist_enabled", "police_permit_number",
            "police_permit_authority", "police_permit_level", "safety_officer_name", "safety_officer_phone",
            "confidentiality_checked",
        ]  # fmt: skip
        widgets = {
            "description": forms.Textarea(attrs={"rows": 8}),
            "co_hosts": forms.SelectMultiple(attrs={"size": 6}),
            "mode": forms.RadioSelect,
        }

    # How the filing page groups the fields; the sessions come after the second group.
    SECTIONS = [
        (_("Basics"), ["edition", "host", "area", "title", "summary", "category", "focus_area", "description", "audiences"]),
        (_("Where and how"), ["mode", "venue_name", "address", "latitude", "longitude", "livestream_url", "budget", "expected_participants"]),
        (_("Booking rules"), ["booking_required", "real_name_required", "id_number_required", "max_group_size", "waitlist_enabled", "is_key", "is_series"]),
        (_("People and co-hosts"), ["lead_name", "contact_name", "contact_phone", "co_hosts", "co_host_names"]),
        (_("Safety and confidentiality"), ["police_permit_number", "police_permit_authority", "police_permit_level", "safety_officer_name", "safety_officer_phone", "confidentiality_checked"]),
    ]  # fmt: skip
    WIDE_FIELDS = frozenset({"description", "audiences", "mode", "confidentiality_checked"})

    def sections(self):
        return [
            (legend, [(self[name], name in self.WIDE_FIELDS) for name in names])
            for legend, names in self.SECTIONS
        ]

    def __init__(self, *args, hosts, editions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["host"].queryset = hosts
        self.fields["edition"].queryset = editions
        self.fields["area"].queryset = Organization.objects.areas().active()
        self.fields["area"].help_text = _(
            "Only for organisations outside any area (e.g. city departments)."
        )
        self.fields["co_hosts"].queryset = Organization.objects.active().filter(kind__in=HOST_KINDS)
        self.fields["co_hosts"].required = False
        self.fields["livestream_url"].validators.append(validate_livestream_url)
        edition = self._edition()
        self.fields["category"].queryset = Category.objects.filter(edition=edition)
        self.fields["focus_area"].queryset = FocusArea.objects.filter(edition=edition)
        if self.instance.pk:
            self.initial.setdefault(
                "audiences", list(self.instance.audience_tags.values_list("audience", flat=True))
            )
            # The edition and host of a filed activity do not change; duplicate it instead.
            self.fields["edition"].disabled = True
            self.fields["host"].disabled = True
        # model_to_dict puts host=None and edition=None in a new form's initial data, so a
        # setdefault would never fill them in.
        if hosts.count() == 1 and not self.instance.pk and not self.initial.get("host"):
            self.initial["host"] = hosts.first().pk
        if editions.count() == 1 and not self.instance.pk and not self.initial.get("edition"):
            self.initial["edition"] = editions.first().pk

    def _edition(self) -> Edition | None:
        key = self.add_prefix("edition")
        raw = self.data.get(key) if self.is_bound else None
        raw = raw or self.initial.get("edition") or getattr(self.instance, "edition_id", None)
        if raw is None:
            raw = self.fields["edition"].queryset.values_list("pk", flat=True).first()
        try:
            return Edition.objects.filter(pk=int(getattr(raw, "pk", raw))).first()
        except (TypeError, ValueError):
            return None

    def clean_contact_phone(self):
        value = self.cleaned_data["contact_phone"].strip()
        validate_phone(value)
        return value

    def clean_safety_officer_phone(self):
        value = self.cleaned_data["safety_officer_phone"].strip()
        if value:
            validate_phone(value)
        return value

    def clean(self):
        cleaned = super().clean()
        host = cleaned.get("host")
        if host is not None and host.area_id is None and not cleaned.get("area"):
            self.add_error("area", _("Choose the area where the activity takes place."))
        if cleaned.get("id_number_required") and not cleaned.get("real_name_required"):
            cleaned["real_name_required"] = True
        return cleaned


class SessionForm(BootstrapMixin, forms.ModelForm):
    compact_fields = True  # drawn in a row of small fields, one row per session

    class Meta:
        model = Session
        fields = [
            "starts_at",
            "ends_at",
            "capacity",
            "booking_opens_at",
            "booking_closes_at",
            "note",
        ]
        widgets = {
            "starts_at": DateTimeLocalInput(),
            "ends_at": DateTimeLocalInput(),
            "booking_opens_at": DateTimeLocalInput(),
            "booking_closes_at": DateTimeLocalInput(),
        }

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("starts_at"), cleaned.get("ends_at")
        if start and end and end <= start:
            self.add_error("ends_at", _("A session must end after it starts."))
        opens, closes = cleaned.get("booking_opens_at"), cleaned.get("booking_closes_at")
        if opens and closes and closes <= opens:
            self.add_error("booking_closes_at", _("Booking must close after it opens."))
        return cleaned


class BaseSessionFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        live = [f for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        if not live:
            raise forms.ValidationError(_("Add at least one session."))


SessionFormSet = inlineformset_factory(
    Activity, Session, form=SessionForm, formset=BaseSessionFormSet, extra=1, can_delete=True
)


class ReasonForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000, required=False
    )


class DocumentForm(BootstrapMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=DocumentKind.choices)
    file = forms.FileField(
        label=_("File"),
        help_text=_(
            "Plans: PDF or Word (docx); the police permit: its scan, PDF or image (JPG, PNG). "
            "At most 20 MB."
        ),
    )


class ResultsForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = Activity
        fields = [
            "onsite_participants",
            "online_participants",
            "st_workers",
            "volunteers",
            "actual_cost",
        ]


class CoverageForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = MediaCoverage
        formfield_callback = https_urls
        fields = ["outlet", "title", "url", "published_on"]
        widgets = {"published_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}


class ActivityFiltersMixin:
    """For forms whose fields are some of ActivityFilters' (back-office lists, exports, the public
    list): ``filters()`` reads the valid fields; an invalid value is ignored rather than emptying
    the list, so an old or mistyped link still shows something."""

    def filters(self) -> ActivityFilters:
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return ActivityFilters(
            q=(data.get("q") or "").strip(),
            state=data.get("state") or "",
            edition=getattr(data.get("edition"), "pk", None),
            area=getattr(data.get("area"), "pk", None),
            category=getattr(data.get("category"), "pk", None),
            audience=data.get("audience") or "",
            mode=data.get("mode") or "",
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            is_key=data.get("is_key"),
            host=getattr(data.get("host"), "pk", None),
            is_large=data.get("is_large"),
            has_media=data.get("has_media"),
        )


class ActivityFilterForm(ActivityFiltersMixin, BootstrapMixin, forms.Form):
    """Filters shared by every back-office activity list and the exports."""

    q = forms.CharField(label=_("Search"), required=False)
    state = forms.ChoiceField(
        label=_("State"), required=False, choices=[("", _("All states")), *ActivityState.choices]
    )
    edition = forms.ModelChoiceField(
        label=_("Edition"),
        required=False,
        queryset=Edition.objects.all(),
        empty_label=_("All editions"),
    )
    area = forms.ModelChoiceField(
        label=_("Area"),
        required=False,
        queryset=Organization.objects.areas(),
        empty_label=_("All areas"),
    )
    category = forms.ModelChoiceField(
        label=_("Category"),
        required=False,
        queryset=Category.objects.none(),
        empty_label=_("All categories"),
    )
    mode = forms.ChoiceField(
        label=_("Mode"), required=False, choices=[("", _("Any mode")), *Mode.choices]
    )
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    is_key = forms.NullBooleanField(
        label=_("Key activities"),
        required=False,
        widget=forms.Select(
            choices=[("", _("All")), ("true", _("Key only")), ("false", _("Not key"))]
        ),
    )

    host = forms.ModelChoiceField(
        label=_("Host unit"),
        required=False,
        queryset=Organization.objects.none(),
        empty_label=_("All units"),
    )
    is_large = forms.NullBooleanField(
        label=_("Large events"),
        required=False,
        widget=forms.Select(
            choices=[("", _("All")), ("true", _("Large only")), ("false", _("Not large"))]
        ),
    )
    has_media = forms.NullBooleanField(
        label=_("Media"),
        required=False,
        widget=forms.Select(
            choices=[("", _("All")), ("true", _("With media")), ("false", _("Without media"))]
        ),
    )
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            ("", _("First session")),
            ("-start", _("Latest session first")),
            ("filed", _("Newest filed")),
            ("title", _("Title")),
            ("area", _("Area")),
        ],
    )

    def __init__(self, *args, editions=None, user=None, default_edition=None, **kwargs):
        """``user``: the areas and units offered are those the user may see; ``default_edition``:
        the edition a list shows when the request names none (``edition=`` shows all)."""
        super().__init__(*args, **kwargs)
        if editions is not None:
            self.fields["edition"].queryset = editions
        hosts = Organization.objects.filter(kind__in=HOST_KINDS).order_by("path")
        if user is not None:
            self.fields["area"].queryset = areas_visible_to(user)
            if not (is_platform_admin(user) or is_organizer_staff(user)):
                # A unit is offered itself, an area's staff the units of their area.
                staff_areas = access_for(user).area_ids(Role.REVIEWER, Role.ADMIN)
                hosts = hosts.filter(Q(area__in=staff_areas) | Q(pk__in=hosts_for(user)))
        self.fields["host"].queryset = hosts
        if default_edition is not None and "edition" not in self.data:
            self.data = self.data.copy() if self.is_bound else {}
            self.data["edition"] = str(default_edition.pk)
            self.is_bound = True
        edition = self.chosen_edition() or default_edition or current_edition()
        # One edition's categories (they are numbered per edition), by name alone.
        self.fields["category"].queryset = (
            Category.objects.filter(edition=edition).order_by("position")
            if edition is not None
            else Category.objects.none()
        )

    def chosen_edition(self):
        raw = self.data.get("edition") if self.is_bound else None
        if not raw or not str(raw).isdigit():
            return None
        return self.fields["edition"].queryset.filter(pk=int(raw)).first()
