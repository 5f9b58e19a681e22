"""Notices: what the user's organisations received and acknowledge (签收), and for the organiser
the same writes as the back office's notice pages — draft, recipients, attachments, publish,
remind — and the board of acknowledgements."""

from django.db import transaction
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from sciweek.campaigns import services
from sciweek.campaigns.models import Notice, NoticeAttachment, NoticeRecipient
from sciweek.campaigns.selectors import deliveries_of, notices_visible_to
from sciweek.organizations.selectors import organizations_acted_for

from ..concurrency import IF_MATCH, PRECONDITION_FAILED, require_current, tagged
from ..parsers import BoundedFormParser, BoundedMultiPartParser
from ..permissions import RulesPermission
from ..serializers.campaigns import (
    AcknowledgementSerializer,
    AcknowledgeSerializer,
    NoticeAttachmentSerializer,
    NoticeAttachmentUploadSerializer,
    NoticeSerializer,
    NoticeWriteSerializer,
    RemindedSerializer,
)
from ..serializers.common import ErrorSerializer

UNAUTHENTICATED = OpenApiResponse(ErrorSerializer, description="Not signed in.")
NOT_FOUND = OpenApiResponse(ErrorSerializer, description="Unknown or not visible to this user.")
NOT_ORGANISER = OpenApiResponse(ErrorSerializer, description="Not the organiser's staff.")
PUBLISHED = OpenApiResponse(
    ErrorSerializer,
    description="`notice_published` (a published notice is a record and does not change); or "
    "field errors (`invalid`, with `errors`).",
)
WRITE = {
    200: NoticeSerializer,
    400: PUBLISHED,
    401: UNAUTHENTICATED,
    403: NOT_ORGANISER,
    404: NOT_FOUND,
    412: PRECONDITION_FAILED,
}
ATTACHMENT_ID = OpenApiParameter(
    "attachment_id", OpenApiTypes.INT, OpenApiParameter.PATH, description="Attachment id."
)


@extend_schema_view(
    list=extend_schema(
        summary="Notices for the user's organisations",
        description=(
            "The organiser sees every notice; other users the published notices addressed to an "
            "organisation they act for."
        ),
        responses={200: NoticeSerializer(many=True), 401: UNAUTHENTICATED},
    ),
    retrieve=extend_schema(
        summary="One notice",
        description="The `ETag` header is the version to send back in `If-Match`.",
        responses={200: NoticeSerializer, 401: UNAUTHENTICATED, 404: NOT_FOUND},
    ),
    create=extend_schema(
        summary="Write a draft notice",
        request=NoticeWriteSerializer,
        responses={
            201: NoticeSerializer,
            400: PUBLISHED,
            401: UNAUTHENTICATED,
            403: NOT_ORGANISER,
        },
    ),
    update=extend_schema(
        summary="Change a draft notice",
        description="The notice as read may be written back unchanged. With `If-Match`, "
        "refused with 412 when someone else saved it since.",
        request=NoticeWriteSerializer,
        parameters=[IF_MATCH],
        responses=WRITE,
    ),
    partial_update=extend_schema(
        summary="Change some of a draft notice's fields",
        request=NoticeWriteSerializer,
        parameters=[IF_MATCH],
        responses=WRITE,
    ),
)
class NoticeViewSet(
    mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet
):
    serializer_class = NoticeSerializer
    permission_classes = (IsAuthenticated, RulesPermission)
    # The names the back-office pages use for the same actions.
    rules_permissions = {
        "retrieve": "campaigns.view_notice",
        "acknowledge": "campaigns.view_notice",
        "acknowledgements": "campaigns.view_acknowledgements",
        "remind": "campaigns.remind_recipients",
        **dict.fromkeys(
            ("create", "update", "partial_update", "publish", "attachments", "attachment_detail"),
            "campaigns.manage_notice",
        ),
    }

    def get_serializer_class(self):
        if self.action in ("create", "update", "partial_update"):
            return NoticeWriteSerializer
        return NoticeSerializer

    def _answer(self, notice: Notice, code: int = status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=notice.pk)
        data = NoticeSerializer(fresh, context=self.get_serializer_context()).data
        return tagged(Response(data, status=code), fresh)

    def _save(self, notice: Notice, data: dict) -> Notice:
        recipients = data.pop("recipients", None)
        for name, value in data.items():
            setattr(notice, name, value)
        return services.notice_save(notice=notice, recipients=recipients, by=self.request.user)

    def retrieve(self, request, *args, **kwargs):
        notice = self.get_object()
        return tagged(Response(self.get_serializer(notice).data), notice)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        notice = self._save(Notice(), dict(serializer.validated_data))
        return self._answer(notice, status.HTTP_201_CREATED)

    def update(self, request, *args, partial=False, **kwargs):
        notice = self.get_object()
        with transaction.atomic():
            require_current(request, Notice.objects.select_for_update().get(pk=notice.pk))
            serializer = self.get_serializer(notice, data=request.data, partial=partial)
            serializer.is_valid(raise_exception=True)
            self._save(notice, dict(serializer.validated_data))
        return self._answer(notice)

    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, partial=True, **kwargs)

    @extend_schema(
        summary="Publish a draft notice",
        description="Every member and contact of every recipient hears of it (email and SMS).",
        request=None,
        responses={
            200: NoticeSerializer,
            400: OpenApiResponse(
                ErrorSerializer, description="`no_recipients`, `transition_not_allowed`."
            ),
            401: UNAUTHENTICATED,
            403: NOT_ORGANISER,
            404: NOT_FOUND,
        },
    )
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        notice = services.notice_publish(notice=self.get_object(), by=request.user)
        return self._answer(notice)

    @extend_schema(
        summary="Remind those who have not acknowledged",
        description="Reminds every recipient still silent, except those reminded in the last "
        "20 hours (a second press sends nothing).",
        request=None,
        responses={
            200: RemindedSerializer,
            400: OpenApiResponse(ErrorSerializer, description="`notice_not_published`."),
            401: UNAUTHENTICATED,
            403: NOT_ORGANISER,
            404: NOT_FOUND,
        },
    )
    @action(detail=True, methods=["post"])
    def remind(self, request, pk=None):
        count = services.notice_remind(notice=self.get_object(), by=request.user)
        return Response({"reminded": count})

    @extend_schema(
        summary="Attach a document to a draft notice",
        description="Multipart `file`: PDF, Word (docx), Excel (xlsx), JPG or PNG, checked by "
        "content.",
        request={"multipart/form-data": NoticeAttachmentUploadSerializer},
        responses={
            201: NoticeAttachmentSerializer,
            400: OpenApiResponse(
                ErrorSerializer,
                description="`notice_published`, `file_too_large`, `file_type_refused`; or a "
                "field error when `file` is missing.",
            ),
            401: UNAUTHENTICATED,
            403: NOT_ORGANISER,
            404: NOT_FOUND,
        },
    )
    @action(
        detail=True,
        methods=["post"],
        parser_classes=[BoundedMultiPartParser, BoundedFormParser],
    )
    def attachments(self, request, pk=None):
        notice = self.get_object()
        serializer = NoticeAttachmentUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        attachment = services.notice_attach(
            notice=notice, upload=serializer.validated_data["file"], by=request.user
        )
        return Response(NoticeAttachmentSerializer(attachment).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Remove an attachment from a draft notice",
        parameters=[ATTACHMENT_ID],
        request=None,
        responses={
            204: None,
            400: OpenApiResponse(ErrorSerializer, description="`notice_published`."),
            401: UNAUTHENTICATED,
            403: NOT_ORGANISER,
            404: NOT_FOUND,
        },
    )
    @action(
        detail=True,
        methods=["delete"],
        url_path=r"attachments/(?P<attachment_id>[0-9]+)",
        url_name="attachment-detail",
    )
    def attachment_detail(self, request, pk=None, attachment_id=None):
        notice = self.get_object()
        attachment = get_object_or_404(NoticeAttachment, notice=notice, pk=attachment_id)
        services.notice_detach(attachment=attachment, by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    def get_queryset(self):
        user = self.request.user
        mine = (
            NoticeRecipient.objects.filter(organization__in=organizations_acted_for(user))
            .select_related("organization", "acknowledged_by")
            .order_by("organization__path")
        )
        # Invisible notices are simply not in the queryset: 404, their existence stays secret.
        return (
            notices_visible_to(user)
            .prefetch_related("attachments", Prefetch("deliveries", mine, to_attr="my_recipients"))
            .order_by("-published_at", "-created_at", "-pk")
        )

    @extend_schema(
        summary="Acknowledge receipt (签收) for an organisation",
        description=(
            "Records that the organisation received the notice, once. The user must act for the "
            "organisation (an office role in it, or admin of its area)."
        ),
        request=AcknowledgeSerializer,
        responses={
            200: AcknowledgementSerializer,
            400: OpenApiResponse(
                ErrorSerializer,
                description=(
                    "Refused: `not_a_recipient`, `already_acknowledged`; or a field error when "
                    "`organization` is missing or unknown."
                ),
            ),
            401: UNAUTHENTICATED,
            403: OpenApiResponse(
                ErrorSerializer, description="`permission_denied`: not acting for it."
            ),
            404: NOT_FOUND,
        },
    )
    @action(detail=True, methods=["post"])
    def acknowledge(self, request, pk=None):
        notice = self.get_object()
        serializer = AcknowledgeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        # ServiceError and PermissionRefused become {"code", "detail"} in api.errors.
        delivery = services.notice_acknowledge(
            notice=notice, organization=serializer.validated_data["organization"], by=request.user
        )
        return Response(AcknowledgementSerializer(delivery).data)

    @extend_schema(
        summary="Every recipient and its acknowledgement",
        description="For the organiser: one row per recipient, acknowledged or not.",
        responses={
            200: AcknowledgementSerializer(many=True),
            401: UNAUTHENTICATED,
            403: OpenApiResponse(ErrorSerializer, description="Not organiser staff."),
            404: NOT_FOUND,
        },
    )
    @action(detail=True, methods=["get"])
    def acknowledgements(self, request, pk=None):
        notice = self.get_object()
        rows = deliveries_of(notice)
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(AcknowledgementSerializer(page, many=True).data)
