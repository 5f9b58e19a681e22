"""Forms for the organisation pages of the back office. They only collect input: placement and
authority are decided by :mod:`.services`, which every interface calls."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from sciweek.common.forms import BootstrapMixin

from .access import access_for
from .enums import OrganizationKind, Role
from .models import Contact, Organization
from .rules import is_organizer_admin, is_platform_admin
from .services import ALLOWED_PARENTS


def _may_shape_tree(user) -> bool:
    return bool(is_platform_admin(user) or is_organizer_admin(user))


def parent_checker(user):
    """A test "may ``user`` create something under this organisation?", for "add under" links;
    the service decides for real when the form is sent."""
    if _may_shape_tree(user):
        kinds = {kind for parents in ALLOWED_PARENTS.values() for kind in parents if kind}
        return lambda org: org.kind in kinds
    areas = access_for(user).area_ids(Role.ADMIN)
    return lambda org: org.kind == OrganizationKind.AREA and org.pk in areas


class TreeChoiceField(forms.ModelChoiceField):
    """Organisations in tree order, indented so the hierarchy shows inside a plain select."""

    def label_from_instance(self, obj: Organization) -> str:
        return f"{'— ' * max(obj.depth, 0)}{obj.name}"


class OrganizationForm(BootstrapMixin, forms.ModelForm):
    """Create or edit an organisation. An area admin gets a narrower form: the kind is fixed to
    host unit and the parent can only be one of their own areas."""

    class Meta:
        model = Organization
        fields = [
            "name", "short_name", "kind", "parent", "area_type", "division_code", "slug",
            "unit_type", "email", "phone", "address", "is_active",
        ]  # fmt: skip
        field_classes = {"parent": TreeChoiceField}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        parents = Organization.objects.order_by("path")
        if _may_shape_tree(user):
            if self.instance.pk:
                # Moving a node under itself or its own descendants would cut it off the tree.
                parents = parents.exclude(path__startswith=self.instance.path)
        else:
            parents = parents.filter(
                kind=OrganizationKind.AREA, pk__in=access_for(user).area_ids(Role.ADMIN)
            )
            self.instance.kind = OrganizationKind.HOST_UNIT
            self.fields["kind"].disabled = True
            self.initial["kind"] = OrganizationKind.HOST_UNIT
            self.fields["parent"].required = True
            # Most area admins hold one area: it is the only sensible parent, so start there.
            self.fields["parent"].empty_label = None
            # Area fields describe areas; a host unit has no use for them.
            del self.fields["area_type"]
            del self.fields["division_code"]
        self.fields["parent"].queryset = parents

    def clean_slug(self):
        # The database constraint is conditional (blank codes may repeat), and Django reports a
        # conditional constraint only by its name; say it in words, beside the field.
        slug = self.cleaned_data["slug"]
        if slug and Organization.objects.filter(slug=slug).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(
                _("Another organisation already uses this short code."), code="slug_taken"
            )
        return slug


class OrganizationFilterForm(BootstrapMixin, forms.Form):
    """The filters above the organisation tree; read from the query string."""

    q = forms.CharField(label=_("Name"), required=False, max_length=100)
    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=[("", _("All kinds")), *OrganizationKind.choices],
    )
    area = forms.ModelChoiceField(
        label=_("Area"),
        required=False,
        queryset=Organization.objects.none(),
        empty_label=_("All areas"),
    )

    def __init__(self, *args, areas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas


class InvitationForm(BootstrapMixin, forms.Form):
    email = forms.EmailField(label=_("Email"), max_length=254)
    name = forms.CharField(label=_("Name"), max_length=100, required=False)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.EDITOR)


class MembershipAddForm(BootstrapMixin, forms.Form):
    """Give an existing account a role here, by its user name."""

    username = forms.CharField(label=_("User name"), max_length=150)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.EDITOR)

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        user = get_user_model().objects.filter(username__iexact=username, is_active=True).first()
        if user is None:
            raise forms.ValidationError(
                _("No active account has the user name %(name)s."),
                code="no_such_user",
                params={"name": username},
            )
        self.account = user
        return username


class ContactForm(BootstrapMixin, forms.ModelForm):
    """A contact person; the service checks the mobile and that one channel is given."""

    class Meta:
        model = Contact
        fields = ["name", "post", "mobile", "email"]
