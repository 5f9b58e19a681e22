"""The guest's own pages, behind the personal link (no account, on a phone): the invitation,
the answer (回执) and, once coming, the invitation QR shown at the gate. Never cached."""

from __future__ import annotations

import io

import segno
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.cache import never_cache

from sciweek.common.errors import ServiceError

from . import selectors, services
from .forms import RsvpForm


def qr_png(text: str, *, scale: int = 8) -> bytes:
    out = io.BytesIO()
    segno.make(text, error="m", micro=False).save(out, kind="png", scale=scale, border=4)
    return out.getvalue()


def _guest(token: str):
    guest = selectors.guest_by_token(token)
    if guest is None:
        raise Http404
    return guest


@method_decorator(never_cache, name="dispatch")
class RsvpView(View):
    template_name = "exhibition/rsvp.html"

    def render(self, request, guest, form, status=200):
        programme = list(guest.ceremony.programme.all())
        return TemplateResponse(
            request, self.template_name,
            {"guest": guest, "ceremony": guest.ceremony, "form": form, "programme": programme},
            status=status,
        )  # fmt: skip

    def get(self, request, token):
        guest = _guest(token)
        return self.render(request, guest, RsvpForm())

    def post(self, request, token):
        guest = _guest(token)
        form = RsvpForm(request.POST)
        if not form.is_valid():
            return self.render(request, guest, form, status=400)
        try:
            services.guest_answer(guest=guest, **form.cleaned_data)
        except ServiceError as problem:
            if hasattr(problem, "error_dict"):
                for name, errors in problem.error_dict.items():
                    form.add_error(name if name in form.fields else None, errors)
            else:
                form.add_error(None, problem)
            return self.render(request, guest, form, status=getattr(problem, "status", 400))
        return redirect("exhibition:rsvp", token=token)


@method_decorator(never_cache, name="dispatch")
class InvitationQRView(View):
    def get(self, request, token):
        guest = _guest(token)
        if not guest.is_coming:
            raise Http404
        return HttpResponse(qr_png(guest.code), content_type="image/png")
