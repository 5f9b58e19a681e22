"""Writes for editions and notices. Each runs in one transaction, writes its audit entry and
queues its mail for after the commit."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sciweek.audit import writer as audit
from sciweek.common.errors import PermissionRefused, ServiceError
from sciweek.common.events import emit
from sciweek.common.uploads import check_document
from sciweek.organizations.access import OFFICE_ROLES, access_for
from sciweek.organizations.enums import OrganizationKind
from sciweek.organizations.models import Organization

from .delivery import reach
from .enums import EditionStatus, NoticeAction, NoticeStatus
from .models import BasisDocument, Edition, FocusArea, Notice, NoticeAttachment, NoticeRecipient
from .signals import edition_created
from .workflow import EDITION, NOTICE

# The fair-use rules of bookings (bookings.fair_use), copied to next year's edition.
FAIR_USE_FIELDS = ("no_show_limit", "no_show_window_days", "no_show_block_days",
                   "one_session_per_day")  # fmt: skip
EDITION_FIELDS = [
    "year",
    "title",
    "theme",
    "start_date",
    "end_date",
    "summary_deadline",
    "receiving_section",
    "receiving_email",
    "booker_sms_always",
    *FAIR_USE_FIELDS,
    "status",
]
NOTICE_FIELDS = ["title", "document_number", "body", "status"]


def _shift_year(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February into a common year
        return day.replace(year=day.year + years, day=28)


@transaction.atomic
def edition_save(*, edition: Edition, by) -> Edition:
    """Create or update an edition (already validated by its form or serializer). A new edition
    without an organiser is the city bureau's. Audited."""
    creating = edition.pk is None
    if edition.organizer_id is None:
        edition.organizer = Organization.objects.filter(kind=OrganizationKind.CITY_BUREAU).first()
    before = {} if creating else audit.snapshot(Edition.objects.get(pk=edition.pk), EDITION_FIELDS)
    edition.full_clean()
    edition.save()
    if creating:
        edition_created.send(sender=Edition, edition=edition, source=None)
    audit.record(
        actor=by,
        action="edition.create" if creating else "edition.update",
        obj=edition,
        before=before,
        after=audit.snapshot(edition, EDITION_FIELDS),
        organization_id=edition.organizer_id,
    )
    return edition


BASIS_DOCUMENT_FIELDS = ["number", "title", "issuer", "position", "needs_update"]
# Editing any of these answers a copied document's "still to update" flag.
BASIS_DOCUMENT_TEXT = ("number", "title", "issuer")
FOCUS_AREA_FIELDS = ["title", "description", "position"]


def _parts_save(
    *, edition: Edition, saved, deleted, fields: list[str], codes: dict[str, str], by
) -> None:
    """Add, change and remove rows that belong to an edition, one audit entry per row that
    changed (``codes`` names the entry for "add", "update" and "remove")."""
    for item in [*saved, *deleted]:
        if item.pk is not None and item.edition_id != edition.pk:
            raise ServiceError(_("That row belongs to another edition."), code="wrong_edition")

    def record(change: str, **changes) -> None:
        audit.record(
            actor=by,
            action=codes[change],
            obj=edition,
            organization_id=edition.organizer_id,
            **changes,
        )

    for item in deleted:
        record("remove", before=audit.snapshot(item, fields))
        item.delete()
    for item in saved:
        creating = item.pk is None
        before = {} if creating else audit.snapshot(type(item).objects.get(pk=item.pk), fields)
        item.edition = edition
        item.full_clean()
        item.save()
        after = audit.snapshot(item, fields)
        if after != before:
            record("add" if creating else "update", before=before, after=after)


@transaction.atomic
def basis_documents_save(
    *, edition: Edition, saved: list[BasisDocument], deleted: list[BasisDocument], by
) -> None:
    """Add or change ``saved`` and remove ``deleted`` among the edition's basis documents.

    Side effects: audit entries ``edition.document_add`` / ``_update`` / ``_remove``."""
    for item in saved:
        if item.pk is not None and item.needs_update:
            stored = BasisDocument.objects.get(pk=item.pk)
            if any(getattr(item, f) != getattr(stored, f) for f in BASIS_DOCUMENT_TEXT):
                item.needs_update = False
    _parts_save(
        edition=edition,
        saved=saved,
        deleted=deleted,
        fields=BASIS_DOCUMENT_FIELDS,
        codes={
            "add": "edition.document_add",
            "update": "edition.document_update",
            "remove": "edition.document_remove",
        },
        by=by,
    )


@transaction.atomic
def focus_areas_save(
    *, edition: Edition, saved: list[FocusArea], deleted: list[FocusArea], by
) -> None:
    """Add or change ``saved`` and remove ``deleted`` among the edition's focus areas.

    Side effects: audit entries ``edition.focus_add`` / ``_update`` / ``_remove``."""
    _parts_save(
        edition=edition,
        saved=saved,
        deleted=deleted,
        fields=FOCUS_AREA_FIELDS,
        codes={
            "add": "edition.focus_add",
            "update": "edition.focus_update",
            "remove": "edition.focus_remove",
        },
        by=by,
    )


@transaction.atomic
def edition_copy(*, source: Edition, year: int, by) -> Edition:
    """A new draft edition for ``year`` with the source's texts, basis documents, focus areas and
    dates moved by the difference in years. Notices are not copied: each year writes its own."""
    if Edition.objects.filter(year=year).exists():
        raise ServiceError(
            _("An edition for %(year)s already exists.") % {"year": year}, code="year_taken"
        )
    shift = year - source.year
    edition = Edition.objects.create(
        organizer=source.organizer,
        year=year,
        title=source.title.replace(str(source.year), str(year)),
        theme=source.theme,
        start_date=_shift_year(source.start_date, shift),
        end_date=_shift_year(source.end_date, shift),
        summary_deadline=_shift_year(source.summary_deadline, shift),
        receiving_section=source.receiving_section,
        receiving_email=source.receiving_email,
        booker_sms_always=source.booker_sms_always,
        **{name: getattr(source, name) for name in FAIR_USE_FIELDS},
        status=EditionStatus.DRAFT,
        copied_from=source,
    )
    BasisDocument.objects.bulk_create(
        BasisDocument(
            edition=edition,
            number=d.number,
            title=d.title,
            issuer=d.issuer,
            position=d.position,
            needs_update=True,
        )
        for d in source.basis_documents.all()
    )
    FocusArea.objects.bulk_create(
        FocusArea(edition=edition, title=f.title, description=f.description, position=f.position)
        for f in source.focus_areas.all()
    )
    edition_created.send(sender=Edition, edition=edition, source=source)
    audit.record(
        actor=by,
        action="edition.copy",
        obj=edition,
        after={"copied_from": source.year, "year": year},
        organization_id=edition.organizer_id,
    )
    return edition


def edition_transition(*, edition: Edition, to: str, by) -> Edition:
    """Move an edition to the status ``to`` along ``workflow.EDITION``; anything else is
    refused. Audit entry ``edition.<to>``."""
    return EDITION.transition(edition, to, by=by)


@transaction.atomic
def notice_save(*, notice: Notice, recipients: list[Organization] | None, by) -> Notice:
    """Create or update a draft notice and, when given, set its recipients. Published notices
    are a record and cannot be edited."""
    creating = notice.pk is None
    if not creating:
        stored = Notice.objects.select_for_update().get(pk=notice.pk)
        if stored.status != NoticeStatus.DRAFT:
            raise ServiceError(_("A published notice cannot be edited."), code="notice_published")
        before = audit.snapshot(stored, NOTICE_FIELDS)
        before["recipients"] = sorted(stored.deliveries.values_list("organization_id", flat=True))
    else:
        before = {}
    notice.save()
    after = audit.snapshot(notice, NOTICE_FIELDS)
    if recipients is not None:
        wanted = {org.pk for org in recipients}
        notice.deliveries.exclude(organization_id__in=wanted).delete()
        existing = set(notice.deliveries.values_list("organization_id", flat=True))
        NoticeRecipient.objects.bulk_create(
            NoticeRecipient(notice=notice, organization_id=pk) for pk in sorted(wanted - existing)
        )
        after["recipients"] = sorted(wanted)
    audit.record(
        actor=by,
        action="notice.create" if creating else "notice.update",
        obj=notice,
        before=before,
        after=after,
        organization_id=notice.edition.organizer_id,
    )
    return notice


@transaction.atomic
def notice_attach(*, notice: Notice, upload: UploadedFile, by) -> NoticeAttachment:
    """Attach a document (pdf, docx, xlsx, ...; checked by content) to a draft notice."""
    if notice.status != NoticeStatus.DRAFT:
        raise ServiceError(_("A published notice cannot be edited."), code="notice_published")
    kind = check_document(upload)
    attachment = NoticeAttachment(
        notice=notice,
        storage_key=f"{uuid.uuid4().hex}.{kind.extension}",
        original_name=kind.safe_name,
        content_type=kind.mime,
        size=upload.size,
    )
    attachment.file.save(attachment.storage_key, upload, save=False)
    attachment.save()
    audit.record(
        actor=by,
        action="notice.attach",
        obj=notice,
        after={"attachment": attachment.original_name, "size": attachment.size},
        organization_id=notice.edition.organizer_id,
    )
    return attachment


@transaction.atomic
def notice_detach(*, attachment: NoticeAttachment, by) -> None:
    notice = attachment.notice
    if notice.status != NoticeStatus.DRAFT:
        raise ServiceError(_("A published notice cannot be edited."), code="notice_published")
    name = attachment.original_name
    attachment.file.delete(save=False)
    attachment.delete()
    audit.record(
        actor=by,
        action="notice.detach",
        obj=notice,
        before={"attachment": name},
        organization_id=notice.edition.organizer_id,
    )


def notice_publish(*, notice: Notice, by) -> Notice:
    """Publish a draft notice and email every member of every recipient organisation, through
    ``workflow.NOTICE``.

    Side effects: one outbox message per address; audit entry ``notice.publish``.
    """
    return NOTICE.transition(notice, NoticeAction.PUBLISH, by=by)


@transaction.atomic
def notice_acknowledge(*, notice: Notice, organization: Organization, by) -> NoticeRecipient:
    """Record that ``organization`` has received ``notice`` (签收). Once only: a second
    acknowledgement is refused, naming who acknowledged and when."""
    # Lock only the recipient row: PostgreSQL cannot lock the nullable side of an outer join.
    delivery = (
        NoticeRecipient.objects.select_for_update(of=("self",))
        .select_related("notice", "organization", "acknowledged_by")
        .filter(notice=notice, organization=organization)
        .first()
    )
    if delivery is None or delivery.notice.status != NoticeStatus.PUBLISHED:
        raise ServiceError(
            _("This notice is not addressed to %(org)s.") % {"org": organization.name},
            code="not_a_recipient",
        )
    if not access_for(by).can_act_for(organization):
        raise PermissionRefused(
            _("You may not acknowledge notices for %(org)s.") % {"org": organization.name}
        )
    if delivery.acknowledged_at is not None:
        raise ServiceError(
            _("%(org)s already acknowledged this notice on %(when)s (%(who)s).")
            % {
                "org": organization.name,
                "when": timezone.localtime(delivery.acknowledged_at).strftime("%Y-%m-%d %H:%M"),
                "who": delivery.acknowledged_by or "—",
            },
            code="already_acknowledged",
        )
    delivery.acknowledged_at = timezone.now()
    delivery.acknowledged_by = by
    delivery.save(update_fields=["acknowledged_at", "acknowledged_by"])
    emit("notice.acknowledged", delivery, by=by)
    audit.record(
        actor=by,
        action="notice.acknowledge",
        obj=delivery.notice,
        after={"organization": organization.name},
        organization_id=organization.pk,
    )
    return delivery


@transaction.atomic
def notice_remind(*, notice: Notice, by=None, min_interval: timedelta = timedelta(hours=20)) -> int:
    """Email the members of every recipient that has not acknowledged ``notice``, skipping those
    reminded within ``min_interval`` so a button pressed twice or a job run twice sends once.

    Returns how many organisations were reminded. ``by`` is None when the periodic job runs.
    """
    # Read from the row: the caller's object may predate the publication.
    if not Notice.objects.filter(pk=notice.pk, status=NoticeStatus.PUBLISHED).exists():
        raise ServiceError(
            _("Only a published notice can be reminded of."), code="notice_not_published"
        )
    now = timezone.now()
    due = list(
        NoticeRecipient.objects.select_for_update()
        .select_related("organization")
        .filter(notice=notice, acknowledged_at__isnull=True)
        .exclude(last_reminded_at__gt=now - min_interval)
    )
    written: set[str] = set()
    for delivery in due:
        delivery.notice = notice
        reach(
            delivery,
            skip=written,
            kind="notice.reminder",
            template="campaigns/email/notice_reminder",
            now=now,
        )
        delivery.last_reminded_at = now
        delivery.reminder_count += 1
    NoticeRecipient.objects.bulk_update(due, ["last_reminded_at", "reminder_count", "reached_at"])
    if due:
        audit.record(
            actor=by,
            action="notice.remind",
            obj=notice,
            after={"reminded": [d.organization.name for d in due]},
            organization_id=notice.edition.organizer_id,
        )
    return len(due)


def remind_unacknowledged(*, after_days: int, today=None) -> dict[int, int]:
    """The periodic job: remind recipients of every notice published at least ``after_days`` ago
    that they have not acknowledged. Returns {notice id: organisations reminded}."""
    cutoff = (today or timezone.now()) - timedelta(days=after_days)
    notices = Notice.objects.filter(
        status=NoticeStatus.PUBLISHED,
        published_at__lte=cutoff,
        deliveries__acknowledged_at__isnull=True,
    ).distinct()
    return {n.pk: count for n in notices if (count := notice_remind(notice=n))}


def notice_acknowledge_all(*, notice: Notice, by) -> list[NoticeRecipient]:
    """全部签收: acknowledge ``notice`` for every recipient ``by`` may act for that has not yet
    acknowledged — one :func:`notice_acknowledge` per organisation, so each is audited as if
    signed alone. A unit with members of its own signs for itself, so the area skips it."""
    access = access_for(by)
    pending = NoticeRecipient.objects.filter(
        notice=notice, acknowledged_at__isnull=True, notice__status=NoticeStatus.PUBLISHED
    ).select_related("organization")
    signed = []
    for delivery in pending:
        org = delivery.organization
        if not access.can_act_for(org):
            continue
        own = access.has_role(org, *OFFICE_ROLES)
        if not own and org.memberships.filter(role__in=OFFICE_ROLES).exists():
            continue
        signed.append(notice_acknowledge(notice=notice, organization=org, by=by))
    return signed
