"""The API of a published activity's life, mixed into the activities endpoint: its changes
(GET the list, POST corrections and a proposal) and a reviewer's decision."""

from __future__ import annotations

from django.db import transaction
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from sciweek.activities import changes
from sciweek.common.errors import ServiceError

from ..serializers.activity_changes import (
    ChangeDecisionSerializer,
    ChangeProposalSerializer,
    ChangeSerializer,
)
from ..serializers.common import ErrorSerializer


class ActivityChangesMixin:
    """``/activities/{id}/changes/`` and ``/activities/{id}/changes/{change_id}/decision/``."""

    @extend_schema(
        methods=["GET"],
        summary="The activity's changes",
        responses={
            200: ChangeSerializer(many=True),
            403: OpenApiResponse(
                ErrorSerializer, description="May not see the activity's changes."
            ),
        },
    )
    @extend_schema(
        methods=["POST"],
        summary="Correct and propose a change of a published activity",
        description="Corrections (title, summary, description) apply at once; venue, booking "
        "rules and session times wait for the area's approval (the city's for activities of "
        "organisations in no area). Answers the proposed change, or 200 with no body when only "
        "corrections were given.",
        request=ChangeProposalSerializer,
        responses={
            201: ChangeSerializer,
            200: None,
            400: OpenApiResponse(
                ErrorSerializer,
                description="`not_published`, `no_change`, `change_pending`, `bad_field`, "
                "`bad_value`, `bad_session`, `session_order`, `session_outside_week`.",
            ),
        },
    )
    @action(
        detail=True, methods=["get", "post"], permission_classes=[IsAuthenticated],
        filterset_class=None, pagination_class=None,
    )  # fmt: skip
    def changes(self, request, pk=None):
        activity = self.get_object()
        if not request.user.has_perm("activities.view_documents", activity):
            raise PermissionDenied
        if request.method == "GET":
            return Response(ChangeSerializer(activity.changes.all(), many=True).data)
        if not request.user.has_perm("activities.change_published", activity):
            raise PermissionDenied
        serializer = ChangeProposalSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        sessions = {
            int(pk): (times["starts_at"], times["ends_at"])
            for pk, times in data.get("sessions", {}).items()
            if str(pk).isdigit()
        }
        if len(sessions) != len(data.get("sessions", {})):
            raise ServiceError(_("That session is not this activity's."), code="bad_session")
        with transaction.atomic():
            if data.get("corrections"):
                changes.activity_correct(
                    activity=activity, values=data["corrections"], by=request.user
                )
            if not (data.get("fields") or sessions):
                if not data.get("corrections"):
                    raise ServiceError(_("Nothing was changed."), code="no_change")
                return Response(status=status.HTTP_200_OK)
            change = changes.change_propose(
                activity=activity, fields=data.get("fields"), sessions=sessions,
                note=data.get("note", ""), by=request.user,
            )  # fmt: skip
        return Response(ChangeSerializer(change).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Approve or reject a change",
        request=ChangeDecisionSerializer,
        responses={
            200: ChangeSerializer,
            400: OpenApiResponse(
                ErrorSerializer,
                description="`unknown_action`, `transition_not_allowed`, `reason_required`, "
                "`not_published`.",
            ),
            403: OpenApiResponse(ErrorSerializer, description="`permission_denied`."),
        },
    )
    @action(
        detail=True, methods=["post"], permission_classes=[IsAuthenticated], filterset_class=None,
        url_path=r"changes/(?P<change_id>[0-9]+)/decision", url_name="change-decision",
    )  # fmt: skip
    def change_decision(self, request, pk=None, change_id=None):
        activity = self.get_object()
        change = get_object_or_404(activity.changes, pk=change_id)
        serializer = ChangeDecisionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        change = changes.change_decide(
            change=change, action=serializer.validated_data["action"], by=request.user,
            reason=serializer.validated_data.get("reason", ""),
        )  # fmt: skip
        change.refresh_from_db()
        return Response(ChangeSerializer(change).data)


__all__ = ["ActivityChangesMixin"]
