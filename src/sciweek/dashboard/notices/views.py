from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView, TemplateView

from sciweek.campaigns import services
from sciweek.campaigns.delivery import mark_read
from sciweek.campaigns.forms import AttachmentForm, NoticeForm
from sciweek.campaigns.models import Notice, NoticeAttachment
from sciweek.campaigns.selectors import acknowledgement_summary, deliveries_of, notices_visible_to
from sciweek.common.errors import ServiceError
from sciweek.common.serving import file_response
from sciweek.organizations.access import OFFICE_ROLES, access_for
from sciweek.organizations.models import Organization
from sciweek.organizations.selectors import unreachable

from ..mixins import OfficeMixin, OfficePermissionMixin


class NoticeObjectMixin:
    """Fetches the notice from the URL; one the user may not see answers 404, not 403."""

    def get_notice(self) -> Notice:
        if not hasattr(self, "_notice"):
            self._notice = get_object_or_404(
                notices_visible_to(self.request.user), pk=self.kwargs["pk"]
            )
        return self._notice

    def get_permission_object(self):
        return self.get_notice()

    def get_refusal_url(self):
        return reverse("dashboard:notice-detail", kwargs={"pk": self.kwargs["pk"]})


class NoticeListView(OfficeMixin, ListView):
    template_name = "dashboard/notices/list.html"
    context_object_name = "notices"
    paginate_by = 20
    nav = "notices"

    def get_queryset(self):
        return notices_visible_to(self.request.user).order_by("-published_at", "-created_at")


class NoticeDetailView(NoticeObjectMixin, OfficePermissionMixin, TemplateView):
    """The notice as its recipients read it, with an acknowledge button for each organisation the
    reader speaks for."""

    template_name = "dashboard/notices/detail.html"
    permission_required = "campaigns.view_notice"
    nav = "notices"

    def get_context_data(self, **kwargs):
        notice = self.get_notice()
        if notice.is_published:
            # "Read" means opened by someone of the organisation itself, not by its area.
            mark_read(notice, access_for(self.request.user).organization_ids(*OFFICE_ROLES))
        return super().get_context_data(
            notice=notice,
            unreachable=[] if notice.is_published else unreachable(notice.recipients.all()),
            my_deliveries=list(deliveries_of(notice, acting_user=self.request.user))
            if notice.is_published
            else [],
            attachments=list(notice.attachments.all()),
            attachment_form=AttachmentForm(),
            summary=acknowledgement_summary(notice),
            **kwargs,
        )


class NoticeEditView(OfficePermissionMixin, TemplateView):
    template_name = "dashboard/notices/form.html"
    permission_required = "campaigns.manage_notice"
    nav = "notices"

    def get_notice(self):
        pk = self.kwargs.get("pk")
        return get_object_or_404(Notice, pk=pk) if pk else Notice()

    def get_context_data(self, **kwargs):
        notice = kwargs.pop("notice", None) or self.get_notice()
        kwargs.setdefault("form", NoticeForm(instance=notice))
        return super().get_context_data(notice=notice, **kwargs)

    def get(self, request, *args, **kwargs):
        notice = self.get_notice()
        if notice.pk and notice.is_published:
            messages.info(request, _("A published notice cannot be edited."))
            return redirect("dashboard:notice-detail", pk=notice.pk)
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        notice = self.get_notice()
        form = NoticeForm(request.POST, instance=notice)
        self.refusing(form, notice=notice)
        if not form.is_valid():
            return self.render_to_response(
                self.get_context_data(notice=notice, form=form), status=400
            )
        notice = services.notice_save(
            notice=form.save(commit=False),
            recipients=list(form.cleaned_data["recipients"]),
            by=request.user,
        )
        messages.success(request, _("The notice has been saved as a draft."))
        return redirect("dashboard:notice-detail", pk=notice.pk)


class NoticeActionView(NoticeObjectMixin, OfficePermissionMixin, View):
    """Base for the POST-only actions on a notice: a subclass's ``act(notice)`` calls one
    service; this turns a refusal into a message and redirects."""

    success_message = ""
    redirect_to = "dashboard:notice-detail"

    def post(self, request, pk):
        self.act(self.get_notice())
        if self.success_message:
            messages.success(request, self.success_message)
        return redirect(self.redirect_to, pk=pk)

    def get_refusal_url(self):
        return reverse(self.redirect_to, kwargs={"pk": self.kwargs["pk"]})


class NoticePublishView(NoticeActionView):
    permission_required = "campaigns.manage_notice"

    def act(self, notice):
        services.notice_publish(notice=notice, by=self.request.user)
        self.success_message = _("Published. Every recipient has been emailed.")
        self.redirect_to = "dashboard:notice-board"


class NoticeRemindView(NoticeActionView):
    permission_required = "campaigns.remind_recipients"
    redirect_to = "dashboard:notice-board"

    def act(self, notice):
        count = services.notice_remind(notice=notice, by=self.request.user)
        if count:
            self.success_message = _("Reminded %(n)d organisations that have not acknowledged.") % {
                "n": count
            }
        else:
            self.success_message = _(
                "Nobody needed a reminder (everyone acknowledged or was reminded today)."
            )


class NoticeAcknowledgeView(NoticeObjectMixin, OfficePermissionMixin, View):
    """签收: the POST carries the organisation acknowledging; the service checks the user may
    speak for it."""

    permission_required = "campaigns.view_notice"

    def post(self, request, pk):
        notice = self.get_notice()
        organization = Organization.objects.filter(pk=request.POST.get("organization") or 0).first()
        if organization is None:
            return self.refused(ServiceError(_("Choose the organisation that acknowledges.")))
        services.notice_acknowledge(notice=notice, organization=organization, by=request.user)
        messages.success(
            request, _("Receipt acknowledged for %(org)s.") % {"org": organization.name}
        )
        return redirect(self.get_refusal_url())

    def get_refusal_url(self):
        """Back where the button was (the home page lists notices to acknowledge)."""
        request = self.request
        next_url = request.POST.get("next", "")
        if url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
            return next_url
        return reverse("dashboard:notice-detail", kwargs={"pk": self.kwargs["pk"]})


class NoticeAcknowledgeAllView(NoticeAcknowledgeView):
    """全部签收: one button, one acknowledgement per organisation the user may sign for."""

    def post(self, request, pk):
        signed = services.notice_acknowledge_all(notice=self.get_notice(), by=request.user)
        messages.success(
            request,
            _("Receipt acknowledged for %(n)d organisations.") % {"n": len(signed)}
            if signed
            else _("Nothing left to acknowledge."),
        )
        return redirect(self.get_refusal_url())


class NoticeAttachView(NoticeObjectMixin, OfficePermissionMixin, View):
    permission_required = "campaigns.manage_notice"

    def post(self, request, pk):
        notice = self.get_notice()
        form = AttachmentForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.refused(ServiceError(_("Choose a file to attach.")))
        services.notice_attach(notice=notice, upload=form.cleaned_data["file"], by=request.user)
        messages.success(request, _("Attached."))
        return redirect(self.get_refusal_url())


class NoticeDetachView(NoticeObjectMixin, OfficePermissionMixin, View):
    permission_required = "campaigns.manage_notice"

    def post(self, request, pk, attachment_pk):
        attachment = get_object_or_404(NoticeAttachment, pk=attachment_pk, notice=self.get_notice())
        services.notice_detach(attachment=attachment, by=request.user)
        return redirect(self.get_refusal_url())


class NoticeAttachmentDownloadView(NoticeObjectMixin, OfficePermissionMixin, View):
    """Attachments are private files: only those who may read the notice may download them."""

    permission_required = "campaigns.view_notice"

    def get(self, request, pk, attachment_pk):
        attachment = get_object_or_404(NoticeAttachment, pk=attachment_pk, notice=self.get_notice())
        return file_response(
            request,
            attachment.file,
            content_type=attachment.content_type,
            filename=attachment.original_name,
            etag=f'"notice-attachment-{attachment.pk}"',
            cache_control="private, no-store",
            as_attachment=True,
        )


class NoticeBoardView(NoticeObjectMixin, OfficePermissionMixin, TemplateView):
    """The organiser's acknowledgement board: every recipient, acknowledged (who, when) or not
    (for how long), with "remind those who have not"."""

    template_name = "dashboard/notices/board.html"
    permission_required = "campaigns.view_acknowledgements"
    nav = "notices"

    def get_context_data(self, **kwargs):
        notice = self.get_notice()
        deliveries = list(deliveries_of(notice))
        show = self.request.GET.get("show", "")
        if show == "pending":
            deliveries = [d for d in deliveries if not d.is_acknowledged]
        elif show == "acknowledged":
            deliveries = [d for d in deliveries if d.is_acknowledged]
        return super().get_context_data(
            notice=notice,
            deliveries=deliveries,
            summary=acknowledgement_summary(notice),
            show=show,
            **kwargs,
        )
