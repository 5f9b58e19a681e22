"""The city report's texts the organiser fills in on the compile page: the prose (generated from
the figures unless edited) and the document settings of GB/T 9704-2012 (the masthead 版头, the
addressee 主送机关 and the closing block 版记). Each compilation keeps a copy of them."""

from __future__ import annotations

import re
from datetime import date

PROSE_FIELDS = ["report_overview", "report_outlook"]
PROSE_MAX = 20000
DOCUMENT_FIELDS = [
    "report_issuer_mark",
    "report_number",
    "report_signer",
    "report_recipient",
    "report_copy_to",
    "report_printer",
    "report_printed_on",
]
TEXT_FIELDS = [*PROSE_FIELDS, *DOCUMENT_FIELDS]


def version_texts(task) -> dict[str, str]:
    """The task's texts as a version keeps them (JSON): the prose as the organiser left it
    (empty: generated from the figures when compiled) and the document settings."""
    texts = {name: getattr(task, name) or "" for name in TEXT_FIELDS}
    day = task.report_printed_on
    texts["report_printed_on"] = day.isoformat() if day else ""
    return texts


def printed_on(texts: dict) -> date | None:
    value = texts.get("report_printed_on") or ""
    return date.fromisoformat(value) if value else None


# The year in a document number goes in 六角括号 (GB/T 9704-2012 §7.2.4): 淄科字〔2023〕12号,
# however it was typed ([2023], (2023), （2023）, 【2023】).
_YEAR = re.compile(r"[\[(（【〔［]\s*(\d{4})\s*[\])）】〕］]")


def document_number(text: str) -> str:
    return _YEAR.sub(r"〔\1〕", text.strip())
