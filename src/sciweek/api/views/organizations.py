"""Organisations: the tree as the user may see it, and the back office's writes — create and
change an organisation (the organiser anywhere, an area admin its own host units) and its
contact people."""

from django.db import transaction
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
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from sciweek.organizations import services
from sciweek.organizations.models import Contact, Organization
from sciweek.organizations.selectors import organizations_visible_to

from ..concurrency import IF_MATCH, PRECONDITION_FAILED, require_current, tagged
from ..filters import OrganizationFilter
from ..permissions import RulesPermission
from ..serializers.common import ErrorSerializer
from ..serializers.organizations import (
    ContactSerializer,
    OrganizationSerializer,
    OrganizationWriteSerializer,
)

UNAUTHENTICATED = OpenApiResponse(ErrorSerializer, description="Not signed in.")
NOT_FOUND = OpenApiResponse(ErrorSerializer, description="Unknown or not visible.")
MAY_NOT = OpenApiResponse(
    ErrorSerializer,
    description="May not manage it (`not_your_area`: an area admin manages the host units "
    "directly under its own area).",
)
REFUSED = OpenApiResponse(
    ErrorSerializer,
    description="`bad_parent` (not allowed there in the tree); or field errors (`invalid`, "
    "with `errors`).",
)
CONTACT_REFUSED = OpenApiResponse(
    ErrorSerializer,
    description="`contact_name`, `contact_mobile`, `contact_unreachable`; or field errors.",
)
CONTACT_ID = OpenApiParameter(
    "contact_id", OpenApiTypes.INT, OpenApiParameter.PATH, description="Contact id."
)
WRITE = {
    200: OrganizationSerializer,
    400: REFUSED,
    401: UNAUTHENTICATED,
    403: MAY_NOT,
    404: NOT_FOUND,
    412: PRECONDITION_FAILED,
}


@extend_schema_view(
    list=extend_schema(
        summary="Organisations the user may see",
        description=(
            "The organiser sees the whole tree, an area admin their area, anyone else their own "
            "organisations."
        ),
        responses={200: OrganizationSerializer(many=True), 401: UNAUTHENTICATED},
    ),
    retrieve=extend_schema(
        summary="One organisation",
        description="The `ETag` header is the version to send back in `If-Match`.",
        responses={200: OrganizationSerializer, 401: UNAUTHENTICATED, 404: NOT_FOUND},
    ),
    create=extend_schema(
        summary="Create an organisation",
        description="The organiser anywhere in the tree; an area admin a host unit under its "
        "own area.",
        request=OrganizationWriteSerializer,
        responses={201: OrganizationSerializer, 400: REFUSED, 401: UNAUTHENTICATED, 403: MAY_NOT},
    ),
    update=extend_schema(
        summary="Change an organisation",
        request=OrganizationWriteSerializer,
        parameters=[IF_MATCH],
        responses=WRITE,
    ),
    partial_update=extend_schema(
        summary="Change some of an organisation's fields",
        request=OrganizationWriteSerializer,
        parameters=[IF_MATCH],
        responses=WRITE,
    ),
)
class OrganizationViewSet(
    mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet
):
    serializer_class = OrganizationSerializer
    permission_classes = (IsAuthenticated, RulesPermission)
    filterset_class = OrganizationFilter
    # The names the organisation pages ask.
    rules_permissions = {
        "create": "organizations.add_organization",
        "update": "organizations.change_organization",
        "partial_update": "organizations.change_organization",
        "contacts": "organizations.manage_contacts",
        "contact_detail": "organizations.manage_contacts",
    }

    def get_queryset(self):
        # The same selector as the back-office pages decides visibility.
        return organizations_visible_to(self.request.user).order_by("path")

    def get_serializer_class(self):
        if self.action in ("create", "update", "partial_update"):
            return OrganizationWriteSerializer
        return OrganizationSerializer

    def _answer(self, organization: Organization, code: int = status.HTTP_200_OK) -> Response:
        fresh = Organization.objects.get(pk=organization.pk)
        return tagged(Response(OrganizationSerializer(fresh).data, status=code), fresh)

    def retrieve(self, request, *args, **kwargs):
        organization = self.get_object()
        return tagged(Response(OrganizationSerializer(organization).data), organization)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        organization = Organization(**serializer.validated_data)
        services.organization_save(organization=organization, by=request.user)
        return self._answer(organization, status.HTTP_201_CREATED)

    def update(self, request, *args, partial=False, **kwargs):
        organization = self.get_object()
        with transaction.atomic():
            require_current(
                request, Organization.objects.select_for_update().get(pk=organization.pk)
            )
            serializer = self.get_serializer(organization, data=request.data, partial=partial)
            serializer.is_valid(raise_exception=True)
            for name, value in serializer.validated_data.items():
                setattr(organization, name, value)
            services.organization_save(organization=organization, by=request.user)
        return self._answer(organization)

    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, partial=True, **kwargs)

    @extend_schema(
        methods=["GET"],
        summary="The organisation's contact people",
        responses={
            200: ContactSerializer(many=True),
            401: UNAUTHENTICATED,
            403: MAY_NOT,
            404: NOT_FOUND,
        },
    )
    @extend_schema(
        methods=["POST"],
        summary="Add a contact person",
        request=ContactSerializer,
        responses={
            201: ContactSerializer,
            400: CONTACT_REFUSED,
            401: UNAUTHENTICATED,
            403: MAY_NOT,
            404: NOT_FOUND,
        },
    )
    @action(detail=True, methods=["get", "post"], filterset_class=None, pagination_class=None)
    def contacts(self, request, pk=None):
        organization = self.get_object()
        if request.method == "GET":
            return Response(ContactSerializer(organization.contacts.order_by("id"), many=True).data)
        serializer = ContactSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        contact = services.contact_save(
            contact=Contact(organization=organization, **serializer.validated_data),
            by=request.user,
        )
        return Response(ContactSerializer(contact).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        methods=["PATCH"],
        summary="Change a contact person",
        parameters=[CONTACT_ID],
        request=ContactSerializer,
        responses={
            200: ContactSerializer,
            400: CONTACT_REFUSED,
            401: UNAUTHENTICATED,
            403: MAY_NOT,
            404: NOT_FOUND,
        },
    )
    @extend_schema(
        methods=["DELETE"],
        summary="Remove a contact person",
        parameters=[CONTACT_ID],
        responses={204: None, 401: UNAUTHENTICATED, 403: MAY_NOT, 404: NOT_FOUND},
    )
    @action(
        detail=True,
        methods=["patch", "delete"],
        url_path=r"contacts/(?P<contact_id>[0-9]+)",
        url_name="contact-detail",
        filterset_class=None,
    )
    def contact_detail(self, request, pk=None, contact_id=None):
        organization = self.get_object()
        contact = get_object_or_404(Contact, organization=organization, pk=contact_id)
        if request.method == "DELETE":
            services.contact_delete(contact=contact, by=request.user)
            return Response(status=status.HTTP_204_NO_CONTENT)
        serializer = ContactSerializer(contact, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        for name, value in serializer.validated_data.items():
            setattr(contact, name, value)
        return Response(
            ContactSerializer(services.contact_save(contact=contact, by=request.user)).data
        )
