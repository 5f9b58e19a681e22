"""Back office for summary reporting: the area's summary page (files, figures, narrative,
submit), the city's status board with accept / return and reminders, the reporting task, and the
compiled city report with its progress.

A summary the user may not see answers 404; one they see but may not act on, 403. A refused POST
answers the page itself (400) with the reasons beside the fields and what was typed kept.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from sciweek.campaigns.models import Edition
from sciweek.common.errors import PermissionRefused, ServiceError
from sciweek.common.serving import file_response
from sciweek.organizations.access import access_for
from sciweek.organizations.enums import Role
from sciweek.organizations.models import Organization
from sciweek.reports import selectors, services, statistics, uploads
from sciweek.reports.compile import generated_prose
from sciweek.reports.enums import (
    CompileStatus,
    FileKind,
    SummaryAction,
    SummaryState,
)
from sciweek.reports.figures import in_current_language
from sciweek.reports.forms import (
    CompileForm,
    FiguresForm,
    FileUploadForm,
    NarrativeForm,
    ReportProseForm,
    TaskForm,
    TransitionForm,
)
from sciweek.reports.models import AreaSummary, CompiledReport, SummaryFile, plain_number
from sciweek.reports.photos import choosing_list
from sciweek.reports.workflow import SUMMARY

from ..mixins import OfficePermissionMixin, add_refusal

PRIVATE_CACHE = "private, max-age=600"
UPLOAD_ACCEPT = {
    FileKind.DOCUMENT: ".docx,.pdf,application/pdf,"
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    FileKind.PHOTO: "image/jpeg,image/png,image/webp",
    FileKind.VIDEO: "video/mp4,video/quicktime,video/webm",
}


def _edition_from(request, default=None):
    """The edition named by ``?edition=`` (404 if unknown), else ``default``."""
    raw = request.GET.get("edition") or request.POST.get("edition")
    if raw:
        if not str(raw).isdigit():
            raise Http404
        return get_object_or_404(Edition, pk=raw)
    return default


# --- the area's summary -------------------------------------------------------------------------


class SummaryMineView(OfficePermissionMixin, View):
    """The signed-in area's summary for the edition being reported on, started on first visit."""

    permission_required = "reports.file_summary"

    def get(self, request):
        edition = _edition_from(request, selectors.reporting_edition())
        if edition is None:
            raise Http404
        task = services.task_for(edition)
        area_ids = access_for(request.user).area_ids(Role.ADMIN, Role.REVIEWER, Role.EDITOR)
        areas = list(Organization.objects.filter(pk__in=area_ids).order_by("path"))
        if not areas:
            # No area to file for (the platform admin, the city's own staff): the board is
            # where their summaries are, if they may see it; otherwise there is nothing here.
            if request.user.has_perm("reports.view_board"):
                return redirect(f"{_board_url()}?edition={edition.pk}")
            raise Http404
        chosen = request.GET.get("area", "")
        if chosen.isdigit():
            areas = [a for a in areas if a.pk == int(chosen)] or areas
        if len(areas) > 1 and not chosen:
            return render(
                request,
                "dashboard/reports/choose_area.html",
                {"areas": areas, "edition": edition, "nav": "summary"},
            )
        summary = services.summary_for(task=task, area=areas[0])
        return redirect("dashboard:summary-detail", pk=summary.pk)


class SummaryObjectMixin:
    def get_summary(self) -> AreaSummary:
        if not hasattr(self, "_summary"):
            self._summary = get_object_or_404(
                selectors.summaries_visible_to(self.request.user), pk=self.kwargs["pk"]
            )
        return self._summary

    def get_permission_object(self):
        return self.get_summary()


def _days_left(task) -> int:
    return (task.deadline - timezone.localdate()).days


class SummaryDetailView(SummaryObjectMixin, OfficePermissionMixin, TemplateView):
    template_name = "dashboard/reports/summary.html"
    permission_required = "reports.view_summary"
    nav = "summary"

    def get_context_data(self, **kwargs):
        summary = self.get_summary()
        user = self.request.user
        task = summary.task
        files = list(summary.files.all())
        can_change = user.has_perm("reports.change_summary", summary) and summary.is_editable
        offered = {offer.name for offer in SUMMARY.available_actions(summary, user)}
        can_submit = SummaryAction.SUBMIT in offered
        can_review = SummaryAction.ACCEPT in offered
        upload_forms = kwargs.pop("upload_forms", {})
        sections = []
        for kind, label in FileKind.choices:
            sections.append(
                {
                    "kind": kind,
                    "label": label,
                    "files": [f for f in files if f.kind == kind],
                    "form": upload_forms.get(kind) or FileUploadForm(initial={"kind": kind}),
                    "accept": UPLOAD_ACCEPT[kind],
                }
            )
        context = {
            "summary": summary,
            "task": task,
            "sections": sections,
            "figures_form": FiguresForm(figures=summary.figures.all()),
            "narrative_form": NarrativeForm(instance=summary),
            "transition_form": TransitionForm(),
            "missing": services.missing(summary),
            "history": list(selectors.history_of(summary)),
            "can_change": can_change,
            "can_submit": can_submit,
            "can_review": can_review,
            "days_left": _days_left(task),
            "days_over": -_days_left(task),
            "photo_count": sum(1 for f in files if f.kind == FileKind.PHOTO),
            # The area's delegation to the launch ceremony and its exhibits, from the platform.
            "ceremony_figures": statistics.ceremony_statistics(task.edition, summary.area),
        }
        context.update(kwargs)
        return super().get_context_data(**context)


class SummaryFigureRecordsView(SummaryObjectMixin, OfficePermissionMixin, TemplateView):
    """The records one figure of a summary counts, each with what it adds, so the figure can be
    recounted by hand (the workbook's "指标来源" sheet lists the same)."""

    template_name = "dashboard/reports/figure_records.html"
    permission_required = "reports.view_summary"
    nav = "summary"

    def get_context_data(self, **kwargs):
        summary = self.get_summary()
        key = self.kwargs["key"]
        figure = summary.figures.filter(key=key).first()
        if figure is None or not statistics.is_ledger_figure(key):
            raise Http404
        in_current_language([figure])
        rows = statistics.activity_ledger(summary.task.edition, [summary.area])
        records = statistics.records_of(rows, key)
        column = statistics.LEDGER_COLUMNS.get(key, "count")
        shares = [
            (r, getattr(r, column) if column not in ("count", "open_day_hosts") else 1)
            for r in records
        ]
        return super().get_context_data(
            summary=summary,
            task=summary.task,
            figure=figure,
            shares=shares,
            recount=plain_number(statistics.recount(rows, key)),
            counts_hosts=key == "units_open",
            **kwargs,
        )


class SummaryRefusalMixin(SummaryObjectMixin):
    """POST views of the summary page: a refusal answers the page with the reasons as messages
    and the user's input in its forms (``refusing(None, <name>_form=form)``)."""

    def refusal_response(self, exc):
        page = SummaryDetailView()
        page.setup(self.request, pk=self.kwargs["pk"])
        page._summary = self.get_summary()
        context = page.get_context_data(**(self.refusal_context or {}))
        return page.render_to_response(context, status=self.refusal_status(exc))

    def done(self, message: str, anchor: str = ""):
        messages.success(self.request, message)
        response = redirect("dashboard:summary-detail", pk=self.get_summary().pk)
        if anchor:
            response["Location"] += f"#{anchor}"
        return response


class SummaryFiguresView(SummaryRefusalMixin, OfficePermissionMixin, View):
    permission_required = "reports.change_summary"

    def post(self, request, pk):
        summary = self.get_summary()
        form = FiguresForm(request.POST, figures=summary.figures.all())
        self.refusing(figures_form=form)
        if not form.is_valid():
            return self.refused(ServiceError(_("Correct the figures marked below.")))
        services.figures_update(summary=summary, values=form.values(), by=request.user)
        return self.done(_("Figures saved."), "figures")

    def refused(self, exc):
        if hasattr(exc, "error_dict"):
            # The service names figures by key; the form shows each beside its note.
            form = self.refusal_context["figures_form"]
            add_refusal(form, ValidationError({f"note_{k}": v for k, v in exc.error_dict.items()}))
            exc = ServiceError(_("Correct the figures marked below."))
        return super().refused(exc)


class SummaryRefreshView(SummaryRefusalMixin, OfficePermissionMixin, View):
    """Recompute the platform's figures (the area's own values are kept)."""

    permission_required = "reports.change_summary"

    def post(self, request, pk):
        summary = self.get_summary()
        if not summary.is_editable:
            return self.refused(
                ServiceError(_("The summary can be changed only as a draft or when returned."))
            )
        services.refresh_figures(summary=summary)
        return self.done(_("Figures recomputed from the platform."), "figures")


class SummaryNarrativeView(SummaryRefusalMixin, OfficePermissionMixin, View):
    permission_required = "reports.change_summary"

    def post(self, request, pk):
        summary = self.get_summary()
        form = NarrativeForm(request.POST, instance=AreaSummary.objects.get(pk=summary.pk))
        self.refusing(narrative_form=form)
        if not form.is_valid():
            return self.refused(ServiceError(_("Correct the sections marked below.")))
        services.narrative_update(
            summary=summary,
            texts={k: form.cleaned_data[k] for k in services.NARRATIVE_FIELDS},
            by=request.user,
        )
        return self.done(_("Narrative saved."), "narrative")


class SummaryFileUploadView(SummaryRefusalMixin, OfficePermissionMixin, View):
    permission_required = "reports.change_summary"

    def post(self, request, pk):
        form = FileUploadForm(request.POST, request.FILES)
        kind = request.POST.get("kind", "")
        self.upload_form = form
        self.refusing(**({"upload_forms": {kind: form}} if kind in FileKind.values else {}))
        if not form.is_valid():
            for field in ("file", "kind"):
                if field in form.errors:
                    return self.refused(
                        ServiceError(
                            [f"{form.fields[field].label}: {e}" for e in form.errors[field]]
                        )
                    )
            return self.refused(ServiceError(_("Choose a file.")))
        item = uploads.file_add(
            summary=self.get_summary(),
            kind=form.cleaned_data["kind"],
            upload=form.cleaned_data["file"],
            caption=form.cleaned_data["caption"],
            by=request.user,
        )
        return self.done(_("%(name)s added.") % {"name": item.original_name}, f"files-{kind}")

    def refused(self, exc):
        if self.upload_form.is_valid():
            # The file itself was refused: say so beside it as well.
            self.upload_form.add_error("file", exc.messages[0])
        return super().refused(exc)


class SummaryFileMixin(SummaryObjectMixin):
    def get_file(self) -> SummaryFile:
        return get_object_or_404(SummaryFile, pk=self.kwargs["file_pk"], summary=self.get_summary())


class SummaryFileRemoveView(SummaryFileMixin, SummaryRefusalMixin, OfficePermissionMixin, View):
    permission_required = "reports.change_summary"

    def post(self, request, pk, file_pk):
        item = self.get_file()
        uploads.file_remove(item=item, by=request.user)
        return self.done(
            _("%(name)s removed.") % {"name": item.original_name}, f"files-{item.kind}"
        )


class SummaryFileView(SummaryFileMixin, OfficePermissionMixin, View):
    """A file of the summary (or its thumbnail / poster), for those who may see the summary."""

    permission_required = "reports.view_summary"
    thumbnail = False

    def get(self, request, pk, file_pk):
        item = self.get_file()
        field = item.thumbnail if self.thumbnail else item.file
        return file_response(
            request,
            field,
            content_type="image/jpeg" if self.thumbnail else item.content_type,
            filename=f"{item.pk}-thumb.jpg" if self.thumbnail else item.original_name,
            etag=f'"{item.storage_key}{"-t" if self.thumbnail else ""}"',
            cache_control=PRIVATE_CACHE,
            as_attachment=item.kind == FileKind.DOCUMENT and not self.thumbnail,
        )


class SummaryTransitionView(SummaryRefusalMixin, OfficePermissionMixin, View):
    """POST action=submit|accept|return (+ reason). The service decides who may."""

    permission_required = "reports.view_summary"

    def post(self, request, pk):
        form = TransitionForm(request.POST)
        action = request.POST.get("action", "")
        self.refusing(transition_form=form)
        if not form.is_valid():
            return self.refused(
                ServiceError(_("Unknown action “%(action)s”.") % {"action": action})
            )
        services.summary_transition(
            summary=self.get_summary(),
            action=action,
            by=request.user,
            reason=form.cleaned_data["reason"],
        )
        labels = {
            SummaryAction.SUBMIT: _("Submitted to %(section)s."),
            SummaryAction.ACCEPT: _("Accepted."),
            SummaryAction.RETURN: _("Returned for revision."),
        }
        message = labels[action] % {"section": self.get_summary().task.receiving_section}
        if action != SummaryAction.SUBMIT and request.POST.get("next") == "board":
            messages.success(request, message)
            return redirect(f"{_board_url()}?edition={self.get_summary().task.edition_id}")
        return self.done(message)

    def refused(self, exc):
        # Not one's to decide: the 403 page, as for any page the user may not use.
        if isinstance(exc, PermissionRefused):
            raise PermissionDenied(exc.messages[0]) from exc
        return super().refused(exc)


def _board_url() -> str:
    from django.urls import reverse

    return reverse("dashboard:summary-board")


# --- the city's board, task and compilations ----------------------------------------------------


def _editions():
    return list(Edition.objects.order_by("-year"))


class SummaryBoardView(OfficePermissionMixin, TemplateView):
    template_name = "dashboard/reports/board.html"
    permission_required = "reports.view_board"
    nav = "summary-board"

    def get_context_data(self, **kwargs):
        edition = _edition_from(self.request, selectors.reporting_edition())
        if edition is None:
            raise Http404
        task = services.task_for(edition, by=self.request.user)
        rows = selectors.board(task)
        counts = selectors.board_counts(rows)
        # The same rows as the reminder's areas_owing(): returned summaries are owed again.
        owing = [r for r in rows if r.is_owing]
        return super().get_context_data(
            edition=edition,
            editions=_editions(),
            task=task,
            rows=rows,
            counts=counts,
            owing=len(owing),
            owing_returned=sum(1 for r in owing if r.status == SummaryState.RETURNED),
            days_left=_days_left(task),
            days_over=-_days_left(task),
            **kwargs,
        )


class EditionTaskMixin:
    def get_edition(self) -> Edition:
        if not hasattr(self, "_edition"):
            self._edition = get_object_or_404(Edition, pk=self.kwargs["edition_id"])
        return self._edition


class SummaryRemindView(EditionTaskMixin, OfficePermissionMixin, View):
    permission_required = "reports.review_summary"

    def post(self, request, edition_id):
        task = services.task_for(self.get_edition(), by=request.user)
        count = services.remind_task(task=task, by=request.user)
        if count:
            messages.success(request, _("Reminded %(n)d areas by email.") % {"n": count})
        else:
            messages.info(request, _("No area owes its summary."))
        return redirect(f"{_board_url()}?edition={task.edition_id}")


class SummaryTaskView(EditionTaskMixin, OfficePermissionMixin, TemplateView):
    template_name = "dashboard/reports/task.html"
    permission_required = "reports.manage_task"
    nav = "summary-board"

    def get_context_data(self, **kwargs):
        edition = self.get_edition()
        task = services.task_for(edition, by=self.request.user)
        context = {"edition": edition, "task": task, "form": TaskForm(instance=task)}
        context.update(kwargs)
        return super().get_context_data(**context)

    def post(self, request, edition_id):
        task = services.task_for(self.get_edition(), by=request.user)
        form = TaskForm(request.POST, instance=task)
        self.refusing(form)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        services.task_save(
            task=form.save(commit=False), areas=form.cleaned_data["areas"], by=request.user
        )
        messages.success(request, _("Reporting task saved."))
        return redirect(f"{_board_url()}?edition={task.edition_id}")


class CompileMixin:
    def get_task(self):
        edition = _edition_from(self.request, selectors.reporting_edition())
        if edition is None:
            raise Http404
        return services.task_for(edition, by=self.request.user)

    def compilations(self, task):
        return list(
            CompiledReport.objects.filter(task=task)
            .select_related("area", "requested_by")
            .order_by("-created_at", "-id")[:20]
        )


class SummaryCompileView(CompileMixin, OfficePermissionMixin, TemplateView):
    template_name = "dashboard/reports/compile.html"
    permission_required = "reports.compile"
    nav = "summary-board"

    def get_context_data(self, **kwargs):
        task = kwargs.pop("task", None) or self.get_task()
        compilations = self.compilations(task)
        context = {
            "task": task,
            "edition": task.edition,
            "editions": _editions(),
            "form": CompileForm(task=task),
            "prose_form": ReportProseForm(instance=task, generated=generated_prose(task)),
            "photo_choices": choosing_list(task),
            "compilations": compilations,
            "pending": any(c.status in PENDING for c in compilations),
        }
        context.update(kwargs)
        return super().get_context_data(**context)

    def post(self, request):
        task = self.get_task()
        form = CompileForm(request.POST, task=task)
        self.refusing(form, task=task)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(task=task, form=form), status=400)
        services.compile_request(
            task=task,
            kind=form.cleaned_data["kind"],
            area=form.cleaned_data["area"],
            include_unreported=form.cleaned_data["include_unreported"],
            by=request.user,
        )
        messages.success(request, _("Requested; the document is being prepared."))
        return redirect(f"{request.path}?edition={task.edition_id}")


class SummaryCompileProseView(SummaryCompileView):
    """The organiser edits the city report's prose before the final compilation; the page is
    the compile page, drawn again with what was typed when it is refused."""

    http_method_names = ["post"]

    def post(self, request):
        task = self.get_task()
        form = ReportProseForm(request.POST, instance=task, generated=generated_prose(task))
        self.refusing(form, task=task)
        if not form.is_valid():
            return self.render_to_response(
                self.get_context_data(task=task, prose_form=form), status=400
            )
        services.report_prose_save(
            task=task,
            texts={name: form.cleaned_data[name] for name in services.TEXT_FIELDS},
            by=request.user,
        )
        messages.success(request, _("Saved; the next compilation uses this text."))
        return redirect(f"{reverse('dashboard:summary-compile')}?edition={task.edition_id}#prose")

    def refusal_response(self, exc):
        context = {"prose_form": self.refusal_form, **(self.refusal_context or {})}
        return self.render_to_response(
            self.get_context_data(**context), status=self.refusal_status(exc)
        )


PENDING = (CompileStatus.QUEUED, CompileStatus.RUNNING)


class SummaryCompileProgressView(CompileMixin, OfficePermissionMixin, TemplateView):
    """The list of compilations alone, polled by htmx every 2 s while any is pending."""

    template_name = "dashboard/reports/_compilations.html"
    permission_required = "reports.compile"

    def get_context_data(self, **kwargs):
        task = self.get_task()
        compilations = self.compilations(task)
        return super().get_context_data(
            task=task,
            compilations=compilations,
            pending=any(c.status in PENDING for c in compilations),
            **kwargs,
        )


class CompiledDownloadView(OfficePermissionMixin, View):
    permission_required = "reports.compile"

    def get(self, request, pk):
        report = get_object_or_404(CompiledReport, pk=pk, status=CompileStatus.DONE)
        name = report.download_name
        return file_response(
            request,
            report.file,
            content_type={
                "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            }.get(name.rsplit(".", 1)[-1], "application/zip"),
            filename=name,
            etag=f'"compiled-{report.pk}"',
            cache_control="private, no-store",
            as_attachment=True,
        )
