"""The launch ceremony in the API: the ceremony, its quotas, guests and answers, the exhibits,
the jury's assignments, scores and results."""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from sciweek.common.masking import mask_phone
from sciweek.exhibition.enums import (
    ExhibitAction,
    ExhibitMediaKind,
    ExhibitState,
    GuestAction,
    GuestCategoryKind,
    GuestState,
    Strategy,
)
from sciweek.exhibition.models import (
    Assignment,
    Ceremony,
    Criterion,
    Exhibit,
    ExhibitMedia,
    Guest,
    GuestCategory,
    Juror,
    Jury,
    ProgrammeItem,
    Quota,
)

from .common import ResponseModelSerializer


class ProgrammeItemSerializer(ResponseModelSerializer):
    class Meta:
        model = ProgrammeItem
        fields = ("starts_at", "title", "speaker", "speaker_post")


class CategorySerializer(ResponseModelSerializer):
    kind = serializers.ChoiceField(choices=GuestCategoryKind.choices)
    label = serializers.CharField(source="get_kind_display")

    class Meta:
        model = GuestCategory
        fields = ("id", "kind", "label", "places")


class CeremonySerializer(ResponseModelSerializer):
    year = serializers.IntegerField(source="edition.year")
    programme = ProgrammeItemSerializer(many=True)
    categories = CategorySerializer(many=True)

    class Meta:
        model = Ceremony
        fields = (
            "id", "year", "activity", "title", "venue", "sub_venue", "starts_at", "ends_at",
            "livestream_url", "rsvp_deadline", "exhibit_deadline", "booth_count", "programme",
            "categories",
        )  # fmt: skip
        read_only_fields = fields


class QuotaSerializer(ResponseModelSerializer):
    area_name = serializers.CharField(source="area.name")
    category = serializers.CharField(source="category.kind")

    class Meta:
        model = Quota
        fields = ("id", "area", "area_name", "category", "places")
        read_only_fields = fields


class QuotaWriteSerializer(serializers.Serializer):
    area = serializers.IntegerField()
    category = serializers.ChoiceField(choices=GuestCategoryKind.choices)
    places = serializers.IntegerField(min_value=0, max_value=100000)


class GuestSerializer(ResponseModelSerializer):
    category = serializers.CharField(source="category.kind")
    state = serializers.ChoiceField(choices=GuestState.choices)
    mobile = serializers.SerializerMethodField()

    class Meta:
        model = Guest
        fields = (
            "id", "category", "area", "name", "organization_name", "post", "mobile", "teacher",
            "seat_order", "state", "substitute_name", "answered_at", "checked_in_at",
        )  # fmt: skip
        read_only_fields = fields

    def get_mobile(self, guest) -> str:
        return mask_phone(guest.mobile)


class GuestWriteSerializer(serializers.Serializer):
    category = serializers.ChoiceField(choices=GuestCategoryKind.choices)
    area = serializers.IntegerField(required=False, allow_null=True)
    name = serializers.CharField(max_length=50, allow_blank=True)
    organization_name = serializers.CharField(max_length=100, allow_blank=True)
    post = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    mobile = serializers.CharField(max_length=20, allow_blank=True)
    teacher = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")


class RsvpSerializer(serializers.Serializer):
    action = serializers.ChoiceField(
        choices=[(a.value, a.label) for a in GuestAction if a != GuestAction.CHECK_IN]
    )
    substitute_name = serializers.CharField(
        max_length=50, required=False, default="", allow_blank=True
    )
    substitute_post = serializers.CharField(
        max_length=100, required=False, default="", allow_blank=True
    )
    substitute_mobile = serializers.CharField(
        max_length=20, required=False, default="", allow_blank=True
    )


class RsvpStateSerializer(ResponseModelSerializer):
    """What the personal link shows: the invitation and the answer, no one else's data."""

    ceremony = serializers.CharField(source="ceremony.title")
    starts_at = serializers.DateTimeField(source="ceremony.starts_at")
    venue = serializers.CharField(source="ceremony.venue")
    rsvp_deadline = serializers.DateTimeField(source="ceremony.rsvp_deadline")
    state = serializers.ChoiceField(choices=GuestState.choices)
    code = serializers.SerializerMethodField()

    class Meta:
        model = Guest
        fields = ("ceremony", "starts_at", "venue", "rsvp_deadline", "name", "state",
                  "substitute_name", "code")  # fmt: skip
        read_only_fields = fields

    def get_code(self, guest) -> str:
        """The invitation QR's content, once the guest comes."""
        return guest.code if guest.is_coming else ""


EXHIBIT_FIELDS = (
    "title", "unit_name", "field", "strategy", "description", "space_sqm", "needs_power",
    "needs_network", "interactive_demo", "confidentiality_checked",
)  # fmt: skip


class ExhibitSerializer(ResponseModelSerializer):
    state = serializers.ChoiceField(choices=ExhibitState.choices)
    strategy = serializers.ChoiceField(choices=Strategy.choices)
    submitter_name = serializers.CharField(source="submitter.name")

    class Meta:
        model = Exhibit
        fields = ("id", "ceremony", "submitter", "submitter_name", *EXHIBIT_FIELDS, "state",
                  "booth_number", "last_reason", "submitted_at", "decided_at")  # fmt: skip
        read_only_fields = fields


class ExhibitWriteSerializer(serializers.ModelSerializer):
    class Meta:
        model = Exhibit
        fields = EXHIBIT_FIELDS
        extra_kwargs = {name: {"required": False} for name in EXHIBIT_FIELDS}


class ExhibitCreateSerializer(ExhibitWriteSerializer):
    ceremony = serializers.IntegerField()
    submitter = serializers.IntegerField()

    class Meta(ExhibitWriteSerializer.Meta):
        fields = ("ceremony", "submitter", *EXHIBIT_FIELDS)
        extra_kwargs = {}


class ExhibitTransitionSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=ExhibitAction.choices)
    reason = serializers.CharField(max_length=500, required=False, default="", allow_blank=True)


class BoardCategorySerializer(serializers.Serializer):
    kind = serializers.CharField(source="category.kind")
    places = serializers.IntegerField(source="category.places")
    quota = serializers.IntegerField()
    named = serializers.IntegerField()
    answered = serializers.IntegerField()
    coming = serializers.IntegerField()
    declined = serializers.IntegerField()
    arrived = serializers.IntegerField()


class BoardAreaSerializer(serializers.Serializer):
    area = serializers.IntegerField(source="area.pk")
    area_name = serializers.CharField(source="area.name")
    quota = serializers.IntegerField()
    named = serializers.IntegerField()
    answered = serializers.IntegerField()
    coming = serializers.IntegerField()
    buses = serializers.IntegerField()
    filled = serializers.BooleanField()


class BoardSerializer(serializers.Serializer):
    categories = BoardCategorySerializer(many=True)
    areas = BoardAreaSerializer(many=True)
    named = serializers.IntegerField()
    answered = serializers.IntegerField()
    coming = serializers.IntegerField()
    arrived = serializers.IntegerField()
    meals = serializers.IntegerField()
    buses = serializers.IntegerField()


# --- the jury -----------------------------------------------------------------------------------


class CriterionSerializer(ResponseModelSerializer):
    class Meta:
        model = Criterion
        fields = ("id", "name", "weight")
        read_only_fields = fields


class JurorSerializer(ResponseModelSerializer):
    username = serializers.CharField(source="user.username")
    name = serializers.CharField(source="user.display_name")
    organization_name = serializers.CharField(source="organization.name", default="")
    assigned = serializers.IntegerField()
    scored = serializers.IntegerField()

    class Meta:
        model = Juror
        fields = ("id", "username", "name", "organization", "organization_name", "area", "title",
                  "assigned", "scored")  # fmt: skip
        read_only_fields = fields


class JurySerializer(ResponseModelSerializer):
    criteria = CriterionSerializer(many=True)
    jurors = serializers.SerializerMethodField()

    class Meta:
        model = Jury
        fields = ("id", "ceremony", "scale_max", "per_exhibit", "closed_at", "criteria", "jurors")
        read_only_fields = fields

    @extend_schema_field(JurorSerializer(many=True))
    def get_jurors(self, jury) -> list[dict]:
        from sciweek.exhibition.jury_selectors import jurors_of

        return JurorSerializer(jurors_of(jury), many=True).data


class ScoreValueSerializer(serializers.Serializer):
    criterion = serializers.IntegerField()
    value = serializers.IntegerField()


class AssignmentExhibitSerializer(ResponseModelSerializer):
    strategy = serializers.ChoiceField(choices=Strategy.choices)
    submitter_name = serializers.CharField(source="submitter.name")

    class Meta:
        model = Exhibit
        fields = ("id", "title", "unit_name", "field", "strategy", "description", "submitter_name",
                  "space_sqm", "needs_power", "needs_network", "interactive_demo")  # fmt: skip
        read_only_fields = fields


class AssignmentSerializer(ResponseModelSerializer):
    """A juror's assignment: the exhibit, the jury's criteria and scale, their scores so far."""

    exhibit = AssignmentExhibitSerializer()
    jury = serializers.IntegerField(source="juror.jury_id")
    scale_max = serializers.IntegerField(source="juror.jury.scale_max")
    jury_closed = serializers.BooleanField(source="juror.jury.is_closed")
    criteria = CriterionSerializer(source="juror.jury.criteria", many=True)
    scores = serializers.SerializerMethodField()

    class Meta:
        model = Assignment
        fields = ("id", "jury", "exhibit", "scale_max", "jury_closed", "criteria", "scores",
                  "comment", "scored_at")  # fmt: skip
        read_only_fields = fields

    @extend_schema_field(ScoreValueSerializer(many=True))
    def get_scores(self, assignment) -> list[dict]:
        return [{"criterion": s.criterion_id, "value": s.value} for s in assignment.scores.all()]


class ScoresWriteSerializer(serializers.Serializer):
    scores = ScoreValueSerializer(many=True)
    comment = serializers.CharField(max_length=2000, required=False, default="", allow_blank=True)


class CityScoreSerializer(ResponseModelSerializer):
    """One juror's scores of one exhibit, as the city reads them."""

    juror = serializers.IntegerField(source="juror_id")
    juror_name = serializers.CharField(source="juror.user.display_name")
    juror_area = serializers.CharField(source="juror.area.name", default="")
    exhibit_title = serializers.CharField(source="exhibit.title")
    scores = serializers.SerializerMethodField()

    class Meta:
        model = Assignment
        fields = ("id", "exhibit", "exhibit_title", "juror", "juror_name", "juror_area", "scores",
                  "comment", "scored_at")  # fmt: skip
        read_only_fields = fields

    @extend_schema_field(ScoreValueSerializer(many=True))
    def get_scores(self, assignment) -> list[dict]:
        return [{"criterion": s.criterion_id, "value": s.value} for s in assignment.scores.all()]


class ResultSerializer(serializers.Serializer):
    exhibit = serializers.IntegerField(source="exhibit.pk")
    title = serializers.CharField(source="exhibit.title")
    submitter_name = serializers.CharField(source="exhibit.submitter.name")
    state = serializers.ChoiceField(choices=ExhibitState.choices, source="exhibit.state")
    booth_number = serializers.CharField(source="exhibit.booth_number")
    average = serializers.FloatField(allow_null=True)
    low = serializers.FloatField(allow_null=True)
    high = serializers.FloatField(allow_null=True)
    spread = serializers.FloatField(allow_null=True)
    stdev = serializers.FloatField(allow_null=True)
    count = serializers.IntegerField()
    assigned = serializers.IntegerField()
    comments = serializers.ListField(child=serializers.CharField())


class AssignedCountSerializer(serializers.Serializer):
    assignments = serializers.IntegerField()


class DecisionSerializer(serializers.Serializer):
    exhibit = serializers.IntegerField()
    action = serializers.ChoiceField(choices=[("select", "select"), ("decline", "decline"),
                                              ("return", "return")])  # fmt: skip


class DecisionsWriteSerializer(serializers.Serializer):
    decisions = DecisionSerializer(many=True, allow_empty=False)
    reason = serializers.CharField(max_length=500, required=False, default="", allow_blank=True)


class DecidedSerializer(serializers.Serializer):
    decided = serializers.IntegerField()


class ExhibitMediaSerializer(ResponseModelSerializer):
    kind = serializers.ChoiceField(choices=ExhibitMediaKind.choices, read_only=True)
    name = serializers.CharField(source="original_name", read_only=True)
    url = serializers.SerializerMethodField()
    thumbnail_url = serializers.SerializerMethodField()

    class Meta:
        model = ExhibitMedia
        fields = ("key", "kind", "name", "alt_text", "content_type", "size", "width", "height",
                  "duration_seconds", "url", "thumbnail_url", "created_at")  # fmt: skip
        read_only_fields = fields

    # The back office's permission-checking copies: the public ones exist only once selected.
    @extend_schema_field(serializers.CharField())
    def get_url(self, obj) -> str:
        return reverse("dashboard:exhibit-media-file", args=[obj.key])

    @extend_schema_field(serializers.CharField())
    def get_thumbnail_url(self, obj) -> str:
        return reverse("dashboard:exhibit-media-thumbnail", args=[obj.key])


class ExhibitMediaUploadSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ExhibitMediaKind.choices)
    file = serializers.FileField(help_text="Photos: jpg/png/webp; the video: mp4/webm, ≤ 3 min.")
    alt_text = serializers.CharField(
        required=False, allow_blank=True, max_length=200, help_text="Required for photos."
    )
