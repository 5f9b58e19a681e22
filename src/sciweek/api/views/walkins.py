"""``POST /api/v1/sessions/{id}/walk-ins/``: admit a visitor without a booking at the gate.

The same service as the gate's walk-in page (``bookings.walkins.walk_in_admit``): the booking's
own checks and capacity, during the check-in time, checked in at once. For the people who may
check visitors in at the session.
"""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from sciweek.activities.models import Session
from sciweek.bookings import gate_lookup, walkins
from sciweek.bookings.selectors import session_counts
from sciweek.bookings.validation import BookingRequest

from ..serializers.bookings import BookingCreateSerializer
from ..serializers.checkins import CheckInCountsSerializer
from ..serializers.common import ErrorSerializer


class WalkInResultSerializer(serializers.Serializer):
    name = serializers.CharField(
        help_text="The visitor's name: in full for the venue's own people at a real-name "
        "session, masked (张*三) otherwise."
    )
    party_size = serializers.IntegerField()
    checked_in_at = serializers.DateTimeField()
    session = serializers.IntegerField()
    counts = CheckInCountsSerializer(help_text="This session's live counts after the walk-in.")


class SessionWalkInView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="sessions_walk_ins_create",
        summary="Admit a walk-in at a session's gate",
        description=(
            "For the people who may check visitors in at the session. A visitor without a "
            "booking takes free places under the booking's rules (the same fields as "
            "`POST /api/v1/sessions/{id}/bookings/`, the resident-ID check digit, the edition's "
            "one-session-per-day rule), during the check-in time only, and is checked in at once."
        ),
        parameters=[
            OpenApiParameter(
                "session_id", OpenApiTypes.INT, OpenApiParameter.PATH, description="Session id."
            )
        ],
        request=BookingCreateSerializer,
        responses={
            201: WalkInResultSerializer,
            400: OpenApiResponse(
                ErrorSerializer, description="Field errors; `detail` is the first."
            ),
            401: OpenApiResponse(ErrorSerializer, description="Not signed in."),
            403: OpenApiResponse(
                ErrorSerializer, description="May not check people in at this session."
            ),
            404: OpenApiResponse(
                ErrorSerializer, description="No such session, or it takes no bookings."
            ),
            409: OpenApiResponse(
                ErrorSerializer,
                description="`full`, `outside_window` (not the check-in time), "
                "`booking_closed` (closed by the organiser), `already_booked`, `one_per_day`, "
                "`no_places`, `party_too_large`.",
            ),
        },
        tags=["bookings"],
    )
    def post(self, request, session_id: int):
        session = get_object_or_404(
            Session.objects.select_related("activity", "activity__host"), pk=session_id
        )
        if not session.activity.takes_bookings:
            raise Http404
        if not request.user.has_perm("bookings.check_in", session):
            raise PermissionDenied("You may not check people in at this session.")
        serializer = BookingCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        booking = walkins.walk_in_admit(
            session=session, data=BookingRequest(**serializer.validated_data), by=request.user
        )
        reveal = gate_lookup.may_identify(request.user, session)
        body = {
            "name": booking.name if reveal else booking.masked_name,
            "party_size": booking.party_size,
            "checked_in_at": booking.checked_in_at,
            "session": session.pk,
            "counts": session_counts(session).as_dict(),
        }
        return Response(WalkInResultSerializer(body).data, status=status.HTTP_201_CREATED)
