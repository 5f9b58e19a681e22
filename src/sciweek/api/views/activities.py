"""Activities: the public list (with the public page's filters), filing and editing by host
units, sessions, the review workflow and the history.

Visibility first: an activity the user may not see is not in the queryset, so every endpoint
answers 404 for it. Then the rules decide (403), then the services (400 with a stable code).
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import F
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import IsAuthenticated, IsAuthenticatedOrReadOnly
from rest_framework.response import Response

from sciweek.activities import changes, services
from sciweek.activities.models import Activity, Session
from sciweek.activities.rules import acts_for_host
from sciweek.activities.selectors import (
    activities_visible_to,
    history_of,
    public_activities,
    with_list_joins,
)

from ..concurrency import IF_MATCH, PRECONDITION_FAILED, require_current, tagged
from ..filters import ActivityFilter
from ..permissions import RulesPermission
from ..serializers.activities import (
    ActivitySerializer,
    ActivityWriteSerializer,
    HistoryEntrySerializer,
    SessionSerializer,
    TransitionSerializer,
)
from ..serializers.common import ErrorSerializer
from .activity_changes import ActivityChangesMixin

UNAUTHENTICATED = OpenApiResponse(ErrorSerializer, description="Not signed in.")
NOT_FOUND = OpenApiResponse(ErrorSerializer, description="Unknown or not visible to this user.")
NOT_HOST = OpenApiResponse(
    ErrorSerializer, description="Not acting for the activity's host (its unit or area admin)."
)
NOT_EDITABLE = OpenApiResponse(
    ErrorSerializer,
    description="`not_editable` (only drafts and returned activities change), `session_order`, "
    "`booking_window`, `session_outside_week`; or field errors (`invalid`, with `errors`).",
)
WRITE = {
    200: ActivitySerializer,
    400: NOT_EDITABLE,
    401: UNAUTHENTICATED,
    403: NOT_HOST,
    404: NOT_FOUND,
    412: PRECONDITION_FAILED,
}
SESSION_ID = OpenApiParameter(
    "session_id", OpenApiTypes.INT, OpenApiParameter.PATH, description="Session id."
)


def _fresh(activity_id: int) -> Activity:
    """The activity with everything the serializer shows, read after a write."""
    return with_list_joins(Activity.objects.prefetch_related("co_hosts")).get(pk=activity_id)


@extend_schema_view(
    list=extend_schema(
        summary="Activities",
        description=(
            "Anonymous users: the published and held activities of every public edition (narrow "
            "with `edition` or `year`), with the public page's filters. A signed-in user also "
            "sees what their memberships allow: their organisations' activities (drafts too) "
            "and those they review; `state` narrows to one workflow state; `scope=office` gives "
            "the back office's list (the organiser's whole city, an area's own). A malformed "
            "filter value answers 400 naming the field. Ordered by first session, then id, "
            "unless `ordering` says otherwise."
        ),
        responses={
            200: ActivitySerializer(many=True),
            400: OpenApiResponse(
                ErrorSerializer, description="Bad filter: field errors (`invalid`, with `errors`)."
            ),
        },
    ),
    retrieve=extend_schema(
        summary="One activity",
        description=(
            "Internal fields (budget, contacts, safety, workflow times, latest reason) only for "
            "its host's people, the reviewers of its area and city staff. The `ETag` header is "
            "the version to send back in `If-Match` when writing."
        ),
        responses={200: ActivitySerializer, 404: NOT_FOUND},
    ),
    create=extend_schema(
        summary="File an activity (a draft)",
        description=(
            "Needs `activities.add_activity` (an office role in an organisation that may host "
            "activities, or an area admin). `host` must be one the user files for. Sessions may "
            "be given inline; everything is created in one transaction."
        ),
        request=ActivityWriteSerializer,
        responses={
            201: ActivitySerializer,
            400: OpenApiResponse(
                ErrorSerializer,
                description="Field errors (`invalid`, with `errors`), or a session refused by the "
                "service (`session_order`, `booking_window`, `session_outside_week`).",
            ),
            401: UNAUTHENTICATED,
            403: OpenApiResponse(ErrorSerializer, description="May not file activities."),
        },
    ),
    update=extend_schema(
        summary="Replace a draft or returned activity",
        description=(
            "For the host's people. The activity as read may be sent back unchanged (references "
            "as the objects read or as ids; its sessions as read, which are not changed here). "
            "`edition` and `host` do not change. With `If-Match`, refused with 412 when someone "
            "else saved it since."
        ),
        request=ActivityWriteSerializer,
        parameters=[IF_MATCH],
        responses=WRITE,
    ),
    partial_update=extend_schema(
        summary="Edit a draft or returned activity",
        description=(
            "For the host's people; changes only the fields given. `edition`, `host` and "
            "`sessions` are not changed here. With `If-Match`, refused with 412 when someone else "
            "saved it since."
        ),
        request=ActivityWriteSerializer,
        parameters=[IF_MATCH],
        responses=WRITE,
    ),
)
class ActivityViewSet(
    ActivityChangesMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = ActivitySerializer
    filterset_class = ActivityFilter
    permission_classes = (IsAuthenticatedOrReadOnly, RulesPermission)
    # The names the back-office pages use for the same questions. History holds reasons and
    # actors, which are internal, so it needs the same right as the internal fields.
    rules_permissions = {
        "create": "activities.add_activity",
        "history": "activities.view_documents",
    }

    def get_queryset(self):
        user = self.request.user
        # Anonymous: the public site's own definition (published or held, in a public edition).
        qs = activities_visible_to(user) if user.is_authenticated else public_activities()
        return with_list_joins(qs.prefetch_related("co_hosts")).order_by(
            F("first_start").asc(nulls_last=True), "id"
        )

    def get_serializer_class(self):
        if self.action in ("create", "update", "partial_update"):
            return ActivityWriteSerializer
        return ActivitySerializer

    def _require_host(self, activity: Activity) -> None:
        """Editing (the activity or its sessions) is for the host's people; whether the activity
        is still editable is the service's answer (400 ``not_editable``)."""
        if not acts_for_host(self.request.user, activity):
            raise PermissionDenied

    @staticmethod
    def _build(activity: Activity, data: dict):
        data = dict(data)
        audiences = data.pop("audiences", None)
        co_hosts = data.pop("co_hosts", None)
        sessions = data.pop("sessions", None) or []
        for name, value in data.items():
            setattr(activity, name, value)
        return activity, audiences, co_hosts, sessions

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        activity, audiences, co_hosts, sessions = self._build(Activity(), serializer.validated_data)
        activity = services.activity_file(
            activity=activity,
            by=request.user,
            audiences=audiences,
            co_hosts=co_hosts,
            sessions=[Session(**values) for values in sessions],
        )
        data = ActivitySerializer(_fresh(activity.pk), context=self.get_serializer_context()).data
        return Response(data, status=status.HTTP_201_CREATED)

    def retrieve(self, request, *args, **kwargs):
        activity = self.get_object()
        return tagged(Response(self.get_serializer(activity).data), activity)

    def update(self, request, pk=None, partial=False):
        activity = self.get_object()
        self._require_host(activity)
        with transaction.atomic():
            # Locked before the comparison, so of two writers holding the same version only the
            # first one's write passes; the second sees the new version and gets 412.
            require_current(request, Activity.objects.select_for_update().get(pk=activity.pk))
            serializer = self.get_serializer(activity, data=request.data, partial=partial)
            serializer.is_valid(raise_exception=True)
            activity, audiences, co_hosts, _sessions = self._build(
                activity, serializer.validated_data
            )
            services.activity_save(
                activity=activity, by=request.user, audiences=audiences, co_hosts=co_hosts
            )
        fresh = _fresh(activity.pk)
        return tagged(
            Response(ActivitySerializer(fresh, context=self.get_serializer_context()).data), fresh
        )

    def partial_update(self, request, pk=None):
        return self.update(request, pk=pk, partial=True)

    # --- sessions ---------------------------------------------------------------------------

    @extend_schema(
        methods=["GET"],
        summary="The activity's sessions",
        responses={200: SessionSerializer(many=True), 404: NOT_FOUND},
    )
    @extend_schema(
        methods=["POST"],
        summary="Add a session",
        description="For the host's people, while the activity is a draft or returned.",
        request=SessionSerializer,
        responses={
            201: SessionSerializer,
            400: NOT_EDITABLE,
            401: UNAUTHENTICATED,
            403: NOT_HOST,
            404: NOT_FOUND,
        },
    )
    @action(detail=True, methods=["get", "post"], filterset_class=None, pagination_class=None)
    def sessions(self, request, pk=None):
        activity = self.get_object()
        if request.method == "GET":
            return Response(SessionSerializer(activity.sessions.all(), many=True).data)
        self._require_host(activity)
        serializer = SessionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        session = Session(activity=activity, **serializer.validated_data)
        # A published activity gains sessions too (its host's, within the week unless a series).
        if activity.is_published:
            session = changes.session_add_published(
                activity=activity, session=session, by=request.user
            )
        else:
            session = services.session_save(session=session, by=request.user)
        return Response(SessionSerializer(session).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        methods=["PATCH"],
        summary="Change a session",
        parameters=[SESSION_ID],
        request=SessionSerializer,
        responses={
            200: SessionSerializer,
            400: NOT_EDITABLE,
            401: UNAUTHENTICATED,
            403: NOT_HOST,
            404: NOT_FOUND,
        },
    )
    @extend_schema(
        methods=["DELETE"],
        summary="Remove a session",
        parameters=[SESSION_ID],
        responses={
            204: None,
            400: NOT_EDITABLE,
            401: UNAUTHENTICATED,
            403: NOT_HOST,
            404: NOT_FOUND,
        },
    )
    @action(
        detail=True,
        methods=["patch", "delete"],
        url_path=r"sessions/(?P<session_id>[0-9]+)",
        url_name="session-detail",
        filterset_class=None,
    )
    def session_detail(self, request, pk=None, session_id=None):
        activity = self.get_object()
        session = get_object_or_404(Session, activity=activity, pk=session_id)
        self._require_host(activity)
        if request.method == "DELETE":
            services.session_delete(session=session, by=request.user)
            return Response(status=status.HTTP_204_NO_CONTENT)
        serializer = SessionSerializer(session, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        for name, value in serializer.validated_data.items():
            setattr(session, name, value)
        session = services.session_save(session=session, by=request.user)
        return Response(SessionSerializer(session).data)

    # --- workflow ---------------------------------------------------------------------------

    @extend_schema(
        summary="Perform a workflow action",
        description=(
            "`submit` (draft/returned → area review, or city review for organisations outside "
            "any area), `approve` (area review → city review → published), `return` (with a "
            "reason), `withdraw` (by the host, before publication), `cancel` (published, with a "
            "reason), `mark_held` (after the last session has ended). Answers the activity in "
            "its new state."
        ),
        request=TransitionSerializer,
        responses={
            200: ActivitySerializer,
            400: OpenApiResponse(
                ErrorSerializer,
                description="Refused, with why: `unknown_action`, `transition_not_allowed`, "
                "`reason_required`, `not_ready`, `large_event_incomplete` (names what is "
                "missing), `not_ended`.",
            ),
            401: UNAUTHENTICATED,
            403: OpenApiResponse(
                ErrorSerializer, description="`permission_denied`: this role may not act."
            ),
            404: NOT_FOUND,
        },
    )
    @action(
        detail=True,
        methods=["post"],
        permission_classes=[IsAuthenticated],
        filterset_class=None,
    )
    def transitions(self, request, pk=None):
        activity = self.get_object()
        serializer = TransitionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        # ServiceError / PermissionRefused become {"code", "detail"} in api.errors.
        services.activity_transition(
            activity=activity,
            action=serializer.validated_data["action"],
            by=request.user,
            reason=serializer.validated_data.get("reason", ""),
        )
        return Response(
            ActivitySerializer(_fresh(activity.pk), context=self.get_serializer_context()).data
        )

    @extend_schema(
        summary="The activity's history",
        description=(
            "Every edit, session change and workflow step, oldest first, with actor, time and "
            "reason. For those who may see the activity's internals (its host's people, the "
            "reviewers of its area, city staff); others who can see the activity get 403."
        ),
        responses={
            200: HistoryEntrySerializer(many=True),
            401: UNAUTHENTICATED,
            403: OpenApiResponse(ErrorSerializer, description="May not see its internals."),
            404: NOT_FOUND,
        },
    )
    @action(detail=True, methods=["get"], filterset_class=None)
    def history(self, request, pk=None):
        activity = self.get_object()
        page = self.paginate_queryset(history_of(activity))
        return self.get_paginated_response(HistoryEntrySerializer(page, many=True).data)
