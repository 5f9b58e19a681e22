"""``GET /api/v1/statistics/``: the dashboard's figures (``reports.week_statistics``), scoped
like the pages: the city all, an area's staff their area, a host unit itself."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.exceptions import NotFound
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from sciweek.reports.forms import StatisticsFilterForm
from sciweek.reports.week_statistics import week_statistics

from ..permissions import RulesPermission
from ..serializers.common import ErrorSerializer
from ..serializers.statistics import StatisticsSerializer


class StatisticsView(APIView):
    permission_classes = (IsAuthenticated, RulesPermission)
    rules_permissions = {None: "reports.view_statistics"}
    detail = False

    @extend_schema(
        summary="Statistics of the week",
        description=(
            "The dashboard's figures for one edition (the current one unless named): key figures "
            "with the previous edition's, activities by area and category and state, sessions, "
            "bookings, waiting lists, check-ins and no-shows by day, area and session, check-ins "
            "per hour, the review pipeline, notice acknowledgements and summary reports by area, "
            "and the areas' tiles. Every `url` is the back-office page of the records behind the "
            "figure. The city sees every area, an area's staff their area, a host unit itself."
        ),
        parameters=[
            OpenApiParameter("edition", OpenApiTypes.INT, description="Edition id."),
            OpenApiParameter("area", OpenApiTypes.INT, description="Area id."),
            OpenApiParameter("category", OpenApiTypes.INT, description="Category id."),
            OpenApiParameter("date_from", OpenApiTypes.DATE, description="Sessions from."),
            OpenApiParameter("date_to", OpenApiTypes.DATE, description="Sessions until."),
        ],
        responses={
            200: StatisticsSerializer,
            400: OpenApiResponse(ErrorSerializer, description="A filter value is not valid."),
            401: OpenApiResponse(ErrorSerializer, description="Not signed in."),
            403: OpenApiResponse(ErrorSerializer, description="No office role that has figures."),
            404: OpenApiResponse(ErrorSerializer, description="No edition to show."),
        },
    )
    def get(self, request):
        form = StatisticsFilterForm(request.query_params, user=request.user)
        if form.is_bound and not form.is_valid():
            field, errors = next(iter(form.errors.items()))
            return Response(
                {"code": "invalid", "detail": f"{field}: {errors[0]}", "errors": form.errors},
                status=400,
            )
        filters = form.statistics_filters()
        if filters is None:
            raise NotFound(_("There is no edition to show yet."))  # as {code, detail}
        return Response(week_statistics(request.user, filters))
