"""Writes for organisations, memberships and invitations. Each is audited."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sciweek.audit import writer as audit
from sciweek.common.errors import PermissionRefused, ServiceError
from sciweek.common.validators import is_mobile, normalize_mobile
from sciweek.notifications.services import queue_email

from .access import access_for, forget_access
from .enums import InvitationState, OrganizationKind, Role
from .models import Contact, Invitation, Membership, Organization
from .workflow import INVITATION, InvitationAction

ORG_FIELDS = [
    "name", "short_name", "kind", "parent", "area_type", "division_code", "slug", "unit_type",
    "email", "phone", "address", "is_active",
]  # fmt: skip
INVITATION_DAYS = 14

# Which kinds may sit under which: the tree the notice describes.
ALLOWED_PARENTS: dict[str, set[str | None]] = {
    OrganizationKind.CITY_BUREAU: {None},
    OrganizationKind.CO_ORGANIZER: {OrganizationKind.CITY_BUREAU},
    OrganizationKind.CITY_DEPARTMENT: {OrganizationKind.CITY_BUREAU},
    OrganizationKind.AREA: {OrganizationKind.CITY_BUREAU},
    OrganizationKind.AREA_DEPARTMENT: {OrganizationKind.AREA},
    OrganizationKind.HOST_UNIT: {OrganizationKind.AREA, OrganizationKind.CITY_DEPARTMENT},
}


def _check_placement(org: Organization) -> None:
    parent_kind = org.parent.kind if org.parent_id else None
    if parent_kind not in ALLOWED_PARENTS[org.kind]:
        raise ServiceError(
            _("A %(kind)s cannot be placed under %(parent)s.")
            % {"kind": org.get_kind_display(), "parent": org.parent or _("the top level")},
            code="bad_parent",
        )
    if org.pk and org.parent_id and org.parent.is_within(org):
        raise ServiceError(_("An organisation cannot be moved under itself."), code="bad_parent")


def _check_authority(org: Organization, stored: Organization | None, by) -> None:
    """Organiser admins (and platform admins) place anything; an area admin only host units
    directly under their own area, and may not take over a unit from elsewhere. Checked here
    rather than only in forms so that every interface (pages, API, commands) is held to it."""
    from .rules import is_organizer_admin, is_platform_admin

    if by is None or is_platform_admin(by) or is_organizer_admin(by):
        return
    areas = access_for(by).area_ids(Role.ADMIN)

    def in_own_area(node: Organization | None, parent_id: int | None) -> bool:
        return (
            node is not None
            and node.kind == OrganizationKind.HOST_UNIT
            and parent_id is not None
            and parent_id in areas
        )

    allowed = in_own_area(org, org.parent_id) and (
        stored is None or in_own_area(stored, stored.parent_id)
    )
    if not allowed:
        raise PermissionRefused(
            _("You may only manage host units directly under your own area."),
            code="not_your_area",
        )


@transaction.atomic
def organization_save(*, organization: Organization, by) -> Organization:
    """Create or update an organisation after checking who may put it where in the tree.

    ``by=None`` is the system (demo loader, commands) and skips the authority check."""
    creating = organization.pk is None
    stored = None if creating else Organization.objects.get(pk=organization.pk)
    before = {} if creating else audit.snapshot(stored, ORG_FIELDS)
    _check_authority(organization, stored, by)
    _check_placement(organization)
    organization.full_clean(exclude=["path"])
    organization.save()
    audit.record(
        actor=by,
        action="organization.create" if creating else "organization.update",
        obj=organization,
        before=before,
        after=audit.snapshot(organization, ORG_FIELDS),
        organization_id=organization.pk,
    )
    return organization


@transaction.atomic
def membership_add(*, organization: Organization, user, role: str, by) -> Membership:
    membership, created = Membership.objects.get_or_create(
        organization=organization, user=user, role=role
    )
    if not created:
        raise ServiceError(
            _("%(user)s already has this role in %(org)s.") % {"user": user, "org": organization},
            code="membership_exists",
        )
    forget_access(user)
    audit.record(
        actor=by,
        action="membership.add",
        obj=membership,
        after={"user": user.username, "organization": organization.name, "role": role},
        organization_id=organization.pk,
    )
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership, by) -> None:
    """Remove a role. Refused when an administrator would remove their own last admin role of
    an organisation nobody else administers: the unit would be left without anyone to manage it."""
    if (
        membership.role == Role.ADMIN
        and by is not None
        and membership.user_id == getattr(by, "pk", None)
        and not Membership.objects.filter(
            organization_id=membership.organization_id, role=Role.ADMIN
        )
        .exclude(pk=membership.pk)
        .exists()
    ):
        raise ServiceError(
            _("You are the only administrator of %(org)s. Add another administrator first.")
            % {"org": membership.organization.name},
            code="last_admin",
        )
    audit.record(
        actor=by,
        action="membership.remove",
        obj=membership,
        before={
            "user": membership.user.username,
            "organization": membership.organization.name,
            "role": membership.role,
        },
        organization_id=membership.organization_id,
    )
    forget_access(membership.user)
    membership.delete()


@transaction.atomic
def invitation_create(
    *, organization: Organization, email: str, role: str, name: str = "", by
) -> Invitation:
    """Invite someone by email. Side effect: the invitation email with its one-time link."""
    email = email.strip().lower()
    if Invitation.objects.filter(
        organization=organization,
        email__iexact=email,
        role=role,
        state=InvitationState.PENDING,
        expires_at__gt=timezone.now(),
    ).exists():
        raise ServiceError(
            _("%(email)s already has an open invitation for this role.") % {"email": email},
            code="invitation_exists",
        )
    invitation = Invitation.objects.create(
        organization=organization,
        email=email,
        name=name,
        role=role,
        invited_by=by,
        expires_at=timezone.now() + timedelta(days=INVITATION_DAYS),
    )
    queue_email(
        kind="invitation",
        to=[email],
        template="organizations/email/invitation",
        context={"invitation": invitation, "days": INVITATION_DAYS},
    )
    audit.record(
        actor=by,
        action="invitation.create",
        obj=invitation,
        after={"email": email, "role": role, "organization": organization.name},
        organization_id=organization.pk,
    )
    return invitation


@transaction.atomic
def invitation_accept(*, invitation: Invitation, username: str, password: str, user=None):
    """Redeem an invitation: with ``user`` (signed in) add the role to that account, otherwise
    create an account with ``username``/``password``. The link works once."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    # Asked before the account is made; the move itself is made once the role is given.
    if problem := INVITATION.refusal(invitation, InvitationAction.ACCEPT, by=None):
        raise problem
    if user is None:
        User = get_user_model()
        if User.objects.filter(username__iexact=username).exists():
            raise ServiceError(_("That user name is taken."), code="username_taken")
        try:
            with transaction.atomic():
                user = User.objects.create_user(
                    username=username,
                    email=invitation.email,
                    password=password,
                    display_name=invitation.name,
                )
        except IntegrityError as exc:
            raise ServiceError(_("That user name is taken."), code="username_taken") from exc
    Membership.objects.get_or_create(
        organization=invitation.organization, user=user, role=invitation.role
    )
    forget_access(user)
    INVITATION.transition(
        invitation, InvitationAction.ACCEPT, by=user, changes={"accepted_by": user}, locked=True
    )
    return user


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, by) -> Invitation:
    """Revoke an open invitation (``workflow.INVITATION``); audit entry ``invitation.revoke``."""
    return INVITATION.transition(invitation, InvitationAction.REVOKE, by=by)


CONTACT_FIELDS = ["name", "post", "mobile", "email"]


@transaction.atomic
def contact_save(*, contact: Contact, by) -> Contact:
    """Add or change a contact person of ``contact.organization``. The mobile is stored as
    digits; a contact needs a mobile or an email, or nothing could ever reach them.

    Refusals: ``contact_name``, ``contact_mobile``, ``contact_unreachable``. Side effect: audit
    entry ``contact.create`` or ``contact.update``."""
    contact.name = (contact.name or "").strip()
    contact.post = (contact.post or "").strip()
    contact.email = (contact.email or "").strip()
    contact.mobile = normalize_mobile(contact.mobile or "")
    if not contact.name:
        raise ServiceError(_("Give the contact person's name."), code="contact_name")
    if contact.mobile and not is_mobile(contact.mobile):
        raise ServiceError(
            _("Enter an 11-digit mobile number, e.g. 13812345678."), code="contact_mobile"
        )
    if not contact.mobile and not contact.email:
        raise ServiceError(
            _("Give a mobile number or an email: notices reach a contact person through them."),
            code="contact_unreachable",
        )
    created = contact.pk is None
    before = {} if created else audit.snapshot(Contact.objects.get(pk=contact.pk), CONTACT_FIELDS)
    contact.save()
    audit.record(
        actor=by,
        action="contact.create" if created else "contact.update",
        obj=contact.organization,
        before=before,
        after=audit.snapshot(contact, CONTACT_FIELDS),
        object_repr=f"{contact.organization} · {contact.name}",
        organization_id=contact.organization_id,
    )
    return contact


@transaction.atomic
def contact_delete(*, contact: Contact, by) -> None:
    """Remove a contact person. Side effect: audit entry ``contact.delete``."""
    audit.record(
        actor=by,
        action="contact.delete",
        obj=contact.organization,
        before=audit.snapshot(contact, CONTACT_FIELDS),
        object_repr=f"{contact.organization} · {contact.name}",
        organization_id=contact.organization_id,
    )
    contact.delete()
