"""The city's jury in the back office: the organiser forms it (criteria, jurors, assignments),
a juror scores their exhibits (on a phone), the city reads the results and decides."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from sciweek.common.errors import ServiceError
from sciweek.exhibition import jury_selectors, jury_services
from sciweek.exhibition.enums import DEFAULT_CRITERIA, ExhibitState
from sciweek.exhibition.forms import CRITERIA_ROWS, AssignForm, JurorForm, JuryForm, ScoreForm
from sciweek.exhibition.models import Assignment, Juror

from ..mixins import OfficePermissionMixin
from .views import CeremonyMixin

DECISION_CHOICES = ("select", "decline", "return")


class JuryMixin(CeremonyMixin):
    nav = "exhibits"

    def get_jury(self):
        return jury_selectors.jury_of(self.get_ceremony())

    def back(self):
        return redirect("dashboard:jury", self.get_ceremony().pk)

    def get_refusal_url(self):
        return reverse("dashboard:jury", args=[self.get_ceremony().pk])


class JuryView(JuryMixin, TemplateView):
    """The organiser's page of the jury: criteria and weights, jurors, assignments."""

    template_name = "dashboard/exhibition/jury.html"
    permission_required = "exhibition.manage_jury"

    def get_context_data(self, **kwargs):
        jury = self.get_jury()
        if jury is not None:
            rows = [(c.name, c.weight) for c in jury.criteria.all()]
            initial = {"scale_max": jury.scale_max, "per_exhibit": jury.per_exhibit}
        else:
            rows, initial = list(DEFAULT_CRITERIA), {"scale_max": 10, "per_exhibit": 3}
        criteria = kwargs.pop("criteria", None) or rows
        criteria = [*criteria, *[("", "")] * (CRITERIA_ROWS - len(criteria))][:CRITERIA_ROWS]
        kwargs.setdefault("form", JuryForm(initial=initial))
        if jury is not None:
            kwargs.setdefault("juror_form", JurorForm())
            kwargs.setdefault("assign_form", AssignForm(jury=jury))
            kwargs["jurors"] = jury_selectors.jurors_of(jury)
            kwargs["assignments"] = jury_selectors.assignments_for_city(jury)
            kwargs["waiting"] = jury.ceremony.exhibits.filter(state=ExhibitState.SUBMITTED).count()
        return super().get_context_data(jury=jury, criteria_rows=criteria, **kwargs)

    def post(self, request, ceremony):
        form = JuryForm(request.POST)
        criteria = JuryForm.criteria_from(request.POST)
        self.refusing(form, criteria=criteria)
        if not form.is_valid():
            return self.render_to_response(
                self.get_context_data(form=form, criteria=criteria), status=400
            )
        jury_services.jury_save(ceremony=self.get_ceremony(), by=request.user, criteria=criteria,
                                **form.cleaned_data)  # fmt: skip
        messages.success(request, _("Saved."))
        return self.back()


class JurorAddView(JuryMixin, TemplateView):
    template_name = "dashboard/exhibition/jury.html"
    permission_required = "exhibition.manage_jury"
    http_method_names = ["post"]

    def post(self, request, ceremony):
        jury = self.get_jury()
        if jury is None:
            raise Http404
        form = JurorForm(request.POST)
        self.refusing(form)
        self.refusal_field = "username"
        if not form.is_valid():
            return self.render_jury(juror_form=form)
        data = form.cleaned_data
        jury_services.juror_add(jury=jury, user=data["username"], by=request.user,
                                organization=data["organization"], title=data["title"])  # fmt: skip
        messages.success(request, _("Juror seated."))
        return self.back()

    def render_jury(self, **forms):
        view = JuryView()
        view.setup(self.request, ceremony=self.get_ceremony().pk)
        return view.render_to_response(view.get_context_data(**forms), status=400)

    def refusal_response(self, exc):
        return self.render_jury(juror_form=self.refusal_form)


class JurorRemoveView(OfficePermissionMixin, View):
    permission_required = "exhibition.manage_jury"

    def get_permission_object(self):
        return None

    def post(self, request, pk):
        juror = get_object_or_404(Juror.objects.select_related("jury", "user"), pk=pk)
        self._back = reverse("dashboard:jury", args=[juror.jury.ceremony_id])
        jury_services.juror_remove(juror=juror, by=request.user)
        messages.success(request, _("Juror removed."))
        return redirect(self._back)

    def get_refusal_url(self):
        return getattr(self, "_back", reverse("dashboard:exhibit-list"))


class JuryAssignView(JuryMixin, View):
    """Assign one exhibit to one juror, or (``auto``) spread every exhibit evenly."""

    permission_required = "exhibition.manage_jury"

    def post(self, request, ceremony):
        jury = self.get_jury()
        if jury is None:
            raise Http404
        if "auto" in request.POST:
            made = jury_services.assign_automatically(jury=jury, by=request.user)
            messages.success(request, _("%(n)d assignments made.") % {"n": made})
            return self.back()
        form = AssignForm(request.POST, jury=jury)
        if not form.is_valid():
            raise ServiceError(_("Choose a juror and an exhibit."), code="invalid")
        jury_services.assignment_add(juror=form.cleaned_data["juror"],
                                     exhibit=form.cleaned_data["exhibit"], by=request.user)  # fmt: skip
        messages.success(request, _("Assigned."))
        return self.back()


class JuryCloseView(JuryMixin, View):
    permission_required = "exhibition.manage_jury"

    def post(self, request, ceremony):
        jury = self.get_jury()
        if jury is None:
            raise Http404
        reopen = request.POST.get("reopen") == "1"
        jury_services.jury_close(jury=jury, by=request.user, reopen=reopen)
        messages.success(request, _("The jury is open again.") if reopen else _("Jury closed."))
        return self.back()


class JuryResultsView(JuryMixin, TemplateView):
    """Per exhibit the weighted average, the spread, the number of scores and the comments,
    sortable; the city selects up to the booths and declines or returns the rest at once."""

    template_name = "dashboard/exhibition/jury_results.html"
    permission_required = "exhibition.view_jury_results"

    def get_context_data(self, **kwargs):
        jury = self.get_jury()
        ceremony = self.get_ceremony()
        sort = self.request.GET.get("sort", "-score")
        rows = jury_selectors.results(jury, sort=sort) if jury else []
        criteria = list(jury.criteria.all()) if jury else []
        for row in rows:
            row.criterion_averages = list(zip(criteria, row.by_criterion(criteria), strict=True))
        taken = sum(1 for r in rows if r.exhibit.state == ExhibitState.SELECTED)
        return super().get_context_data(
            jury=jury, rows=rows, criteria=criteria, sort=sort, taken=taken,
            free=ceremony.booth_count - taken,
            may_decide=self.request.user.has_perm("exhibition.select_exhibit"), **kwargs,
        )  # fmt: skip


class JuryDecideView(JuryMixin, View):
    permission_required = "exhibition.select_exhibit"

    def post(self, request, ceremony):
        decisions = {}
        for key, value in request.POST.items():
            if key.startswith("decision-") and value:
                pk = key.removeprefix("decision-")
                if not pk.isdigit() or value not in DECISION_CHOICES:
                    raise ServiceError(_("Choose select, decline or return."), code="invalid")
                decisions[int(pk)] = value
        if not decisions:
            raise ServiceError(_("Choose a decision for at least one exhibit."), code="nothing")
        done = jury_services.exhibits_decide(ceremony=self.get_ceremony(), by=request.user,
                                             decisions=decisions,
                                             reason=request.POST.get("reason", ""))  # fmt: skip
        messages.success(request, _("%(n)d exhibits decided.") % {"n": done})
        return redirect("dashboard:jury-results", self.get_ceremony().pk)

    def get_refusal_url(self):
        return reverse("dashboard:jury-results", args=[self.get_ceremony().pk])


# --- the juror ------------------------------------------------------------------------------


class MyScoringView(OfficePermissionMixin, TemplateView):
    """A juror's exhibits to score, those still to do first. Cards, for a phone."""

    template_name = "dashboard/exhibition/my_scoring.html"
    permission_required = "exhibition.view_my_assignments"
    nav = "scoring"

    def get_permission_object(self):
        return None

    def get_context_data(self, **kwargs):
        assignments = list(jury_selectors.assignments_of(self.request.user))
        return super().get_context_data(
            assignments=assignments, done=sum(1 for a in assignments if a.is_scored), **kwargs
        )


class ScoreView(OfficePermissionMixin, TemplateView):
    """Score one exhibit: a number per criterion and a comment; changeable until the jury
    closes. Another juror's assignment is not found (404)."""

    template_name = "dashboard/exhibition/score.html"
    permission_required = "exhibition.score_assignment"
    nav = "scoring"

    def get_assignment(self) -> Assignment:
        if not hasattr(self, "_assignment"):
            # Signed in by now (the login check runs first); another's is not found.
            found = jury_selectors.assignments_of(self.request.user).filter(pk=self.kwargs["pk"])
            self._assignment = found.first()
            if self._assignment is None:
                raise Http404
        return self._assignment

    def get_permission_object(self):
        return self.get_assignment()

    def next_assignment(self, assignment) -> Assignment | None:
        """The juror's next exhibit still to score, to go on with after saving."""
        return (
            Assignment.objects.filter(juror=assignment.juror, scored_at__isnull=True)
            .exclude(pk=assignment.pk)
            .order_by("exhibit__pk")
            .first()
        )

    def get_context_data(self, **kwargs):
        kwargs.pop("pk", None)
        assignment = self.get_assignment()
        kwargs.setdefault("form", ScoreForm(assignment=assignment))
        return super().get_context_data(
            assignment=assignment, exhibit=assignment.exhibit, jury=assignment.juror.jury,
            **kwargs,
        )  # fmt: skip

    def post(self, request, pk):
        assignment = self.get_assignment()
        form = ScoreForm(request.POST, assignment=assignment)
        self.refusing(form)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        jury_services.scores_save(assignment=assignment, by=request.user, values=form.values(),
                                  comment=form.cleaned_data["comment"])  # fmt: skip
        messages.success(request, _("Scores saved. You may change them until the jury closes."))
        nxt = self.next_assignment(assignment)
        return redirect("dashboard:score", nxt.pk) if nxt else redirect("dashboard:my-scoring")
