from django.shortcuts import redirect
from django.views.generic import TemplateView

from sciweek.activities.enums import ActivityState
from sciweek.activities.selectors import area_review_queue, city_review_queue, own_activities
from sciweek.campaigns.enums import NoticeStatus
from sciweek.campaigns.selectors import deliveries_to_acknowledge, notices_visible_to
from sciweek.exhibition.jury_selectors import to_score
from sciweek.exhibition.selectors import awaiting_area
from sciweek.organizations.access import access_for
from sciweek.organizations.enums import Role
from sciweek.organizations.rules import is_organizer_staff
from sciweek.reports.selectors import returned_summaries_for

from ..mixins import OfficeMixin
from ..statistics.views import cockpit_context


class HomeView(OfficeMixin, TemplateView):
    """工作台 home: what needs this user's attention, notices to acknowledge first."""

    template_name = "dashboard/home.html"
    nav = "home"

    def get(self, request, *args, **kwargs):
        # A gate volunteer has nothing else to do in the office: their work is the gate.
        if _is_gate_only(request.user):
            return redirect("dashboard:gate")
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["to_acknowledge"] = _by_notice(deliveries_to_acknowledge(user)[:200])
        context["returned"] = list(
            own_activities(user)
            .filter(state=ActivityState.RETURNED)
            .select_related("host")
            .order_by("state_changed_at")[:20]
        )
        # Gate staff with other roles too land here: the gate is one click away.
        context["at_gate"] = any(g.role == Role.GATE_STAFF for g in access_for(user).grants)
        context["returned_summaries"] = list(returned_summaries_for(user))
        context["area_queue"] = area_review_queue(user).count()
        context["city_queue"] = city_review_queue(user).count()
        context["exhibits_at_area"] = awaiting_area(user).count()
        context["to_score"] = to_score(user).count()
        context["memberships"] = list(
            user.memberships.select_related("organization").order_by("organization__path", "role")
        )
        if is_organizer_staff(user):
            # The organiser's home is the cockpit too: the week in charts under the to-do list.
            context.update(cockpit_context(user))
            context["open_notices"] = list(
                notices_visible_to(user)
                .filter(status=NoticeStatus.PUBLISHED)
                .order_by("-published_at")[:5]
            )
            context["draft_notices"] = list(
                notices_visible_to(user)
                .filter(status=NoticeStatus.DRAFT)
                .order_by("-created_at")[:5]
            )
        return context


def _is_gate_only(user) -> bool:
    grants = access_for(user).grants
    return not user.is_superuser and bool(grants) and all(g.role == Role.GATE_STAFF for g in grants)


def _by_notice(deliveries) -> list[tuple]:
    """The deliveries waiting for this user, one row per notice (in the selector's order) with
    the organisations it still awaits: an area signs for its departments at once."""
    groups: dict[int, tuple] = {}
    for delivery in deliveries:
        groups.setdefault(delivery.notice_id, (delivery.notice, []))[1].append(delivery)
    return list(groups.values())
