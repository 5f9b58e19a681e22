"""Editions: the public list, and for the organiser the same writes as the back office's edition
pages — create, change (with basis documents and focus areas), copy to a new year, and move
along the edition's workflow (publish, close, archive)."""

from __future__ import annotations

from django.db import transaction
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticatedOrReadOnly
from rest_framework.response import Response

from sciweek.campaigns import services
from sciweek.campaigns.models import BasisDocument, Edition, FocusArea
from sciweek.campaigns.selectors import editions_for_office

from ..concurrency import IF_MATCH, PRECONDITION_FAILED, require_current, tagged
from ..permissions import RulesPermission
from ..serializers.campaigns import (
    EditionCopySerializer,
    EditionSerializer,
    EditionTransitionSerializer,
    EditionWriteSerializer,
)
from ..serializers.common import ErrorSerializer

UNAUTHENTICATED = OpenApiResponse(ErrorSerializer, description="Not signed in.")
NOT_FOUND = OpenApiResponse(ErrorSerializer, description="Unknown or not visible to this user.")
NOT_ORGANISER = OpenApiResponse(ErrorSerializer, description="Not the organiser's staff.")
INVALID = OpenApiResponse(
    ErrorSerializer,
    description="Field errors (`invalid`, with `errors`): e.g. a year already taken, the last "
    "day before the first, the summary deadline before the last day.",
)
SCOPE = OpenApiParameter(
    "scope",
    OpenApiTypes.STR,
    enum=["office"],
    description="`office`: the organiser's list, drafts included (others get the public list).",
)
WRITE = {
    200: EditionSerializer,
    400: INVALID,
    401: UNAUTHENTICATED,
    403: NOT_ORGANISER,
    404: NOT_FOUND,
    412: PRECONDITION_FAILED,
}


def _rows(existing: list, given: list[dict], model, edition: Edition):
    """The rows to save and to delete so that the edition's rows are ``given``, in order: the
    n-th given row changes the n-th existing one (an unchanged list changes nothing)."""
    saved = []
    last = max((row.position for row in existing), default=-1)
    for n, values in enumerate(given):
        if n < len(existing):
            row = existing[n]
        else:
            last += 1
            row = model(edition=edition, position=last)
        for name, value in values.items():
            setattr(row, name, value)
        saved.append(row)
    return saved, existing[len(given) :]


@extend_schema_view(
    list=extend_schema(
        summary="Editions",
        description="Every edition the public may see (published, closed or archived), newest "
        "first; with `scope=office`, the organiser's staff see drafts too.",
        parameters=[SCOPE],
    ),
    retrieve=extend_schema(
        summary="One edition",
        description="Public editions for everyone; drafts for the organiser's staff. The "
        "`ETag` header is the version to send back in `If-Match`.",
        responses={200: EditionSerializer, 404: NOT_FOUND},
    ),
    create=extend_schema(
        summary="Create a draft edition",
        request=EditionWriteSerializer,
        responses={201: EditionSerializer, 400: INVALID, 401: UNAUTHENTICATED, 403: NOT_ORGANISER},
    ),
    update=extend_schema(
        summary="Change an edition",
        description="The edition as read may be written back unchanged. With `If-Match`, "
        "refused with 412 when someone else saved it since.",
        request=EditionWriteSerializer,
        parameters=[IF_MATCH],
        responses=WRITE,
    ),
    partial_update=extend_schema(
        summary="Change some of an edition's fields",
        request=EditionWriteSerializer,
        parameters=[IF_MATCH],
        responses=WRITE,
    ),
)
class EditionViewSet(
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.ReadOnlyModelViewSet,
):
    serializer_class = EditionSerializer
    permission_classes = (IsAuthenticatedOrReadOnly, RulesPermission)
    # The back office's edition pages ask the same question.
    rules_permissions = dict.fromkeys(
        ("create", "update", "partial_update", "copy", "transitions"), "campaigns.manage_edition"
    )

    def get_queryset(self):
        user = self.request.user
        office = self.action != "list" or self.request.query_params.get("scope") == "office"
        qs = editions_for_office(user) if office else Edition.objects.public()
        return (
            qs.select_related("organizer")
            .prefetch_related("basis_documents", "focus_areas", "categories")
            .order_by("-year")
        )

    def get_serializer_class(self):
        if self.action in ("create", "update", "partial_update"):
            return EditionWriteSerializer
        return EditionSerializer

    def _answer(self, edition: Edition, code: int = status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=edition.pk)
        return tagged(Response(EditionSerializer(fresh).data, status=code), fresh)

    def _save(self, edition: Edition, data: dict) -> Edition:
        documents = data.pop("basis_documents", None)
        focus_areas = data.pop("focus_areas", None)
        for name, value in data.items():
            setattr(edition, name, value)
        by = self.request.user
        services.edition_save(edition=edition, by=by)
        if documents is not None:
            saved, deleted = _rows(
                list(edition.basis_documents.all()), documents, BasisDocument, edition
            )
            services.basis_documents_save(edition=edition, saved=saved, deleted=deleted, by=by)
        if focus_areas is not None:
            saved, deleted = _rows(list(edition.focus_areas.all()), focus_areas, FocusArea, edition)
            services.focus_areas_save(edition=edition, saved=saved, deleted=deleted, by=by)
        return edition

    def retrieve(self, request, *args, **kwargs):
        edition = self.get_object()
        return tagged(Response(EditionSerializer(edition).data), edition)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with transaction.atomic():
            edition = self._save(Edition(), dict(serializer.validated_data))
        return self._answer(edition, status.HTTP_201_CREATED)

    def update(self, request, *args, partial=False, **kwargs):
        edition = self.get_object()
        with transaction.atomic():
            require_current(request, Edition.objects.select_for_update().get(pk=edition.pk))
            serializer = self.get_serializer(edition, data=request.data, partial=partial)
            serializer.is_valid(raise_exception=True)
            self._save(edition, dict(serializer.validated_data))
        return self._answer(edition)

    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, partial=True, **kwargs)

    @extend_schema(
        summary="Copy to a new year",
        description="A new draft edition with this one's texts, basis documents (marked to "
        "update) and focus areas, its dates moved by the difference in years.",
        request=EditionCopySerializer,
        responses={
            201: EditionSerializer,
            400: OpenApiResponse(ErrorSerializer, description="`year_taken`, or a field error."),
            401: UNAUTHENTICATED,
            403: NOT_ORGANISER,
            404: NOT_FOUND,
        },
    )
    @action(detail=True, methods=["post"])
    def copy(self, request, pk=None):
        source = self.get_object()
        serializer = EditionCopySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        edition = services.edition_copy(
            source=source, year=serializer.validated_data["year"], by=request.user
        )
        return self._answer(edition, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Publish, close or archive",
        description="Draft or closed → published, published → closed, closed → archived.",
        request=EditionTransitionSerializer,
        responses={
            200: EditionSerializer,
            400: OpenApiResponse(
                ErrorSerializer, description="`unknown_status`, `transition_not_allowed`."
            ),
            401: UNAUTHENTICATED,
            403: NOT_ORGANISER,
            404: NOT_FOUND,
        },
    )
    @action(detail=True, methods=["post"])
    def transitions(self, request, pk=None):
        edition = self.get_object()
        serializer = EditionTransitionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.edition_transition(
            edition=edition, to=serializer.validated_data["to"], by=request.user
        )
        return self._answer(edition)
