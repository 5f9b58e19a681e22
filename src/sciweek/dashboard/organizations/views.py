"""Organisation management: the tree, an organisation's page with its members and invitations,
and the create/edit form. Every write goes through :mod:`sciweek.organizations.services`."""

from django.contrib import messages
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView, TemplateView

from sciweek.organizations import services
from sciweek.organizations.enums import InvitationState, OrganizationKind
from sciweek.organizations.forms import (
    ContactForm,
    InvitationForm,
    MembershipAddForm,
    OrganizationFilterForm,
    OrganizationForm,
    parent_checker,
)
from sciweek.organizations.models import Organization
from sciweek.organizations.selectors import members_of, organizations_visible_to

from ..mixins import OfficePermissionMixin


class OrganizationObjectMixin:
    """Fetches the organisation from the URL among those the user may see: any other answers
    404, so the page does not confirm that it exists."""

    def get_organization(self) -> Organization:
        if not hasattr(self, "_organization"):
            self._organization = get_object_or_404(
                organizations_visible_to(self.request.user), pk=self.kwargs["pk"]
            )
        return self._organization

    def get_permission_object(self):
        return self.get_organization()

    def get_refusal_url(self):
        return reverse("dashboard:organization-detail", kwargs={"pk": self.kwargs["pk"]})


class OrganizationListView(OfficePermissionMixin, ListView):
    """The tree in path order (a pre-order walk), filtered by kind, area and name."""

    template_name = "dashboard/organizations/list.html"
    context_object_name = "organizations"
    paginate_by = 20
    permission_required = "organizations.view_organization_tree"
    nav = "organizations"

    def get_filter_form(self) -> OrganizationFilterForm:
        if not hasattr(self, "_filter_form"):
            areas = (
                organizations_visible_to(self.request.user)
                .filter(kind=OrganizationKind.AREA)
                .order_by("path")
            )
            self._filter_form = OrganizationFilterForm(self.request.GET or None, areas=areas)
        return self._filter_form

    def get_queryset(self):
        qs = (
            organizations_visible_to(self.request.user)
            .annotate(member_count=Count("memberships", distinct=True))
            .order_by("path")
        )
        form = self.get_filter_form()
        if form.is_bound and form.is_valid():
            data = form.cleaned_data
            if data["kind"]:
                qs = qs.filter(kind=data["kind"])
            if data["area"]:
                qs = qs.filter(area=data["area"])
            if data["q"]:
                qs = qs.filter(Q(name__icontains=data["q"]) | Q(short_name__icontains=data["q"]))
        return qs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(filter_form=self.get_filter_form(), **kwargs)
        may_add_under = parent_checker(self.request.user)
        for org in context["organizations"]:
            org.can_add_under = may_add_under(org)
        return context


class OrganizationEditView(OfficePermissionMixin, TemplateView):
    """Create (``/new/``, optionally ``?parent=<id>``) or edit an organisation."""

    template_name = "dashboard/organizations/form.html"
    nav = "organizations"

    def get_permission_required(self):
        if "pk" in self.kwargs:
            return ["organizations.change_organization"]
        return ["organizations.add_organization"]

    def get_permission_object(self):
        return self.get_organization() if "pk" in self.kwargs else None

    def get_organization(self) -> Organization:
        if "pk" not in self.kwargs:
            return Organization()
        if not hasattr(self, "_organization"):
            self._organization = get_object_or_404(
                organizations_visible_to(self.request.user), pk=self.kwargs["pk"]
            )
        return self._organization

    def get_form(self, data=None) -> OrganizationForm:
        organization = self.get_organization()
        initial = {}
        if not organization.pk and self.request.GET.get("parent", "").isdigit():
            initial["parent"] = int(self.request.GET["parent"])
        return OrganizationForm(
            data, instance=organization, initial=initial, user=self.request.user
        )

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", self.get_form())
        organization = self.get_organization()
        if organization.pk:
            # The form may have written unsaved input onto the instance; headings show what is stored.
            organization = Organization.objects.get(pk=organization.pk)
        return super().get_context_data(organization=organization, **kwargs)

    def post(self, request, *args, **kwargs):
        form = self.get_form(request.POST)
        self.refusing(form)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        organization = services.organization_save(
            organization=form.save(commit=False), by=request.user
        )
        messages.success(request, _("The organisation has been saved."))
        return redirect("dashboard:organization-detail", pk=organization.pk)


class OrganizationDetailView(OrganizationObjectMixin, OfficePermissionMixin, TemplateView):
    """One organisation: its facts, the units under it, its members and open invitations, and
    the forms to invite someone or add an existing account."""

    template_name = "dashboard/organizations/detail.html"
    permission_required = "organizations.view_organization"
    nav = "organizations"

    def get_context_data(self, **kwargs):
        organization = self.get_organization()
        kwargs.setdefault("invitation_form", InvitationForm())
        kwargs.setdefault("member_form", MembershipAddForm())
        kwargs.setdefault("contact_form", ContactForm(prefix="contact"))
        return super().get_context_data(
            organization=organization,
            children=list(
                organizations_visible_to(self.request.user)
                .filter(parent=organization)
                .order_by("path")
            ),
            members=list(members_of(organization)),
            contacts=list(organization.contacts.all()),
            invitations=list(
                organization.invitations.filter(state=InvitationState.PENDING)
                .select_related("invited_by")
                .order_by("-created_at")
            ),
            **kwargs,
        )


class _MemberFormView(OrganizationDetailView):
    """POST handlers that share the detail page: a refusal re-renders it with the form and
    what was typed, status 400."""

    permission_required = "organizations.manage_members"
    form_class = None
    form_context_name = ""

    def get(self, request, *args, **kwargs):
        return redirect("dashboard:organization-detail", pk=self.kwargs["pk"])

    def post(self, request, *args, **kwargs):
        form = self.form_class(request.POST)
        self.refusing(form)
        if not form.is_valid():
            return self.refused_form(form)
        messages.success(request, self.act(form))
        return redirect("dashboard:organization-detail", pk=self.kwargs["pk"])

    def refused_form(self, form, status=400):
        context = self.get_context_data(**{self.form_context_name: form})
        return self.render_to_response(context, status=status)

    def refusal_response(self, exc):
        return self.refused_form(self.refusal_form, self.refusal_status(exc))


class InvitationCreateView(_MemberFormView):
    form_class = InvitationForm
    form_context_name = "invitation_form"

    def act(self, form) -> str:
        invitation = services.invitation_create(
            organization=self.get_organization(),
            email=form.cleaned_data["email"],
            name=form.cleaned_data["name"],
            role=form.cleaned_data["role"],
            by=self.request.user,
        )
        return _("An invitation has been emailed to %(email)s.") % {"email": invitation.email}


class MembershipAddView(_MemberFormView):
    form_class = MembershipAddForm
    form_context_name = "member_form"

    def act(self, form) -> str:
        membership = services.membership_add(
            organization=self.get_organization(),
            user=form.account,
            role=form.cleaned_data["role"],
            by=self.request.user,
        )
        return _("%(user)s is now %(role)s here.") % {
            "user": membership.user,
            "role": membership.get_role_display(),
        }


class MembershipRemoveView(OrganizationObjectMixin, OfficePermissionMixin, View):
    permission_required = "organizations.manage_members"

    def post(self, request, pk, membership_pk):
        organization = self.get_organization()
        membership = get_object_or_404(
            organization.memberships.select_related("user", "organization"), pk=membership_pk
        )
        services.membership_remove(membership=membership, by=request.user)
        messages.success(
            request,
            _("%(user)s no longer holds the role %(role)s here.")
            % {"user": membership.user, "role": membership.get_role_display()},
        )
        return redirect(self.get_refusal_url())


class InvitationRevokeView(OrganizationObjectMixin, OfficePermissionMixin, View):
    permission_required = "organizations.manage_members"

    def post(self, request, pk, invitation_pk):
        invitation = get_object_or_404(self.get_organization().invitations.all(), pk=invitation_pk)
        services.invitation_revoke(invitation=invitation, by=request.user)
        messages.success(
            request, _("The invitation to %(email)s was revoked.") % {"email": invitation.email}
        )
        return redirect(self.get_refusal_url())


class ContactAddView(_MemberFormView):
    """Add a contact person from the organisation's page (the form under its contacts)."""

    permission_required = "organizations.manage_contacts"
    form_context_name = "contact_form"

    def form_class(self, data):
        return ContactForm(data, prefix="contact")

    def act(self, form) -> str:
        contact = form.save(commit=False)
        contact.organization = self.get_organization()
        services.contact_save(contact=contact, by=self.request.user)
        return _("%(name)s is now a contact person here.") % {"name": contact.name}


class ContactEditView(OrganizationObjectMixin, OfficePermissionMixin, TemplateView):
    """Change one contact person, on a page of its own."""

    template_name = "dashboard/organizations/contact_form.html"
    permission_required = "organizations.manage_contacts"
    nav = "organizations"

    def get_contact(self):
        return get_object_or_404(
            self.get_organization().contacts.all(), pk=self.kwargs["contact_pk"]
        )

    def get_refusal_url(self):
        return self.request.path

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", ContactForm(instance=self.get_contact()))
        return super().get_context_data(
            organization=self.get_organization(), contact=self.get_contact(), **kwargs
        )

    def post(self, request, *args, **kwargs):
        form = ContactForm(request.POST, instance=self.get_contact())
        self.refusing(form)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        services.contact_save(contact=form.save(commit=False), by=request.user)
        messages.success(request, _("The contact person is saved."))
        return redirect("dashboard:organization-detail", pk=self.kwargs["pk"])


class ContactDeleteView(OrganizationObjectMixin, OfficePermissionMixin, View):
    permission_required = "organizations.manage_contacts"

    def post(self, request, pk, contact_pk):
        contact = get_object_or_404(self.get_organization().contacts.all(), pk=contact_pk)
        services.contact_delete(contact=contact, by=request.user)
        messages.success(
            request, _("%(name)s is no longer a contact person here.") % {"name": contact.name}
        )
        return redirect(self.get_refusal_url())
