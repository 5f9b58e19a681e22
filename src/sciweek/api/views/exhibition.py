"""The launch ceremony and the exhibition: the same services and rules as the pages.

Visibility first (a guest or exhibit the user may not see is not in the queryset: 404), then
the rules (403), then the services (400/403/409 with a stable ``code``)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from sciweek.common.errors import ServiceError
from sciweek.exhibition import exhibit_media, jury_selectors, jury_services, selectors, services
from sciweek.exhibition.models import (
    Assignment,
    Ceremony,
    Exhibit,
    ExhibitMedia,
    GuestCategory,
    Quota,
)
from sciweek.organizations.models import Organization

from ..parsers import BoundedFormParser, BoundedMultiPartParser
from ..permissions import RulesPermission
from ..serializers.common import ErrorSerializer
from ..serializers.exhibition import (
    AssignedCountSerializer,
    AssignmentSerializer,
    BoardSerializer,
    CeremonySerializer,
    CityScoreSerializer,
    DecidedSerializer,
    DecisionsWriteSerializer,
    ExhibitCreateSerializer,
    ExhibitMediaSerializer,
    ExhibitMediaUploadSerializer,
    ExhibitSerializer,
    ExhibitTransitionSerializer,
    ExhibitWriteSerializer,
    GuestSerializer,
    GuestWriteSerializer,
    JurySerializer,
    QuotaSerializer,
    QuotaWriteSerializer,
    ResultSerializer,
    RsvpSerializer,
    RsvpStateSerializer,
    ScoresWriteSerializer,
)

UNAUTHENTICATED = OpenApiResponse(ErrorSerializer, description="Not signed in.")
NOT_FOUND = OpenApiResponse(ErrorSerializer, description="Unknown or not visible to this user.")
FORBIDDEN = OpenApiResponse(ErrorSerializer, description="`permission_denied`.")
REFUSED = OpenApiResponse(ErrorSerializer, description="A refusal with a stable `code`.")


@extend_schema_view(
    list=extend_schema(summary="Launch ceremonies", responses={200: CeremonySerializer(many=True), 401: UNAUTHENTICATED, 403: FORBIDDEN}),
    retrieve=extend_schema(summary="One ceremony", responses={200: CeremonySerializer, 401: UNAUTHENTICATED, 403: FORBIDDEN, 404: NOT_FOUND}),
)  # fmt: skip
class CeremonyViewSet(viewsets.ReadOnlyModelViewSet):
    """The ceremonies with programme and guest categories, for the city and the areas' offices."""

    serializer_class = CeremonySerializer
    permission_classes = (IsAuthenticated, RulesPermission)
    rules_permissions = {
        "list": "exhibition.view_delegation",
        "retrieve": "exhibition.view_delegation",
        "board": "exhibition.view_board",
        "quotas": "exhibition.view_delegation",
        "guests": "exhibition.view_delegation",
        "jury": "exhibition.view_jury_results",
        "jury_results": "exhibition.view_jury_results",
        "jury_scores": "exhibition.view_jury_results",
        "assign_automatically": "exhibition.manage_jury",
        "decisions": "exhibition.select_exhibit",
    }

    def get_queryset(self):
        return selectors.ceremonies().prefetch_related("programme", "categories")

    @extend_schema(summary="The organiser's board", description="Per category and area: quotas, "
                   "names, answers, arrivals; seats, meals and buses to prepare.",
                   responses={200: BoardSerializer, 401: UNAUTHENTICATED, 403: FORBIDDEN, 404: NOT_FOUND})  # fmt: skip
    @action(detail=True, methods=["get"])
    def board(self, request, pk=None):
        return Response(BoardSerializer(selectors.board(self.get_object())).data)

    @extend_schema(
        methods=["GET"], summary="Delegation quotas",
        description="The city sees every area's; an area office its own.",
        responses={200: QuotaSerializer(many=True), 401: UNAUTHENTICATED, 403: FORBIDDEN},
    )  # fmt: skip
    @extend_schema(
        methods=["POST"], summary="Set a quota", request=QuotaWriteSerializer,
        description="The organiser: how many of a category an area sends. `below_named`, "
        "`over_category`, `organiser_only`, `not_an_area`.",
        responses={200: QuotaSerializer, 400: REFUSED, 401: UNAUTHENTICATED, 403: FORBIDDEN},
    )  # fmt: skip
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def quotas(self, request, pk=None):
        ceremony = self.get_object()
        if request.method == "GET":
            quotas = Quota.objects.filter(ceremony=ceremony).select_related("area", "category")
            if not request.user.has_perm("exhibition.view_board"):
                quotas = quotas.filter(area__in=selectors.own_areas(request.user))
            return Response(QuotaSerializer(quotas, many=True).data)
        serializer = QuotaWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        area = get_object_or_404(Organization, pk=data["area"])
        category = get_object_or_404(GuestCategory, ceremony=ceremony, kind=data["category"])
        quota = services.quota_set(ceremony=ceremony, area=area, category=category,
                                   places=data["places"], by=request.user)  # fmt: skip
        return Response(QuotaSerializer(quota).data)

    @extend_schema(
        methods=["GET"], summary="Guests", description="The city sees every guest; an area "
        "office its delegation's. Mobile numbers masked.",
        responses={200: GuestSerializer(many=True), 401: UNAUTHENTICATED, 403: FORBIDDEN},
    )  # fmt: skip
    @extend_schema(
        methods=["POST"], summary="Name a guest", request=GuestWriteSerializer,
        description="With `area`: the area's office names a delegate within its quota "
        "(`no_quota`, `quota_full`, `organiser_only`, `rsvp_closed`); without: the organiser "
        "invites (leaders). The invitation goes by SMS with the personal RSVP link.",
        responses={201: GuestSerializer, 400: REFUSED, 401: UNAUTHENTICATED, 403: FORBIDDEN},
    )  # fmt: skip
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def guests(self, request, pk=None):
        ceremony = self.get_object()
        if request.method == "GET":
            guests = selectors.guests_visible_to(request.user, ceremony)
            return Response(GuestSerializer(guests, many=True).data)
        serializer = GuestWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        category = get_object_or_404(GuestCategory, ceremony=ceremony, kind=data.pop("category"))
        area_id = data.pop("area", None)
        area = get_object_or_404(Organization.objects.areas(), pk=area_id) if area_id else None
        guest = services.guest_add(ceremony=ceremony, category=category, area=area,
                                   by=request.user, **data)  # fmt: skip
        return Response(GuestSerializer(guest).data, status=status.HTTP_201_CREATED)

    def _jury(self, ceremony):
        jury = jury_selectors.jury_of(ceremony)
        if jury is None:
            raise ServiceError(_("No jury has been formed for this ceremony."), code="no_jury")
        return jury

    @extend_schema(summary="The ceremony's jury", description="Criteria and weights, the scale, "
                   "the jurors with how many exhibits each has scored. `no_jury` before it is formed.",
                   responses={200: JurySerializer, 400: REFUSED, 401: UNAUTHENTICATED, 403: FORBIDDEN, 404: NOT_FOUND})  # fmt: skip
    @action(detail=True, methods=["get"])
    def jury(self, request, pk=None):
        return Response(JurySerializer(self._jury(self.get_object())).data)

    @extend_schema(
        summary="The jury's results", parameters=[OpenApiParameter(
            "sort", str, enum=sorted(jury_selectors.SORTS), description="`-score` by default.")],
        description="Per exhibit at the city or decided: the weighted average of its jurors' "
        "scores, the lowest and highest, the spread (max − min) and standard deviation, how many "
        "scored of how many assigned, and the comments.",
        responses={200: ResultSerializer(many=True), 400: REFUSED, 401: UNAUTHENTICATED, 403: FORBIDDEN, 404: NOT_FOUND},
    )  # fmt: skip
    @action(detail=True, methods=["get"], url_path="jury-results", pagination_class=None)
    def jury_results(self, request, pk=None):
        jury = self._jury(self.get_object())
        rows = jury_selectors.results(jury, sort=request.query_params.get("sort", "-score"))
        return Response(ResultSerializer(rows, many=True).data)

    @extend_schema(summary="Every juror's scores", description="Each assignment with its scores "
                   "per criterion and the comment, for the city.",
                   responses={200: CityScoreSerializer(many=True), 400: REFUSED, 401: UNAUTHENTICATED, 403: FORBIDDEN, 404: NOT_FOUND})  # fmt: skip
    @action(detail=True, methods=["get"], url_path="jury-scores", pagination_class=None)
    def jury_scores(self, request, pk=None):
        jury = self._jury(self.get_object())
        rows = jury_selectors.assignments_for_city(jury)
        return Response(CityScoreSerializer(rows, many=True).data)

    @extend_schema(summary="Assign exhibits to jurors automatically", request=None,
                   description="Every exhibit at the city gets up to the jury's jurors per exhibit, "
                   "spread evenly, never a juror of its own area. `no_jurors`, `jury_closed`.",
                   responses={200: AssignedCountSerializer, 400: REFUSED, 401: UNAUTHENTICATED, 403: FORBIDDEN, 404: NOT_FOUND})  # fmt: skip
    @action(detail=True, methods=["post"], url_path="jury/assign-automatically")
    def assign_automatically(self, request, pk=None):
        jury = self._jury(self.get_object())
        made = jury_services.assign_automatically(jury=jury, by=request.user)
        return Response({"assignments": made})

    @extend_schema(summary="Decide many exhibits", request=DecisionsWriteSerializer,
                   description="Select (next free booths, in the order given), decline or return "
                   "many exhibits at once, all or none; `reason` for those declined or returned. "
                   "`no_booth_left`, `reason_required`, `other_ceremony`.",
                   responses={200: DecidedSerializer, 400: REFUSED, 401: UNAUTHENTICATED, 403: FORBIDDEN, 404: NOT_FOUND})  # fmt: skip
    @action(detail=True, methods=["post"])
    def decisions(self, request, pk=None):
        ceremony = self.get_object()
        serializer = DecisionsWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        decided = jury_services.exhibits_decide(
            ceremony=ceremony, by=request.user, reason=data["reason"],
            decisions={d["exhibit"]: d["action"] for d in data["decisions"]},
        )  # fmt: skip
        return Response({"decided": decided})


class RsvpView(APIView):
    """The guest's answer by the personal link's token; no account."""

    permission_classes = (AllowAny,)
    authentication_classes = ()

    def _guest(self, token):
        guest = selectors.guest_by_token(token)
        if guest is None:
            from rest_framework.exceptions import NotFound

            raise NotFound()
        return guest

    @extend_schema(
        summary="An invitation and its answer", responses={200: RsvpStateSerializer, 404: NOT_FOUND}
    )
    def get(self, request, token):
        return Response(RsvpStateSerializer(self._guest(token)).data)

    @extend_schema(
        summary="Answer an invitation", request=RsvpSerializer,
        description="`attend`, `decline` or `substitute` (with the substitute's name and "
        "mobile), until the deadline (`rsvp_closed`).",
        responses={200: RsvpStateSerializer, 400: REFUSED, 404: NOT_FOUND},
    )  # fmt: skip
    def post(self, request, token):
        guest = self._guest(token)
        serializer = RsvpSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        guest = services.guest_answer(guest=guest, **serializer.validated_data)
        return Response(RsvpStateSerializer(selectors.guest_by_token(token)).data)


@extend_schema_view(
    list=extend_schema(
        summary="Exhibits", parameters=[OpenApiParameter("ceremony", int, description="A ceremony's id; the current one by default.")],
        description="The submitter's own (drafts included); the city every handed-in exhibit.",
        responses={200: ExhibitSerializer(many=True), 401: UNAUTHENTICATED, 403: FORBIDDEN},
    ),
    retrieve=extend_schema(summary="One exhibit", responses={200: ExhibitSerializer, 401: UNAUTHENTICATED, 404: NOT_FOUND}),
)  # fmt: skip
class ExhibitViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = ExhibitSerializer
    permission_classes = (IsAuthenticated, RulesPermission)
    rules_permissions = {
        "list": "exhibition.list_exhibits",
        "retrieve": "exhibition.view_exhibit",
        "create": "exhibition.add_exhibit",
        "partial_update": "exhibition.change_exhibit",
        "transitions": "exhibition.view_exhibit",
        # Seen with the exhibit; the service lets only the submitter change them, while editable.
        "media": "exhibition.view_exhibit",
        "media_delete": "exhibition.view_exhibit",
    }
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Exhibit.objects.none()  # the schema is built without a database
        user = self.request.user
        if self.action == "list":
            raw = self.request.query_params.get("ceremony", "")
            ceremony = (
                Ceremony.objects.filter(pk=int(raw)).first() if raw.isdigit()
                else selectors.ceremonies().first()
            )  # fmt: skip
            if ceremony is None:
                return Exhibit.objects.none()
            return selectors.exhibits_visible_to(user, ceremony).order_by("pk")
        return selectors.exhibits_visible_to(user)

    @extend_schema(summary="Submit a draft exhibit", request=ExhibitCreateSerializer,
                   description="For an area or city department the user speaks for; "
                   "`exhibits_closed` after the call's deadline.",
                   responses={201: ExhibitSerializer, 400: REFUSED, 401: UNAUTHENTICATED, 403: FORBIDDEN,
                              404: OpenApiResponse(ErrorSerializer, description="No such ceremony or submitter.")})  # fmt: skip
    def create(self, request):
        serializer = ExhibitCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        ceremony = get_object_or_404(Ceremony, pk=data.pop("ceremony"))
        submitter = get_object_or_404(Organization, pk=data.pop("submitter"))
        exhibit = services.exhibit_create(
            ceremony=ceremony, submitter=submitter, by=request.user, **data
        )
        return Response(ExhibitSerializer(exhibit).data, status=status.HTTP_201_CREATED)

    @extend_schema(summary="Change a draft or returned exhibit", request=ExhibitWriteSerializer,
                   responses={200: ExhibitSerializer, 400: REFUSED, 401: UNAUTHENTICATED, 403: FORBIDDEN, 404: NOT_FOUND})  # fmt: skip
    def partial_update(self, request, pk=None):
        exhibit = self.get_object()
        serializer = ExhibitWriteSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        exhibit = services.exhibit_update(
            exhibit=exhibit, by=request.user, **serializer.validated_data
        )
        return Response(ExhibitSerializer(exhibit).data)

    @extend_schema(
        summary="Submit, select, return or decline",
        description="`submit` (the submitter; `confidentiality_unchecked`, `exhibits_closed`; a "
        "unit's exhibit goes to its area first), `area_approve` and `area_return` (with a "
        "`reason`, the area's reviewers), "
        "`select` (the city, with the next free booth; `no_booth_left`), `return` and "
        "`decline` with a `reason`.",
        request=ExhibitTransitionSerializer,
        responses={200: ExhibitSerializer, 400: REFUSED, 401: UNAUTHENTICATED, 403: FORBIDDEN, 404: NOT_FOUND},
    )  # fmt: skip
    @action(detail=True, methods=["post"])
    def transitions(self, request, pk=None):
        exhibit = self.get_object()
        serializer = ExhibitTransitionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        exhibit = services.exhibit_transition(
            exhibit=exhibit, by=request.user, **serializer.validated_data
        )
        return Response(ExhibitSerializer(exhibit).data)

    @extend_schema(
        methods=["GET"], summary="An exhibit's photos and video",
        responses={200: ExhibitMediaSerializer(many=True), 401: UNAUTHENTICATED, 404: NOT_FOUND},
    )  # fmt: skip
    @extend_schema(
        methods=["POST"], summary="Add a photo or the video",
        description="Multipart: `kind` = photo | video, `file`, `alt_text` (required for photos). "
        "The submitter, while the exhibit is a draft or returned. Checked by content like other "
        "media: photos jpg/png/webp re-encoded without EXIF; the video mp4/webm with its real "
        "duration measured (over 3 minutes refused). At most 6 photos and one video.",
        request={"multipart/form-data": ExhibitMediaUploadSerializer},
        responses={
            201: ExhibitMediaSerializer,
            400: OpenApiResponse(ErrorSerializer, description="`file_too_large`, "
                                 "`file_type_refused`, `image_damaged`, `video_damaged`, "
                                 "`video_truncated`, `video_too_long`, `too_many_files`, "
                                 "`alt_text_required`, `not_editable`; or field errors."),
            401: UNAUTHENTICATED, 403: FORBIDDEN, 404: NOT_FOUND,
        },
    )  # fmt: skip
    @action(detail=True, methods=["get", "post"], pagination_class=None,
            parser_classes=[BoundedMultiPartParser, BoundedFormParser])  # fmt: skip
    def media(self, request, pk=None):
        exhibit = self.get_object()
        if request.method == "GET":
            items = selectors.exhibit_media(exhibit)
            return Response(ExhibitMediaSerializer(items, many=True).data)
        serializer = ExhibitMediaUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        item = exhibit_media.exhibit_media_add(
            exhibit=exhibit, kind=serializer.validated_data["kind"],
            upload=serializer.validated_data["file"],
            alt_text=serializer.validated_data.get("alt_text", ""), by=request.user,
        )  # fmt: skip
        return Response(ExhibitMediaSerializer(item).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Remove a photo or the video",
        parameters=[OpenApiParameter("key", str, OpenApiParameter.PATH, description="The item's key (UUID).")],
        description="The submitter, while the exhibit is a draft or returned (`not_editable`).",
        responses={204: None, 400: REFUSED, 401: UNAUTHENTICATED, 403: FORBIDDEN, 404: NOT_FOUND},
    )  # fmt: skip
    @action(detail=True, methods=["delete"], url_path=r"media/(?P<key>[0-9a-f-]{32,36})")
    def media_delete(self, request, pk=None, key=None):
        exhibit = self.get_object()
        try:
            item = ExhibitMedia.objects.filter(exhibit=exhibit, key=key).first()
        except (ValueError, ValidationError):
            item = None
        if item is None:
            raise NotFound()
        exhibit_media.exhibit_media_remove(item=item, by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(
    list=extend_schema(summary="My jury assignments", description="The exhibits the signed-in juror scores, with the jury's criteria and their scores so far.",
                       responses={200: AssignmentSerializer(many=True), 401: UNAUTHENTICATED, 403: FORBIDDEN}),
    retrieve=extend_schema(summary="One of my assignments", responses={200: AssignmentSerializer, 401: UNAUTHENTICATED, 403: FORBIDDEN, 404: NOT_FOUND}),
)  # fmt: skip
class JuryAssignmentViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """A juror's own assignments; another juror's is not found."""

    serializer_class = AssignmentSerializer
    permission_classes = (IsAuthenticated, RulesPermission)
    rules_permissions = {
        "list": "exhibition.view_my_assignments",
        "retrieve": "exhibition.score_assignment",
        "scores": "exhibition.score_assignment",
    }

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Assignment.objects.none()
        return jury_selectors.assignments_of(self.request.user).prefetch_related(
            "juror__jury__criteria"
        )

    @extend_schema(
        summary="Score an exhibit", request=ScoresWriteSerializer,
        description="One whole number per criterion, from 0 to the jury's `scale_max`, and a "
        "comment; changeable until the jury closes (`jury_closed`). Errors per criterion under "
        "`criterion_<id>` (`invalid_score`); nothing is saved unless every score is right.",
        responses={200: AssignmentSerializer, 400: REFUSED, 401: UNAUTHENTICATED, 403: FORBIDDEN, 404: NOT_FOUND},
    )  # fmt: skip
    @action(detail=True, methods=["post"])
    def scores(self, request, pk=None):
        assignment = self.get_object()
        serializer = ScoresWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        jury_services.scores_save(
            assignment=assignment, by=request.user, comment=data["comment"],
            values={item["criterion"]: item["value"] for item in data["scores"]},
        )  # fmt: skip
        return Response(AssignmentSerializer(self.get_queryset().get(pk=assignment.pk)).data)
