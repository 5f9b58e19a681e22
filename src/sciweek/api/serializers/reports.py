"""Area summaries in the API: statistics, narrative, files and the review state."""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from sciweek.reports.enums import FileKind, SummaryAction, SummaryState
from sciweek.reports.models import AreaSummary, SummaryFigure, SummaryFile
from sciweek.reports.services import missing

from .common import ResponseModelSerializer


class StateField(serializers.ChoiceField):
    def __init__(self, **kwargs):
        super().__init__(choices=SummaryState.choices, **kwargs)


class KindField(serializers.ChoiceField):
    def __init__(self, **kwargs):
        super().__init__(choices=FileKind.choices, **kwargs)


class ActionField(serializers.ChoiceField):
    def __init__(self, **kwargs):
        super().__init__(choices=SummaryAction.choices, **kwargs)


class FigureSerializer(ResponseModelSerializer):
    reported = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True)
    changed = serializers.BooleanField(source="is_changed", read_only=True)

    class Meta:
        model = SummaryFigure
        fields = ("key", "label", "source", "computed", "value", "reported", "note", "changed")
        read_only_fields = fields


class SummaryFileSerializer(ResponseModelSerializer):
    kind = KindField(read_only=True)
    name = serializers.CharField(source="original_name", read_only=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = SummaryFile
        fields = (
            "id",
            "kind",
            "name",
            "size",
            "content_type",
            "width",
            "height",
            "duration_seconds",
            "caption",
            "url",
            "created_at",
        )
        read_only_fields = fields

    @extend_schema_field(serializers.CharField())
    def get_url(self, obj) -> str:
        return reverse("dashboard:summary-file", args=[obj.summary_id, obj.pk])


class SummaryAreaSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class SummaryListSerializer(ResponseModelSerializer):
    edition = serializers.IntegerField(source="task.edition_id", read_only=True)
    edition_title = serializers.CharField(source="task.edition.title", read_only=True)
    area = SummaryAreaSerializer(read_only=True)
    deadline = serializers.DateField(source="task.deadline", read_only=True)
    state = StateField(read_only=True)
    state_label = serializers.CharField(source="get_state_display", read_only=True)

    class Meta:
        model = AreaSummary
        fields = (
            "id",
            "edition",
            "edition_title",
            "area",
            "deadline",
            "state",
            "state_label",
            "submitted_at",
            "is_late",
            "accepted_at",
            "last_reason",
        )
        read_only_fields = fields


class SummarySerializer(SummaryListSerializer):
    figures = FigureSerializer(many=True, read_only=True)
    files = SummaryFileSerializer(many=True, read_only=True)
    missing = serializers.SerializerMethodField()

    class Meta(SummaryListSerializer.Meta):
        fields = (
            *SummaryListSerializer.Meta.fields,
            "organisation_text",
            "highlights_text",
            "publicity_text",
            "problems_text",
            "missing",
            "figures",
            "files",
        )
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_missing(self, obj) -> list[str]:
        return [str(m) for m in missing(obj)]


class FigurePatchSerializer(serializers.Serializer):
    value = serializers.DecimalField(
        max_digits=14,
        decimal_places=2,
        min_value=0,
        allow_null=True,
        help_text="The reported figure; null to report the platform's.",
    )
    note = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=300,
        help_text="Why it differs from the platform's; required when it does.",
    )


class SummaryPatchSerializer(serializers.Serializer):
    figures = serializers.DictField(
        child=FigurePatchSerializer(),
        required=False,
        help_text='By figure key, e.g. {"activities": {"value": 12, "note": "…"}}.',
    )
    organisation_text = serializers.CharField(required=False, allow_blank=True, max_length=20000)
    highlights_text = serializers.CharField(required=False, allow_blank=True, max_length=20000)
    publicity_text = serializers.CharField(required=False, allow_blank=True, max_length=20000)
    problems_text = serializers.CharField(required=False, allow_blank=True, max_length=20000)


class SummaryFileUploadSerializer(serializers.Serializer):
    kind = KindField()
    file = serializers.FileField(help_text="docx/pdf; jpg/png/webp; mp4/mov/webm.")
    caption = serializers.CharField(required=False, allow_blank=True, max_length=200)


class SummaryTransitionSerializer(serializers.Serializer):
    action = ActionField()
    reason = serializers.CharField(
        required=False, allow_blank=True, max_length=2000, help_text="Required to return."
    )
