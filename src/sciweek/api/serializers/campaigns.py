from rest_framework import serializers

from sciweek.campaigns.models import (
    BasisDocument,
    Edition,
    FocusArea,
    Notice,
    NoticeAttachment,
    NoticeRecipient,
)
from sciweek.organizations.models import Organization

from .common import ResponseModelSerializer


class BasisDocumentSerializer(ResponseModelSerializer):
    class Meta:
        model = BasisDocument
        fields = ["number", "title", "issuer"]


class FocusAreaSerializer(ResponseModelSerializer):
    class Meta:
        model = FocusArea
        fields = ["title", "description"]


class EditionSerializer(ResponseModelSerializer):
    organizer_name = serializers.CharField(source="organizer.name", read_only=True)
    basis_documents = BasisDocumentSerializer(many=True, read_only=True)
    focus_areas = FocusAreaSerializer(many=True, read_only=True)

    class Meta:
        model = Edition
        fields = [
            "id",
            "year",
            "title",
            "theme",
            "status",
            "start_date",
            "end_date",
            "summary_deadline",
            "receiving_section",
            "receiving_email",
            "organizer",
            "organizer_name",
            "basis_documents",
            "focus_areas",
        ]
        read_only_fields = fields


class AcknowledgementSerializer(ResponseModelSerializer):
    """One recipient of a notice and its acknowledgement (签收); not yet acknowledged when
    ``acknowledged_at`` is null."""

    organization = serializers.IntegerField(source="organization_id", read_only=True)
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    acknowledged_by = serializers.CharField(
        source="acknowledged_by.username", read_only=True, allow_null=True
    )

    class Meta:
        model = NoticeRecipient
        fields = ["organization", "organization_name", "acknowledged_at", "acknowledged_by"]
        read_only_fields = fields


class NoticeAttachmentSerializer(ResponseModelSerializer):
    name = serializers.CharField(source="original_name", read_only=True)

    class Meta:
        model = NoticeAttachment
        fields = ["id", "name", "content_type", "size"]
        read_only_fields = fields


class NoticeSerializer(ResponseModelSerializer):
    edition_title = serializers.CharField(source="edition.title", read_only=True)
    recipient_count = serializers.IntegerField(read_only=True)
    acknowledged_count = serializers.IntegerField(read_only=True)
    attachments = NoticeAttachmentSerializer(many=True, read_only=True)
    my_recipients = AcknowledgementSerializer(
        many=True,
        read_only=True,
        help_text=(
            "The recipients this user may acknowledge for, with their acknowledgement; "
            "post one of these organisation ids to the acknowledge action."
        ),
    )

    class Meta:
        model = Notice
        fields = [
            "id",
            "edition",
            "edition_title",
            "title",
            "document_number",
            "body",
            "status",
            "published_at",
            "recipient_count",
            "acknowledged_count",
            "attachments",
            "my_recipients",
        ]
        read_only_fields = fields


class AcknowledgeSerializer(serializers.Serializer):
    # Any organisation is accepted here; whether it is a recipient and whether the user may speak
    # for it is the service's decision, so the page and the API refuse in the same words.
    organization = serializers.PrimaryKeyRelatedField(queryset=Organization.objects.all())
