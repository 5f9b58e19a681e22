"""A session's bookings for the back office: the masked list (filtered like the page), its
spreadsheet, and cancelling one booking — the same selectors, exports, services and permission
names as the session's bookings page."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.http import content_disposition_header
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from sciweek.activities.models import Session
from sciweek.activities.selectors import activities_visible_to
from sciweek.bookings import services
from sciweek.bookings.enums import BookingStatus, CancelledBy
from sciweek.bookings.exports import export_workbook
from sciweek.bookings.models import Booking
from sciweek.bookings.selectors import bookings_of_session
from sciweek.common.exports import XLSX

from ..pagination import PageNumberPagination
from ..serializers.bookings import (
    BookingCancelledSerializer,
    BookingCancelSerializer,
    SessionBookingPageSerializer,
    SessionBookingSerializer,
)
from ..serializers.common import ErrorSerializer

SESSION_ID = OpenApiParameter(
    "session_id", OpenApiTypes.INT, OpenApiParameter.PATH, description="Session id."
)
BOOKING_ID = OpenApiParameter(
    "booking_id", OpenApiTypes.INT, OpenApiParameter.PATH, description="Booking id."
)
UNAUTHENTICATED = OpenApiResponse(ErrorSerializer, description="Not signed in.")
NOT_FOUND = OpenApiResponse(
    ErrorSerializer, description="Unknown session, or its activity is not visible to this user."
)
MAY_NOT = OpenApiResponse(ErrorSerializer, description="May not see or manage its bookings.")


def office_session(request, session_id: int, permission: str) -> Session:
    """The session, 404 when its activity is hidden from the user, 403 without ``permission``."""
    session = get_object_or_404(
        Session.objects.select_related("activity").filter(
            activity__in=activities_visible_to(request.user)
        ),
        pk=session_id,
    )
    if not request.user.has_perm(permission, session):
        raise PermissionDenied
    return session


def list_bookings(view: APIView, request, session_id: int) -> Response:
    """``GET /api/v1/sessions/{id}/bookings/`` (the POST beside it is the public booking)."""
    session = office_session(request, session_id, "bookings.view_bookings")
    status = request.query_params.get("status", "")
    rows = bookings_of_session(
        session,
        status=status if status in BookingStatus.values else "",
        code=services.normalize_code(request.query_params.get("code", "")[:32]),
    )
    paginator = PageNumberPagination()
    page = paginator.paginate_queryset(rows, request, view=view)
    return paginator.get_paginated_response(SessionBookingSerializer(page, many=True).data)


LIST_SCHEMA = extend_schema(
    operation_id="sessions_bookings_list",
    summary="A session's bookings (back office)",
    description="For those who see the session's bookings page: its host's people, its area's "
    "and the city's staff. Names, mobiles and ID numbers masked as the page shows them; oldest "
    "first. `status` and `code` (part of a ticket code) narrow the list.",
    parameters=[
        SESSION_ID,
        OpenApiParameter("status", OpenApiTypes.STR, enum=list(BookingStatus.values)),
        OpenApiParameter("code", OpenApiTypes.STR, description="Part of a ticket code."),
        OpenApiParameter("page", OpenApiTypes.INT),
        OpenApiParameter("page_size", OpenApiTypes.INT, description="At most 100."),
    ],
    responses={
        200: SessionBookingPageSerializer,
        401: UNAUTHENTICATED,
        403: MAY_NOT,
        404: NOT_FOUND,
    },
)


class SessionBookingsExportView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="A session's bookings as a spreadsheet",
        description="The masked list as xlsx, as the page's download (the unmasked one is asked "
        "for on the page, with a reason).",
        parameters=[SESSION_ID],
        responses={
            (200, XLSX): OpenApiResponse(OpenApiTypes.BINARY, description="The workbook."),
            401: UNAUTHENTICATED,
            403: MAY_NOT,
            404: NOT_FOUND,
        },
    )
    def get(self, request, session_id: int):
        session = office_session(request, session_id, "bookings.view_bookings")
        start = timezone.localtime(session.starts_at)
        response = HttpResponse(export_workbook(session, unmasked=False), content_type=XLSX)
        name = f"bookings-{session.activity_id}-{session.pk}-{start:%Y%m%d-%H%M}.xlsx"
        response["Content-Disposition"] = content_disposition_header(True, name)
        response["Cache-Control"] = "no-store"
        return response


class BookingCancelView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="Cancel a booking (back office)",
        description="The booker is told; freed places go to the waiting list in order.",
        parameters=[SESSION_ID, BOOKING_ID],
        request=BookingCancelSerializer,
        responses={
            200: BookingCancelledSerializer,
            400: OpenApiResponse(ErrorSerializer, description="`not_active` (already cancelled)."),
            401: UNAUTHENTICATED,
            403: MAY_NOT,
            404: NOT_FOUND,
        },
    )
    def post(self, request, session_id: int, booking_id: int):
        session = office_session(request, session_id, "bookings.manage_bookings")
        booking = get_object_or_404(Booking, pk=booking_id, session=session)
        serializer = BookingCancelSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        promoted = services.booking_cancel(
            booking=booking,
            by=CancelledBy.ORGANISER,
            actor=request.user,
            reason=serializer.validated_data.get("reason", "").strip(),
        )
        booking.refresh_from_db()
        data = {"booking": SessionBookingSerializer(booking).data, "promoted": len(promoted)}
        return Response(data)
