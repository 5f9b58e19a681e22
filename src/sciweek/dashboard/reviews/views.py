"""Review queues (审核): the area's and the city's, oldest waiting first."""

from django.views.generic import ListView

from sciweek.activities.selectors import area_review_queue, city_review_queue

from ..activities.views import FilteredActivityListMixin
from ..mixins import OfficePermissionMixin


class AreaReviewQueueView(FilteredActivityListMixin, OfficePermissionMixin, ListView):
    template_name = "dashboard/activities/review_queue.html"
    permission_required = "activities.view_area_queue"
    nav = "review-area"
    ordering = ("state_changed_at", "id")
    level = "area"

    def base_queryset(self):
        return area_review_queue(self.request.user)

    def get_context_data(self, **kwargs):
        return super().get_context_data(level=self.level, **kwargs)


class CityReviewQueueView(AreaReviewQueueView):
    permission_required = "activities.view_city_queue"
    nav = "review-city"
    level = "city"

    def base_queryset(self):
        return city_review_queue(self.request.user)
