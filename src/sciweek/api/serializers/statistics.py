"""The shape of ``GET /api/v1/statistics/`` for the schema: ``reports.week_statistics`` as it is."""

from rest_framework import serializers

from sciweek.reports.week_statistics import KEY_FIGURES


class StatisticsEditionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    year = serializers.IntegerField()
    title = serializers.CharField()


class StatisticsFiltersSerializer(serializers.Serializer):
    area = serializers.IntegerField(allow_null=True)
    category = serializers.IntegerField(allow_null=True)
    date_from = serializers.DateField(allow_null=True)
    date_to = serializers.DateField(allow_null=True)


class KeyFigureSerializer(serializers.Serializer):
    key = serializers.ChoiceField(choices=list(KEY_FIGURES))
    label = serializers.CharField()
    value = serializers.FloatField()
    previous = serializers.FloatField(allow_null=True, help_text="The previous edition's figure.")
    url = serializers.CharField(help_text="The back-office list of the records behind it.")


class StateColumnSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()


class StateRowSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    counts = serializers.DictField(child=serializers.IntegerField())
    urls = serializers.DictField(child=serializers.CharField())


class StateTableSerializer(serializers.Serializer):
    columns = StateColumnSerializer(many=True)
    rows = StateRowSerializer(many=True)


class PeopleSerializer(serializers.Serializer):
    sessions = serializers.IntegerField(required=False)
    capacity = serializers.IntegerField()
    booked = serializers.IntegerField()
    waiting = serializers.IntegerField()
    checked_in = serializers.IntegerField()
    no_show = serializers.IntegerField()
    fill_rate = serializers.FloatField(allow_null=True)
    check_in_rate = serializers.FloatField(allow_null=True)
    no_show_rate = serializers.FloatField(allow_null=True)
    url = serializers.CharField()


class DaySerializer(PeopleSerializer):
    date = serializers.DateField()


class AreaPeopleSerializer(PeopleSerializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class SessionFigureSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    activity_id = serializers.IntegerField()
    title = serializers.CharField()
    area = serializers.CharField()
    starts_at = serializers.DateTimeField()
    capacity = serializers.IntegerField()
    booked = serializers.IntegerField()
    checked_in = serializers.IntegerField()
    check_in_rate = serializers.FloatField(allow_null=True)
    no_show = serializers.IntegerField()
    url = serializers.CharField()


class HourSerializer(serializers.Serializer):
    hour = serializers.DateTimeField()
    people = serializers.IntegerField()


class ReviewLevelSerializer(serializers.Serializer):
    level = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()
    oldest_since = serializers.DateTimeField(allow_null=True)
    oldest_days = serializers.IntegerField(allow_null=True)
    url = serializers.CharField()


class WaitingActivitySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    area = serializers.CharField()
    state = serializers.CharField()
    state_label = serializers.CharField()
    since = serializers.DateTimeField()
    days = serializers.IntegerField()
    url = serializers.CharField()


class AreaAcknowledgementsSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    acknowledged = serializers.IntegerField()
    missing = serializers.IntegerField()
    url = serializers.CharField()


class SummaryStatusSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    status = serializers.CharField()
    status_label = serializers.CharField()
    late = serializers.BooleanField()
    url = serializers.CharField()


class SummaryCountsSerializer(serializers.Serializer):
    accepted = serializers.IntegerField()
    submitted = serializers.IntegerField()
    returned = serializers.IntegerField()
    missing = serializers.IntegerField()
    late = serializers.IntegerField()


class TileSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    short_name = serializers.CharField()
    row = serializers.IntegerField()
    col = serializers.IntegerField()
    activities = serializers.IntegerField()
    url = serializers.CharField()


class StatisticsSerializer(serializers.Serializer):
    edition = StatisticsEditionSerializer()
    previous_edition = StatisticsEditionSerializer(allow_null=True)
    filters = StatisticsFiltersSerializer()
    key_figures = KeyFigureSerializer(many=True)
    by_area = StateTableSerializer()
    by_category = StateTableSerializer()
    by_day = DaySerializer(many=True)
    bookings_by_area = AreaPeopleSerializer(many=True)
    by_session = SessionFigureSerializer(many=True)
    check_ins_by_hour = HourSerializer(many=True)
    review = ReviewLevelSerializer(many=True)
    review_oldest = WaitingActivitySerializer(many=True)
    acknowledgements = AreaAcknowledgementsSerializer(many=True)
    summaries = SummaryStatusSerializer(many=True)
    summary_counts = SummaryCountsSerializer()
    tiles = TileSerializer(many=True)
    large_event_threshold = serializers.IntegerField()
