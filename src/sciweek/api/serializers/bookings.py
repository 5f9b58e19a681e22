from rest_framework import serializers

from sciweek.bookings.enums import BookingStatus, IdType


class BookingCreateSerializer(serializers.Serializer):
    """What a booker sends. Only types are checked here; the booking service checks the rest
    (mobile number, ID check digit, consents, group size) exactly as on the booking page."""

    name = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=50,
        help_text="Real name of the person coming (the group leader for a group).",
    )  # fmt: skip
    phone = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=20,
        help_text="Mainland mobile number, 11 digits (+86 allowed).",
    )  # fmt: skip
    email = serializers.EmailField(
        required=False, allow_blank=True, default="",
        help_text="Optional; confirmation, waiting-list and cancellation emails go there.",
    )  # fmt: skip
    id_type = serializers.ChoiceField(
        choices=IdType.choices, required=False, allow_blank=True, default="",
        help_text="Only where the activity requires an ID; default resident_id.",
    )  # fmt: skip
    id_number = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=32,
        help_text="Only where the activity requires an ID. Stored encrypted, shown masked.",
    )  # fmt: skip
    party_size = serializers.IntegerField(
        required=False, default=1, help_text="People covered; up to the activity's largest group."
    )
    group_name = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=100,
        help_text="Required when party_size > 1 (e.g. school and class).",
    )  # fmt: skip
    consent = serializers.BooleanField(
        required=False, default=False, help_text="Agreement to the personal-data consent text."
    )
    id_consent = serializers.BooleanField(
        required=False, default=False,
        help_text="Separate agreement to giving the ID number (sensitive information).",
    )  # fmt: skip
    is_minor = serializers.BooleanField(
        required=False, default=False, help_text="The person coming is a child under 14."
    )
    guardian_name = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=50
    )
    guardian_consent = serializers.BooleanField(
        required=False, default=False, help_text="The guardian's consent for a child under 14."
    )


class BookingResultSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=["confirmed", "waiting"], help_text="`confirmed` (201) or `waiting` (202)."
    )
    code = serializers.CharField(
        allow_null=True, help_text="Ticket code (the QR content); null while waiting."
    )
    position = serializers.IntegerField(
        allow_null=True, help_text="Place on the waiting list (1 = next); null when confirmed."
    )
    manage_url = serializers.URLField(
        help_text="The secret manage link: e-ticket, calendar entry, cancellation."
    )
    name = serializers.CharField(help_text="Masked name, e.g. 张*.")
    party_size = serializers.IntegerField()
    session = serializers.IntegerField()


class SessionBookingSerializer(serializers.Serializer):
    """A booking as the back office's session list shows it: personal data masked."""

    id = serializers.IntegerField()
    code = serializers.CharField(help_text="The ticket code.")
    status = serializers.ChoiceField(choices=BookingStatus.choices)
    name = serializers.CharField(source="masked_name")
    phone = serializers.CharField(source="masked_phone")
    id_number = serializers.CharField(source="id_number_masked")
    party_size = serializers.IntegerField()
    group_name = serializers.CharField()
    is_minor = serializers.BooleanField()
    created_at = serializers.DateTimeField()
    confirmed_at = serializers.DateTimeField(allow_null=True)
    cancelled_at = serializers.DateTimeField(allow_null=True)
    checked_in_at = serializers.DateTimeField(allow_null=True)


class BookingCancelSerializer(serializers.Serializer):
    reason = serializers.CharField(
        max_length=200, required=False, allow_blank=True, help_text="Told to the booker."
    )


class BookingCancelledSerializer(serializers.Serializer):
    booking = SessionBookingSerializer()
    promoted = serializers.IntegerField(help_text="Waiting bookings that got the freed places.")


class SessionBookingPageSerializer(serializers.Serializer):
    """One page of ``SessionBookingSerializer`` (the API's ``?page=``/``?page_size=``)."""

    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = SessionBookingSerializer(many=True)
