"""View helpers shared by the back office."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from rules.contrib.views import PermissionRequiredMixin


def add_refusal(form, exc: ValidationError, field: str | None = None) -> None:
    """Put a refusal beside the fields it names (those the form has), the rest beside ``field``
    (``None``: above the form)."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else field, errors)
    else:
        form.add_error(field, exc)


class RefusalMixin:
    """One way for a page to refuse, as ``api/errors.py`` is for the API: a ``ServiceError``
    (or a model's ``ValidationError``) raised while a POST is handled becomes what the page
    shows. With ``refusal_form`` set (the bound form the handler works on), its field errors, or
    an error beside ``refusal_field``, and the page drawn again with what was typed; otherwise
    the message(s) and a redirect to ``get_refusal_url()``. The status is the error's (400, 403
    for ``PermissionRefused``, 409 for ``Conflict``), as the API answers.

    Only unsafe methods are caught: a GET that fails is a bug to see, and its refusal would
    redirect to itself."""

    refusal_form = None
    refusal_field: str | None = None
    # Extra context for drawing the page again (other bound forms, the object shown).
    refusal_context: dict | None = None

    def dispatch(self, request, *args, **kwargs):
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return super().dispatch(request, *args, **kwargs)
        try:
            return super().dispatch(request, *args, **kwargs)
        except ValidationError as exc:
            return self.refused(exc)

    def refusing(self, form=None, **context):
        """Name the form (and the context) a refusal from now on is shown with."""
        self.refusal_form = form
        self.refusal_context = context

    def refused(self, exc: ValidationError):
        if self.refusal_form is not None:
            add_refusal(self.refusal_form, exc, self.refusal_field)
        else:
            for message in exc.messages:
                messages.error(self.request, message)
        return self.refusal_response(exc)

    def refusal_status(self, exc: ValidationError) -> int:
        return getattr(exc, "status", 400)

    def refusal_response(self, exc: ValidationError):
        if self.refusal_form is not None:
            context = {"form": self.refusal_form, **(self.refusal_context or {})}
            return self.render_to_response(
                self.get_context_data(**context), status=self.refusal_status(exc)
            )
        return redirect(self.get_refusal_url())

    def get_refusal_url(self) -> str:
        # By default back to the page that was posted to: its GET shows the message. Views whose
        # POST URL has no page of its own (an action endpoint) name theirs.
        return self.request.get_full_path()


class OfficeMixin(RefusalMixin, LoginRequiredMixin):
    """Every back-office page. ``nav`` names the menu entry to highlight."""

    nav = ""

    def handle_no_permission(self):
        # Anonymous users are sent to sign in; signed-in users without the right get 403.
        if self.request.user.is_authenticated:
            raise PermissionDenied
        return redirect_to_login(
            self.request.get_full_path(), self.get_login_url(), self.get_redirect_field_name()
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["nav"] = self.nav
        return context


class OfficePermissionMixin(OfficeMixin, PermissionRequiredMixin):
    """A back-office page guarded by a rules permission (object-level via ``get_permission_object``)."""
