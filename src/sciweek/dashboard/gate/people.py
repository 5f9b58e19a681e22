"""The gate's people: finding a visitor who lost the ticket (by ID number, mobile or name),
admitting a walk-in, and the tally of visitors at sessions nobody books.

Look-ups answer on the gate page (htmx: the panel alone; without JavaScript the whole page), as
the resend form does; the walk-in form and the tally have pages of their own, reached from the
gate page and from the gate's session list.
"""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from sciweek.activities.models import Session
from sciweek.bookings import checkin_sync, gate_lookup, walkins
from sciweek.bookings.enums import GateLookupKind
from sciweek.bookings.forms import BookingForm
from sciweek.bookings.models import Booking
from sciweek.common.errors import ServiceError

from ..mixins import OfficePermissionMixin
from .views import GateSessionMixin, result_context


def lookup_context(**lookup) -> dict:
    return {"lookup": {"kinds": GateLookupKind.choices, **lookup}}


class GateLookupView(GateSessionMixin, TemplateView):
    """POST kind + q → the visitor's bookings of this session (audited, rate-limited)."""

    template_name = "bookings/gate_session.html"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        session = self.get_session()
        kind = request.POST.get("kind", "")
        value = request.POST.get("q", "")[:64]
        # An ID number typed is never sent back to the page.
        echo = "" if kind == GateLookupKind.ID_NUMBER else value
        try:
            found = gate_lookup.lookup(session=session, kind=kind, value=value, by=request.user)
        except ServiceError as exc:
            lookup = {"kind": kind, "q": echo, "error": " ".join(exc.messages)}
        else:
            lookup = {"kind": kind, "q": echo, "found": found}
        context = self.page_context(**lookup_context(**lookup))
        if request.htmx:
            return self.response_class(request, "bookings/gate_lookup.html", context)
        return self.render_to_response(context)


class GateLookupCheckInView(GateSessionMixin, TemplateView):
    """Check in a booking the look-up found (the gate never sees its ticket code): the same
    service and answer as a scan."""

    template_name = "bookings/gate_session.html"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        session = self.get_session()
        try:
            booking_id = int(request.POST.get("booking", ""))
        except ValueError:
            raise Http404 from None
        booking = get_object_or_404(Booking, pk=booking_id, session=session)
        outcome = checkin_sync.scan_online(
            session=session,
            code=booking.code,
            by=request.user,
            override=request.POST.get("override") == "1",
        )
        answer = result_context(outcome, session, "")
        answer |= gate_lookup.scanned_identity(outcome=outcome, session=session, user=request.user)
        context = self.page_context(answer=answer)
        if request.htmx:
            context["oob_counts"] = True
            return self.response_class(request, "bookings/gate_result.html", context)
        return self.render_to_response(context)


class GateWalkInView(GateSessionMixin, TemplateView):
    """A visitor without a booking, admitted into a free place and checked in at once."""

    template_name = "bookings/gate_walk_in.html"

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", BookingForm(activity=self.get_session().activity))
        return super().get_context_data(**self.page_context(**kwargs))

    def post(self, request, *args, **kwargs):
        session = self.get_session()
        form = BookingForm(request.POST, activity=session.activity)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        try:
            booking = walkins.walk_in_admit(
                session=session, data=form.to_request(), by=request.user
            )
        except ServiceError as exc:
            if hasattr(exc, "error_dict"):
                form.add_service_errors(exc.error_dict)
            else:
                form.add_error(None, exc)
            status = getattr(exc, "status", 400)
            return self.render_to_response(self.get_context_data(form=form), status=status)
        admitted = {
            "name": booking.name if gate_lookup.may_identify(request.user, session)
            else booking.masked_name,
            "party_size": booking.party_size,
        }  # fmt: skip
        return self.render_to_response(self.get_context_data(admitted=admitted))


class GateTallySessionMixin(OfficePermissionMixin):
    """A session of a public activity that takes no bookings; 403 for users who may not work
    its gate."""

    permission_required = "bookings.check_in"
    nav = "gate"

    def get_session(self) -> Session:
        if not hasattr(self, "_session"):
            session = get_object_or_404(
                Session.objects.select_related("activity", "activity__host"), pk=self.kwargs["pk"]
            )
            if not session.activity.is_public or session.activity.booking_required:
                raise Http404
            self._session = session
        return self._session

    def get_permission_object(self):
        return self.get_session()


class GateTallyView(GateTallySessionMixin, TemplateView):
    """The counter: +1, +5, +N and −1, each press a record; htmx swaps the panel, a plain
    form post comes back to the page (so a reload never counts twice)."""

    template_name = "bookings/gate_tally.html"

    def get_context_data(self, **kwargs):
        session = self.get_session()
        return super().get_context_data(
            session=session,
            activity=session.activity,
            total=walkins.tally_total(session),
            step_max=walkins.MAX_TALLY_STEP,
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        session = self.get_session()
        error = ""
        try:
            delta = int(request.POST.get("delta", ""))
            if request.POST.get("sign") == "-":
                delta = -abs(delta)
            walkins.tally_add(session=session, delta=delta, by=request.user)
        except ValueError:
            error = _("Type a number of visitors.")
        except ServiceError as exc:
            error = " ".join(exc.messages)
        if request.htmx:
            context = self.get_context_data(error=error)
            return TemplateResponse(request, "bookings/gate_tally_panel.html", context)
        if error:
            return self.render_to_response(self.get_context_data(error=error), status=400)
        return redirect("dashboard:gate-tally", session.pk)
