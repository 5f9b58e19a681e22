"""Bookings in the back office, per session: the list (masked), the xlsx export (masked; unmasked
only with the permission and a reason, which the audit log keeps), capacity, closing and reopening
booking, cancelling one booking or all of a session's bookings (everyone is told)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import ListView, TemplateView

from sciweek.activities.models import Session
from sciweek.activities.selectors import activities_visible_to
from sciweek.bookings import services
from sciweek.bookings.enums import BookingStatus, CancelledBy
from sciweek.bookings.exports import export_workbook
from sciweek.bookings.models import Booking
from sciweek.bookings.selectors import bookings_of_session, session_counts, with_scan_history
from sciweek.common.errors import ServiceError
from sciweek.common.exports import XLSX
from sciweek.common.forms import BootstrapMixin

from ..mixins import OfficePermissionMixin


class BookingFilterForm(BootstrapMixin, forms.Form):
    status = forms.ChoiceField(
        label=gettext_lazy("Status"),
        choices=[("", gettext_lazy("All")), *BookingStatus.choices],
        required=False,
    )
    code = forms.CharField(label=gettext_lazy("Ticket code"), max_length=32, required=False)


class CapacityForm(BootstrapMixin, forms.Form):
    capacity = forms.IntegerField(label=gettext_lazy("Capacity"), min_value=0, max_value=100000)


class ReasonForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason"), max_length=200, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Give a reason."))
        return reason


class ExportReasonForm(ReasonForm):
    reason = forms.CharField(
        label=gettext_lazy("Why do you need the unmasked list?"),
        max_length=200,
        min_length=4,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Kept in the audit log with your name and the time."),
    )


class SessionObjectMixin(OfficePermissionMixin):
    """The session from the URL: 404 when it does not exist or its activity is not visible to
    the user; then the rules decide (403)."""

    nav = "activities"

    def get_session(self) -> Session:
        if not hasattr(self, "_session"):
            self._session = get_object_or_404(
                Session.objects.select_related(
                    "activity", "activity__host", "activity__edition"
                ).filter(activity__in=activities_visible_to(self.request.user)),
                pk=self.kwargs["pk"],
            )
        return self._session

    def get_permission_object(self):
        return self.get_session()

    def back(self):
        return redirect(self.get_refusal_url())

    def get_refusal_url(self):
        return reverse("dashboard:session-bookings", kwargs={"pk": self.get_session().pk})


class SessionBookingsView(SessionObjectMixin, ListView):
    template_name = "dashboard/bookings/session.html"
    permission_required = "bookings.view_bookings"
    context_object_name = "bookings"
    paginate_by = 50

    def get_filter_form(self) -> BookingFilterForm:
        if not hasattr(self, "_filter_form"):
            self._filter_form = BookingFilterForm(self.request.GET or None)
        return self._filter_form

    def get_queryset(self):
        form = self.get_filter_form()
        data = form.cleaned_data if form.is_valid() else {}
        return with_scan_history(
            bookings_of_session(
                self.get_session(),
                status=data.get("status") or "",
                code=services.normalize_code(data.get("code") or ""),
            )
        )

    def get_context_data(self, **kwargs):
        session = self.get_session()
        user = self.request.user
        return super().get_context_data(
            session=session,
            activity=session.activity,
            counts=session_counts(session),
            filter_form=self.get_filter_form(),
            capacity_form=CapacityForm(initial={"capacity": session.capacity}),
            cancel_form=ReasonForm(),
            can_manage=user.has_perm("bookings.manage_bookings", session),
            can_export_personal=user.has_perm("bookings.export_personal_data", session),
            can_gate=user.has_perm("bookings.check_in", session),
            booking_state=session.booking_state(),
            **kwargs,
        )


# Export -------------------------------------------------------------------------------------


def _xlsx(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "no-store"
    return response


def _filename(session: Session, suffix: str) -> str:
    start = timezone.localtime(session.starts_at)
    return f"bookings-{session.activity_id}-{session.pk}-{start:%Y%m%d-%H%M}{suffix}.xlsx"


class SessionExportView(SessionObjectMixin, View):
    """Masked: what the list shows."""

    permission_required = "bookings.view_bookings"

    def get(self, request, pk):
        session = self.get_session()
        return _xlsx(export_workbook(session, unmasked=False), _filename(session, ""))


class SessionExportUnmaskedView(SessionObjectMixin, TemplateView):
    """GET: the form asking why; POST with a reason: the unmasked list, and an audit entry."""

    template_name = "dashboard/bookings/export_unmasked.html"
    permission_required = "bookings.export_personal_data"

    def get_context_data(self, **kwargs):
        session = self.get_session()
        kwargs.setdefault("form", ExportReasonForm())
        return super().get_context_data(session=session, activity=session.activity, **kwargs)

    def post(self, request, pk):
        session = self.get_session()
        form = ExportReasonForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        data = services.booking_export_unmasked(
            session=session, reason=form.cleaned_data["reason"], by=request.user
        )
        return _xlsx(data, _filename(session, "-unmasked"))


# Changes ------------------------------------------------------------------------------------


class SessionCapacityView(SessionObjectMixin, View):
    permission_required = "bookings.manage_bookings"

    def post(self, request, pk):
        form = CapacityForm(request.POST)
        if not form.is_valid():
            return self.refused(ServiceError(_("Enter a capacity of 0 or more.")))
        promoted = services.session_set_capacity(
            session=self.get_session(), capacity=form.cleaned_data["capacity"], by=request.user
        )
        if promoted:
            messages.success(
                request,
                _("Capacity changed; %(n)d from the waiting list got a place and were told.")
                % {"n": len(promoted)},
            )
        else:
            messages.success(request, _("Capacity changed."))
        return self.back()


class SessionBookingClosedView(SessionObjectMixin, View):
    """POST closed=1 closes booking, closed=0 reopens it."""

    permission_required = "bookings.manage_bookings"

    def post(self, request, pk):
        closed = request.POST.get("closed") == "1"
        services.session_set_booking_closed(
            session=self.get_session(), closed=closed, by=request.user
        )
        messages.success(request, _("Booking closed.") if closed else _("Booking reopened."))
        return self.back()


class SessionCancelBookingsView(SessionObjectMixin, View):
    permission_required = "bookings.manage_bookings"

    def post(self, request, pk):
        form = ReasonForm(request.POST)
        if not form.is_valid():
            return self.refused(ServiceError(_("Give a reason; it is sent to everyone booked.")))
        count = services.cancel_session_bookings(
            session=self.get_session(), reason=form.cleaned_data["reason"], by=request.user
        )
        messages.success(
            request,
            _("%(n)d bookings cancelled and told; booking for this session is closed.")
            % {"n": count},
        )
        return self.back()


class BookingCancelView(SessionObjectMixin, View):
    permission_required = "bookings.manage_bookings"

    def post(self, request, pk, booking_pk):
        session = self.get_session()
        booking = get_object_or_404(Booking, pk=booking_pk, session=session)
        reason = (request.POST.get("reason") or "").strip()[:200]
        promoted = services.booking_cancel(
            booking=booking, by=CancelledBy.ORGANISER, actor=request.user, reason=reason
        )
        message = _("Booking %(code)s cancelled; the booker is told.") % {"code": booking.code}
        if promoted:
            message += " " + _("%(n)d from the waiting list got a place.") % {"n": len(promoted)}
        messages.success(request, message)
        return self.back()
