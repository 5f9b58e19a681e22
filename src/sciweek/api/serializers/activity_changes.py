"""A published activity's changes: proposed by its host, decided by its reviewer."""

from rest_framework import serializers

from sciweek.activities.changes import CHANGE_FIELDS
from sciweek.activities.enums import CORRECTION_FIELDS
from sciweek.activities.models import ActivityChange

from .common import ResponseModelSerializer


class SessionTimesSerializer(serializers.Serializer):
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()


class ChangeProposalSerializer(serializers.Serializer):
    corrections = serializers.DictField(
        required=False,
        help_text=f"Applied at once: any of {', '.join(CORRECTION_FIELDS)}.",
    )
    fields = serializers.DictField(
        required=False,
        help_text=f"Proposed for approval: any of {', '.join(CHANGE_FIELDS)}.",
    )
    sessions = serializers.DictField(
        child=SessionTimesSerializer(),
        required=False,
        help_text="Proposed for approval: `{session id: {starts_at, ends_at}}`.",
    )
    note = serializers.CharField(required=False, allow_blank=True, max_length=200)


class ChangeSerializer(ResponseModelSerializer):
    state = serializers.CharField(read_only=True)

    class Meta:
        model = ActivityChange
        fields = ["id", "state", "fields", "sessions", "before", "note", "reason", "created_at"]
        read_only_fields = fields


class ChangeDecisionSerializer(serializers.Serializer):
    action = serializers.CharField(max_length=20, help_text="`approve` or `reject`.")
    reason = serializers.CharField(
        required=False, allow_blank=True, max_length=2000, help_text="Required to reject."
    )
