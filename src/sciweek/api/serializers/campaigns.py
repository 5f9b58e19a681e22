from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from sciweek.campaigns.forms import RECIPIENT_KINDS
from sciweek.campaigns.models import (
    BasisDocument,
    Edition,
    FocusArea,
    Notice,
    NoticeAttachment,
    NoticeRecipient,
)
from sciweek.organizations.models import Organization

from .common import ReferenceField, ResponseModelSerializer


class BasisDocumentSerializer(ResponseModelSerializer):
    class Meta:
        model = BasisDocument
        fields = ["number", "title", "issuer"]


class FocusAreaSerializer(ResponseModelSerializer):
    class Meta:
        model = FocusArea
        fields = ["title", "description"]


class EditionCategorySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()


class EditionSerializer(ResponseModelSerializer):
    organizer_name = serializers.CharField(source="organizer.name", read_only=True)
    categories = EditionCategorySerializer(
        many=True, read_only=True, help_text="Activity categories: an activity names one by id."
    )
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
            "booker_sms_always",
            "organizer",
            "organizer_name",
            "basis_documents",
            "focus_areas",
            "categories",
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


class EditionWriteSerializer(serializers.ModelSerializer):
    """Creating or changing an edition: the fields of the back office's edition form. Given,
    ``basis_documents`` and ``focus_areas`` are the whole lists in order (rows are matched by
    their place in the list), so an edition as read can be written back unchanged."""

    basis_documents = BasisDocumentSerializer(many=True, required=False)
    focus_areas = FocusAreaSerializer(many=True, required=False)

    class Meta:
        model = Edition
        fields = [
            "year", "title", "theme", "start_date", "end_date", "summary_deadline",
            "receiving_section", "receiving_email", "booker_sms_always", "basis_documents",
            "focus_areas",
        ]  # fmt: skip


class EditionCopySerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100)


class EditionTransitionSerializer(serializers.Serializer):
    # Any text reaches the workflow, which names an unknown or impossible status in its refusal.
    to = serializers.CharField(help_text="`published`, `closed` or `archived`.")


class NoticeWriteSerializer(serializers.ModelSerializer):
    """A draft notice: the back office's notice form. ``recipients``, when given, is the whole
    list of organisations that must acknowledge it."""

    edition = ReferenceField(queryset=Edition.objects.all())
    recipients = ReferenceField(
        many=True,
        required=False,
        queryset=Organization.objects.active().filter(kind__in=RECIPIENT_KINDS),
        help_text="Organisations (areas, departments, host units, co-organisers).",
    )

    class Meta:
        model = Notice
        fields = ["edition", "title", "document_number", "body", "recipients"]


class NoticeAttachmentUploadSerializer(serializers.Serializer):
    file = serializers.FileField(
        help_text=_("PDF, Word (docx), Excel (xlsx), JPG or PNG."),
    )


class RemindedSerializer(serializers.Serializer):
    reminded = serializers.IntegerField(
        help_text="Organisations reminded now (those reminded in the last 20 hours are skipped)."
    )
