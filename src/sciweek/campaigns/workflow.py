"""The state machines of editions and notices, declared once (see ``common.workflow``)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from sciweek.common.errors import ServiceError
from sciweek.common.workflow import Workflow
from sciweek.organizations.models import Organization

from .enums import (
    EDITION_MOVES,
    NOTICE_MOVES,
    EditionAction,
    EditionStatus,
    NoticeAction,
    NoticeStatus,
)


def _edition_not_allowed(edition, action: str) -> ServiceError:
    return ServiceError(
        _("An edition cannot go from “%(from)s” to “%(to)s”.")
        % {"from": edition.get_status_display(), "to": EditionStatus(action).label},
        code="transition_not_allowed",
    )


def _edition_unknown(edition, to: str) -> ServiceError:
    if to in EditionStatus.values:  # a status no move reaches, such as back to draft
        return _edition_not_allowed(edition, to)
    return ServiceError(_("Unknown status."), code="unknown_status")


EDITION = Workflow(
    name="edition",
    model="campaigns.Edition",
    field="status",
    states=EditionStatus,
    actions=EditionAction,
    transitions=EDITION_MOVES,
    permissions=dict.fromkeys(EditionAction.values, "campaigns.manage_edition"),
    audit_organization=lambda edition: edition.organizer_id,
    tones={
        EditionStatus.DRAFT: "secondary",
        EditionStatus.PUBLISHED: "success",
        EditionStatus.CLOSED: "info",
        EditionStatus.ARCHIVED: "dark",
    },
    not_allowed=_edition_not_allowed,
    unknown=_edition_unknown,
)


def _recipients(notice):
    return Organization.objects.filter(notice_deliveries__notice=notice)


def _has_recipients(notice) -> None:
    if not _recipients(notice).exists():
        raise ServiceError(
            _("Choose at least one recipient before publishing."), code="no_recipients"
        )


def _tell_recipients(move) -> None:
    from .delivery import reach

    written: set[str] = set()
    for delivery in move.obj.deliveries.select_related("organization", "notice"):
        reach(
            delivery,
            skip=written,
            kind="notice.published",
            template="campaigns/email/notice_published",
            now=move.now,
        )


NOTICE = Workflow(
    name="notice",
    model="campaigns.Notice",
    field="status",
    states=NoticeStatus,
    actions=NoticeAction,
    transitions=NOTICE_MOVES,
    permissions={NoticeAction.PUBLISH: "campaigns.manage_notice"},
    checks={NoticeAction.PUBLISH: [_has_recipients]},
    timestamps={NoticeAction.PUBLISH: ["published_at"]},
    apply=lambda move: {"published_by": move.by},
    related=("edition",),
    audit_organization=lambda notice: notice.edition.organizer_id,
    audit_after=lambda move: {"recipients": _recipients(move.obj).count()},
    effects={NoticeAction.PUBLISH: [_tell_recipients]},
    tones={NoticeStatus.DRAFT: "secondary", NoticeStatus.PUBLISHED: "success"},
    not_allowed=lambda notice, action: ServiceError(
        _("This notice is already published."), code="already_published"
    ),
)
