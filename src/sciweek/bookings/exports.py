"""The session's booking list as a spreadsheet: masked as the back office shows it, or
unmasked for those allowed (through :func:`services.booking_export_unmasked`, which audits it)."""

from __future__ import annotations

import io

from django.utils import timezone
from openpyxl import Workbook

from sciweek.activities.models import Session
from sciweek.common.crypto import decrypt
from sciweek.common.exports import neutralise

from .models import Booking

HEADERS = [
    "票码", "姓名", "手机号", "证件类型", "证件号码", "人数", "团体", "状态", "预约时间", "签到时间",
]  # fmt: skip
WIDTHS = [14, 10, 16, 14, 22, 6, 24, 10, 18, 18]


def _dt(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def export_rows(session: Session, *, unmasked: bool):
    for b in Booking.objects.filter(session=session).order_by("created_at", "id"):
        if unmasked:
            id_number = decrypt(b.id_number_encrypted) if b.id_number_encrypted else ""
            name, phone = b.name, b.phone
        else:
            id_number, name, phone = b.id_number_masked, b.masked_name, b.masked_phone
        yield [
            b.code,
            name,
            phone,
            b.get_id_type_display() if b.id_type else "",
            id_number,
            b.party_size,
            b.group_name,
            b.get_status_display(),
            _dt(b.created_at),
            _dt(b.checked_in_at),
        ]


def export_workbook(session: Session, *, unmasked: bool) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title="预约名单")
    for index, width in enumerate(WIDTHS):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    activity = session.activity
    sheet.append([neutralise(f"{activity.title} · {session}")])
    sheet.append(HEADERS)
    for row in export_rows(session, unmasked=unmasked):
        sheet.append([neutralise(v) for v in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
