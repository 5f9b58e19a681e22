import secrets

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sciweek.common.models import TimeStampedModel

from .enums import AreaType, InvitationState, OrganizationKind, Role, UnitType


class OrganizationQuerySet(models.QuerySet):
    def areas(self):
        return self.filter(kind=OrganizationKind.AREA)

    def active(self):
        return self.filter(is_active=True)

    def subtree_of(self, org: "Organization"):
        """The organisation and everything below it."""
        return self.filter(path__startswith=org.path)


class Organization(TimeStampedModel):
    """A node in the tree: city bureau → areas → their departments and host units; city
    departments and co-organisers hang off the city bureau.

    ``path`` (materialised ids, ``/1/4/17/``) makes "everything under X" a prefix match, and
    ``area`` (the nearest area at or above this node) is kept on the row because nearly every
    permission and statistic asks "which area is this in?".
    """

    name = models.CharField(_("name"), max_length=120)
    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=OrganizationKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(max_length=255, editable=False, db_index=True, default="")
    area = models.ForeignKey(
        "self",
        verbose_name=_("area"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
    )
    area_type = models.CharField(
        _("area type"), max_length=10, choices=AreaType.choices, blank=True
    )
    division_code = models.CharField(
        _("division code (GB/T 2260)"),
        max_length=6,
        blank=True,
        validators=[RegexValidator(r"^\d{6}$", _("A division code has 6 digits."))],
    )
    slug = models.SlugField(
        _("short code"),
        max_length=40,
        blank=True,
        help_text=_("Used in web addresses, e.g. zhangdian."),
    )
    unit_type = models.CharField(
        _("unit type"), max_length=20, choices=UnitType.choices, blank=True
    )
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    objects = OrganizationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="org_unique_name_per_parent"),
            models.UniqueConstraint(
                fields=["slug"], condition=~models.Q(slug=""), name="org_unique_slug"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        # path and area depend on the primary key, known only after the first insert.
        old_path = self.path
        # Zero-padded so that ordering by path is tree order with siblings in creation order.
        path = f"{self.parent.path if self.parent_id else '/'}{self.pk:07d}/"
        area_id = (
            self.pk
            if self.kind == OrganizationKind.AREA
            else (self.parent.area_id if self.parent_id else None)
        )
        if path != old_path or area_id != self.area_id:
            type(self).objects.filter(pk=self.pk).update(path=path, area_id=area_id)
            self.path, self.area_id = path, area_id
            if old_path:
                # A move: every node below follows with its new path and, where inherited, area.
                for child in type(self).objects.filter(parent=self):
                    child.save()

    @property
    def depth(self) -> int:
        return self.path.count("/") - 2

    def is_within(self, other: "Organization") -> bool:
        return self.path.startswith(other.path)

    @property
    def is_area(self) -> bool:
        return self.kind == OrganizationKind.AREA


class Membership(TimeStampedModel):
    """A user holds a role in an organisation. One user may hold several."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organization", "role"], name="membership_unique_role"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.organization} · {self.get_role_display()}"


class Contact(TimeStampedModel):
    """A contact person of an organisation besides its members: notices, reminders and review
    decisions reach them by email and SMS although they have no account."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="contacts"
    )
    name = models.CharField(_("full name"), max_length=100)
    post = models.CharField(_("post"), max_length=100, blank=True)
    mobile = models.CharField(_("mobile"), max_length=20, blank=True)
    email = models.EmailField(_("email"), blank=True)

    class Meta:
        verbose_name = _("contact person")
        verbose_name_plural = _("contact people")
        ordering = ["organization", "id"]

    def __str__(self) -> str:
        return f"{self.name} · {self.organization}"


def _new_invitation_token() -> str:
    return secrets.token_urlsafe(32)


class Invitation(TimeStampedModel):
    """An email invitation to join an organisation in a role, redeemed once through its link."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(_("email"))
    name = models.CharField(_("full name"), max_length=100, blank=True)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    token = models.CharField(
        max_length=64, unique=True, default=_new_invitation_token, editable=False
    )
    state = models.CharField(
        _("state"), max_length=10, choices=InvitationState.choices, default=InvitationState.PENDING
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    expires_at = models.DateTimeField(_("expires at"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} → {self.organization}"

    @property
    def is_usable(self) -> bool:
        return self.state == InvitationState.PENDING and self.expires_at > timezone.now()
