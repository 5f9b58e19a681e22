"""Back office for activities: my activities, filing and editing, the activity page with its
history and workflow buttons, documents, results and media coverage."""

from __future__ import annotations

from dataclasses import replace

from django import forms
from django.contrib import messages
from django.http import Http404, QueryDict
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import ngettext
from django.views import View
from django.views.generic import ListView, TemplateView

from sciweek.activities import checks, services
from sciweek.activities.enums import ActivityState
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
    office_activities,
    order_activities,
    state_counts,
    with_list_joins,
)
from sciweek.activities.workflow import ACTIVITY, Action
from sciweek.bookings.survey import survey_results
from sciweek.campaigns.selectors import current_edition, editions_for_office
from sciweek.common.errors import ServiceError
from sciweek.common.forms import BootstrapMixin
from sciweek.common.pagination import CappedPaginator, capped_count
from sciweek.common.serving import file_response

from ..mixins import OfficeMixin, OfficePermissionMixin
from .excel import export_response


class FilteredActivityListMixin:
    """A paginated, filtered activity list; subclasses give the base queryset."""

    paginate_by = 20
    paginator_class = CappedPaginator
    context_object_name = "activities"
    # The edition shown when the request names none (None: every edition).
    default_edition = None

    def base_queryset(self):
        raise Http404

    def get_filter_form(self):
        if not hasattr(self, "_filter_form"):
            self._filter_form = ActivityFilterForm(
                self.request.GET or None,
                user=self.request.user,
                editions=editions_for_office(self.request.user),
                default_edition=self.get_default_edition(),
            )
        return self._filter_form

    def get_default_edition(self):
        return None

    def get_queryset(self):
        form = self.get_filter_form()
        qs = with_list_joins(filter_activities(self.base_queryset(), form.filters()))
        sort = getattr(form, "cleaned_data", {}).get("sort")
        return order_activities(qs, sort) if sort else qs.order_by(*self.ordering)

    def get_context_data(self, **kwargs):
        return super().get_context_data(filter_form=self.get_filter_form(), **kwargs)


class ActivityListView(FilteredActivityListMixin, OfficeMixin, ListView):
    """The back office's activity list: the city's whole week for the organiser, an area's for
    its admins and reviewers, a unit's own for the unit (``office_activities``), one edition
    at a time (the current one unless another is chosen), with a count per state and the bulk
    actions the user may take."""

    template_name = "dashboard/activities/list.html"
    nav = "activities"
    ordering = ("-created_at", "-id")

    def base_queryset(self):
        return office_activities(self.request.user)

    def get_default_edition(self):
        return current_edition()

    def get_context_data(self, **kwargs):
        form = self.get_filter_form()
        unstated = replace(form.filters(), state="")
        unstated_qs = filter_activities(self.base_queryset(), unstated)
        cap = CappedPaginator.max_pages * self.paginate_by
        counts = state_counts(unstated_qs, cap=cap)
        user = self.request.user
        context = super().get_context_data(**kwargs)
        context["state_tabs"] = [
            (value, label, _capped(counts[value], cap))
            for value, label in ActivityState.choices
            if value in counts
        ]
        context["state_total"] = _capped(capped_count(unstated_qs, cap), cap)
        context["bulk_actions"] = bulk_actions_for(user)
        context["can_return"] = "return" in dict(context["bulk_actions"])
        context["office_wide"] = is_office_wide(user)
        context["export_query"] = form_query(form)
        return context


def _capped(n: int, cap: int) -> int | str:
    """A bounded count as a tab shows it: the number, or "1000+" beyond the cap."""
    return n if n <= cap else f"{cap}+"


def is_office_wide(user) -> bool:
    """Whether the list is more than the user's own organisations' (its title says so)."""
    return any(
        user.has_perm(p)
        for p in ("activities.view_area_queue", "activities.view_city_queue",
                  "activities.mark_key_activity")
    )  # fmt: skip


def form_query(form) -> str:
    """The filters the list applied (the default edition too), as a query string, so an export
    of the list takes the same rows."""
    params = QueryDict(mutable=True)
    for key in form.fields:
        if key == "sort" or key not in form.data:
            continue
        getlist = getattr(form.data, "getlist", None)
        values = getlist(key) if getlist else [form.data[key]]
        params.setlist(key, [v for v in values if v not in (None, "")] or [""])
    return params.urlencode()


BULK_ACTIONS = {
    "approve": (Action.APPROVE.label, ("activities.view_area_queue", "activities.view_city_queue")),
    "return": (Action.RETURN.label, ("activities.view_area_queue", "activities.view_city_queue")),
    "mark_key": (_lazy("Mark as key activity"), ("activities.mark_key_activity",)),
    "unmark_key": (_lazy("Remove the key mark"), ("activities.mark_key_activity",)),
    "export": (_lazy("Export the selection"), ("activities.export_activities",)),
}


def bulk_actions_for(user) -> list[tuple[str, str]]:
    """The bulk actions a list offers ``user``: those whose permission they hold somewhere (each
    row is still asked on its own when the action runs)."""
    return [
        (name, label)
        for name, (label, perms) in BULK_ACTIONS.items()
        if any(user.has_perm(p) for p in perms)
    ]


class BulkForm(BootstrapMixin, forms.Form):
    ids = forms.TypedMultipleChoiceField(coerce=int, choices=(), label=_lazy("Activities"))
    action = forms.ChoiceField(label=_lazy("Action"), choices=())
    reason = forms.CharField(label=_lazy("Reason"), required=False, max_length=2000)
    layout = forms.ChoiceField(
        required=False, choices=[("filing", "filing"), ("full", "full")], initial="filing"
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = bulk_actions_for(user)
        # Any whole number; rows the user may not see are simply not found.
        self.fields["ids"].valid_value = lambda value: str(value).isdigit() and int(value) < 2**31
        self.fields["ids"].error_messages["required"] = _lazy("Select at least one activity.")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("action") == "return" and not (cleaned.get("reason") or "").strip():
            self.add_error("reason", _("Give a reason for returning them."))
        return cleaned


class ActivityBulkView(OfficeMixin, View):
    """POST ids + action (+ reason): the selected rows of the list, each through its service;
    a message per refused row says why. ``export`` answers the selection as a spreadsheet."""

    def post(self, request):
        form = BulkForm(request.POST, user=request.user)
        if not form.is_valid():
            for message in form_errors(form):
                messages.error(request, message)
            return self.back()
        data = form.cleaned_data
        selected = office_activities(request.user).filter(pk__in=data["ids"])
        if data["action"] == "export":
            return export_response(
                selected.order_by("-created_at", "-id"), layout=data["layout"] or "filing"
            )
        rows = list(selected.select_related("host", "edition", "category").order_by("id"))
        missing = len(set(data["ids"])) - len(rows)
        outcomes = services.activities_bulk(
            activities=rows, action=data["action"], by=request.user, reason=data["reason"]
        )
        done = [o for o in outcomes if o.done]
        if done:
            messages.success(
                request,
                ngettext(
                    "Done for %(n)d activity: %(action)s.",
                    "Done for %(n)d activities: %(action)s.",
                    len(done),
                )
                % {"n": len(done), "action": dict(bulk_actions_for(request.user))[data["action"]]},
            )
        for outcome in outcomes:
            if not outcome.done:
                messages.error(
                    request,
                    _("Not done for “%(title)s”: %(why)s")
                    % {"title": outcome.activity.title, "why": " ".join(outcome.refusal)},
                )
        if missing:
            messages.error(
                request,
                ngettext(
                    "%(n)d selected activity was not found.",
                    "%(n)d selected activities were not found.",
                    missing,
                )
                % {"n": missing},
            )
        return self.back()

    def back(self):
        next_url = self.request.POST.get("next", "")
        if next_url.startswith("?"):
            return redirect(reverse("dashboard:activity-list") + next_url)
        return redirect("dashboard:activity-list")


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
        # Its reviewer came from the review queue, and the menu says so.
        if user.has_perm("activities.review_activity", activity):
            pending_area = activity.state == ActivityState.PENDING_AREA
            self.nav = "review-area" if pending_area else "review-city"
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
            "survey": survey_results(activity.sessions.all()) if activity.takes_bookings else None,
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
