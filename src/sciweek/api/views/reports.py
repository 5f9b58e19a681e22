"""Area summaries: the list a user may see, statistics and narrative, files and the review
workflow.

Visibility first: a summary the user may not see is not in the queryset (404). Then the rules
(403: e.g. the city may read but not edit an area's figures), then the services (400 with a
stable code and a message, e.g. a video's measured duration).
"""

from __future__ import annotations

from django.db import transaction
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from sciweek.reports import services, uploads
from sciweek.reports.models import AreaSummary
from sciweek.reports.selectors import summaries_visible_to

from ..parsers import BoundedFormParser, BoundedJSONParser, BoundedMultiPartParser
from ..permissions import RulesPermission
from ..serializers.common import ErrorSerializer
from ..serializers.reports import (
    SummaryFileSerializer,
    SummaryFileUploadSerializer,
    SummaryListSerializer,
    SummaryPatchSerializer,
    SummarySerializer,
    SummaryTransitionSerializer,
)

UNAUTHENTICATED = OpenApiResponse(ErrorSerializer, description="Not signed in.")
NOT_FOUND = OpenApiResponse(ErrorSerializer, description="Unknown or not visible to this user.")
NOT_AREA = OpenApiResponse(
    ErrorSerializer, description="Not an office role of the summary's area (the city reads only)."
)


def _fresh(pk: int) -> AreaSummary:
    """The summary with everything the serializer shows, read after a write."""
    return (
        AreaSummary.objects.select_related("task", "task__edition", "area")
        .prefetch_related("figures", "files")
        .get(pk=pk)
    )


@extend_schema_view(
    list=extend_schema(
        summary="Area summaries",
        description="The summaries the user may see: an area office its own areas', city staff "
        "every area's. Newest edition first.",
        responses={200: SummaryListSerializer(many=True), 401: UNAUTHENTICATED},
    ),
    retrieve=extend_schema(
        summary="One area summary",
        description="Statistics (the platform's figure, the reported one and why it changed), "
        "narrative, files, what is still missing, and the review state.",
        responses={200: SummarySerializer, 401: UNAUTHENTICATED, 404: NOT_FOUND},
    ),
)
class ReportViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = SummarySerializer
    permission_classes = (IsAuthenticated, RulesPermission)
    rules_permissions = {
        "retrieve": "reports.view_summary",
        "partial_update": "reports.change_summary",
        "files": "reports.change_summary",
        "transitions": "reports.view_summary",
    }
    http_method_names = ["get", "patch", "post", "head", "options"]

    def get_queryset(self):
        qs = summaries_visible_to(self.request.user).order_by("-task__edition__year", "area__path")
        if self.action == "retrieve":
            qs = qs.prefetch_related("figures", "files")
        return qs

    def get_serializer_class(self):
        if self.action == "list":
            return SummaryListSerializer
        return SummarySerializer

    @extend_schema(
        summary="Change statistics and narrative",
        description="While the summary is a draft or returned, for the area's office. A figure "
        "whose value differs from the platform's needs a `note`; `value: null` reports the "
        "platform's figure again. Everything in one transaction.",
        request=SummaryPatchSerializer,
        responses={
            200: SummarySerializer,
            400: OpenApiResponse(
                ErrorSerializer,
                description="`not_editable`; or `errors` by figure key (unknown figure, note "
                "missing) or field.",
            ),
            401: UNAUTHENTICATED,
            403: NOT_AREA,
            404: NOT_FOUND,
        },
    )
    def partial_update(self, request, pk=None):
        summary = self.get_object()
        serializer = SummaryPatchSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        texts = {k: v for k, v in data.items() if k in services.NARRATIVE_FIELDS}
        with transaction.atomic():
            if "figures" in data:
                services.figures_update(
                    summary=summary,
                    values={
                        key: (item.get("value"), item.get("note", ""))
                        for key, item in data["figures"].items()
                    },
                    by=request.user,
                )
            if texts:
                services.narrative_update(summary=summary, texts=texts, by=request.user)
        return Response(SummarySerializer(_fresh(summary.pk)).data)

    @extend_schema(
        summary="Add a file",
        description="Multipart: `kind` = document | photo | video, `file`, optional `caption`. "
        "Checked by content: documents docx/pdf; photos jpg/png/webp (re-encoded, EXIF removed, "
        "decompression bombs refused); videos mp4/mov/webm with the real duration measured "
        "(over the task's limit is refused, naming the duration found). Streamed to storage.",
        request={"multipart/form-data": SummaryFileUploadSerializer},
        responses={
            201: SummaryFileSerializer,
            400: OpenApiResponse(
                ErrorSerializer,
                description="`file_too_large`, `file_type_refused`, `image_too_many_pixels`, "
                "`image_damaged`, `video_damaged`, `video_truncated`, `video_too_long`, "
                "`too_many_files`, `not_editable`; or field errors.",
            ),
            401: UNAUTHENTICATED,
            403: NOT_AREA,
            404: NOT_FOUND,
        },
    )
    @action(
        detail=True, methods=["post"], parser_classes=[BoundedMultiPartParser, BoundedFormParser]
    )
    def files(self, request, pk=None):
        summary = self.get_object()
        serializer = SummaryFileUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        item = uploads.file_add(
            summary=summary,
            kind=serializer.validated_data["kind"],
            upload=serializer.validated_data["file"],
            caption=serializer.validated_data.get("caption", ""),
            by=request.user,
        )
        return Response(SummaryFileSerializer(item).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Submit, accept or return",
        description="`submit` (the area, from draft or returned; late after the deadline), "
        "`accept` or `return` with a `reason` (city reviewers, from submitted).",
        request=SummaryTransitionSerializer,
        responses={
            200: SummarySerializer,
            400: OpenApiResponse(
                ErrorSerializer,
                description="`transition_not_allowed`, `reason_required`, `incomplete` (names "
                "what is missing).",
            ),
            401: UNAUTHENTICATED,
            403: OpenApiResponse(ErrorSerializer, description="`permission_denied`."),
            404: NOT_FOUND,
        },
    )
    @action(detail=True, methods=["post"], parser_classes=[BoundedJSONParser, BoundedFormParser])
    def transitions(self, request, pk=None):
        summary = self.get_object()
        serializer = SummaryTransitionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.summary_transition(
            summary=summary,
            action=serializer.validated_data["action"],
            by=request.user,
            reason=serializer.validated_data.get("reason", ""),
        )
        return Response(SummarySerializer(_fresh(summary.pk)).data)
