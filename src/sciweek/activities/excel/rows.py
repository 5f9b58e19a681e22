"""One row of the import sheet: every cell checked against the edition's lists, each problem
reported as (row, column, code, message)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils import timezone
from django.utils.translation import gettext as _

from sciweek.common.livestream import validate_livestream_url
from sciweek.common.validators import validate_phone

from .. import checks
from ..models import Activity, Category
from .columns import (
    AUDIENCE_NAMES,
    AUDIENCE_SEPARATORS,
    COLUMNS_BY_KEY,
    DATETIME_HINT,
    MODE_NAMES,
)

DATETIME_FORMATS = (
    "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y/%m/%d %H:%M:%S",
    "%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y.%m.%d %H:%M", "%Y年%m月%d日 %H:%M",
    "%Y年%m月%d日%H:%M", "%Y年%m月%d日 %H时%M分",
)  # fmt: skip
YES_VALUES = {"是", "y", "yes", "true", "1", "需要", "√"}
NO_VALUES = {"否", "n", "no", "false", "0", "不需要", "", "×"}
LENGTHS = {
    name: Activity._meta.get_field(name).max_length
    for name in ("title", "summary", "venue_name", "address", "contact_name", "lead_name")
}


@dataclass(frozen=True)
class Problem:
    row: int  # as Excel shows it: the header is row 1
    column: str  # the column's name, without the star
    code: str
    message: str


class RowReader:
    """Validates one row's cells against the edition's lists; collects problems."""

    def __init__(self, *, edition, hosts, default_host):
        self.edition = edition
        self.categories = {c.name: c for c in Category.objects.filter(edition=edition)}
        self.focus_areas = {f.title: f for f in edition.focus_areas.all()}
        self.hosts = {h.name: h for h in hosts}
        self.default_host = default_host
        self.modes = {name: value for value, name in MODE_NAMES.items()}
        self.audiences = {name: value for value, name in AUDIENCE_NAMES.items()}
        self.url = URLValidator(schemes=["http", "https"])

    def read(self, row: int, cells: dict) -> tuple[dict, list[Problem]]:
        self.row, self.cells, self.problems, values = row, cells, [], {}
        for key in ("title", "summary", "venue_name", "address", "contact_name", "lead_name"):
            values[key] = self._text(key)
        values["category"] = self._choice("category", self.categories)
        values["focus_area"] = self._choice("focus_area", self.focus_areas)
        values["mode"] = self._choice("mode", self.modes)
        values["audiences"] = self._audiences()
        values["starts_at"] = self._datetime("starts_at")
        values["ends_at"] = self._datetime("ends_at")
        values["capacity"] = self._capacity()
        values["contact_phone"] = self._phone()
        values["budget"] = self._budget()
        values["livestream_url"] = self._url()
        for key in ("booking_required", "is_key", "is_series"):
            values[key] = self._yes_no(key)
        values["host"] = self._host()
        self._times(values)
        return values, self.problems

    def _add(self, key: str, code: str, message: str) -> None:
        self.problems.append(Problem(self.row, COLUMNS_BY_KEY[key].name, code, message))

    def _raw(self, key: str):
        value = self.cells.get(key)
        return value.strip() if isinstance(value, str) else value

    def _str(self, key: str) -> str:
        value = self._raw(key)
        if value is None:
            return ""
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return str(value).strip()

    def _required(self, key: str, value) -> bool:
        if value in ("", None) and COLUMNS_BY_KEY[key].required:
            self._add(key, "required", _("This column must be filled in."))
            return False
        return value not in ("", None)

    def _text(self, key: str) -> str:
        value = self._str(key)
        if self._required(key, value) and len(value) > LENGTHS[key]:
            self._add(key, "too_long", _("At most %(n)d characters.") % {"n": LENGTHS[key]})
        return value

    def _choice(self, key: str, options: dict):
        value = self._str(key)
        if not self._required(key, value):
            return None
        if value not in options:
            self._add(
                key,
                "unknown_choice",
                _("“%(value)s” is not in the list. Choose one of: %(options)s.")
                % {"value": value, "options": "、".join(options)},
            )
            return None
        return options[value]

    def _audiences(self) -> list[str]:
        text = self._str("audiences")
        names = [n for n in re.split(f"[{re.escape(AUDIENCE_SEPARATORS)}]+", text) if n]
        unknown = [n for n in names if n not in self.audiences]
        if unknown:
            self._add(
                "audiences",
                "unknown_audience",
                _("Not in the list: %(unknown)s. Allowed: %(options)s.")
                % {"unknown": "、".join(unknown), "options": "、".join(self.audiences)},
            )
        return sorted({self.audiences[n] for n in names if n in self.audiences})

    def _datetime(self, key: str) -> datetime | None:
        value = self._raw(key)
        if not self._required(key, value):
            return None
        parsed = None
        if isinstance(value, datetime):
            parsed = value.replace(tzinfo=None)
        elif isinstance(value, str):
            text = " ".join(value.replace("：", ":").split())
            for fmt in DATETIME_FORMATS:
                try:
                    parsed = datetime.strptime(text, fmt)
                    break
                except ValueError:
                    continue
        if parsed is None:
            self._add(
                key,
                "bad_datetime",
                _("Write the date and time as %(hint)s, e.g. 2024-05-20 09:00.")
                % {"hint": DATETIME_HINT},
            )
            return None
        return timezone.make_aware(parsed)

    def _capacity(self) -> int | None:
        value = self._raw("capacity")
        if not self._required("capacity", value):
            return None
        try:
            number = Decimal(str(value).replace(",", ""))
        except InvalidOperation:
            number = None
        if number is None or number != number.to_integral_value() or number < 0 or number > 10**7:
            self._add("capacity", "bad_integer", _("Enter a whole number, 0 or more."))
            return None
        return int(number)

    def _phone(self) -> str:
        value = self._str("contact_phone")
        if self._required("contact_phone", value):
            try:
                validate_phone(value)
            except ValidationError as exc:
                self._add("contact_phone", "bad_phone", exc.messages[0])
        return value

    def _budget(self) -> Decimal | None:
        value = self._raw("budget")
        if value in ("", None):
            return None
        try:
            number = Decimal(str(value).replace(",", "").replace("元", ""))
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite() or number < 0 or number >= 10**10:
            self._add("budget", "bad_number", _("Enter an amount in yuan, 0 or more."))
            return None
        return number.quantize(Decimal("0.01"))

    def _url(self) -> str:
        value = self._str("livestream_url")
        if value:
            try:
                self.url(value)
            except ValidationError:
                self._add(
                    "livestream_url",
                    "bad_url",
                    _("Enter a link starting with http:// or https://."),
                )
                return value
            try:
                # The same allowed-hosts rule as the filing form and the API.
                validate_livestream_url(value)
            except ValidationError as exc:
                self._add("livestream_url", exc.code or "bad_url", exc.messages[0])
        return value

    def _yes_no(self, key: str) -> bool:
        value = self._raw(key)
        if isinstance(value, bool):
            return value
        text = self._str(key).lower()
        if text in YES_VALUES:
            return True
        if text not in NO_VALUES:
            self._add(key, "bad_yes_no", _("Write 是 or 否."))
        return False

    def _host(self):
        name = self._str("host")
        if not name:
            if self.default_host is None:
                self._add("host", "required", _("Name the host unit this activity is for."))
            return self.default_host
        if name not in self.hosts:
            self._add(
                "host",
                "not_your_unit",
                _("“%(name)s” is not a unit you may import activities for.") % {"name": name},
            )
            return None
        return self.hosts[name]

    def _times(self, values: dict) -> None:
        start, end = values["starts_at"], values["ends_at"]
        if start is None or end is None:
            return
        if end <= start:
            self._add("ends_at", "end_before_start", _("A session must end after it starts."))
            return
        problem = checks.session_period_problem(
            edition=self.edition, starts_at=start, ends_at=end, is_series=values["is_series"]
        )
        if problem:
            self._add("starts_at", "outside_week", problem)
