"""Excel in the back office: download the import template, import (dry run, then confirm), and
export any filtered activity list in the filing-form or the full layout."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from sciweek.activities.excel import stash
from sciweek.activities.excel.exporter import LAYOUTS, write_export
from sciweek.activities.excel.importer import check_file, dry_run, import_rows
from sciweek.activities.excel.template import build_template
from sciweek.activities.forms import ActivityFilterForm
from sciweek.activities.selectors import (
    activities_visible_to,
    area_review_queue,
    city_review_queue,
    editions_open_for_filing,
    filter_activities,
    hosts_for,
    office_activities,
    own_activities,
)
from sciweek.common.exports import XLSX
from sciweek.common.forms import BootstrapMixin
from sciweek.common.uploads import safe_filename

from ..mixins import OfficePermissionMixin

SESSION_KEY = "activity_imports"


def _xlsx_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


class ImportForm(BootstrapMixin, forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Filled-in template (.xlsx)"),
        help_text=gettext_lazy("At most 5 MB and 2,000 rows; one row is one activity."),
    )
    edition = forms.ModelChoiceField(label=gettext_lazy("Edition"), queryset=None, empty_label=None)
    host = forms.ModelChoiceField(
        label=gettext_lazy("Host unit"),
        queryset=None,
        required=False,
        empty_label=gettext_lazy("As named in the 承办单位 column"),
        help_text=gettext_lazy("Rows whose 承办单位 column is empty are filed for this unit."),
    )

    def __init__(self, *args, user, editions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["edition"].queryset = editions
        self.fields["host"].queryset = hosts_for(user)
        hosts = list(self.fields["host"].queryset)
        if len(hosts) == 1:
            # A unit that files only for itself has nothing to choose.
            self.fields["host"].initial = hosts[0].pk
            self.fields["host"].widget = forms.HiddenInput()


class ImportPermissionMixin(OfficePermissionMixin):
    permission_required = "activities.import_activities"
    nav = "activities"

    def get_permission_object(self):
        return None


class ActivityImportTemplateView(ImportPermissionMixin, View):
    def get(self, request):
        editions = editions_open_for_filing()
        wanted = request.GET.get("edition", "")
        edition = (editions.filter(pk=wanted) if wanted.isdigit() else editions).first()
        if edition is None:
            messages.error(request, _("No edition is open for filing."))
            return redirect("dashboard:activity-import")
        data = build_template(edition=edition, hosts=hosts_for(request.user))
        return _xlsx_response(data, f"{edition.year}年活动导入模板.xlsx")


class ActivityImportView(ImportPermissionMixin, TemplateView):
    """GET the upload form; POST a file for the dry run; POST ``key`` to import."""

    template_name = "dashboard/activities/import.html"
    report_template = "dashboard/activities/import_report.html"
    refusal_field = "file"

    def hosts(self):
        if not hasattr(self, "_hosts"):
            self._hosts = list(hosts_for(self.request.user))
        return self._hosts

    def form(self, data=None, files=None) -> ImportForm:
        return ImportForm(data, files, user=self.request.user, editions=editions_open_for_filing())

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", self.form())
        return super().get_context_data(**kwargs)

    def stashes(self) -> dict:
        return self.request.session.get(SESSION_KEY, {})

    def remember(self, key: str, entry: dict | None) -> None:
        entries = dict(self.stashes())
        if entry is None:
            entries.pop(key, None)
        else:
            entries[key] = entry
        limit = (timezone.now() - stash.MAX_AGE).timestamp()
        self.request.session[SESSION_KEY] = {k: v for k, v in entries.items() if v["at"] > limit}

    def post(self, request, *args, **kwargs):
        if "key" in request.POST:
            return self.confirm(request.POST["key"], request.POST.get("only_valid") == "on")
        form = self.form(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        upload, edition = form.cleaned_data["file"], form.cleaned_data["edition"]
        host = form.cleaned_data["host"]
        if host is None and len(self.hosts()) == 1:
            host = self.hosts()[0]
        self.refusing(form)
        check_file(upload)
        report = dry_run(upload, edition=edition, hosts=self.hosts(), default_host=host)
        stash.purge_stale()
        key = stash.stash(upload)
        name = safe_filename(upload.name, "xlsx")
        self.remember(
            key,
            {
                "edition": edition.pk,
                "host": host.pk if host else None,
                "name": name,
                "at": timezone.now().timestamp(),
            },
        )
        return self.report(report, key=key, name=name, edition=edition)

    def report(self, report, *, status=200, **kwargs):
        context = self.get_context_data(report=report, **kwargs)
        return self.response_class(
            request=self.request,
            template=[self.report_template],
            context=context,
            using=self.template_engine,
            status=status,
        )

    def refused(self, exc):
        confirming = getattr(self, "confirming", None)
        if confirming is None:
            return super().refused(exc)  # the dry run: beside the file field
        if getattr(exc, "code", "") == "problems_remain":
            # The report again, so the user may choose to import only the valid rows.
            report = confirming.pop("report")
            return self.report(report, error=exc.messages[0], status=400, **confirming)
        self.remember(confirming["key"], None)
        stash.discard(confirming["key"])
        for message in exc.messages:
            messages.error(self.request, message)
        return redirect("dashboard:activity-import")

    def confirm(self, key: str, only_valid: bool):
        request = self.request
        entry = self.stashes().get(key)
        edition = editions_open_for_filing().filter(pk=(entry or {}).get("edition")).first()
        hosts = {h.pk: h for h in self.hosts()}
        if entry is None or edition is None or (entry["host"] and entry["host"] not in hosts):
            messages.error(request, _("That upload is no longer available; upload the file again."))
            return redirect("dashboard:activity-import")
        try:
            with stash.open_stash(key) as handle:
                report = dry_run(
                    handle,
                    edition=edition,
                    hosts=self.hosts(),
                    default_host=hosts.get(entry["host"]),
                )
        except FileNotFoundError:
            self.remember(key, None)
            messages.error(request, _("That upload is no longer available; upload the file again."))
            return redirect("dashboard:activity-import")
        self.confirming = {"key": key, "report": report, "name": entry["name"], "edition": edition}
        created = import_rows(
            report=report,
            edition=edition,
            by=request.user,
            only_valid=only_valid,
            file_name=entry["name"],
        )
        stash.discard(key)
        self.remember(key, None)
        skipped = len(report.bad_rows)
        messages.success(
            request,
            _("%(created)d activities were imported as drafts; %(skipped)d rows were skipped.")
            % {"created": len(created), "skipped": skipped},
        )
        return redirect("dashboard:activity-list")


# Anyone who keeps a list of activities in the back office may take it away as a spreadsheet.
SCOPES = {
    "mine": (own_activities, ("-created_at", "-id")),
    "office": (office_activities, ("-created_at", "-id")),
    "area": (area_review_queue, ("state_changed_at", "id")),
    "city": (city_review_queue, ("state_changed_at", "id")),
}


def export_response(activities, *, layout: str) -> FileResponse:
    """``activities`` as a spreadsheet download in ``layout`` (filing form or all fields)."""
    layout = layout if layout in LAYOUTS else "filing"
    handle = write_export(activities, layout=layout)
    stem = "活动备案表" if layout == "filing" else "活动明细"
    return FileResponse(
        handle,
        as_attachment=True,
        filename=f"{stem}-{timezone.localdate():%Y%m%d}.xlsx",
        content_type=XLSX,
    )


class ActivityExportView(OfficePermissionMixin, View):
    """GET ?layout=filing|full&scope=mine|office|area|city&<list filters>: what the user may see."""

    permission_required = "activities.export_activities"

    def get(self, request):
        user = request.user
        layout = request.GET.get("layout", "filing")
        layout = layout if layout in LAYOUTS else "filing"
        qs = activities_visible_to(user)
        ordering = ("-created_at", "-id")
        if request.GET.get("scope") in SCOPES:
            base, ordering = SCOPES[request.GET["scope"]]
            qs = qs.filter(pk__in=base(user).values("pk"))
        form = ActivityFilterForm(request.GET or None, user=user)
        qs = filter_activities(qs, form.filters())
        return export_response(qs.order_by(*ordering), layout=layout)
