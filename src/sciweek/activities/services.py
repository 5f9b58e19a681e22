"""Writes for activities. Each runs in one transaction and writes its audit entry against the
activity, so the activity's history is its audit trail."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sciweek.audit import writer as audit
from sciweek.common.errors import PermissionRefused, ServiceError
from sciweek.common.events import emit
from sciweek.common.uploads import check_document
from sciweek.organizations.enums import OrganizationKind
from sciweek.organizations.models import Organization

from . import checks
from .enums import DEFAULT_CATEGORIES, ActivityState, DocumentKind
from .models import Activity, ActivityDocument, AudienceTag, Category, MediaCoverage, Session
from .workflow import ACTIVITY

PLAN_MAX_BYTES = 20 * 1024 * 1024
# A permit is a stamped paper: its scan or photo.
PERMIT_TYPES = ("pdf", "jpg", "png")

ACTIVITY_FIELDS = [
    "title", "summary", "description", "category", "focus_area", "mode", "venue_name", "address",
    "latitude", "longitude", "livestream_url", "budget", "lead_name", "contact_name",
    "contact_phone", "is_key", "is_series", "expected_participants", "booking_required",
    "real_name_required", "id_number_required", "max_group_size", "waitlist_enabled",
    "police_permit_number",
    "police_permit_authority", "police_permit_level", "safety_officer_name", "safety_officer_phone",
    "confidentiality_checked", "area", "co_host_names",
]  # fmt: skip
RESULT_FIELDS = [
    "onsite_participants",
    "online_participants",
    "st_workers",
    "volunteers",
    "actual_cost",
]
SESSION_FIELDS = [
    "starts_at",
    "ends_at",
    "capacity",
    "booking_opens_at",
    "booking_closes_at",
    "note",
]


def _require_editable(activity: Activity) -> None:
    if not activity.is_editable:
        raise ServiceError(
            _(
                "An activity can be changed only as a draft or when returned; this one is “%(state)s”."
            )
            % {"state": activity.get_state_display()},
            code="not_editable",
        )


def _record(activity: Activity, by, action: str, **kwargs) -> None:
    audit.record(actor=by, action=action, obj=activity, organization_id=activity.host_id, **kwargs)


def _area_for(host: Organization, chosen: Organization | None) -> Organization | None:
    """Host units file in their own area; organisations outside any area choose one."""
    if host.area_id is not None:
        return host.area
    return chosen


@transaction.atomic
def activity_save(
    *,
    activity: Activity,
    by,
    audiences: Iterable[str] | None = None,
    co_hosts: Iterable[Organization] | None = None,
) -> Activity:
    """Create or update an activity (fields already validated by a form or serializer)."""
    creating = activity.pk is None
    if creating:
        if activity.host.kind == OrganizationKind.AREA:
            raise ServiceError(_("Choose a host unit, not the area itself."), code="bad_host")
        before = {}
        activity.created_by = by
        ACTIVITY.start(activity)
    else:
        stored = Activity.objects.select_for_update().get(pk=activity.pk)
        _require_editable(stored)
        before = audit.snapshot(stored, ACTIVITY_FIELDS)
        # Compared like the fields, so the log names audiences or co-hosts only when they change.
        if audiences is not None:
            before["audiences"] = sorted(stored.audience_tags.values_list("audience", flat=True))
        if co_hosts is not None:
            before["co_hosts"] = sorted(stored.co_hosts.values_list("pk", flat=True))
    if activity.category.edition_id != activity.edition_id:
        raise ServiceError(_("The category belongs to another edition."), code="bad_category")
    if activity.focus_area_id and activity.focus_area.edition_id != activity.edition_id:
        raise ServiceError(_("The focus area belongs to another edition."), code="bad_focus_area")
    activity.area = _area_for(activity.host, activity.area)
    activity.save()
    after = audit.snapshot(activity, ACTIVITY_FIELDS)
    if audiences is not None:
        wanted = set(audiences)
        activity.audience_tags.exclude(audience__in=wanted).delete()
        have = set(activity.audience_tags.values_list("audience", flat=True))
        AudienceTag.objects.bulk_create(
            AudienceTag(activity=activity, audience=a) for a in sorted(wanted - have)
        )
        after["audiences"] = sorted(wanted)
    if co_hosts is not None:
        activity.co_hosts.set(list(co_hosts))
        after["co_hosts"] = sorted(o.pk for o in co_hosts)
    _record(
        activity,
        by,
        "activity.create" if creating else "activity.update",
        before=before,
        after=after,
    )
    return activity


def sessions_changed(activity: Activity) -> None:
    """After sessions of ``activity`` were added, moved or removed (in the caller's
    transaction): keep the activity's list columns (``first_start``) current, in the database
    and on ``activity``."""
    Activity.objects.filter(pk=activity.pk).refresh_first_start()
    activity.first_start = (
        Activity.objects.filter(pk=activity.pk).values_list("first_start", flat=True).first()
    )
    emit("session.changed", activity)


def _check_session(activity: Activity, session: Session) -> None:
    if session.ends_at <= session.starts_at:
        raise ServiceError(_("A session must end after it starts."), code="session_order")
    if (
        session.booking_opens_at
        and session.booking_closes_at
        and session.booking_closes_at <= session.booking_opens_at
    ):
        raise ServiceError(_("Booking must close after it opens."), code="booking_window")
    problem = checks.session_period_problem(
        edition=activity.edition,
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        is_series=activity.is_series,
    )
    if problem:
        raise ServiceError(problem, code="session_outside_week")


@transaction.atomic
def session_save(*, session: Session, by) -> Session:
    activity = (
        Activity.objects.select_for_update().select_related("edition").get(pk=session.activity_id)
    )
    _require_editable(activity)
    _check_session(activity, session)
    creating = session.pk is None
    before = {} if creating else audit.snapshot(Session.objects.get(pk=session.pk), SESSION_FIELDS)
    session.save()
    sessions_changed(activity)
    _record(
        activity,
        by,
        "activity.session_add" if creating else "activity.session_update",
        before=before,
        after=audit.snapshot(session, SESSION_FIELDS),
    )
    return session


@transaction.atomic
def activity_file(
    *,
    activity: Activity,
    by,
    audiences: Iterable[str] | None = None,
    co_hosts: Iterable[Organization] | None = None,
    sessions: Iterable[Session] = (),
    deleted_sessions: Iterable[Session] = (),
) -> Activity:
    """Create or update an activity and, all or nothing, add or change ``sessions`` and remove
    ``deleted_sessions``: the one way the back-office form, the API's create and the Excel
    import file an activity with its sessions.

    Side effects: the audit entries of :func:`activity_save`, :func:`session_save` and
    :func:`session_delete` (``activity.create``/``update``, ``activity.session_*``)."""
    activity = activity_save(activity=activity, by=by, audiences=audiences, co_hosts=co_hosts)
    for session in deleted_sessions:
        if session.pk is not None:
            session_delete(session=session, by=by)
    for session in sessions:
        session.activity = activity
        session_save(session=session, by=by)
    # Checked on the sessions as saved, so an edit of either side is caught; the atomic block
    # rolls the whole filing back.
    if problem := checks.group_size_problem(activity):
        raise ServiceError(
            {"max_group_size": [ServiceError(problem, code="group_exceeds_session")]}
        )
    return activity


@transaction.atomic
def session_delete(*, session: Session, by) -> None:
    activity = Activity.objects.select_for_update().get(pk=session.activity_id)
    _require_editable(activity)
    _record(activity, by, "activity.session_delete", before=audit.snapshot(session, SESSION_FIELDS))
    session.delete()
    sessions_changed(activity)


@transaction.atomic
def document_attach(*, activity: Activity, kind: str, upload: UploadedFile, by) -> ActivityDocument:
    """Attach a plan (pdf or docx) or the police permit's scan (pdf or image), ≤ 20 MB, checked
    by content."""
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    _require_editable(activity)
    if kind not in DocumentKind.values:
        raise ServiceError(_("Unknown document kind."), code="bad_kind")
    allowed = PERMIT_TYPES if kind == DocumentKind.POLICE_PERMIT else ("pdf", "docx")
    checked = check_document(upload, allowed=allowed, max_bytes=PLAN_MAX_BYTES)
    document = ActivityDocument(
        activity=activity,
        kind=kind,
        storage_key=ActivityDocument.new_key(checked.extension),
        original_name=checked.safe_name,
        content_type=checked.mime,
        size=upload.size,
        uploaded_by=by,
    )
    document.file.save(document.storage_key, upload, save=False)
    document.save()
    _record(
        activity, by, "activity.document_add", after={"kind": kind, "file": document.original_name}
    )
    return document


@transaction.atomic
def document_remove(*, document: ActivityDocument, by) -> None:
    activity = Activity.objects.select_for_update().get(pk=document.activity_id)
    _require_editable(activity)
    _record(
        activity,
        by,
        "activity.document_remove",
        before={"kind": document.kind, "file": document.original_name},
    )
    document.file.delete(save=False)
    document.delete()


def activity_transition(*, activity: Activity, action: str, by, reason: str = "") -> Activity:
    """Perform one workflow action (``workflow.ACTIVITY``). Refuses (with the reason why) any
    move outside the table, a user without the right, a missing reason, and an activity not
    ready for the move.

    Side effects: audit entry ``activity.<action>``; on cancel, the ``activity_cancelled`` signal
    (bookings tell everyone booked).
    """
    return ACTIVITY.transition(activity, action, by=by, reason=reason)


@dataclass
class RowOutcome:
    """One activity of a bulk action: done, or refused with the reasons why."""

    activity: Activity
    refusal: list[str] = field(default_factory=list)

    @property
    def done(self) -> bool:
        return not self.refusal


def activities_bulk(
    *, activities: Iterable[Activity], action: str, by, reason: str = ""
) -> list[RowOutcome]:
    """One action for many activities from a list: ``approve`` or ``return`` (the workflow's
    moves) or ``mark_key`` / ``unmark_key``. Each activity is its own transaction through the
    same service as its page, so one refusal (not ready, moved meanwhile, not the user's to
    review) leaves the others done; the outcome of each row says what happened."""
    outcomes = []
    for activity in activities:
        try:
            if action in ("mark_key", "unmark_key"):
                activity_mark_key(activity=activity, is_key=action == "mark_key", by=by)
            else:
                activity_transition(activity=activity, action=action, by=by, reason=reason)
        except ServiceError as exc:
            outcomes.append(RowOutcome(activity, list(exc.messages)))
        else:
            outcomes.append(RowOutcome(activity))
    return outcomes


@transaction.atomic
def activity_mark_key(*, activity: Activity, is_key: bool, by) -> Activity:
    """The organiser marks an activity as one of the week's key activities (重点活动), or takes
    the mark away; audited as ``activity.mark_key`` / ``activity.unmark_key``."""
    if not by.has_perm("activities.mark_key_activity", activity):
        raise PermissionRefused(_("Only the organiser marks key activities."))
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    if activity.is_key == is_key:
        return activity
    before = audit.snapshot(activity, ["is_key"])
    activity.is_key = is_key
    activity.save(update_fields=["is_key", "updated_at"])
    _record(
        activity,
        by,
        "activity.mark_key" if is_key else "activity.unmark_key",
        before=before,
        after=audit.snapshot(activity, ["is_key"]),
    )
    return activity


@transaction.atomic
def activity_duplicate(*, activity: Activity, by, edition=None) -> Activity:
    """A new draft with the same content and sessions; results and history are not copied."""
    source = Activity.objects.select_related("edition").get(pk=activity.pk)
    copy = Activity.objects.get(pk=source.pk)
    copy.pk = None
    copy.id = None
    copy._state.adding = True
    copy.edition = edition or source.edition
    copy.title = (_("%(title)s (copy)") % {"title": source.title})[:120]
    ACTIVITY.start(copy)
    copy.state_changed_at = timezone.now()
    copy.submitted_at = copy.published_at = None
    copy.last_reason = ""
    copy.confidentiality_checked = False
    copy.duplicated_from = source
    copy.created_by = by
    for name in RESULT_FIELDS:
        setattr(copy, name, None)
    copy.save()
    copy.co_hosts.set(source.co_hosts.all())
    AudienceTag.objects.bulk_create(
        AudienceTag(activity=copy, audience=t.audience) for t in source.audience_tags.all()
    )
    if copy.edition_id == source.edition_id:
        Session.objects.bulk_create(
            Session(activity=copy, **{f: getattr(s, f) for f in SESSION_FIELDS})
            for s in source.sessions.all()
        )
    sessions_changed(copy)
    _record(copy, by, "activity.duplicate", after={"from": source.pk})
    return copy


@transaction.atomic
def results_save(*, activity: Activity, values: dict, by) -> Activity:
    """Record what happened (participants, S&T workers, volunteers, the actual cost) once the
    activity is held."""
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    if activity.state != ActivityState.HELD:
        raise ServiceError(
            _("Results are recorded once the activity is marked as held."), code="not_held"
        )
    before = audit.snapshot(activity, RESULT_FIELDS)
    for name in RESULT_FIELDS:
        if name in values:
            setattr(activity, name, values[name])
    activity.save(update_fields=[*RESULT_FIELDS, "updated_at"])
    _record(
        activity,
        by,
        "activity.results",
        before=before,
        after=audit.snapshot(activity, RESULT_FIELDS),
    )
    return activity


@transaction.atomic
def coverage_add(*, activity: Activity, coverage: MediaCoverage, by) -> MediaCoverage:
    if activity.state not in (ActivityState.PUBLISHED, ActivityState.HELD):
        raise ServiceError(
            _("Media coverage is recorded for published or held activities."), code="not_public"
        )
    coverage.activity = activity
    coverage.full_clean()
    coverage.save()
    _record(
        activity,
        by,
        "activity.coverage_add",
        after={"outlet": coverage.outlet, "title": coverage.title},
    )
    return coverage


@transaction.atomic
def coverage_remove(*, coverage: MediaCoverage, by) -> None:
    _record(
        coverage.activity,
        by,
        "activity.coverage_remove",
        before={"outlet": coverage.outlet, "title": coverage.title},
    )
    coverage.delete()


def seed_categories(*, edition, source=None) -> None:
    """Give an edition its category list: the source edition's when copied, else the notice's
    kinds. Existing categories are kept, so this can run again safely."""
    rows = (
        [(c.code, c.name) for c in source.categories.all()]
        if source is not None
        else DEFAULT_CATEGORIES
    )
    have = set(Category.objects.filter(edition=edition).values_list("code", flat=True))
    Category.objects.bulk_create(
        Category(edition=edition, code=code, name=name, position=position)
        for position, (code, name) in enumerate(rows)
        if code not in have
    )
