"""The offline gate through the API: the session's manifest of tickets and the batch of scans a
device made offline."""

from rest_framework import serializers

from sciweek.bookings.enums import CheckInResult

TICKET_STATES = [
    ("confirmed", "confirmed"),
    ("checked_in", "checked_in"),
    (CheckInResult.CANCELLED.value, CheckInResult.CANCELLED.value),
    (CheckInResult.WAITING.value, CheckInResult.WAITING.value),
]


class ManifestTicketSerializer(serializers.Serializer):
    hash = serializers.CharField(
        help_text="SHA-256 (hex) of `salt`, a colon and the normalised code."
    )
    name = serializers.CharField(help_text="The booker's name, masked (张*三).")
    party_size = serializers.IntegerField()
    group_name = serializers.CharField(allow_blank=True)
    id_tail = serializers.CharField(
        allow_blank=True, help_text="The ID number's last 4 characters, for real-name activities."
    )
    state = serializers.ChoiceField(choices=TICKET_STATES)
    checked_in_at = serializers.DateTimeField(allow_null=True)


class ManifestOtherTicketSerializer(serializers.Serializer):
    hash = serializers.CharField()
    session = serializers.CharField(help_text="The session the ticket is for.")


class CheckInManifestSerializer(serializers.Serializer):
    session = serializers.IntegerField()
    generated_at = serializers.DateTimeField(help_text="When this manifest was made.")
    hash = serializers.ChoiceField(choices=[("sha256", "sha256")])
    salt = serializers.CharField(help_text="New for each manifest.")
    real_name = serializers.BooleanField()
    window_opens_at = serializers.DateTimeField()
    window_closes_at = serializers.DateTimeField()
    labels = serializers.DictField(
        child=serializers.CharField(), help_text="Each result code in the request's language."
    )
    tickets = ManifestTicketSerializer(many=True)
    other_sessions = ManifestOtherTicketSerializer(
        many=True, help_text="Tickets of the activity's other sessions, to answer `wrong_session`."
    )


class OfflineScanSerializer(serializers.Serializer):
    client_scan_id = serializers.CharField(
        max_length=64, help_text="The scan's id on its device (unique per device)."
    )
    device_id = serializers.CharField(max_length=64)
    code = serializers.CharField(max_length=64)
    scanned_at = serializers.DateTimeField(help_text="When the device scanned the ticket.")
    device_result = serializers.ChoiceField(
        choices=CheckInResult.choices,
        required=False,
        default="",
        allow_blank=True,
        help_text="What the device answered offline.",
    )
    override = serializers.BooleanField(required=False, default=False)


class CheckInBatchRequestSerializer(serializers.Serializer):
    scans = OfflineScanSerializer(many=True, allow_empty=False, max_length=500)


class ScanAnswerSerializer(serializers.Serializer):
    client_scan_id = serializers.CharField()
    device_id = serializers.CharField()
    result = serializers.ChoiceField(
        choices=CheckInResult.choices, help_text="The server's answer (see the check-in)."
    )
    label = serializers.CharField()
    duplicate = serializers.BooleanField(help_text="Received before: nothing changed.")
    conflict = serializers.BooleanField(
        help_text="The server's answer differs from the device's (e.g. cancelled meanwhile)."
    )
    checked_in_at = serializers.DateTimeField(
        allow_null=True, help_text="When the ticket was (first) checked in."
    )
    scanned_at = serializers.DateTimeField()


class CheckInBatchResultSerializer(serializers.Serializer):
    results = ScanAnswerSerializer(many=True)
