"""The launch ceremony in the back office: the organiser's board, quotas and guests; each
area's delegation; the exhibits, from submission to the city's selection."""

from __future__ import annotations

import io

from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView
from docx import Document
from openpyxl import Workbook

from sciweek.campaigns.selectors import current_edition
from sciweek.common.errors import ServiceError
from sciweek.common.exports import XLSX, neutralise
from sciweek.common.serving import file_response
from sciweek.common.workflow import available_actions
from sciweek.exhibition import exhibit_media, printing, selectors, services
from sciweek.exhibition.enums import ORGANISER_ONLY_KINDS, GuestCategoryKind
from sciweek.exhibition.forms import (
    CeremonyForm,
    ExhibitForm,
    ExhibitMediaForm,
    GuestForm,
    TransitionForm,
    area_categories,
    organiser_categories,
)
from sciweek.exhibition.models import Ceremony, Exhibit, Guest, GuestCategory, Quota
from sciweek.organizations.models import Organization

from ..mixins import OfficePermissionMixin

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def current_ceremony() -> Ceremony | None:
    edition = current_edition()
    found = selectors.ceremony_for_edition(edition) if edition else None
    return found or selectors.ceremonies().first()


class CeremonyMixin(OfficePermissionMixin):
    """The ceremony from the URL (``ceremony``), or the current one."""

    nav = "ceremony"

    def get_ceremony(self) -> Ceremony:
        if not hasattr(self, "_ceremony"):
            if "ceremony" in self.kwargs:
                self._ceremony = get_object_or_404(
                    Ceremony.objects.select_related("edition"), pk=self.kwargs["ceremony"]
                )
            else:
                self._ceremony = current_ceremony()
                if self._ceremony is None:
                    raise Http404
        return self._ceremony

    def get_permission_object(self):
        return None

    def get_context_data(self, **kwargs):
        # The URL's ids are not context: the objects are.
        for name in ("ceremony", "area", "pk"):
            if isinstance(kwargs.get(name), int):
                del kwargs[name]
        return super().get_context_data(ceremony=self.get_ceremony(), **kwargs)


class CeremonyHomeView(CeremonyMixin, TemplateView):
    """The organiser's board (who has named their delegation, who has answered, what to prepare,
    arrivals); an area office sees its own delegations."""

    template_name = "dashboard/exhibition/home.html"
    permission_required = "exhibition.view_delegation"

    def get_ceremony(self):
        pk = self.request.GET.get("ceremony", "")
        if pk.isdigit():
            self.kwargs["ceremony"] = int(pk)
        return super().get_ceremony()

    def get_context_data(self, **kwargs):
        ceremony = self.get_ceremony()
        user = self.request.user
        context = {"ceremonies": selectors.ceremonies(), "areas": selectors.own_areas(user)}
        if user.has_perm("exhibition.view_board"):
            context["board"] = selectors.board(ceremony)
        return super().get_context_data(**context, **kwargs)


class CeremonyEditView(CeremonyMixin, TemplateView):
    template_name = "dashboard/exhibition/edit.html"
    permission_required = "exhibition.manage_ceremony"

    def get_context_data(self, **kwargs):
        ceremony = self.get_ceremony()
        kwargs.setdefault("form", CeremonyForm(instance=ceremony, edition=ceremony.edition))
        kwargs.setdefault("categories", ceremony.categories.all())
        return super().get_context_data(**kwargs)

    def post(self, request, ceremony):
        ceremony = self.get_ceremony()
        form = CeremonyForm(request.POST, instance=ceremony, edition=ceremony.edition)
        self.refusing(form)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        services.ceremony_save(edition=ceremony.edition, ceremony=ceremony, by=request.user,
                               **fields)  # fmt: skip
        places = {}
        for category in ceremony.categories.all():
            raw = request.POST.get(f"places-{category.kind}", "")
            if raw.strip():
                if not raw.strip().isdigit():
                    raise ServiceError(_("A number of places, 0 or more."), code="invalid_places")
                places[category.kind] = int(raw)
        if places:
            services.categories_set(ceremony=ceremony, places=places, by=request.user)
        messages.success(request, _("Saved."))
        return redirect("dashboard:ceremony")


class QuotaView(CeremonyMixin, TemplateView):
    """Per area and category, how many people the area sends."""

    template_name = "dashboard/exhibition/quotas.html"
    permission_required = "exhibition.manage_ceremony"

    def grid(self, posted=None):
        ceremony = self.get_ceremony()
        categories = [c for c in ceremony.categories.all() if c.kind not in ORGANISER_ONLY_KINDS]
        quotas = {
            (q.area_id, q.category_id): q.places for q in Quota.objects.filter(ceremony=ceremony)
        }
        rows = []
        for area in Organization.objects.areas().active().order_by("path"):
            cells = []
            for category in categories:
                name = f"q-{area.pk}-{category.pk}"
                value = (
                    posted.get(name, "")
                    if posted is not None
                    else quotas.get((area.pk, category.pk), "")
                )
                cells.append({"name": name, "value": value, "category": category})
            rows.append({"area": area, "cells": cells})
        return categories, rows

    def get_context_data(self, **kwargs):
        categories, rows = self.grid(kwargs.pop("posted", None))
        return super().get_context_data(categories=categories, rows=rows, **kwargs)

    def post(self, request, ceremony):
        ceremony = self.get_ceremony()
        self.refusing(None, posted=request.POST)
        _categories, rows = self.grid(request.POST)
        existing = {
            (q.area_id, q.category_id): q.places for q in Quota.objects.filter(ceremony=ceremony)
        }
        changed = 0
        for row in rows:
            for cell in row["cells"]:
                raw = str(cell["value"]).strip()
                if not raw:  # left empty: unchanged
                    continue
                if not raw.isdigit():
                    raise ServiceError(
                        _("%(area)s · %(category)s: a number of places, 0 or more.")
                        % {"area": row["area"].name, "category": cell["category"]},
                        code="invalid_places",
                    )
                if existing.get((row["area"].pk, cell["category"].pk)) != int(raw):
                    services.quota_set(ceremony=ceremony, area=row["area"],
                                       category=cell["category"], places=int(raw), by=request.user)  # fmt: skip
                    changed += 1
        messages.success(request, _("%(n)d quotas saved.") % {"n": changed})
        return redirect("dashboard:ceremony-quotas", ceremony.pk)

    def refusal_response(self, exc):
        for message in exc.messages:
            messages.error(self.request, message)
        return self.render_to_response(
            self.get_context_data(posted=self.request.POST), status=self.refusal_status(exc)
        )


class GuestRemindView(CeremonyMixin, View):
    permission_required = "exhibition.remind_guests"

    def post(self, request, ceremony):
        ceremony = self.get_ceremony()
        category = GuestCategory.objects.filter(
            ceremony=ceremony, pk=request.POST.get("category") or 0
        ).first()
        area = Organization.objects.filter(pk=request.POST.get("area") or 0).first()
        n = services.guests_remind(ceremony=ceremony, by=request.user, category=category, area=area)
        messages.success(request, _("%(n)d guests reminded.") % {"n": n})
        return redirect(f"{reverse('dashboard:ceremony')}?ceremony={ceremony.pk}")


class QuotaRemindView(CeremonyMixin, View):
    permission_required = "exhibition.remind_guests"

    def post(self, request, ceremony):
        ceremony = self.get_ceremony()
        n = services.quotas_remind(ceremony=ceremony, by=request.user)
        messages.success(request, _("%(n)d areas reminded.") % {"n": n})
        return redirect(f"{reverse('dashboard:ceremony')}?ceremony={ceremony.pk}")


class GuestListView(CeremonyMixin, TemplateView):
    """Every guest, and the organiser's own invitations (leaders and others)."""

    template_name = "dashboard/exhibition/guests.html"
    permission_required = "exhibition.view_board"

    def get_context_data(self, **kwargs):
        ceremony = self.get_ceremony()
        guests = selectors.guests_visible_to(self.request.user, ceremony)
        category = self.request.GET.get("category", "")
        if category.isdigit():
            guests = guests.filter(category_id=int(category))
        kwargs.setdefault("form", GuestForm(categories=organiser_categories(ceremony)))
        return super().get_context_data(
            guests=guests[:1000], categories=ceremony.categories.all(), chosen=category, **kwargs
        )

    def post(self, request, ceremony):
        ceremony = self.get_ceremony()
        form = GuestForm(request.POST, categories=organiser_categories(ceremony))
        self.refusing(form)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        services.guest_add(ceremony=ceremony, by=request.user, **form.cleaned_data)
        messages.success(request, _("Guest named; the invitation is on its way."))
        return redirect("dashboard:ceremony-guests", ceremony.pk)


class SeatingExportView(CeremonyMixin, View):
    """The seating list (座次) by category and order, as a workbook."""

    permission_required = "exhibition.view_board"

    def get(self, request, ceremony):
        ceremony = self.get_ceremony()
        book = Workbook()
        sheet = book.active
        sheet.title = _("Seating")
        sheet.append([_("Seat"), _("Category"), _("Name"), _("Organisation"), _("Post"),
                      _("Area"), _("Answer")])  # fmt: skip
        for n, guest in enumerate(selectors.seating(ceremony), start=1):
            sheet.append([neutralise(v) for v in (
                n, str(guest.category), guest.attendee_name, guest.organization_name,
                guest.substitute_post if guest.state_is_substitute else guest.post,
                guest.area.name if guest.area else "", guest.get_state_display(),
            )])  # fmt: skip
        out = io.BytesIO()
        book.save(out)
        response = HttpResponse(out.getvalue(), content_type=XLSX)
        response["Content-Disposition"] = (
            f'attachment; filename="seating-{ceremony.edition.year}.xlsx"'
        )
        return response


class SeatingWordView(CeremonyMixin, View):
    """The seating list (座次) as a Word table, for the protocol office."""

    permission_required = "exhibition.view_board"

    def get(self, request, ceremony):
        ceremony = self.get_ceremony()
        doc = Document()
        doc.add_heading(f"{ceremony.title} · {_('Seating')}", level=1)
        table = doc.add_table(rows=1, cols=5)
        table.style = "Table Grid"
        for cell, text in zip(table.rows[0].cells, (_("Seat"), _("Category"), _("Name"),
                              _("Organisation"), _("Post")), strict=True):  # fmt: skip
            cell.text = str(text)
        for n, guest in enumerate(selectors.seating(ceremony), start=1):
            row = table.add_row().cells
            post = guest.substitute_post if guest.state_is_substitute else guest.post
            for cell, text in zip(row, (str(n), str(guest.category), guest.attendee_name,
                                  guest.organization_name, post), strict=True):  # fmt: skip
                cell.text = text
        out = io.BytesIO()
        doc.save(out)
        response = HttpResponse(out.getvalue(), content_type=DOCX)
        response["Content-Disposition"] = (
            f'attachment; filename="seating-{ceremony.edition.year}.docx"'
        )
        return response


class PrintSheetView(CeremonyMixin, View):
    """Name badges or table cards of the guests coming (by category and seat order), as one
    printable A4 PDF; ``?category=<kind>`` prints one category only."""

    permission_required = "exhibition.view_board"
    render = None
    filename = ""

    def get(self, request, ceremony):
        ceremony = self.get_ceremony()
        guests = selectors.seating(ceremony)
        kind = request.GET.get("category", "")
        if kind:
            if kind not in GuestCategoryKind.values:
                return HttpResponseBadRequest(
                    _("Unknown guest category."), content_type="text/plain"
                )
            guests = [g for g in guests if g.category.kind == kind]
        response = HttpResponse(self.render(ceremony, guests), content_type="application/pdf")
        response["Content-Disposition"] = (
            f'inline; filename="{self.filename}-{ceremony.edition.year}.pdf"'
        )
        return response


class BadgesView(PrintSheetView):
    render = staticmethod(printing.badges_pdf)
    filename = "badges"


class TableCardsView(PrintSheetView):
    render = staticmethod(printing.table_cards_pdf)
    filename = "table-cards"


class DelegationView(CeremonyMixin, TemplateView):
    """An area's delegation: its quota per category and the people it names."""

    template_name = "dashboard/exhibition/delegation.html"
    permission_required = "exhibition.view_area_delegation"

    def get_area(self) -> Organization:
        if not hasattr(self, "_area"):
            self._area = get_object_or_404(Organization.objects.areas(), pk=self.kwargs["area"])
        return self._area

    def get_permission_object(self):
        return self.get_area()

    def get_context_data(self, **kwargs):
        kwargs.pop("area", None)
        ceremony, area = self.get_ceremony(), self.get_area()
        kwargs.setdefault("form", GuestForm(categories=area_categories(ceremony, area)))
        return super().get_context_data(
            area=area, rows=selectors.delegation(ceremony, area),
            may_fill=self.request.user.has_perm("exhibition.fill_delegation", area), **kwargs,
        )  # fmt: skip

    def post(self, request, ceremony, area):
        ceremony, area = self.get_ceremony(), self.get_area()
        if not request.user.has_perm("exhibition.fill_delegation", area):
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied
        form = GuestForm(request.POST, categories=area_categories(ceremony, area))
        self.refusing(form)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        services.guest_add(ceremony=ceremony, area=area, by=request.user, **form.cleaned_data)
        messages.success(request, _("Named; the invitation is on its way."))
        return redirect("dashboard:ceremony-delegation", ceremony.pk, area.pk)


class GuestRemoveView(OfficePermissionMixin, View):
    permission_required = "exhibition.view_delegation"

    def post(self, request, pk):
        guest = get_object_or_404(
            Guest.objects.select_related("ceremony", "area", "category"), pk=pk
        )
        visible = (
            request.user.has_perm("exhibition.view_area_delegation", guest)
            if guest.area_id
            else request.user.has_perm("exhibition.view_board")
        )
        if not visible:
            raise Http404
        self._back = (
            reverse("dashboard:ceremony-delegation", args=[guest.ceremony_id, guest.area_id])
            if guest.area_id
            else reverse("dashboard:ceremony-guests", args=[guest.ceremony_id])
        )
        services.guest_remove(guest=guest, by=request.user)
        messages.success(request, _("Removed."))
        return redirect(self._back)

    def get_refusal_url(self):
        return getattr(self, "_back", reverse("dashboard:ceremony"))


# --- exhibits -----------------------------------------------------------------------------


class ExhibitListView(CeremonyMixin, TemplateView):
    template_name = "dashboard/exhibition/exhibits.html"
    permission_required = "exhibition.list_exhibits"
    nav = "exhibits"

    def get_context_data(self, **kwargs):
        ceremony = self.get_ceremony()
        user = self.request.user
        exhibits = selectors.exhibits_visible_to(user, ceremony).order_by(
            "state", "submitter__path", "pk"
        )
        state = self.request.GET.get("state", "")
        if state:
            exhibits = exhibits.filter(state=state)
        at_area = selectors.awaiting_area(user, ceremony).count()
        return super().get_context_data(
            exhibits=exhibits, may_add=user.has_perm("exhibition.add_exhibit"), state=state,
            selected=selectors.selected_exhibits(ceremony).count(), at_area=at_area, **kwargs,
        )  # fmt: skip


class ExhibitCreateView(CeremonyMixin, TemplateView):
    template_name = "dashboard/exhibition/exhibit_form.html"
    permission_required = "exhibition.add_exhibit"
    nav = "exhibits"

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", ExhibitForm())
        return super().get_context_data(
            submitters=selectors.submitters_for(self.request.user), **kwargs
        )

    def post(self, request):
        ceremony = self.get_ceremony()
        form = ExhibitForm(request.POST)
        self.refusing(form)
        submitter = (
            selectors.submitters_for(request.user)
            .filter(pk=request.POST.get("submitter") or 0)
            .first()
        )
        if submitter is None:
            form.is_valid()
            form.add_error(None, _("Choose whom you submit for."))
            return self.render_to_response(self.get_context_data(form=form), status=400)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        exhibit = services.exhibit_create(ceremony=ceremony, submitter=submitter, by=request.user,
                                          **form.cleaned_data)  # fmt: skip
        messages.success(request, _("Draft saved. Submit it when it is complete."))
        return redirect("dashboard:exhibit-detail", exhibit.pk)


class ExhibitMixin(OfficePermissionMixin):
    nav = "exhibits"

    def get_exhibit(self) -> Exhibit:
        if not hasattr(self, "_exhibit"):
            exhibit = get_object_or_404(
                Exhibit.objects.select_related("ceremony", "submitter"), pk=self.kwargs["pk"]
            )
            if (
                not selectors.exhibits_visible_to(self.request.user, exhibit.ceremony)
                .filter(pk=exhibit.pk)
                .exists()
            ):
                raise Http404
            self._exhibit = exhibit
        return self._exhibit

    def get_permission_object(self):
        return self.get_exhibit()


class ExhibitDetailView(ExhibitMixin, TemplateView):
    template_name = "dashboard/exhibition/exhibit.html"
    permission_required = "exhibition.view_exhibit"

    def get_context_data(self, **kwargs):
        kwargs.pop("pk", None)
        exhibit = self.get_exhibit()
        user = self.request.user
        may_edit = exhibit.is_editable and user.has_perm("exhibition.change_exhibit", exhibit)
        if may_edit:
            kwargs.setdefault("form", ExhibitForm(instance=exhibit))
        if user.has_perm("exhibition.change_exhibit_media", exhibit):
            kwargs.setdefault("media_form", ExhibitMediaForm())
        return super().get_context_data(
            exhibit=exhibit, may_edit=may_edit, actions=available_actions(exhibit, user),
            transition_form=kwargs.pop("transition_form", TransitionForm()),
            media=selectors.exhibit_media(exhibit), **kwargs,
        )  # fmt: skip

    def post(self, request, pk):
        exhibit = self.get_exhibit()
        if not request.user.has_perm("exhibition.change_exhibit", exhibit):
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied
        form = ExhibitForm(request.POST, instance=Exhibit.objects.get(pk=exhibit.pk))
        self.refusing(form)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        services.exhibit_update(exhibit=exhibit, by=request.user, **form.cleaned_data)
        messages.success(request, _("Saved."))
        return redirect("dashboard:exhibit-detail", exhibit.pk)


class ExhibitTransitionView(ExhibitMixin, TemplateView):
    template_name = "dashboard/exhibition/exhibit.html"
    permission_required = "exhibition.view_exhibit"
    http_method_names = ["post"]

    def post(self, request, pk):
        exhibit = self.get_exhibit()
        form = TransitionForm(request.POST)
        self.refusing(None)
        if not form.is_valid():
            raise ServiceError(_("Choose an action."), code="invalid")
        services.exhibit_transition(exhibit=exhibit, action=form.cleaned_data["action"],
                                    by=request.user, reason=form.cleaned_data["reason"])  # fmt: skip
        messages.success(request, _("Done."))
        return redirect("dashboard:exhibit-detail", exhibit.pk)

    def get_refusal_url(self):
        return reverse("dashboard:exhibit-detail", args=[self.kwargs["pk"]])


# --- the exhibit's photos and video -------------------------------------------------------

# Private copies: never kept by shared caches (a draft's photo is not public).
OFFICE_MEDIA_CACHE = "private, max-age=3600"


class ExhibitMediaUploadView(ExhibitDetailView):
    """POST a photo or the video; a refusal draws the exhibit page again with the reason next
    to the upload form (4xx)."""

    permission_required = "exhibition.change_exhibit"
    http_method_names = ["post"]

    def post(self, request, pk):
        exhibit = self.get_exhibit()
        form = ExhibitMediaForm(request.POST, request.FILES)
        self.refusing(form)
        if not form.is_valid():
            raise ServiceError(_("Check the file and its description."), code="invalid")
        exhibit_media.exhibit_media_add(
            exhibit=exhibit, kind=form.cleaned_data["kind"], upload=form.cleaned_data["file"],
            alt_text=form.cleaned_data["alt_text"], by=request.user,
        )  # fmt: skip
        messages.success(request, _("Uploaded."))
        return redirect("dashboard:exhibit-detail", exhibit.pk)

    def refusal_response(self, exc):
        # The page's own ``form`` is the exhibit's; the upload form is ``media_form``.
        context = self.get_context_data(media_form=self.refusal_form)
        return self.render_to_response(context, status=self.refusal_status(exc))


class ExhibitMediaMixin(OfficePermissionMixin):
    """The photo or video from the URL's key; one of an exhibit the user may not see is 404."""

    nav = "exhibits"

    def get_item(self):
        if not hasattr(self, "_item"):
            self._item = selectors.office_exhibit_media(self.request.user, self.kwargs["key"])
            if self._item is None:
                raise Http404
        return self._item

    def get_permission_object(self):
        return self.get_item().exhibit


class ExhibitMediaDeleteView(ExhibitMediaMixin, View):
    permission_required = "exhibition.change_exhibit"

    def post(self, request, key):
        item = self.get_item()
        exhibit_media.exhibit_media_remove(item=item, by=request.user)
        messages.success(request, _("Removed."))
        return redirect("dashboard:exhibit-detail", item.exhibit_id)

    def get_refusal_url(self):
        return reverse("dashboard:exhibit-detail", args=[self.get_item().exhibit_id])


class ExhibitMediaFileView(ExhibitMediaMixin, View):
    """The stored file or its thumbnail, for the submitter and the city's reviewers."""

    permission_required = "exhibition.view_exhibit"
    thumbnail = False

    def get(self, request, key):
        item = self.get_item()
        field = item.thumbnail if self.thumbnail else item.file
        return file_response(
            request, field,
            content_type="image/jpeg" if self.thumbnail else item.content_type,
            filename=f"{item.key.hex}-thumb.jpg" if self.thumbnail else item.original_name,
            etag=f'"{item.key.hex}{"-t" if self.thumbnail else ""}"',
            cache_control=OFFICE_MEDIA_CACHE,
        )  # fmt: skip
