"""Public booking pages: the booking form, the per-session booking widget (an uncached fragment
on the cached activity page), the e-ticket behind the secret manage link, its QR code, PNG and
calendar entry, cancellation and the look-up of one's tickets (by an SMS code, or by the mobile
number and the ticket code).

None of these is cached (each answers with ``Cache-Control: no-store``); the forms carry CSRF.
"""

from __future__ import annotations

import hmac
import logging

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache

from sciweek.activities.models import Session
from sciweek.activities.selectors import public_sessions
from sciweek.common.errors import Conflict, ServiceError
from sciweek.common.masking import mask_phone
from sciweek.common.requestlocal import client_ip
from sciweek.common.validators import normalize_mobile
from sciweek.showcase.feeds import build_calendar

from . import recovery, services, survey
from .enums import BookingStatus, CancelledBy
from .forms import BookingForm, LookupCodeForm, LookupForm, LookupPhoneForm, SurveyForm
from .models import Booking
from .ratelimit import RateLimited, check_booking_rate
from .tickets import format_code, qr_png, ticket_png

logger = logging.getLogger(__name__)

NOINDEX = "noindex, nofollow"


def public_session(session_id: int) -> Session:
    """A session of a public activity that takes bookings; anything else is 404 (the API finds
    it in the same ``public_sessions`` and lets ``book()`` refuse one that takes no bookings)."""
    return get_object_or_404(
        public_sessions().filter(activity__booking_required=True), pk=session_id
    )


def _ticket_booking(token: str) -> Booking:
    return get_object_or_404(
        Booking.objects.select_related(
            "session", "session__activity", "session__activity__edition", "survey"
        ),
        manage_token=token,
    )


def _private(response: HttpResponse) -> HttpResponse:
    response["X-Robots-Tag"] = NOINDEX
    return response


@method_decorator(never_cache, name="dispatch")
class BookView(View):
    """``/sessions/<id>/book/``: GET the form, POST to book (the same service as the API)."""

    template_name = "bookings/book.html"

    def dispatch(self, request, *args, **kwargs):
        self.session = public_session(kwargs["session_id"])
        self.activity = self.session.activity
        return super().dispatch(request, *args, **kwargs)

    def render(self, form, *, status: int = 200, problem: str = ""):
        context = {
            "session": self.session,
            "activity": self.activity,
            "form": form,
            "status": self.session.booking_state(),
            "problem": problem,
        }
        return _private(render(self.request, self.template_name, context, status=status))

    def get(self, request, session_id):
        return self.render(BookingForm(activity=self.activity))

    def post(self, request, session_id):
        form = BookingForm(request.POST, activity=self.activity)
        try:
            check_booking_rate(ip=client_ip(request), phone=request.POST.get("phone", ""))
        except RateLimited as exc:
            return self.render(form, status=exc.status, problem=exc.messages[0])
        if not form.is_valid():
            return self.render(form, status=400)
        try:
            booking = services.book(session=self.session, data=form.to_request())
        except ServiceError as exc:
            if hasattr(exc, "error_dict"):
                form.add_service_errors(exc.error_dict)
                return self.render(form, status=400)
            self.session.refresh_from_db()
            status = 409 if isinstance(exc, Conflict) else exc.status
            return self.render(form, status=status, problem=exc.messages[0])
        if booking.status == BookingStatus.CONFIRMED:
            messages.success(request, _("Booked. This is your e-ticket: keep this page's link."))
        else:
            messages.info(
                request,
                _("The session is full: you are on the waiting list. Keep this page's link."),
            )
        return redirect("bookings:ticket", token=booking.manage_token)


@method_decorator(never_cache, name="dispatch")
class SessionWidgetView(View):
    """The live part of a session on the (cached) activity page: places left and the Book
    button. Loaded by htmx on page load; small, uncached."""

    def get(self, request, session_id):
        session = public_session(session_id)
        return _private(
            render(
                request,
                "bookings/_session_widget.html",
                {"session": session, "status": session.booking_state()},
            )
        )


@method_decorator(never_cache, name="dispatch")
class TicketView(View):
    def get(self, request, token):
        booking = _ticket_booking(token)
        context = {
            "booking": booking,
            "session": booking.session,
            "activity": booking.session.activity,
            "position": services.waiting_position(booking),
            "code_display": format_code(booking.code),
            "can_cancel": booking.is_active and not booking.checked_in_at,
            "survey_answered": hasattr(booking, "survey"),
            "survey_open": survey.survey_open(booking),
        }
        return _private(render(request, "bookings/ticket.html", context))


@method_decorator(never_cache, name="dispatch")
class TicketSurveyView(View):
    """The short survey after the visit, one answer per ticket (bookings.survey)."""

    template_name = "bookings/survey.html"

    def _render(self, booking, form, status=200, problem=""):
        context = {
            "booking": booking,
            "session": booking.session,
            "activity": booking.session.activity,
            "form": form,
            "problem": problem,
        }
        return _private(render(self.request, self.template_name, context, status=status))

    def get(self, request, token):
        booking = _ticket_booking(token)
        if hasattr(booking, "survey") or not survey.survey_open(booking):
            return redirect("bookings:ticket", token=token)
        return self._render(booking, SurveyForm())

    def post(self, request, token):
        booking = _ticket_booking(token)
        form = SurveyForm(request.POST)
        if not form.is_valid():
            return self._render(booking, form, status=400)
        try:
            survey.answer_survey(booking=booking, **form.cleaned_data)
        except ServiceError as exc:
            _add_errors(form, exc)
            return self._render(booking, form, status=exc.status, problem=_first(exc))
        messages.success(request, _("Thank you for your answer!"))
        return redirect("bookings:ticket", token=token)


@method_decorator(never_cache, name="dispatch")
class TicketQRView(View):
    def get(self, request, token):
        booking = _ticket_booking(token)
        return _private(HttpResponse(qr_png(booking.code), content_type="image/png"))


@method_decorator(never_cache, name="dispatch")
class TicketImageView(View):
    def get(self, request, token):
        booking = _ticket_booking(token)
        response = HttpResponse(ticket_png(booking), content_type="image/png")
        response["Content-Disposition"] = f'attachment; filename="ticket-{booking.code}.png"'
        return _private(response)


@method_decorator(never_cache, name="dispatch")
class TicketCalendarView(View):
    def get(self, request, token):
        booking = _ticket_booking(token)
        session = booking.session
        response = HttpResponse(
            build_calendar(session.activity.title, [session]),
            content_type="text/calendar; charset=utf-8",
        )
        response["Content-Disposition"] = f'attachment; filename="session-{session.pk}.ics"'
        return _private(response)


@method_decorator(never_cache, name="dispatch")
class TicketCancelView(View):
    """GET asks "are you sure?"; POST cancels (``services.booking_cancel`` by the booker)."""

    template_name = "bookings/cancel.html"

    def get(self, request, token):
        booking = _ticket_booking(token)
        return self._render(booking)

    def _render(self, booking, *, status: int = 200, problem: str = ""):
        context = {
            "booking": booking,
            "session": booking.session,
            "activity": booking.session.activity,
            "can_cancel": booking.is_active and not booking.checked_in_at,
            "problem": problem,
        }
        return _private(render(self.request, self.template_name, context, status=status))

    def post(self, request, token):
        booking = _ticket_booking(token)
        try:
            promoted = services.booking_cancel(booking=booking, by=CancelledBy.BOOKER)
        except ServiceError as exc:
            booking.refresh_from_db()
            return self._render(booking, status=409, problem=exc.messages[0])
        logger.info("booking %s cancelled by the booker (%d promoted)", booking.pk, len(promoted))
        messages.success(request, _("Your booking is cancelled. Thank you for letting us know."))
        return redirect("bookings:ticket", token=booking.manage_token)


@method_decorator(never_cache, name="dispatch")
class LookupView(View):
    """Find one's e-tickets: by an SMS code sent to the mobile number booked with (no ticket
    needed), or by the mobile number and the ticket code. Neither way tells anybody whether a
    number booked or which codes exist: the answers are the same for a number without bookings
    and for an unknown code."""

    template_name = "bookings/lookup.html"

    def _render(self, *, step="start", status=200, problem="", **forms_):
        context = {
            "step": step,
            "problem": problem,
            "phone_form": forms_.get("phone_form") or LookupPhoneForm(),
            "code_form": forms_.get("code_form"),
            "form": forms_.get("form") or LookupForm(),
            "masked_phone": forms_.get("masked_phone", ""),
            "minutes": settings.TICKET_LOOKUP_CODE_MINUTES,
        }
        return _private(render(self.request, self.template_name, context, status=status))

    def get(self, request):
        return self._render()

    def post(self, request):
        step = request.POST.get("step")
        if step == "send":
            return self._send_code(request)
        if step == "verify":
            return self._verify_code(request)
        return self._by_ticket_code(request)

    def _send_code(self, request):
        phone_form = LookupPhoneForm(request.POST)
        if not phone_form.is_valid():
            return self._render(phone_form=phone_form, status=400)
        try:
            masked = recovery.send_lookup_code(
                phone=phone_form.cleaned_data["phone"], ip=client_ip(request)
            )
        except ServiceError as exc:
            _add_errors(phone_form, exc)
            status = exc.status
            return self._render(phone_form=phone_form, status=status, problem=_first(exc))
        code_form = LookupCodeForm(initial={"phone": phone_form.cleaned_data["phone"]})
        return self._render(step="verify", code_form=code_form, masked_phone=masked)

    def _verify_code(self, request):
        code_form = LookupCodeForm(request.POST)
        masked = mask_phone(normalize_mobile(request.POST.get("phone", "")) or "")
        if not code_form.is_valid():
            return self._render(step="verify", code_form=code_form, masked_phone=masked, status=400)
        try:
            bookings = recovery.verify_lookup_code(
                phone=code_form.cleaned_data["phone"], code=code_form.cleaned_data["otp"]
            )
        except ServiceError as exc:
            _add_errors(code_form, exc)
            return self._render(
                step="verify", code_form=code_form, masked_phone=masked, status=exc.status
            )
        return _private(
            render(
                request,
                "bookings/lookup_list.html",
                {"bookings": bookings, "masked_phone": masked},
            )
        )

    def _by_ticket_code(self, request):
        form = LookupForm(request.POST)
        try:
            check_booking_rate(ip=client_ip(request), phone=request.POST.get("phone", ""))
        except RateLimited as exc:
            return self._render(form=form, status=exc.status, problem=exc.messages[0])
        if not form.is_valid():
            return self._render(form=form, status=400)
        code = services.normalize_code(form.cleaned_data["code"])
        phone = normalize_mobile(form.cleaned_data["phone"])
        booking = (
            Booking.objects.filter(code=code).only("phone", "manage_token").first()
            if code
            else None
        )
        if booking is None or not booking.phone or not hmac.compare_digest(booking.phone, phone):
            return self._render(
                form=form,
                status=404,
                problem=_("No booking matches this mobile number and ticket code."),
            )
        return redirect("bookings:ticket", token=booking.manage_token)


def _add_errors(form, exc: ServiceError) -> None:
    """A service's field errors onto the form's fields (the rest become the page's problem)."""
    for field, messages_ in getattr(exc, "message_dict", {}).items():
        for message in messages_:
            form.add_error(field if field in form.fields else None, message)


def _first(exc: ServiceError) -> str:
    return "" if hasattr(exc, "error_dict") else exc.messages[0]
