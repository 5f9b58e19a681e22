from django.contrib import messages
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, ListView, TemplateView

from sciweek.campaigns import services
from sciweek.campaigns.forms import (
    BasisDocumentFormSet,
    EditionCopyForm,
    EditionForm,
    FocusAreaFormSet,
)
from sciweek.campaigns.models import Edition
from sciweek.campaigns.selectors import editions_for_office
from sciweek.campaigns.workflow import EDITION

from ..mixins import OfficePermissionMixin


class EditionMixin(OfficePermissionMixin):
    permission_required = "campaigns.manage_edition"
    nav = "editions"


class EditionListView(EditionMixin, ListView):
    template_name = "dashboard/editions/list.html"
    context_object_name = "editions"

    def get_queryset(self):
        return editions_for_office(self.request.user).order_by("-year")


class EditionEditView(EditionMixin, TemplateView):
    """Create or edit an edition with its basis documents and focus areas on one page."""

    template_name = "dashboard/editions/form.html"

    def get_edition(self):
        pk = self.kwargs.get("pk")
        return get_object_or_404(Edition, pk=pk) if pk else Edition()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        edition = kwargs.get("edition") or self.get_edition()
        context["edition"] = edition
        context.setdefault("form", EditionForm(instance=edition))
        context.setdefault("documents", BasisDocumentFormSet(instance=edition, prefix="docs"))
        context.setdefault("focus", FocusAreaFormSet(instance=edition, prefix="focus"))
        context["stale_documents"] = (
            list(edition.basis_documents.filter(needs_update=True)) if edition.pk else []
        )
        context["transitions"] = (
            EDITION.available_actions(edition, self.request.user) if edition.pk else []
        )
        return context

    def post(self, request, *args, **kwargs):
        edition = self.get_edition()
        form = EditionForm(request.POST, instance=edition)
        documents = BasisDocumentFormSet(request.POST, instance=edition, prefix="docs")
        focus = FocusAreaFormSet(request.POST, instance=edition, prefix="focus")
        if not (form.is_valid() and documents.is_valid() and focus.is_valid()):
            context = self.get_context_data(
                edition=edition, form=form, documents=documents, focus=focus
            )
            return self.render_to_response(context, status=400)
        with transaction.atomic():
            edition = form.save(commit=False)
            services.edition_save(edition=edition, by=request.user)
            documents.instance = focus.instance = edition
            services.basis_documents_save(
                edition=edition,
                saved=documents.save(commit=False),
                deleted=documents.deleted_objects,
                by=request.user,
            )
            services.focus_areas_save(
                edition=edition,
                saved=focus.save(commit=False),
                deleted=focus.deleted_objects,
                by=request.user,
            )
        messages.success(request, _("The edition has been saved."))
        return redirect("dashboard:edition-edit", pk=edition.pk)


class EditionCopyView(EditionMixin, FormView):
    template_name = "dashboard/editions/copy.html"
    form_class = EditionCopyForm
    refusal_field = "year"

    def get_source(self):
        return get_object_or_404(Edition, pk=self.kwargs["pk"])

    def get_initial(self):
        return {"year": self.get_source().year + 1}

    def get_context_data(self, **kwargs):
        return super().get_context_data(source=self.get_source(), **kwargs)

    def form_valid(self, form):
        self.refusing(form)
        edition = services.edition_copy(
            source=self.get_source(), year=form.cleaned_data["year"], by=self.request.user
        )
        messages.success(self.request, _("A new draft edition was copied. Check its dates."))
        return redirect("dashboard:edition-edit", pk=edition.pk)


class EditionTransitionView(EditionMixin, View):
    def post(self, request, pk):
        edition = get_object_or_404(Edition, pk=pk)
        services.edition_transition(edition=edition, to=request.POST.get("to", ""), by=request.user)
        messages.success(request, _("The edition's status has changed."))
        return redirect(self.get_refusal_url())

    def get_refusal_url(self):
        return reverse("dashboard:edition-edit", kwargs={"pk": self.kwargs["pk"]})
