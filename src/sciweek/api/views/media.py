"""Activity media through the API, as on the activity's media page: list and upload per
activity; read, hide (with a reason), show again, feature in the online hall and delete per
item (``/api/v1/media/{key}/``). The same services and permission names as the pages."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.permissions import IsAuthenticatedOrReadOnly
from rest_framework.response import Response
from rest_framework.views import APIView

from sciweek.activities.selectors import activities_visible_to, public_activities
from sciweek.media import services
from sciweek.media.models import MediaItem

from ..parsers import BoundedFormParser, BoundedMultiPartParser
from ..permissions import RulesPermission
from ..serializers.common import ErrorSerializer
from ..serializers.media import (
    MediaFeatureSerializer,
    MediaHideSerializer,
    MediaItemSerializer,
    MediaUploadSerializer,
)

UNAUTHENTICATED = OpenApiResponse(ErrorSerializer, description="Not signed in.")
NOT_FOUND = OpenApiResponse(ErrorSerializer, description="Unknown or not visible to this user.")
MAY_NOT = OpenApiResponse(ErrorSerializer, description="This role may not do this.")
ACTIVITY_ID = OpenApiParameter(
    "activity_id", OpenApiTypes.INT, OpenApiParameter.PATH, description="Activity id."
)
# Who sees an activity's media in the back office (hidden items too): its host's people, its
# area's reviewers, the city's staff — the ones who see the activity's internals.
OFFICE_VIEW = "activities.view_documents"


def _activities(user):
    return activities_visible_to(user) if user.is_authenticated else public_activities()


def _visible_items(user, activity=None):
    """Items the user may read: all of the activities they see in the office, the visible
    ones of the others (public activities)."""
    items = MediaItem.objects.select_related("activity").order_by("created_at", "id")
    if activity is not None:
        items = items.filter(activity=activity)
        return items if user.has_perm(OFFICE_VIEW, activity) else items.visible()
    return items.filter(activity__in=_activities(user))


class ActivityMediaView(APIView):
    permission_classes = [IsAuthenticatedOrReadOnly]
    parser_classes = [BoundedMultiPartParser, BoundedFormParser]

    @extend_schema(
        summary="An activity's media",
        description="The public sees the visible items of a published or held activity; the "
        "activity's office (host, area reviewers, city staff) every item, hidden ones too.",
        parameters=[ACTIVITY_ID],
        responses={200: MediaItemSerializer(many=True), 404: NOT_FOUND},
    )
    def get(self, request, activity_id: int):
        activity = get_object_or_404(_activities(request.user), pk=activity_id)
        items = _visible_items(request.user, activity)
        return Response(MediaItemSerializer(items, many=True, context={"request": request}).data)

    @extend_schema(
        summary="Upload a photo, micro-video or micro-animation",
        description="For the host's people while the activity is a draft, returned, published "
        "or held. Checked by content (a photo is re-encoded without EXIF; a video's duration "
        "is measured).",
        parameters=[ACTIVITY_ID],
        request={"multipart/form-data": MediaUploadSerializer},
        responses={
            201: MediaItemSerializer,
            400: OpenApiResponse(
                ErrorSerializer,
                description="`alt_text_required`, `not_open_for_media`, `file_too_large`, "
                "`file_type_refused`, `image_too_many_pixels`, `image_damaged`, "
                "`video_damaged`, `video_too_long`; or field errors.",
            ),
            401: UNAUTHENTICATED,
            403: MAY_NOT,
            404: NOT_FOUND,
        },
    )
    def post(self, request, activity_id: int):
        activity = get_object_or_404(activities_visible_to(request.user), pk=activity_id)
        if not request.user.has_perm("media.add_media", activity):
            raise PermissionDenied
        serializer = MediaUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        item = services.media_upload(
            activity=activity,
            kind=data["kind"],
            upload=data["file"],
            by=request.user,
            title=data.get("title", ""),
            alt_text=data.get("alt_text", ""),
        )
        body = MediaItemSerializer(item, context={"request": request}).data
        return Response(body, status=status.HTTP_201_CREATED)


ITEM_ACTION = {
    200: MediaItemSerializer,
    400: OpenApiResponse(
        ErrorSerializer,
        description="`reason_required`, `already_hidden`, `not_hidden`, `not_featurable`.",
    ),
    401: UNAUTHENTICATED,
    403: MAY_NOT,
    404: NOT_FOUND,
}


class MediaItemViewSet(
    mixins.RetrieveModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet
):
    serializer_class = MediaItemSerializer
    permission_classes = (IsAuthenticatedOrReadOnly, RulesPermission)
    lookup_field = "key"
    lookup_value_regex = "[0-9a-f-]{36}"
    rules_permissions = {
        "destroy": "media.delete_media",
        "hide": "media.hide_media",
        "unhide": "media.hide_media",
        "feature": "media.feature_media",
    }

    def get_queryset(self):
        return _visible_items(self.request.user)

    def get_object(self):
        item = super().get_object()
        # A hidden item is not there for whoever sees its activity only as the public does.
        if item.is_hidden and not self.request.user.has_perm(OFFICE_VIEW, item.activity):
            raise NotFound
        return item

    def _answer(self, item: MediaItem) -> Response:
        return Response(MediaItemSerializer(item, context=self.get_serializer_context()).data)

    @extend_schema(summary="One media item", responses={200: MediaItemSerializer, 404: NOT_FOUND})
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        summary="Delete a media item",
        description="Its host's people and the organiser's admin; the files go with it.",
        responses={204: None, 401: UNAUTHENTICATED, 403: MAY_NOT, 404: NOT_FOUND},
    )
    def destroy(self, request, *args, **kwargs):
        services.media_delete(item=self.get_object(), by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary="Hide from the public",
        description="For the city's staff, with a reason.",
        request=MediaHideSerializer,
        responses=ITEM_ACTION,
    )
    @action(detail=True, methods=["post"])
    def hide(self, request, key=None):
        item = self.get_object()
        serializer = MediaHideSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return self._answer(
            services.media_hide(
                item=item, by=request.user, reason=serializer.validated_data["reason"]
            )
        )

    @extend_schema(summary="Show again", request=None, responses=ITEM_ACTION)
    @action(detail=True, methods=["post"])
    def unhide(self, request, key=None):
        return self._answer(services.media_unhide(item=self.get_object(), by=request.user))

    @extend_schema(
        summary="Feature in the online hall, or take out",
        request=MediaFeatureSerializer,
        responses=ITEM_ACTION,
    )
    @action(detail=True, methods=["post"])
    def feature(self, request, key=None):
        item = self.get_object()
        serializer = MediaFeatureSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        featured = serializer.validated_data["featured"]
        return self._answer(services.media_feature(item=item, featured=featured, by=request.user))
