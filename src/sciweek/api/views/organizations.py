from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.permissions import IsAuthenticated

from sciweek.organizations.selectors import organizations_visible_to

from ..filters import OrganizationFilter
from ..serializers.common import ErrorSerializer
from ..serializers.organizations import OrganizationSerializer

UNAUTHENTICATED = OpenApiResponse(ErrorSerializer, description="Not signed in.")


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
        responses={
            200: OrganizationSerializer,
            401: UNAUTHENTICATED,
            404: OpenApiResponse(ErrorSerializer, description="Unknown or not visible."),
        },
    ),
)
class OrganizationViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = OrganizationSerializer
    permission_classes = (IsAuthenticated,)
    filterset_class = OrganizationFilter

    def get_queryset(self):
        # The same selector as the back-office pages decides visibility.
        return organizations_visible_to(self.request.user).order_by("path")
