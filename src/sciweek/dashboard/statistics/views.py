"""The organiser's dashboard (数据看板): the week in charts, its Excel download and the live
view of the day. Every figure comes from ``reports.week_statistics``."""

from __future__ import annotations

import io
from datetime import date

from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.generic import TemplateView, View
from openpyxl import Workbook
from openpyxl.styles import Font

from sciweek.common.exports import XLSX, neutralise
from sciweek.reports.forms import StatisticsFilterForm
from sciweek.reports.week_statistics import live_sessions, week_statistics

from ..mixins import OfficePermissionMixin
from .tables import build_tables, key_figure_table


class StatisticsMixin(OfficePermissionMixin):
    permission_required = "reports.view_statistics"
    nav = "statistics"

    def get_form(self) -> StatisticsFilterForm:
        if not hasattr(self, "_form"):
            self._form = StatisticsFilterForm(self.request.GET, user=self.request.user)
        return self._form

    def get_statistics(self):
        filters = self.get_form().statistics_filters()
        if filters is None:
            return None, None
        return filters, week_statistics(self.request.user, filters)


class DashboardView(StatisticsMixin, TemplateView):
    """The charts, each with its table, its PNG and Excel downloads and links to the records."""

    template_name = "dashboard/statistics/dashboard.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filters, stats = self.get_statistics()
        context["form"] = self.get_form()
        if filters is not None:
            context.update(cockpit_context(self.request.user, filters, stats))
        return context


def cockpit_context(user, filters=None, stats=None) -> dict:
    """What ``_cockpit.html`` draws: the figures, their tables and the charts' data; for the
    edition the dashboard opens on when no filters are given (the organiser's home)."""
    if filters is None:
        filters = StatisticsFilterForm({}, user=user).statistics_filters()
        if filters is None:
            return {}
    stats = stats or week_statistics(user, filters)
    tables = build_tables(stats)
    return {
        "stats": stats,
        "key_table": key_figure_table(stats),
        "tables": tables,
        "charts_json": {t.key: t.as_json() for t in tables},
        "query": filters.query(),
    }


class DashboardExportView(StatisticsMixin, View):
    """The figures as a workbook: every chart's table a sheet, or one (``?chart=<key>``)."""

    def get(self, request, *args, **kwargs):
        _filters, stats = self.get_statistics()
        workbook = Workbook()
        workbook.remove(workbook.active)
        if stats is None:
            tables = []
        else:
            tables = [key_figure_table(stats), *build_tables(stats)]
            chosen = request.GET.get("chart")
            if chosen and any(t.key == chosen for t in tables):
                tables = [t for t in tables if t.key == chosen]
        if not tables:
            workbook.create_sheet("-")
        for table in tables:
            sheet = workbook.create_sheet(neutralise(table.title)[:31])
            sheet.append([neutralise(table.first_column), *(neutralise(c) for c in table.columns)])
            for cell in sheet[1]:
                cell.font = Font(bold=True)
            for row in table.rows:
                sheet.append([neutralise(row.label), *row.cells])
            sheet.column_dimensions["A"].width = 36
            if table.note:
                sheet.append([])
                sheet.append([neutralise(table.note)])
        out = io.BytesIO()
        workbook.save(out)
        year = stats["edition"]["year"] if stats else ""
        name = f"{year}科技活动周统计-{timezone.localdate():%Y%m%d}.xlsx"
        response = HttpResponse(out.getvalue(), content_type=XLSX)
        response["Content-Disposition"] = content_disposition_header(True, name)
        return response


def _day(raw: str | None) -> date:
    try:
        return date.fromisoformat(raw) if raw else timezone.localdate()
    except ValueError:
        return timezone.localdate()


class LiveView(StatisticsMixin, TemplateView):
    """Today's sessions with their bookings and check-ins; the list refreshes itself (htmx)."""

    template_name = "dashboard/statistics/live.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = self.get_form()
        filters = form.statistics_filters()
        day = _day(self.request.GET.get("day"))
        context.update(form=form, day=day, filters=filters)
        context["sessions"] = (
            live_sessions(self.request.user, filters, day) if filters is not None else []
        )
        context["now"] = timezone.localtime()
        return context


class LiveFragmentView(LiveView):
    template_name = "dashboard/statistics/_live_sessions.html"
