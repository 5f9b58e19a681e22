"""Check-in at the gate, for gate staff on a phone.

``/office/gate/`` lists the sessions the user may check people in at (today and later);
a session's gate page takes a scanned or typed ticket code, posts it (htmx) to the check-in view
and shows the answer large and coloured; the live counts refresh after each scan and every 10 s.
Without JavaScript the same form posts and the whole page comes back with the answer.
"""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from sciweek.activities.models import Session
from sciweek.bookings import checkin_sync, gate_lookup, recovery, services
from sciweek.bookings.enums import CheckInResult, GateLookupKind
from sciweek.bookings.selectors import gate_sessions, session_counts, tally_sessions
from sciweek.common.errors import ServiceError
from sciweek.exhibition.selectors import public_ceremony

from ..mixins import OfficePermissionMixin

RESULT_TONE = {
    CheckInResult.OK: "ok",
    CheckInResult.ALREADY: "warn",
    CheckInResult.WRONG_SESSION: "stop",
    CheckInResult.CANCELLED: "stop",
    CheckInResult.WAITING: "stop",
    CheckInResult.UNKNOWN: "stop",
    CheckInResult.OUTSIDE_WINDOW: "stop",
    CheckInResult.NOT_CONFIRMED: "stop",
}


def result_context(outcome, session: Session, typed: str) -> dict:
    """What the result panel shows; nothing unmasked."""
    booking = outcome.booking
    other = None
    if outcome.result == CheckInResult.WRONG_SESSION and booking is not None:
        other = booking.session
    return {
        "result": outcome.result,
        "label": CheckInResult(outcome.result).label,
        "tone": RESULT_TONE[outcome.result],
        "name": booking.masked_name if booking is not None else "",
        "party_size": booking.party_size if booking is not None else None,
        "group_name": booking.group_name if booking is not None else "",
        "when": outcome.when,
        "other_session": other,
        "code": services.normalize_code(typed),
        "early": outcome.result == CheckInResult.OUTSIDE_WINDOW
        and outcome.when is not None
        and outcome.when <= session.starts_at,
    }


class GateListView(OfficePermissionMixin, TemplateView):
    template_name = "bookings/gate_list.html"
    permission_required = "bookings.use_gate"
    nav = "gate"

    def get_permission_object(self):
        return None

    def get_context_data(self, **kwargs):
        user = self.request.user
        sessions = [s for s in gate_sessions(user)[:200] if user.has_perm("bookings.check_in", s)]
        tallies = [s for s in tally_sessions(user)[:200] if user.has_perm("bookings.check_in", s)]
        for s in (*sessions, *tallies):
            s.day = timezone.localdate(s.starts_at)
        return super().get_context_data(sessions=sessions, tallies=tallies, **kwargs)


class GateSessionMixin(OfficePermissionMixin):
    """The session from the URL: 404 unless it exists and belongs to a public activity that
    takes bookings; 403 for users who may not check people in there."""

    permission_required = "bookings.check_in"
    nav = "gate"

    def get_session(self) -> Session:
        if not hasattr(self, "_session"):
            session = get_object_or_404(
                Session.objects.select_related("activity", "activity__host"), pk=self.kwargs["pk"]
            )
            # Open days, and the launch ceremony (its guests' invitation QR codes).
            activity = session.activity
            if not activity.takes_bookings and not (
                activity.is_public and public_ceremony(activity)
            ):
                raise Http404
            self._session = session
        return self._session

    def get_permission_object(self):
        return self.get_session()

    def page_context(self, **kwargs) -> dict:
        session = self.get_session()
        return {
            "session": session,
            "activity": session.activity,
            "counts": session_counts(session),
            "may_override": self.request.user.has_perm("bookings.override_checkin_window", session),
            "lookup": {"kinds": GateLookupKind.choices},
            "real_name": gate_lookup.is_real_name(session),
            **kwargs,
        }


class GateSessionView(GateSessionMixin, TemplateView):
    template_name = "bookings/gate_session.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(**self.page_context(**kwargs))


class GateCheckInView(GateSessionMixin, TemplateView):
    """POST code → the answer. htmx gets the result panel (and the counts, out of band); a
    plain form post gets the whole gate page with the answer on top. Always 200: a refused ticket
    is an answer, not an error."""

    template_name = "bookings/gate_session.html"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        session = self.get_session()
        typed = request.POST.get("code", "")[:64]
        if not services.normalize_code(typed):
            context = self.page_context(error=_("Scan a ticket or type its code."))
            template = "bookings/gate_result.html" if request.htmx else self.template_name
            return self.response_class(request, template, context, status=200)
        outcome = checkin_sync.scan_online(
            session=session,
            code=typed,
            by=request.user,
            override=request.POST.get("override") == "1",
        )
        answer = result_context(outcome, session, typed)
        answer |= gate_lookup.scanned_identity(outcome=outcome, session=session, user=request.user)
        context = self.page_context(answer=answer)
        if request.htmx:
            context["oob_counts"] = True
            return self.response_class(request, "bookings/gate_result.html", context)
        return self.render_to_response(context)


class GateResendView(GateSessionMixin, TemplateView):
    """A visitor at the gate without the ticket: send its link again to the mobile number they
    booked with. The gate sees only whether that number booked this session, never the ticket;
    the link reaches the booker's own phone. Always 200 with the answer (htmx: the panel)."""

    template_name = "bookings/gate_session.html"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        session = self.get_session()
        phone = request.POST.get("phone", "")[:20]
        try:
            booking = recovery.resend_ticket(session=session, phone=phone, by=request.user)
        except ServiceError as exc:
            resend = {"tone": "hint", "text": " ".join(exc.messages), "phone": phone}
        else:
            if booking is None:
                text = _("No booking for this session has this mobile number.")
                resend = {"tone": "stop", "text": text, "phone": phone}
            else:
                text = _("The e-ticket link was sent to %(phone)s.") % {
                    "phone": booking.masked_phone
                }
                resend = {"tone": "ok", "text": text, "phone": ""}
        context = self.page_context(resend=resend)
        if request.htmx:
            return self.response_class(request, "bookings/gate_resend.html", context)
        return self.render_to_response(context)


class GateCountsView(GateSessionMixin, View):
    """The live counts alone, polled every 10 s."""

    def get(self, request, *args, **kwargs):
        return TemplateResponse(request, "bookings/gate_counts.html", self.page_context())
