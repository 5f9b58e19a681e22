from django.db.models import Prefetch
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response

from sciweek.campaigns import services
from sciweek.campaigns.models import Edition, NoticeRecipient
from sciweek.campaigns.selectors import deliveries_of, notices_visible_to
from sciweek.organizations.selectors import organizations_acted_for

from ..permissions import RulesPermission
from ..serializers.campaigns import (
    AcknowledgementSerializer,
    AcknowledgeSerializer,
    EditionSerializer,
    NoticeSerializer,
)
from ..serializers.common import ErrorSerializer

UNAUTHENTICATED = OpenApiResponse(ErrorSerializer, description="Not signed in.")
NOT_FOUND = OpenApiResponse(ErrorSerializer, description="Unknown or not visible to this user.")


@extend_schema_view(
    list=extend_schema(
        summary="Published editions",
        description="Every edition the public may see (published, closed or archived), newest first.",
    ),
    retrieve=extend_schema(
        summary="One published edition",
        responses={200: EditionSerializer, 404: NOT_FOUND},
    ),
)
class EditionViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = EditionSerializer
    permission_classes = (AllowAny,)
    # Public: no user-dependent state, so any authentication is irrelevant here.
    queryset = (
        Edition.objects.public()
        .select_related("organizer")
        .prefetch_related("basis_documents", "focus_areas")
        .order_by("-year")
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
        responses={200: NoticeSerializer, 401: UNAUTHENTICATED, 404: NOT_FOUND},
    ),
)
class NoticeViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = NoticeSerializer
    permission_classes = (IsAuthenticated, RulesPermission)
    # The names the back-office pages use for the same actions.
    rules_permissions = {
        "retrieve": "campaigns.view_notice",
        "acknowledge": "campaigns.view_notice",
        "acknowledgements": "campaigns.view_acknowledgements",
    }

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
