"""Check-in at the gate through the API (scanners, kiosks)."""

from rest_framework import serializers

from sciweek.bookings.enums import CheckInResult


class CheckInRequestSerializer(serializers.Serializer):
    code = serializers.CharField(
        max_length=64,
        help_text="The ticket code from the QR code or typed from the e-ticket; spaces, dashes "
        "and letter case do not matter.",
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
        "no place. `unknown`: no booking has this code. Only `ok` admits.",
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
    counts = CheckInCountsSerializer(help_text="This session's live counts after the check-in.")
