"""``POST /api/v1/sessions/{id}/checkins/``: check a ticket in at a session's gate.

The same service as the gate page. Every answer about a ticket is 200 with ``result``, so a
scanner needs to look at one field; only the request itself can fail: 400 (no code), 401 (not
signed in), 403 (may not check people in at this session), 404 (no such bookable session).
"""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from sciweek.activities.models import Session
from sciweek.bookings import checkin_sync, services
from sciweek.bookings.enums import CheckInResult
from sciweek.bookings.selectors import session_counts

from ..serializers.checkins import CheckInRequestSerializer, CheckInResultSerializer
from ..serializers.common import ErrorSerializer


class SessionCheckInView(APIView):
    permission_classes = [IsAuthenticated]

    def get_session(self, session_id: int) -> Session:
        session = get_object_or_404(
            Session.objects.select_related("activity", "activity__host"), pk=session_id
        )
        if not session.activity.takes_bookings:
            raise Http404
        if not self.request.user.has_perm("bookings.check_in", session):
            raise PermissionDenied("You may not check people in at this session.")
        return session

    @extend_schema(
        summary="Check a ticket in at a session",
        description=(
            "For gate staff of the host unit, its office people, its area's admin and the "
            "organiser. Idempotent: scanning the same ticket again answers `already` with the "
            "time of the first check-in and changes nothing. **Every answer about the ticket is "
            "200**, with `result` saying what it is (only `ok` admits); 4xx means the request "
            "itself was refused."
        ),
        request=CheckInRequestSerializer,
        responses={
            200: CheckInResultSerializer,
            400: OpenApiResponse(
                ErrorSerializer, description="`code` missing or longer than 64 characters."
            ),
            401: OpenApiResponse(ErrorSerializer, description="Not signed in."),
            403: OpenApiResponse(
                ErrorSerializer, description="May not check people in at this session."
            ),
            404: OpenApiResponse(
                ErrorSerializer, description="No such session, or it takes no bookings."
            ),
        },
        tags=["bookings"],
    )
    def post(self, request, session_id: int):
        session = self.get_session(session_id)
        data = CheckInRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        outcome = checkin_sync.scan_online(
            session=session,
            code=data.validated_data["code"],
            by=request.user,
            override=data.validated_data["override"],
        )
        opens, closes = services.checkin_window(session)
        booking = outcome.booking
        ticket_session = None
        if outcome.result == CheckInResult.WRONG_SESSION and booking is not None:
            ticket_session = f"{booking.session.activity.title} · {booking.session}"
        body = {
            "result": outcome.result,
            "label": str(CheckInResult(outcome.result).label),
            "name": booking.masked_name if booking is not None else "",
            "party_size": booking.party_size if booking is not None else None,
            "group_name": booking.group_name if booking is not None else "",
            "checked_in_at": outcome.when
            if outcome.result in (CheckInResult.OK, CheckInResult.ALREADY)
            else None,
            "ticket_session": ticket_session,
            "window_opens_at": opens,
            "window_closes_at": closes,
            "counts": session_counts(session).as_dict(),
        }
        return Response(CheckInResultSerializer(body).data)
