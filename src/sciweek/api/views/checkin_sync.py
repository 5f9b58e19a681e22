"""The offline gate: ``GET /api/v1/sessions/{id}/checkin-manifest/`` (the tickets a device checks
against offline) and ``POST /api/v1/sessions/{id}/checkins/batch/`` (the scans it made offline).
The same permission as the check-in itself: 403 for a user who may not check people in there,
404 for no such bookable session."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.response import Response

from sciweek.bookings import checkin_sync
from sciweek.bookings.enums import CheckInResult

from ..serializers.checkin_sync import (
    CheckInBatchRequestSerializer,
    CheckInBatchResultSerializer,
    CheckInManifestSerializer,
)
from ..serializers.common import ErrorSerializer
from .checkins import SessionCheckInView

REFUSED = {
    401: OpenApiResponse(ErrorSerializer, description="Not signed in."),
    403: OpenApiResponse(ErrorSerializer, description="May not check people in at this session."),
    404: OpenApiResponse(ErrorSerializer, description="No such session, or it takes no bookings."),
}


class SessionCheckInManifestView(SessionCheckInView):
    http_method_names = ["get", "head", "options"]

    @extend_schema(
        operation_id="sessions_checkin_manifest_retrieve",
        summary="The session's tickets, for checking in offline",
        description=(
            "For the same users as the check-in. Ticket codes are never sent: each ticket is "
            "the SHA-256 of `salt`, a colon and its normalised code (upper case, letters and "
            "digits only), with a salt new for each manifest; names masked; the ID's last four "
            "characters where the activity is real-name."
        ),
        responses={200: CheckInManifestSerializer, **REFUSED},
        tags=["bookings"],
    )
    def get(self, request, session_id: int):
        session = self.get_session(session_id)
        manifest = checkin_sync.checkin_manifest(session)
        return Response(CheckInManifestSerializer(manifest).data)


class SessionCheckInBatchView(SessionCheckInView):
    @extend_schema(
        operation_id="sessions_checkins_batch_create",
        summary="Sync the scans a device made offline",
        description=(
            "Each scan carries its id on the device, the device's id and the time it was "
            "scanned. Idempotent: a scan received before answers `duplicate` and changes "
            "nothing. A ticket scanned on two devices is checked in once, at the earlier scan; "
            "both scans are kept. Each scan gets the result the online check-in would have given "
            "at its time; `conflict` says the device's own answer differs."
        ),
        request=CheckInBatchRequestSerializer,
        responses={
            200: CheckInBatchResultSerializer,
            400: OpenApiResponse(ErrorSerializer, description="A scan is missing a field."),
            **REFUSED,
        },
        tags=["bookings"],
    )
    def post(self, request, session_id: int):
        session = self.get_session(session_id)
        data = CheckInBatchRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        scans = [checkin_sync.OfflineScan(**scan) for scan in data.validated_data["scans"]]
        answers = checkin_sync.sync_scans(session=session, scans=scans, by=request.user)
        results = [
            {
                "client_scan_id": a.scan.client_scan_id,
                "device_id": a.scan.device_id,
                "result": a.scan.result,
                "label": str(CheckInResult(a.scan.result).label),
                "duplicate": a.duplicate,
                "conflict": a.conflict,
                "checked_in_at": a.scan.booking.checked_in_at if a.scan.booking else None,
                "scanned_at": a.scan.scanned_at,
            }
            for a in answers
        ]
        return Response(CheckInBatchResultSerializer({"results": results}).data)
