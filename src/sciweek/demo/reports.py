"""Demo summaries for the 2023 week: most areas accepted, 高青县 returned with a reason, 沂源县
submitted late (after 06-12) and accepted, 文昌湖区 not started.

Each photo, the video and the report template are generated once (Pillow with CJK text, PyAV,
python-docx), checked once by the same validators an upload goes through, and their cleaned
bytes reused for every area, so the demo stays light (well under a second or two)."""

from __future__ import annotations

import io
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document

from sciweek.audit import writer as audit
from sciweek.audit.models import AuditEntry
from sciweek.campaigns.models import Edition
from sciweek.media.validators.images import process_photo
from sciweek.media.validators.videos import probe_video
from sciweek.reports.enums import FileKind, SummaryState
from sciweek.reports.models import AreaSummary, SummaryFile
from sciweek.reports.services import summary_for, task_for
from sciweek.reports.workflow import SUMMARY

from .media import demo_photo, demo_video

RETURNED, LATE, NOT_STARTED = "gaoqing", "yiyuan", "wenchanghu"
PHOTO_CAPTIONS = ["开幕式现场", "科普讲座", "青少年科学体验", "科研院所开放日", "科普进社区"]
RETURN_REASON = "统计数据中“现场参与人数”与活动记录差距较大，请核实后在“修改说明”中写明依据，并补充重点活动的总结内容。"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _docx(area_name: str, year: int) -> bytes:
    doc = Document()
    doc.add_heading(f"{area_name}{year}年科技活动周总结报告", level=1)
    doc.add_paragraph(
        f"按照市科技局通知要求，{area_name}围绕“热爱科学 崇尚科学”主题，组织开展了系列科普活动。"
    )
    doc.add_paragraph("一、组织领导；二、活动开展情况；三、宣传报道；四、存在问题和下一步打算。")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _aware(*args) -> datetime:
    return datetime(*args, tzinfo=ZoneInfo(settings.TIME_ZONE))


def _file(summary, kind, name, content, *, mime, by, caption="", **facts) -> SummaryFile:
    item = SummaryFile(
        summary=summary,
        kind=kind,
        original_name=name,
        content_type=mime,
        size=len(content),
        caption=caption,
        uploaded_by=by,
        storage_key=SummaryFile.new_key(name.rsplit(".", 1)[-1]),
        **{k: v for k, v in facts.items() if k != "thumbnail"},
    )
    item.file.save(item.storage_key, ContentFile(content), save=False)
    if facts.get("thumbnail"):
        item.thumbnail.save("x-thumb.jpg", ContentFile(facts["thumbnail"]), save=False)
    item.save()
    return item


def _log(summary, actor, action, when, **kwargs) -> None:
    entry = audit.record(
        actor=actor, action=action, obj=summary, organization_id=summary.area_id, **kwargs
    )
    AuditEntry.objects.filter(pk=entry.pk).update(created_at=when)


def load_reports(loader) -> None:
    edition = Edition.objects.filter(year=2023).first()
    if edition is None:
        return
    task = task_for(edition)
    if task.summaries.exists():
        return
    # The city report is sent up to the province: its masthead, addressee and closing block
    # (printed on the day it is compiled).
    organ = edition.organizer.name
    type(task).objects.filter(pk=task.pk).update(
        report_issuer_mark=f"{organ}文件",
        report_number="淄科字〔2023〕12号",
        report_signer="王建国",
        report_recipient="山东省科学技术厅",
        report_copy_to="市委宣传部，市科学技术协会",
        report_printer=f"{organ}办公室",
    )
    users = get_user_model().objects
    organizer = users.get(username="organizer")
    photos = []
    for i, caption in enumerate(PHOTO_CAPTIONS):
        raw = demo_photo(f"2023年科技活动周·{caption}", "淄博市", i, size=(640, 480))
        photos.append((caption, process_photo(SimpleUploadedFile(f"photo-{i + 1}.jpg", raw))))
    video_bytes = demo_video(seconds=2, size=(320, 180))
    video = probe_video(SimpleUploadedFile("video.mp4", video_bytes))

    for index, area in enumerate(task.areas.order_by("path")):
        if area.slug == NOT_STARTED:
            continue
        user = users.filter(username=f"area-{area.slug}").first() or organizer
        summary = summary_for(task=task, area=area)
        started = _aware(2023, 6, 2, 9, 30) + timedelta(days=index % 5, hours=index % 4)
        _file(summary, FileKind.DOCUMENT, f"{area.short_name or area.name}2023年科技活动周总结.docx",
              _docx(area.name, 2023), mime=DOCX, by=user)  # fmt: skip
        for n, (caption, photo) in enumerate(photos, start=1):
            _file(summary, FileKind.PHOTO, f"photo-{n}.{photo.extension}", photo.content,
                  mime=photo.mime, by=user, caption=caption, width=photo.width,
                  height=photo.height, thumbnail=photo.thumbnail)  # fmt: skip
        _file(summary, FileKind.VIDEO, "科技活动周微视频.mp4", video_bytes, mime=video.mime,
              by=user, caption="活动集锦", width=video.width, height=video.height,
              duration_seconds=video.duration, thumbnail=video.poster)  # fmt: skip
        summary.highlights_text = f"{area.name}活动周期间组织开展科普活动，公众参与热情高。"
        _log(summary, user, "summary.file_add", started, after={"files": 7})

        late = area.slug == LATE
        submitted = _aware(2023, 6, 14, 16, 20) if late else started + timedelta(days=4, hours=6)
        summary.submitted_at = summary.first_submitted_at = submitted
        summary.is_late = late
        _log(summary, user, "summary.submit", submitted,
             before={"state": "draft"}, after={"state": "submitted", "late": late})  # fmt: skip
        if area.slug == RETURNED:
            SUMMARY.start(summary, SummaryState.RETURNED)
            summary.last_reason = RETURN_REASON
            _log(summary, organizer, "summary.return", submitted + timedelta(days=1),
                 before={"state": "submitted"}, after={"state": "returned"},
                 reason=RETURN_REASON)  # fmt: skip
        else:
            SUMMARY.start(summary, SummaryState.ACCEPTED)
            summary.accepted_at = submitted + timedelta(days=1, hours=2)
            _log(summary, organizer, "summary.accept", summary.accepted_at,
                 before={"state": "submitted"}, after={"state": "accepted"})  # fmt: skip
        summary.save()
    AreaSummary.objects.filter(task=task).update(updated_at=_aware(2023, 6, 20, 12))
