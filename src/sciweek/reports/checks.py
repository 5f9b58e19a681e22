"""Pure checks on a summary: what the reporting task requires that it does not have yet."""

from __future__ import annotations

from django.utils.translation import gettext as _

from .enums import FileKind


def missing(summary) -> list[str]:
    """What the task requires that the summary does not have yet."""
    task = summary.task
    kinds = [f.kind for f in summary.files.all()]
    problems = []
    if task.require_document and FileKind.DOCUMENT not in kinds:
        problems.append(_("the summary report document"))
    photos = kinds.count(FileKind.PHOTO)
    if photos < task.min_photos:
        problems.append(_("%(missing)d more photos (%(have)d of %(need)d)") % {
            "missing": task.min_photos - photos, "have": photos, "need": task.min_photos})  # fmt: skip
    if task.require_video and FileKind.VIDEO not in kinds:
        problems.append(_("the video (at most %(s)d seconds)") % {"s": task.max_video_seconds})
    return problems
