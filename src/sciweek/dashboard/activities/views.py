"""Back office for activities: my activities, filing and editing, the activity page with its
history and workflow buttons, documents, results and media coverage."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView, TemplateView

from sciweek.activities import checks, services
from sciweek.activities.forms import (
    ActivityFilterForm,
    ActivityForm,
    CoverageForm,
    DocumentForm,
    ReasonForm,
    ResultsForm,
    SessionFormSet,
)
from sciweek.activities.models import Activity, ActivityDocument, MediaCoverage
from sciweek.activities.selectors import (
    activities_visible_to,
    editions_open_for_filing,
    filter_activities,
    history_of,
    hosts_for,
    own_activities,
    with_list_joins,
)
from sciweek.activities.workflow import ACTIVITY, Action
from sciweek.common.errors import ServiceError
from sciweek.common.serving import file_response

from ..mixins import OfficeMixin, OfficePermissionMixin


class FilteredActivityListMixin:
    """A paginated, filtered activity list; subclasses give the base queryset."""

    paginate_by = 20
    context_object_name = "activities"

    def base_queryset(self):
        raise Http404

    def get_filter_form(self):
        if not hasattr(self, "_filter_form"):
            self._filter_form = ActivityFilterForm(self.request.GET or None)
        return self._filter_form

    def get_queryset(self):
        qs = filter_activities(self.base_queryset(), self.get_filter_form().filters())
        return with_list_joins(qs).order_by(*self.ordering)

    def get_context_data(self, **kwargs):
        return super().get_context_data(filter_form=self.get_filter_form(), **kwargs)


class ActivityListView(FilteredActivityListMixin, OfficeMixin, ListView):
    """My activities: everything hosted by the organisations the user speaks for."""

    template_name = "dashboard/activities/list.html"
    nav = "activities"
    ordering = ("-created_at",)

    def base_queryset(self):
        return own_activities(self.request.user)


class ActivityObjectMixin:
    """The activity from the URL; one the user may not see answers 404."""

    def get_activity(self) -> Activity:
        if not hasattr(self, "_activity"):
            self._activity = get_object_or_404(
                activities_visible_to(self.request.user).select_related(
                    "host", "area", "edition", "category", "focus_area"
                ),
                pk=self.kwargs["pk"],
            )
        return self._activity

    def get_permission_object(self):
        return self.get_activity()


class ActivityFormView(OfficePermissionMixin, TemplateView):
    """File a new activity or edit a draft, with its sessions, on one page."""

    template_name = "dashboard/activities/form.html"
    nav = "activities"

    def get_activity(self) -> Activity:
        return Activity()

    def forms(self, data=None):
        activity = self.get_activity()
        form = ActivityForm(
            data,
            instance=activity,
            hosts=hosts_for(self.request.user),
            editions=editions_open_for_filing(),
        )
        sessions = SessionFormSet(data, instance=activity, prefix="sessions")
        return form, sessions

    def get_context_data(self, **kwargs):
        if "form" not in kwargs:
            kwargs["form"], kwargs["sessions"] = self.forms()
        return super().get_context_data(
            activity=self.get_activity(), large_event_rule=checks.large_event_rule(), **kwargs
        )

    def post(self, request, *args, **kwargs):
        form, sessions = self.forms(request.POST)
        self.refusing(form, sessions=sessions)
        if not (form.is_valid() and sessions.is_valid()):
            return self.render_to_response(
                self.get_context_data(form=form, sessions=sessions), status=400
            )
        deleted = [f.instance for f in sessions.deleted_forms if f.instance.pk]
        changed = [
            f.save(commit=False)
            for f in sessions.forms
            if f not in sessions.deleted_forms and (f.has_changed() or f.instance.pk)
        ]
        activity = services.activity_file(
            activity=form.save(commit=False),
            by=request.user,
            audiences=form.cleaned_data["audiences"],
            co_hosts=list(form.cleaned_data["co_hosts"]),
            sessions=changed,
            deleted_sessions=deleted,
        )
        messages.success(request, _("Saved. Submit it for review when it is complete."))
        return redirect("dashboard:activity-detail", pk=activity.pk)


class ActivityCreateView(ActivityFormView):
    permission_required = "activities.add_activity"

    def get_permission_object(self):
        return None


class ActivityEditView(ActivityObjectMixin, ActivityFormView):
    permission_required = "activities.change_activity"


class ActivityDetailView(ActivityObjectMixin, OfficePermissionMixin, TemplateView):
    template_name = "dashboard/activities/detail.html"
    permission_required = "activities.view_activity"
    nav = "activities"

    def get_context_data(self, **kwargs):
        activity = self.get_activity()
        user = self.request.user
        actions = ACTIVITY.available_actions(activity, user)
        context = {
            "activity": activity,
            "sessions": list(activity.sessions.all()),
            "audiences": [t.get_audience_display() for t in activity.audience_tags.all()],
            "co_hosts": list(activity.co_hosts.all()),
            "documents": list(activity.documents.all()),
            "coverage": list(activity.coverage.all()),
            "history": list(history_of(activity)),
            "actions": actions,
            "reason_form": ReasonForm(),
            "document_form": DocumentForm(),
            "results_form": ResultsForm(instance=activity),
            "coverage_form": CoverageForm(),
            "submission_problems": checks.submission_problems(activity)
            if activity.is_editable
            else [],
            "large_event": checks.is_large_event(activity),
            "large_event_problems": checks.large_event_problems(activity),
            "permit_level": checks.required_permit_level(activity),
        }
        # A refused POST passes its bound forms in, so what the user typed is shown again.
        context.update(kwargs)
        return super().get_context_data(**context)


class DetailPageRefusalMixin:
    """POST views on the activity page answer a refusal with the page itself (4xx), the
    reasons as messages and the user's input in the forms (``refusing(None, <name>_form=form)``),
    never a silent redirect."""

    def refusal_response(self, exc):
        page = ActivityDetailView()
        page.setup(self.request, **self.kwargs)
        page._activity = self.get_activity()
        context = page.get_context_data(**(self.refusal_context or {}))
        return page.render_to_response(context, status=self.refusal_status(exc))


def form_errors(form) -> list[str]:
    """Each error of a form, prefixed with its field's label."""
    errors = []
    for name, field_errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        errors += [f"{label}: {e}" if label else e for e in field_errors]
    return errors


class ActivityTransitionView(
    DetailPageRefusalMixin, ActivityObjectMixin, OfficePermissionMixin, View
):
    """POST action=submit|approve|return|withdraw|cancel|mark_held (+ reason)."""

    permission_required = "activities.view_activity"

    def post(self, request, pk):
        activity = self.get_activity()
        action = request.POST.get("action", "")
        services.activity_transition(
            activity=activity,
            action=action,
            by=request.user,
            reason=request.POST.get("reason", ""),
        )
        messages.success(request, _("Done: %(action)s.") % {"action": Action(action).label})
        next_url = request.POST.get("next", "")
        if next_url in {"area-queue", "city-queue"}:
            return redirect(f"dashboard:review-{next_url.split('-')[0]}")
        return redirect("dashboard:activity-detail", pk=pk)


class ActivityDuplicateView(ActivityObjectMixin, OfficePermissionMixin, View):
    permission_required = "activities.submit_activity"

    def post(self, request, pk):
        copy = services.activity_duplicate(activity=self.get_activity(), by=request.user)
        messages.success(request, _("A copy was made as a new draft."))
        return redirect("dashboard:activity-edit", pk=copy.pk)


class ActivityDocumentUploadView(
    DetailPageRefusalMixin, ActivityObjectMixin, OfficePermissionMixin, View
):
    permission_required = "activities.change_activity"

    def post(self, request, pk):
        form = DocumentForm(request.POST, request.FILES)
        self.refusing(document_form=form)
        if not form.is_valid():
            return self.refused(ServiceError(_("Choose the kind of document and a file.")))
        services.document_attach(
            activity=self.get_activity(),
            kind=form.cleaned_data["kind"],
            upload=form.cleaned_data["file"],
            by=request.user,
        )
        messages.success(request, _("Attached."))
        return redirect("dashboard:activity-detail", pk=pk)


class ActivityDocumentView(ActivityObjectMixin, OfficePermissionMixin, View):
    """Plans are private: the host, its area's reviewers and the city only."""

    permission_required = "activities.view_documents"

    def get(self, request, pk, document_pk):
        document = get_object_or_404(ActivityDocument, pk=document_pk, activity=self.get_activity())
        return file_response(
            request,
            document.file,
            content_type=document.content_type,
            filename=document.original_name,
            etag=f'"activity-document-{document.pk}"',
            cache_control="private, no-store",
            as_attachment=True,
        )


class ActivityDocumentRemoveView(ActivityObjectMixin, OfficePermissionMixin, View):
    permission_required = "activities.change_activity"

    def post(self, request, pk, document_pk):
        document = get_object_or_404(ActivityDocument, pk=document_pk, activity=self.get_activity())
        services.document_remove(document=document, by=request.user)
        return redirect("dashboard:activity-detail", pk=pk)

    def get_refusal_url(self):
        return reverse("dashboard:activity-detail", kwargs={"pk": self.kwargs["pk"]})


class ActivityResultsView(DetailPageRefusalMixin, ActivityObjectMixin, OfficePermissionMixin, View):
    permission_required = "activities.record_results"

    def post(self, request, pk):
        # A copy: a refused form must not change the activity the page shows.
        instance = Activity.objects.get(pk=self.get_activity().pk)
        form = ResultsForm(request.POST, instance=instance)
        self.refusing(results_form=form)
        if not form.is_valid():
            return self.refused(ServiceError(form_errors(form)))
        services.results_save(
            activity=self.get_activity(), values=form.cleaned_data, by=request.user
        )
        messages.success(request, _("Results saved."))
        return redirect("dashboard:activity-detail", pk=pk)


class ActivityCoverageAddView(
    DetailPageRefusalMixin, ActivityObjectMixin, OfficePermissionMixin, View
):
    permission_required = "activities.record_results"

    def post(self, request, pk):
        form = CoverageForm(request.POST)
        self.refusing(coverage_form=form)
        if not form.is_valid():
            return self.refused(ServiceError(form_errors(form)))
        services.coverage_add(
            activity=self.get_activity(), coverage=form.save(commit=False), by=request.user
        )
        messages.success(request, _("Media report added."))
        return redirect("dashboard:activity-detail", pk=pk)


class ActivityCoverageRemoveView(ActivityObjectMixin, OfficePermissionMixin, View):
    permission_required = "activities.record_results"

    def post(self, request, pk, coverage_pk):
        coverage = get_object_or_404(MediaCoverage, pk=coverage_pk, activity=self.get_activity())
        services.coverage_remove(coverage=coverage, by=request.user)
        return redirect("dashboard:activity-detail", pk=pk)
