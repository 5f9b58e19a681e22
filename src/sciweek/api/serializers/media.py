"""Activity media in the API: photos, micro-videos and micro-animations."""

from rest_framework import serializers

from sciweek.media.enums import MediaKind
from sciweek.media.models import MediaItem
from sciweek.media.selectors import file_url, thumbnail_url

from .common import ResponseModelSerializer


class MediaItemSerializer(ResponseModelSerializer):
    """One item. ``is_hidden`` and ``hidden_reason`` are for those who see the activity's
    media in the back office; the public sees only visible items."""

    activity = serializers.IntegerField(source="activity_id", read_only=True)
    file_url = serializers.SerializerMethodField()
    thumbnail_url = serializers.SerializerMethodField()

    class Meta:
        model = MediaItem
        fields = [
            "key", "activity", "kind", "title", "alt_text", "content_type", "size", "width",
            "height", "duration_seconds", "created_at", "is_featured", "is_hidden",
            "hidden_reason", "file_url", "thumbnail_url",
        ]  # fmt: skip
        read_only_fields = fields

    def _absolute(self, path: str) -> str:
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path

    def get_file_url(self, obj) -> str:
        return self._absolute(file_url(obj))

    def get_thumbnail_url(self, obj) -> str:
        return self._absolute(thumbnail_url(obj))


class MediaUploadSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=MediaKind.choices)
    file = serializers.FileField(
        help_text="Photos jpg/png/webp (re-encoded, EXIF removed); videos mp4/mov/webm of at "
        "most 3 minutes (measured)."
    )
    title = serializers.CharField(required=False, allow_blank=True, max_length=120)
    alt_text = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=200,
        help_text="Required for a photo: what it shows, for people who cannot see it.",
    )


class MediaHideSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200, help_text="Kept in the activity's history.")


class MediaFeatureSerializer(serializers.Serializer):
    featured = serializers.BooleanField(help_text="In the online hall, or taken out of it.")
