"""Back office for a published activity's life: its edit (corrections at once, a change of time,
venue or booking rules for approval), new sessions one at a time or as a series, the replay
link once held, and the reviewers' queue of changes."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView, TemplateView

from sciweek.activities import changes
from sciweek.activities.change_forms import (
    NewSessionForm,
    PublishedActivityForm,
    ReplayForm,
    SeriesForm,
)
from sciweek.activities.forms import ReasonForm
from sciweek.activities.models import ActivityChange
from sciweek.activities.workflow import CHANGE, ChangeAction
from sciweek.common.errors import ServiceError

from ..activities.views import ActivityObjectMixin, DetailPageRefusalMixin
from ..mixins import OfficePermissionMixin


class PublishedPageMixin(ActivityObjectMixin, OfficePermissionMixin):
    permission_required = "activities.change_published"
    nav = "activities"

    def get_refusal_url(self) -> str:
        return self.request.path


class PublishedEditView(PublishedPageMixin, TemplateView):
    """Edit a published activity: the text at once, the rest as a change for approval."""

    template_name = "dashboard/changes/edit.html"

    def get_context_data(self, **kwargs):
        activity = self.get_activity()
        kwargs.setdefault("form", PublishedActivityForm(instance=activity))
        pending = activity.changes.filter(state=CHANGE.states.PROPOSED).first()
        return super().get_context_data(activity=activity, pending=pending, **kwargs)

    def post(self, request, pk):
        activity = self.get_activity()
        form = PublishedActivityForm(request.POST, instance=activity)
        self.refusing(form)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        edit = changes.published_edit(
            activity=activity,
            corrections=form.corrections(),
            fields=form.proposed_fields(),
            sessions=form.proposed_sessions(),
            note=form.cleaned_data["note"],
            by=request.user,
        )
        if edit.corrected:
            messages.success(request, _("The corrections are published."))
        if edit.change is not None:
            messages.success(
                request, _("The change of time, venue or booking rules awaits approval.")
            )
        return redirect("dashboard:activity-detail", pk=pk)


class PublishedSessionAddView(PublishedPageMixin, TemplateView):
    template_name = "dashboard/changes/session.html"

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", NewSessionForm(prefix="session"))
        return super().get_context_data(activity=self.get_activity(), **kwargs)

    def post(self, request, pk):
        form = NewSessionForm(request.POST, prefix="session")
        self.refusing(form)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        changes.session_add_published(
            activity=self.get_activity(), session=form.save(commit=False), by=request.user
        )
        messages.success(request, _("The session is added."))
        return redirect("dashboard:activity-detail", pk=pk)


class PublishedSeriesView(PublishedPageMixin, TemplateView):
    template_name = "dashboard/changes/series.html"

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", SeriesForm())
        return super().get_context_data(activity=self.get_activity(), **kwargs)

    def post(self, request, pk):
        form = SeriesForm(request.POST)
        self.refusing(form)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        added = changes.sessions_add_series(activity=self.get_activity(), by=request.user,
                                            **form.cleaned_data)  # fmt: skip
        messages.success(request, _("%(n)d sessions are added.") % {"n": len(added)})
        return redirect("dashboard:activity-detail", pk=pk)


class ReplayView(DetailPageRefusalMixin, ActivityObjectMixin, OfficePermissionMixin, View):
    """POST replay_url: the recording of a held activity (from its page)."""

    permission_required = "activities.add_replay"

    def post(self, request, pk):
        form = ReplayForm(request.POST)
        self.refusing(None, replay_form=form)
        if not form.is_valid():
            raise ServiceError(_("Enter a valid link."), code="bad_url")
        changes.replay_set(
            activity=self.get_activity(), url=form.cleaned_data["replay_url"], by=request.user
        )
        messages.success(request, _("The replay link is added."))
        return redirect("dashboard:activity-detail", pk=pk)


class ChangeQueueView(OfficePermissionMixin, ListView):
    """The changes of published activities waiting for this reviewer."""

    template_name = "dashboard/changes/queue.html"
    permission_required = "activities.view_change_queue"
    nav = "changes"
    context_object_name = "changes"
    paginate_by = 50

    def get_queryset(self):
        return changes.changes_to_review(self.request.user)

    def get_context_data(self, **kwargs):
        return super().get_context_data(reason_form=ReasonForm(), **kwargs)


class ChangeDecideView(OfficePermissionMixin, View):
    """POST action=approve|reject (+ reason), from the queue."""

    permission_required = "activities.view_change_queue"

    def get_change(self) -> ActivityChange:
        if not hasattr(self, "_change"):
            self._change = get_object_or_404(
                changes.changes_to_review(self.request.user), pk=self.kwargs["pk"]
            )
        return self._change

    def get_refusal_url(self) -> str:
        return "dashboard:change-queue"

    def refusal_response(self, exc):
        return redirect(self.get_refusal_url())

    def post(self, request, pk):
        change = self.get_change()
        action = request.POST.get("action", "")
        changes.change_decide(
            change=change, action=action, by=request.user, reason=request.POST.get("reason", "")
        )
        messages.success(request, _("Done: %(action)s.") % {"action": ChangeAction(action).label})
        return redirect("dashboard:change-queue")
