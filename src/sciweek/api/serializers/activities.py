"""Activities in the API: what anyone may read, what only the activity's own people and its
reviewers may read, and what a host unit files."""

from __future__ import annotations

from operator import itemgetter

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from sciweek.activities.enums import Audience
from sciweek.activities.models import Activity, AudienceTag, Category, Session
from sciweek.activities.rules import HOST_KINDS
from sciweek.activities.selectors import editions_open_for_filing, hosts_for
from sciweek.activities.workflow import Action
from sciweek.audit.labels import action_label
from sciweek.campaigns.models import Edition, FocusArea
from sciweek.common.livestream import validate_livestream_url
from sciweek.common.markdown import render_markdown
from sciweek.common.validators import validate_phone
from sciweek.organizations.models import Organization

from .common import CodeOrObjectChoiceField, ReferenceField, ResponseModelSerializer

# Shown only to users with ``activities.view_documents`` on the activity (its host's people, the
# reviewers of its area, city staff): never to the public, nor to a signed-in user who sees the
# activity only because it is published.
INTERNAL_FIELDS = (
    "budget",
    "expected_participants",
    "lead_name",
    "contact_name",
    "contact_phone",
    "police_permit_number",
    "police_permit_authority",
    "police_permit_level",
    "safety_officer_name",
    "safety_officer_phone",
    "confidentiality_checked",
    "submitted_at",
    "state_changed_at",
    "last_reason",
    "created_at",
    "updated_at",
)

PUBLIC_FIELDS = (
    "id",
    "edition",
    "title",
    "summary",
    "description",
    "description_html",
    "category",
    "focus_area",
    "host",
    "co_hosts",
    "co_host_names",
    "area",
    "audiences",
    "mode",
    "mode_label",
    "venue_name",
    "address",
    "latitude",
    "longitude",
    "livestream_url",
    "is_key",
    "is_series",
    "booking_required",
    "real_name_required",
    "id_number_required",
    "max_group_size",
    "waitlist_enabled",
    "sessions",
    "state",
    "state_label",
    "published_at",
    "url",
)


class EditionRefSerializer(ResponseModelSerializer):
    class Meta:
        model = Edition
        fields = ["id", "year"]
        read_only_fields = fields


class CategoryRefSerializer(ResponseModelSerializer):
    class Meta:
        model = Category
        fields = ["id", "code", "name"]
        read_only_fields = fields


class FocusAreaRefSerializer(ResponseModelSerializer):
    class Meta:
        model = FocusArea
        fields = ["id", "title"]
        read_only_fields = fields


class OrganizationRefSerializer(ResponseModelSerializer):
    class Meta:
        model = Organization
        fields = ["id", "name"]
        read_only_fields = fields


class AreaRefSerializer(ResponseModelSerializer):
    class Meta:
        model = Organization
        fields = ["id", "name", "slug"]
        read_only_fields = fields


class AudienceSerializer(ResponseModelSerializer):
    # A plain string here: the write side's ``audiences`` already names the enum in the schema.
    code = serializers.CharField(source="audience", read_only=True)
    label = serializers.CharField(source="get_audience_display", read_only=True)

    class Meta:
        model = AudienceTag
        fields = ["code", "label"]
        read_only_fields = fields


class SessionSerializer(serializers.ModelSerializer):
    """One session (场次). Its times are checked by the service: it ends after it starts
    (``session_order``), booking closes after it opens (``booking_window``) and it falls within
    the week unless the activity is a series (``session_outside_week``)."""

    places_left = serializers.IntegerField(
        read_only=True, help_text="Capacity less the places held by confirmed bookings."
    )

    class Meta:
        model = Session
        fields = [
            "id",
            "starts_at",
            "ends_at",
            "capacity",
            "booking_opens_at",
            "booking_closes_at",
            "note",
            "places_left",
        ]
        read_only_fields = ["id", "places_left"]


class ActivitySerializer(ResponseModelSerializer):
    """An activity as read. The internal fields (budget, contacts, safety, workflow times and
    the latest reason) are present only for users who may see the activity's internals: its
    host's people, the reviewers of its area and city staff."""

    edition = EditionRefSerializer(read_only=True)
    description_html = serializers.SerializerMethodField(
        help_text="The description rendered from Markdown and sanitised."
    )
    category = CategoryRefSerializer(read_only=True)
    focus_area = FocusAreaRefSerializer(read_only=True, allow_null=True)
    host = OrganizationRefSerializer(read_only=True)
    co_hosts = OrganizationRefSerializer(many=True, read_only=True)
    area = AreaRefSerializer(read_only=True, allow_null=True)
    audiences = AudienceSerializer(source="audience_tags", many=True, read_only=True)
    mode_label = serializers.CharField(source="get_mode_display", read_only=True)
    sessions = SessionSerializer(many=True, read_only=True)
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    url = serializers.SerializerMethodField(
        help_text="The public page, for published and held activities; otherwise null."
    )
    # Internal, so optional: the model's own timestamps would be read-only fields, which the
    # schema lists as always present (see Meta.extra_kwargs).
    created_at = serializers.DateTimeField(required=False)
    updated_at = serializers.DateTimeField(required=False)

    class Meta:
        model = Activity
        fields = [*PUBLIC_FIELDS, *INTERNAL_FIELDS]
        read_only_fields = PUBLIC_FIELDS
        # Response-only serializer. The internal fields are declared optional (rather than
        # read-only, which the schema would list as always present) because they are left out
        # for users who may not see them.
        extra_kwargs = {name: {"required": False} for name in INTERNAL_FIELDS}

    def get_description_html(self, obj) -> str:
        return str(render_markdown(obj.description))

    def get_url(self, obj) -> str | None:
        if not obj.is_public:
            return None
        path = reverse("showcase:activity-detail", args=[obj.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path

    def may_see_internals(self, obj) -> bool:
        request = self.context.get("request")
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return False
        # Cheap per row: memberships are read once per request (organizations.access).
        return user.has_perm("activities.view_documents", obj)

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if not self.may_see_internals(instance):
            for name in INTERNAL_FIELDS:
                data.pop(name, None)
        return data


class ActivityWriteSerializer(serializers.ModelSerializer):
    """The filing form. ``edition`` and ``host`` are set when the activity is filed and do not
    change afterwards (duplicate it instead); ``sessions`` may be given on create only (later
    through the sessions endpoint). An activity as read (``ActivitySerializer``) can be written
    back unchanged: references may be the objects read, and on an update its sessions as read
    are accepted when they are the activity's sessions unchanged."""

    edition = ReferenceField(
        queryset=Edition.objects.none(), help_text="An edition open for filing."
    )
    host = ReferenceField(
        queryset=Organization.objects.none(),
        help_text="An organisation the user may file activities for.",
        error_messages={
            "does_not_exist": _("You may not file activities for this organisation."),
        },
    )
    area = ReferenceField(
        queryset=Organization.objects.none(),
        required=False,
        allow_null=True,
        help_text="Only for organisations outside any area (e.g. city departments); a host "
        "unit's activities take place in its own area.",
    )
    category = ReferenceField(
        queryset=Category.objects.all(), help_text="A category of the same edition."
    )
    focus_area = ReferenceField(
        queryset=FocusArea.objects.all(),
        required=False,
        allow_null=True,
        help_text="A focus area of the same edition.",
    )
    co_hosts = ReferenceField(many=True, required=False, queryset=Organization.objects.none())
    audiences = serializers.ListField(
        child=CodeOrObjectChoiceField(choices=Audience.choices),
        allow_empty=False,
        help_text="Audience codes.",
    )
    sessions = SessionSerializer(
        many=True,
        required=False,
        write_only=True,
        help_text="Sessions to create with the activity (create only).",
    )

    class Meta:
        model = Activity
        fields = [
            "edition", "host", "area", "title", "summary", "description", "category", "focus_area",
            "audiences", "mode", "venue_name", "address", "latitude", "longitude",
            "livestream_url", "budget", "co_hosts", "co_host_names", "lead_name", "contact_name",
            "contact_phone", "is_key", "is_series", "expected_participants", "booking_required",
            "real_name_required", "id_number_required", "max_group_size", "waitlist_enabled",
            "police_permit_number", "police_permit_authority", "police_permit_level", "safety_officer_name",
            "safety_officer_phone", "confidentiality_checked", "sessions",
        ]  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        user = getattr(request, "user", None)
        editions = editions_open_for_filing()
        # A host the user may not file for reads as unknown: no hint whether it exists.
        hosts = hosts_for(user) if user is not None else Organization.objects.none()
        if self.instance is not None:
            # Written back unchanged, the activity's own edition and host are valid references
            # even once filing has closed; a different one gets validate()'s message.
            editions = editions | Edition.objects.filter(pk=self.instance.edition_id)
            hosts = hosts | Organization.objects.filter(pk=self.instance.host_id)
        self.fields["edition"].queryset = editions
        self.fields["host"].queryset = hosts
        self.fields["area"].queryset = Organization.objects.areas().active()
        self.fields["co_hosts"].child_relation.queryset = Organization.objects.active().filter(
            kind__in=HOST_KINDS
        )

    def validate_contact_phone(self, value: str) -> str:
        value = value.strip()
        validate_phone(value)
        return value

    def validate_livestream_url(self, value: str) -> str:
        # The same allowed-hosts rule as the filing form.
        return validate_livestream_url(value)

    def validate_safety_officer_phone(self, value: str) -> str:
        value = value.strip()
        if value:
            validate_phone(value)
        return value

    def _current(self, attrs, name, default=None):
        if name in attrs:
            return attrs[name]
        return getattr(self.instance, name) if self.instance is not None else default

    def _sessions_unchanged(self, sessions: list[dict]) -> bool:
        names = [n for n in SessionSerializer.Meta.fields if n not in ("id", "places_left")]
        stored = self.instance.sessions.values_list(*names)
        given = [tuple(s.get(n, Session._meta.get_field(n).get_default()) for n in names)
                 for s in sessions]  # fmt: skip
        by_time = itemgetter(0, 1)  # starts_at, ends_at
        return sorted(given, key=by_time) == sorted(stored, key=by_time)

    def validate(self, attrs):
        errors = {}
        if self.instance is not None:
            for name in ("edition", "host"):
                if name in attrs and attrs[name] != getattr(self.instance, name):
                    errors[name] = _(
                        "The edition and host of a filed activity do not change; duplicate it "
                        "instead."
                    )
            if "sessions" in attrs:
                if self._sessions_unchanged(attrs["sessions"]):
                    del attrs["sessions"]
                else:
                    errors["sessions"] = _(
                        "Change sessions through the activity's sessions endpoint."
                    )
        edition = self._current(attrs, "edition")
        category = self._current(attrs, "category")
        focus_area = self._current(attrs, "focus_area")
        if edition is not None and category is not None and category.edition_id != edition.pk:
            errors["category"] = _("The category belongs to another edition.")
        if edition is not None and focus_area is not None and focus_area.edition_id != edition.pk:
            errors["focus_area"] = _("The focus area belongs to another edition.")
        host = self._current(attrs, "host")
        if host is not None and host.area_id is None and not self._current(attrs, "area"):
            errors["area"] = _("Choose the area where the activity takes place.")
        if errors:
            raise serializers.ValidationError(errors)
        if self._current(attrs, "id_number_required", False):
            # Checking resident IDs means knowing whose they are.
            attrs["real_name_required"] = True
        return attrs


@extend_schema_field({"type": "string", "enum": list(Action.values)})
class ActionField(serializers.CharField):
    """Any text reaches the service, which refuses an action it does not know with the stable
    code ``unknown_action`` (as the back-office form does); the schema lists the known ones."""


class TransitionSerializer(serializers.Serializer):
    action = ActionField(max_length=20, help_text="The workflow action to perform.")
    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=2000,
        help_text="Why; required to return or cancel.",
    )


class ActorSerializer(serializers.Serializer):
    username = serializers.CharField()
    name = serializers.CharField()


class HistoryEntrySerializer(serializers.Serializer):
    """One step of an activity's history: an edit, a session change or a workflow action."""

    time = serializers.DateTimeField(source="created_at")
    actor = serializers.SerializerMethodField(
        help_text="Who did it; null for the system. The name is kept if the account is removed."
    )
    action = serializers.CharField(help_text="`activity.<action>`, e.g. `activity.approve`.")
    action_label = serializers.SerializerMethodField()
    from_state = serializers.SerializerMethodField()
    to_state = serializers.SerializerMethodField()
    reason = serializers.CharField()

    @extend_schema_field(ActorSerializer(allow_null=True))
    def get_actor(self, entry):
        if entry.actor is None:
            return {"username": "", "name": entry.actor_name} if entry.actor_name else None
        return {"username": entry.actor.username, "name": str(entry.actor)}

    def get_action_label(self, entry) -> str:
        return action_label(entry.action)

    def _state(self, entry, index: int) -> str | None:
        change = (entry.changes or {}).get("state")
        if isinstance(change, list) and len(change) == 2:
            return change[index]
        return None

    def get_from_state(self, entry) -> str | None:
        return self._state(entry, 0)

    def get_to_state(self, entry) -> str | None:
        return self._state(entry, 1)
