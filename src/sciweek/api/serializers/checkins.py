"""Check-in at the gate through the API (scanners, kiosks)."""

from rest_framework import serializers

from sciweek.bookings.enums import CheckInResult


class CheckInRequestSerializer(serializers.Serializer):
    code = serializers.CharField(
        max_length=64,
        help_text="The ticket code from the QR code or typed from the e-ticket; spaces, dashes "
        "and letter case do not matter.",
    )
    override = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Check in outside the check-in window (from `CHECKIN_OPENS_MINUTES_BEFORE` "
        "minutes before the session starts until it ends). Only for the organiser; recorded "
        "in the audit log. Ignored for anyone else, who gets `outside_window`.",
    )


class CheckInCountsSerializer(serializers.Serializer):
    booked = serializers.IntegerField(help_text="Places held by confirmed bookings.")
    checked_in = serializers.IntegerField(help_text="People checked in (party sizes).")
    capacity = serializers.IntegerField()


class CheckInResultSerializer(serializers.Serializer):
    result = serializers.ChoiceField(
        choices=CheckInResult.choices,
        help_text="`ok`: admit. `already`: this ticket was checked in before (see "
        "`checked_in_at`). `wrong_session`: a ticket for another session (see `ticket_session`). "
        "`cancelled`: the booking was cancelled or lapsed. `waiting`: still on the waiting list, "
        "no place. `unknown`: no booking has this code. `outside_window`: a valid ticket, but "
        "outside the check-in time (see `window_opens_at` and `window_closes_at`). Only `ok` "
        "admits.",
    )
    label = serializers.CharField(help_text="The result in the request's language.")
    name = serializers.CharField(help_text="The booker's name, masked (张*三); empty when unknown.")
    party_size = serializers.IntegerField(allow_null=True)
    group_name = serializers.CharField(allow_blank=True)
    checked_in_at = serializers.DateTimeField(
        allow_null=True, help_text="When the ticket was (first) checked in."
    )
    ticket_session = serializers.CharField(
        allow_null=True, help_text="For `wrong_session`: the activity and session of the ticket."
    )
    window_opens_at = serializers.DateTimeField(help_text="When check-in opens for the session.")
    window_closes_at = serializers.DateTimeField(help_text="When check-in closes (its end).")
    counts = CheckInCountsSerializer(help_text="This session's live counts after the check-in.")
