"""Log formatters: plain lines in development, one JSON object per line in production
(``LOG_FORMAT``), both with the request id (``common.requestid``) and both scrubbed of personal
data.

The code logs primary keys and masked values only (``common.masking``); as a second line of
defence every formatted line, exception text included, has what still looks like a mainland ID
number, a mobile number or an email address masked the same way before it is written (a database
error can quote the row it refused). Names cannot be recognised in free text: never log one.
"""

from __future__ import annotations

import logging
import re
from datetime import datetime

from pythonjsonlogger.core import RESERVED_ATTRS
from pythonjsonlogger.json import JsonFormatter as _JsonFormatter

from .masking import mask_email, mask_id_number, mask_phone

# Bounded by anything but a letter or digit, so runs of digits inside request ids, hashes and
# keys are left alone.
_EDGE_BEFORE, _EDGE_AFTER = r"(?<![0-9A-Za-z])", r"(?![0-9A-Za-z])"
_ID_NUMBER = re.compile(_EDGE_BEFORE + r"\d{17}[\dXx]" + _EDGE_AFTER)
_MOBILE = re.compile(_EDGE_BEFORE + r"1[3-9]\d{9}" + _EDGE_AFTER)
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")


def scrub(text: str) -> str:
    """``text`` with ID numbers, mobile numbers and email addresses masked."""
    text = _ID_NUMBER.sub(lambda m: mask_id_number(m.group()), text)
    text = _MOBILE.sub(lambda m: mask_phone(m.group()), text)
    return _EMAIL.sub(lambda m: mask_email(m.group()), text)


class PlainFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        if not hasattr(record, "request_id"):  # a handler configured without the filter
            record.request_id = "-"
        return scrub(super().format(record))


# Django's request logger attaches the request object (its repr holds the full path and query)
# and runserver the time as text; neither belongs in a line.
_LEFT_OUT = {"request", "server_time", "request_id", "task_id", "task_name", "color_message"}


class JsonFormatter(_JsonFormatter):
    """``{"time", "level", "logger", "message", "request_id"[, "task_id", "task_name"], …extra,
    "exc_info"}`` with the time in the server's zone (Asia/Shanghai), one object per line."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("reserved_attrs", [*RESERVED_ATTRS, *_LEFT_OUT])
        kwargs.setdefault("json_ensure_ascii", False)
        super().__init__(*args, **kwargs)

    def add_fields(self, log_data, record, message_dict):
        log_data["time"] = (
            datetime.fromtimestamp(record.created).astimezone().isoformat(timespec="milliseconds")
        )
        log_data["level"] = record.levelname
        log_data["logger"] = record.name
        super().add_fields(log_data, record, message_dict)
        log_data["request_id"] = getattr(record, "request_id", "-")
        if hasattr(record, "task_id"):
            log_data["task_id"] = record.task_id
            log_data["task_name"] = record.task_name

    def process_log_record(self, log_data):
        # Scrubbed before serialising: in JSON a new line becomes "\\n", which would hide a
        # number that starts a line of a traceback from the scrubber's edges.
        return {key: _scrubbed(value) for key, value in log_data.items()}


def _scrubbed(value):
    if isinstance(value, str):
        return scrub(value)
    if isinstance(value, dict):
        return {key: _scrubbed(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_scrubbed(item) for item in value]
    if value is None or isinstance(value, bool | int | float):
        return value
    return scrub(str(value))  # what the encoder would write, scrubbed first
