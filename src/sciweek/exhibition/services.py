"""The only writers of the ceremony, its guests and exhibits. Each runs in one transaction,
checks who asks, saves, writes the audit entry and queues its messages in the outbox."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from sciweek.audit import writer as audit
from sciweek.common.errors import PermissionRefused, ServiceError
from sciweek.common.masking import mask_name
from sciweek.common.validators import is_mobile, normalize_mobile
from sciweek.notifications.services import queue_email, queue_sms
from sciweek.organizations.selectors import member_emails

from .enums import ORGANISER_ONLY_KINDS, ExhibitAction, ExhibitState, GuestAction, GuestState
from .models import Ceremony, Exhibit, Guest, GuestCategory, Quota
from .workflow import EXHIBIT, GUEST

CEREMONY_FIELDS = (
    "title", "venue", "sub_venue", "starts_at", "ends_at", "livestream_url", "rsvp_deadline",
    "exhibit_deadline", "booth_count", "activity",
)  # fmt: skip
EXHIBIT_FIELDS = (
    "title", "unit_name", "field", "strategy", "description", "space_sqm", "needs_power",
    "needs_network", "interactive_demo", "confidentiality_checked",
)  # fmt: skip


def _require(by, permission: str, obj=None, message: str = "") -> None:
    if by is None or not by.has_perm(permission, obj):
        raise PermissionRefused(message or _("You may not do this."))


def _field_error(field: str, message: str, code: str) -> ServiceError:
    return ServiceError({field: [ValidationError(message, code=code)]})


# --- the ceremony -------------------------------------------------------------------------


@transaction.atomic
def ceremony_save(*, edition, by, ceremony: Ceremony | None = None, **fields) -> Ceremony:
    """Create the edition's ceremony or change it. One per edition."""
    _require(by, "exhibition.manage_ceremony")
    unknown = set(fields) - set(CEREMONY_FIELDS)
    assert not unknown, unknown
    if (
        fields.get("starts_at")
        and fields.get("ends_at")
        and fields["ends_at"] <= fields["starts_at"]
    ):
        raise _field_error("ends_at", _("The end must be after the start."), "ends_before_start")
    if ceremony is None:
        if Ceremony.objects.filter(edition=edition).exists():
            raise ServiceError(_("This edition has its ceremony already."), code="ceremony_exists")
        ceremony = Ceremony(edition=edition)
        before = {}
    else:
        before = audit.snapshot(ceremony, CEREMONY_FIELDS)
    for name, value in fields.items():
        setattr(ceremony, name, value)
    ceremony.save()
    audit.record(
        actor=by, action="ceremony.save", obj=ceremony, before=before,
        after=audit.snapshot(ceremony, CEREMONY_FIELDS),
    )  # fmt: skip
    return ceremony


@transaction.atomic
def categories_set(*, ceremony: Ceremony, places: dict[str, int], by) -> list[GuestCategory]:
    """Set the place count of each guest category (creating the categories named)."""
    _require(by, "exhibition.manage_ceremony")
    result = []
    for order, (kind, count) in enumerate(places.items()):
        if count is None or count < 0:
            raise _field_error(kind, _("A number of places, 0 or more."), "invalid_places")
        named = Guest.objects.filter(ceremony=ceremony, category__kind=kind).count()
        if count < named:
            raise _field_error(
                kind,
                _("%(n)d people are named in this category already.") % {"n": named},
                "below_named",
            )
        category, _created = GuestCategory.objects.update_or_create(
            ceremony=ceremony, kind=kind, defaults={"places": count, "order": order}
        )
        result.append(category)
    audit.record(actor=by, action="ceremony.save", obj=ceremony, after={"places": places})
    return result


@transaction.atomic
def quota_set(*, ceremony: Ceremony, area, category: GuestCategory, places: int, by) -> Quota:
    """How many people of ``category`` ``area`` sends. Refused below the people it has named,
    or when the areas' quotas would pass the category's places."""
    _require(by, "exhibition.manage_ceremony")
    if not area.is_area:
        raise ServiceError(_("Quotas are given to areas."), code="not_an_area")
    if category.kind in ORGANISER_ONLY_KINDS:
        raise ServiceError(
            _("Leaders are invited by the organiser, not named by areas."), code="organiser_only"
        )
    if places < 0:
        raise _field_error("places", _("A number of places, 0 or more."), "invalid_places")
    GuestCategory.objects.select_for_update().get(pk=category.pk)  # serialises quota changes
    named = Guest.objects.filter(ceremony=ceremony, area=area, category=category).count()
    if places < named:
        raise _field_error(
            "places",
            _("The area has named %(n)d people in this category already.") % {"n": named},
            "below_named",
        )
    others = (
        Quota.objects.filter(category=category).exclude(area=area).aggregate(s=Sum("places"))["s"]
        or 0
    )
    if others + places > category.places:
        raise _field_error(
            "places",
            _("Only %(n)d places of this category are left to give.")
            % {"n": category.places - others},
            "over_category",
        )
    quota, _created = Quota.objects.update_or_create(
        ceremony=ceremony, area=area, category=category, defaults={"places": places}
    )
    audit.record(
        actor=by, action="ceremony.quota", obj=ceremony, organization_id=area.pk,
        after={"area": area.name, "category": category.kind, "places": places},
    )  # fmt: skip
    return quota


# --- guests ---------------------------------------------------------------------------------


def _invite(guest: Guest) -> None:
    queue_sms(
        kind="guest.invitation",
        to=[guest.mobile],
        template="exhibition/sms/invitation",
        context={"guest": guest, "ceremony": guest.ceremony},
    )


@transaction.atomic
def guest_add(
    *,
    ceremony: Ceremony,
    category: GuestCategory,
    by,
    name: str,
    organization_name: str,
    mobile: str,
    post: str = "",
    teacher: str = "",
    area=None,
    seat_order: int = 100,
) -> Guest:
    """Name a guest: the organiser names anyone (leaders only by the organiser); an area names
    the people of its delegation, within its quota. Sends the invitation (SMS, with the personal
    RSVP link)."""
    if area is None:
        _require(by, "exhibition.manage_ceremony")
    else:
        _require(by, "exhibition.fill_delegation", area)
        if category.kind in ORGANISER_ONLY_KINDS:
            raise ServiceError(
                _("Leaders are invited by the organiser, not named by areas."),
                code="organiser_only",
            )
        if not ceremony.rsvp_open:
            raise ServiceError(_("The deadline for answers has passed."), code="rsvp_closed")
    errors = {}
    name, organization_name = (name or "").strip(), (organization_name or "").strip()
    if not name:
        errors["name"] = [ValidationError(_("Enter the guest's name."), code="required")]
    if not organization_name:
        errors["organization_name"] = [
            ValidationError(_("Enter the organisation or school."), code="required")
        ]
    if not is_mobile(mobile or ""):
        errors["mobile"] = [
            ValidationError(_("Enter an 11-digit mobile number, e.g. 13812345678."),
                            code="invalid_mobile")
        ]  # fmt: skip
    if category.is_student and area is not None and not (teacher or "").strip():
        errors["teacher"] = [
            ValidationError(_("Students come with a teacher in charge: name them."),
                            code="teacher_required")
        ]  # fmt: skip
    if errors:
        raise ServiceError(errors)
    if area is not None:
        quota = Quota.objects.select_for_update().filter(area=area, category=category).first()
        if quota is None:
            raise ServiceError(_("Your area has no quota in this category."), code="no_quota")
        named = Guest.objects.filter(area=area, category=category).count()
        if named >= quota.places:
            raise ServiceError(
                _("Your quota of %(n)d in this category is filled.") % {"n": quota.places},
                code="quota_full",
            )
    else:
        GuestCategory.objects.select_for_update().get(pk=category.pk)
        if Guest.objects.filter(category=category).count() >= category.places:
            raise ServiceError(_("This category has no place left."), code="category_full")
    guest = Guest(
        ceremony=ceremony, category=category, area=area, name=name,
        organization_name=organization_name, post=(post or "").strip(),
        mobile=normalize_mobile(mobile), teacher=(teacher or "").strip(), seat_order=seat_order,
        added_by=by,
    )  # fmt: skip
    GUEST.start(guest)
    guest.save()
    audit.record(
        actor=by, action="guest.add", obj=guest, object_repr=mask_name(name),
        organization_id=area.pk if area else None,
        after={"category": category.kind, "area": area.name if area else ""},
    )  # fmt: skip
    _invite(guest)
    return guest


@transaction.atomic
def guest_remove(*, guest: Guest, by) -> None:
    if guest.area_id is None:
        _require(by, "exhibition.manage_ceremony")
    else:
        _require(by, "exhibition.fill_delegation", guest.area)
    if guest.is_checked_in:
        raise ServiceError(_("This guest has arrived already."), code="already_arrived")
    audit.record(
        actor=by, action="guest.remove", obj=guest.ceremony, object_repr=guest.masked_name,
        organization_id=guest.area_id, before={"category": guest.category.kind},
    )  # fmt: skip
    guest.delete()


def guest_answer(
    *, guest: Guest, action: str, substitute_name: str = "", substitute_post: str = "",
    substitute_mobile: str = "",
) -> Guest:  # fmt: skip
    """The guest's answer by the personal link (no account): attend, decline, or send a named
    substitute. Changeable until the deadline. Attending sends the invitation QR by SMS."""
    changes = {"substitute_name": "", "substitute_post": "", "substitute_mobile": ""}
    if action == GuestAction.SUBSTITUTE:
        errors = {}
        if not (substitute_name or "").strip():
            errors["substitute_name"] = [
                ValidationError(_("Enter the substitute's name."), code="required")
            ]
        if not is_mobile(substitute_mobile or ""):
            errors["substitute_mobile"] = [
                ValidationError(_("Enter an 11-digit mobile number, e.g. 13812345678."),
                                code="invalid_mobile")
            ]  # fmt: skip
        if errors:
            raise ServiceError(errors)
        changes = {
            "substitute_name": substitute_name.strip(),
            "substitute_post": (substitute_post or "").strip(),
            "substitute_mobile": normalize_mobile(substitute_mobile),
        }
    if action == GuestAction.CHECK_IN:
        raise ServiceError(_("Unknown action “%(action)s”.") % {"action": action},
                           code="unknown_action")  # fmt: skip
    return GUEST.transition(guest, action, by=None, changes=changes)


def guest_locked_by_code(code: str) -> Guest | None:
    """The guest whose invitation QR carries ``code``, its row locked (the gate's transaction)."""
    return (
        Guest.objects.select_for_update(of=("self",))
        .select_related("ceremony", "category", "area")
        .filter(code=code)
        .first()
    )


def guest_check_in(*, guest: Guest, by) -> Guest:
    """Mark a confirmed guest arrived. Called by the gate's check-in (bookings.services.check_in)
    under its lock, after it has decided the code belongs at this gate, now."""
    return GUEST.transition(
        guest, GuestAction.CHECK_IN, by=by, changes={"checked_in_by": by}, locked=True
    )


def remind_guest(guest: Guest) -> None:
    """Queue one RSVP reminder with the personal link, on the channel the invitee has (a guest
    is named with a mobile number only, so SMS). The manual and the automatic reminders both
    send it."""
    queue_sms(
        kind="guest.reminder", to=[guest.mobile], template="exhibition/sms/reminder",
        context={"guest": guest, "ceremony": guest.ceremony},
    )  # fmt: skip


@transaction.atomic
def guests_remind(*, ceremony: Ceremony, by, category=None, area=None) -> int:
    """Remind those who have not answered (of a category or an area, or all). Returns how many."""
    _require(by, "exhibition.remind_guests")
    silent = Guest.objects.select_for_update().filter(ceremony=ceremony, state=GuestState.INVITED)
    if category is not None:
        silent = silent.filter(category=category)
    if area is not None:
        silent = silent.filter(area=area)
    guests = list(silent.select_related("ceremony"))
    for guest in guests:
        remind_guest(guest)
    Guest.objects.filter(pk__in=[g.pk for g in guests]).update(reminded_at=timezone.now())
    audit.record(actor=by, action="ceremony.remind", obj=ceremony, after={"reminded": len(guests)})
    return len(guests)


@transaction.atomic
def quotas_remind(*, ceremony: Ceremony, by) -> int:
    """Email every area that has not named its whole delegation. Returns how many areas."""
    _require(by, "exhibition.remind_guests")
    from .selectors import board

    behind = [row for row in board(ceremony)["areas"] if row.named < row.quota]
    for row in behind:
        queue_email(
            kind="ceremony.quota_reminder", to=member_emails([row.area]),
            template="exhibition/email/quota_reminder",
            context={"ceremony": ceremony, "area": row.area, "quota": row.quota,
                     "named": row.named},
        )  # fmt: skip
    audit.record(
        actor=by, action="ceremony.quota_remind", obj=ceremony,
        after={"areas": [row.area.name for row in behind]},
    )  # fmt: skip
    return len(behind)


# --- exhibits -------------------------------------------------------------------------------


def _clean_exhibit(fields: dict) -> dict:
    errors = {}
    for required in ("title", "unit_name", "field", "description"):
        if required in fields and not str(fields[required] or "").strip():
            errors[required] = [ValidationError(_("This field is required."), code="required")]
    if errors:
        raise ServiceError(errors)
    return {k: v.strip() if isinstance(v, str) else v for k, v in fields.items()}


@transaction.atomic
def exhibit_create(*, ceremony: Ceremony, submitter, by, **fields) -> Exhibit:
    """A draft exhibit of ``submitter`` (an area or a city department the user speaks for)."""
    from .selectors import submitters_for

    if by is None or not submitters_for(by).filter(pk=submitter.pk).exists():
        raise PermissionRefused(_("You may not submit exhibits for this organisation."))
    if not ceremony.exhibits_open:
        raise ServiceError(_("The call for exhibits has closed."), code="exhibits_closed")
    assert set(fields) <= set(EXHIBIT_FIELDS), set(fields) - set(EXHIBIT_FIELDS)
    exhibit = Exhibit(ceremony=ceremony, submitter=submitter, created_by=by,
                      **_clean_exhibit(fields))  # fmt: skip
    EXHIBIT.start(exhibit)
    exhibit.save()
    audit.record(
        actor=by, action="exhibit.create", obj=exhibit, organization_id=submitter.pk,
        after=audit.snapshot(exhibit, EXHIBIT_FIELDS),
    )  # fmt: skip
    return exhibit


@transaction.atomic
def exhibit_update(*, exhibit: Exhibit, by, **fields) -> Exhibit:
    _require(by, "exhibition.change_exhibit", exhibit,
             _("You may not do this with this exhibit."))  # fmt: skip
    exhibit = Exhibit.objects.select_for_update().get(pk=exhibit.pk)
    if not exhibit.is_editable:
        raise ServiceError(
            _("Only a draft or a returned exhibit can be changed."), code="not_editable"
        )
    assert set(fields) <= set(EXHIBIT_FIELDS), set(fields) - set(EXHIBIT_FIELDS)
    before = audit.snapshot(exhibit, EXHIBIT_FIELDS)
    for name, value in _clean_exhibit(fields).items():
        setattr(exhibit, name, value)
    exhibit.save()
    audit.record(
        actor=by, action="exhibit.update", obj=exhibit, organization_id=exhibit.submitter_id,
        before=before, after=audit.snapshot(exhibit, EXHIBIT_FIELDS),
    )  # fmt: skip
    return exhibit


def _next_booth(ceremony: Ceremony) -> str:
    taken = set(
        Exhibit.objects.filter(ceremony=ceremony).exclude(booth_number="")
        .values_list("booth_number", flat=True)
    )  # fmt: skip
    n = 1
    while f"A{n:02d}" in taken:
        n += 1
    return f"A{n:02d}"


def exhibit_transition(*, exhibit: Exhibit, action: str, by, reason: str = "") -> Exhibit:
    """Submit (the submitter), select with the next free booth, return or decline with a reason
    (the city). The submitter's members are emailed the decision."""
    changes = None
    with transaction.atomic():
        if action == ExhibitAction.SELECT:
            # Booths are numbered under the ceremony's lock, so two selections never share one.
            Ceremony.objects.select_for_update().get(pk=exhibit.ceremony_id)
            changes = {"booth_number": _next_booth(exhibit.ceremony)}
        elif action in (ExhibitAction.RETURN, ExhibitAction.DECLINE):
            changes = {"booth_number": ""}
        return EXHIBIT.transition(exhibit, action, by=by, reason=reason, changes=changes)


__all__ = [
    "ExhibitState",
    "categories_set",
    "ceremony_save",
    "exhibit_create",
    "exhibit_transition",
    "exhibit_update",
    "guest_add",
    "guest_answer",
    "guest_check_in",
    "guest_remove",
    "guests_remind",
    "quota_set",
    "quotas_remind",
    "remind_guest",
]
