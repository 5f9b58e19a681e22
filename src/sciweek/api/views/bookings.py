"""Public booking: ``POST /api/v1/sessions/{id}/bookings/``. Anonymous; the same service as the
booking page, so the same rules and the same words (in the request's language). ``GET`` on the
same path is the back office's list (``session_bookings``)."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from sciweek.activities.selectors import public_sessions
from sciweek.bookings import services
from sciweek.bookings.enums import BookingStatus
from sciweek.bookings.ratelimit import check_booking_rate
from sciweek.bookings.validation import BookingRequest
from sciweek.common.requestlocal import client_ip

from ..serializers.bookings import (
    BookingCreateSerializer,
    BookingResultSerializer,
)
from ..serializers.common import ErrorSerializer
from .session_bookings import LIST_SCHEMA, list_bookings


class SessionBookingView(APIView):
    """POST: the public books. GET: the back office lists the session's bookings."""

    def get_permissions(self):
        return [IsAuthenticated()] if self.request.method == "GET" else [AllowAny()]

    @LIST_SCHEMA
    def get(self, request, session_id: int):
        return list_bookings(self, request, session_id)

    @extend_schema(
        operation_id="sessions_bookings_create",
        summary="Book a session",
        description=(
            "Anonymous. Books `party_size` places in a session of a published activity that "
            "takes bookings, or joins its waiting list when it is full. Errors come in the "
            "request's language (Accept-Language; Chinese by default). Rate-limited per client "
            "address and per mobile number."
        ),
        parameters=[
            OpenApiParameter(
                "session_id", OpenApiTypes.INT, OpenApiParameter.PATH, description="Session id."
            )
        ],
        request=BookingCreateSerializer,
        responses={
            201: OpenApiResponse(BookingResultSerializer, description="Confirmed."),
            202: OpenApiResponse(BookingResultSerializer, description="On the waiting list."),
            400: OpenApiResponse(
                ErrorSerializer, description="Field errors; `detail` is the first."
            ),
            404: OpenApiResponse(ErrorSerializer, description="Unknown or not public session."),
            409: OpenApiResponse(
                ErrorSerializer,
                description="`full` (and no waiting list), `booking_closed`, `already_booked` "
                "(one active booking per person and session), `booking_not_offered`; the "
                "edition's fair-use rules: `no_show_blocked` (too many no-shows: booking paused, "
                "`detail` says until when), `one_per_day` (one session per person per day).",
            ),
            429: OpenApiResponse(ErrorSerializer, description="`rate_limited`."),
        },
    )
    def post(self, request, session_id: int):
        session = get_object_or_404(public_sessions(), pk=session_id)
        phone = request.data.get("phone", "") if hasattr(request.data, "get") else ""
        check_booking_rate(ip=client_ip(request), phone=phone if isinstance(phone, str) else "")
        serializer = BookingCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)  # field errors, as api.errors shapes them
        booking = services.book(session=session, data=BookingRequest(**serializer.validated_data))
        confirmed = booking.status == BookingStatus.CONFIRMED
        body = {
            "status": booking.status,
            "code": booking.code if confirmed else None,
            "position": None if confirmed else services.waiting_position(booking),
            "manage_url": request.build_absolute_uri(
                reverse("bookings:ticket", args=[booking.manage_token])
            ),
            "name": booking.masked_name,
            "party_size": booking.party_size,
            "session": session.pk,
        }
        return Response(
            body, status=status.HTTP_201_CREATED if confirmed else status.HTTP_202_ACCEPTED
        )
