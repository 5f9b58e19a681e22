"""The vocabulary shared by the template, the importer and the exporter: the import columns and
the Chinese names of modes, audiences, states and yes/no."""

from __future__ import annotations

from dataclasses import dataclass

from ..enums import LARGE_EVENT_THRESHOLD, ActivityState, Audience, Mode

MAX_ROWS = 2000
MAX_BYTES = 5 * 1024 * 1024
DATA_SHEET = "活动信息"
LISTS_SHEET = "选项"
HELP_SHEET = "说明"
DATETIME_HINT = "YYYY-MM-DD HH:MM"

MODE_NAMES = {Mode.OFFLINE: "线下", Mode.ONLINE: "线上", Mode.HYBRID: "线上线下"}

AUDIENCE_NAMES = {
    Audience.PUBLIC: "社会公众",
    Audience.STUDENTS: "学生",
    Audience.TEACHERS: "教师",
    Audience.CHILDREN: "亲子家庭",
    Audience.FARMERS: "农民",
    Audience.RESIDENTS: "社区居民",
    Audience.ENTERPRISE_STAFF: "企业职工",
    Audience.SCIENTISTS: "科技工作者",
    Audience.SENIORS: "老年人",
    Audience.OFFICIALS: "公务员",
}

STATE_NAMES = {
    ActivityState.DRAFT: "草稿",
    ActivityState.PENDING_AREA: "待区县审核",
    ActivityState.PENDING_CITY: "待市级审核",
    ActivityState.RETURNED: "已退回",
    ActivityState.PUBLISHED: "已发布",
    ActivityState.WITHDRAWN: "已撤回",
    ActivityState.CANCELLED: "已取消",
    ActivityState.HELD: "已举办",
}

YES, NO = "是", "否"

# Audiences may be written several to a cell, separated by any of these.
AUDIENCE_SEPARATORS = "、,，;；/ \n"


@dataclass(frozen=True)
class Column:
    key: str
    name: str
    required: bool = False
    note: str = ""
    width: int = 14

    @property
    def header(self) -> str:
        """What the template's header cell says: the name, starred when required."""
        return f"{self.name}*" if self.required else self.name


CAPACITY_HELP = (
    f"非负整数；单场、预计人数或同日同场地合计{LARGE_EVENT_THRESHOLD}人及以上为大型群众性活动"
)
IMPORT_COLUMNS = [
    Column("title", "活动名称", True, "不超过120字", 30),
    Column("category", "活动类型", True, "从下拉列表中选择", 16),
    Column("focus_area", "主要内容", False, "从下拉列表中选择本届活动周的主要内容", 24),
    Column("mode", "线上/线下", True, "线下、线上或线上线下", 12),
    Column("audiences", "面向对象", False, "可填多个，用“、”分隔，取值见下表", 22),
    Column("summary", "活动简介", False, "不超过200字", 36),
    Column("venue_name", "活动地点", False, "场馆或场所名称；线下活动提交前必填", 22),
    Column("address", "详细地址", False, "线下活动提交前必填", 30),
    Column("starts_at", "开始时间", True, f"格式 {DATETIME_HINT}，如 2024-05-20 09:00", 18),
    Column("ends_at", "结束时间", True, "须晚于开始时间", 18),
    Column("capacity", "预计参与人数", True, CAPACITY_HELP, 14),
    Column("booking_required", "是否需预约", False, "是/否，空为否", 12),
    Column("contact_name", "联系人", True, "", 12),
    Column("contact_phone", "联系电话", True, "手机号或带区号的固定电话，如 0533-2186000", 16),
    Column("lead_name", "负责人", False, "", 12),
    Column("budget", "经费预算（元）", False, "非负数字", 14),
    Column("livestream_url", "直播链接", False, "以 http:// 或 https:// 开头；线上活动提交前必填", 28),
    Column("is_key", "重点活动", False, "是/否，空为否", 10),
    Column("is_series", "常态化活动", False, "是/否；常态化活动的时间可在活动周之外", 12),
    Column("host", "承办单位", False, "区县管理员为所辖单位导入时填写单位全称；为本单位导入可留空", 24),
]  # fmt: skip

COLUMNS_BY_KEY = {c.key: c for c in IMPORT_COLUMNS}


def normalise_header(value) -> str:
    """A header cell as the importer compares it: no star, no spaces, full-width brackets."""
    text = "" if value is None else str(value)
    text = text.replace("*", "").replace("＊", "").replace("(", "（").replace(")", "）")
    return "".join(text.split())
