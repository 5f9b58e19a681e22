"""Demo activities: the 2023 week as it was held, and the coming week being filed and reviewed.

Like the rest of the demo this describes a past, so rows are written directly (no mail). Each
activity gets the audit entries its state implies (create, submit, approve, …) with plausible
times, so its page shows a history. Idempotent per edition: an edition that already has
activities is left alone. Deterministic: every time is derived from the edition's dates (the
coming week's review steps from the current notice's date, a few days ago).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.utils import timezone

from sciweek.activities.enums import ActivityState as S
from sciweek.activities.enums import DocumentKind, Mode
from sciweek.activities.models import (
    Activity,
    ActivityDocument,
    AudienceTag,
    Category,
    MediaCoverage,
    Session,
)
from sciweek.activities.services import RESULT_FIELDS
from sciweek.audit.models import AuditEntry
from sciweek.campaigns.models import Edition
from sciweek.organizations.models import Organization

# Focus areas (the notice's four 主要内容) by category.
FOCUS_BY_CATEGORY = {
    "launch": 0, "lecture": 1, "online": 1, "scientist_spirit": 2, "workers_day": 2,
}  # fmt: skip
OUTLETS = ["淄博日报", "淄博广播电视台", "鲁中晨报", "大众日报", "学习强国淄博学习平台", "齐鲁晚报"]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗"


@dataclass
class Spec:
    """One demo activity. ``host`` is (area slug, unit index) or ("dept", department index);
    sessions are (day of the week from 0, "HH:MM", minutes, capacity)."""

    host: tuple[str, int]
    category: str
    title: str
    state: str
    audiences: tuple[str, ...]
    sessions: list[tuple[int, str, int, int]]
    venue: str = ""
    mode: str = Mode.OFFLINE
    area: str = ""  # city departments choose the area
    extra: dict = field(default_factory=dict)
    reason: str = ""  # for returned / cancelled
    returned_by_city: bool = False


def _open_day(**extra) -> dict:
    return {"booking_required": True, **extra}


SPECS_2023 = [
    Spec(("gaoxin", 0), "launch", "2023年淄博市科技活动周启动仪式暨科技创新成果展", S.HELD,
         ("officials", "scientists", "students", "public"), [(0, "09:00", 150, 800)],
         venue="淄博科学城科技创新成果展厅", extra={"is_key": True, "budget": Decimal("180000")}),
    Spec(("zhangdian", 0), "open_day", "淄博市科技馆公众开放日", S.HELD,
         ("public", "children"), [(0, "09:00", 180, 200), (1, "09:00", 180, 200)],
         extra=_open_day(real_name_required=True, max_group_size=5)),
    Spec(("zhangdian", 1), "school", "科普进校园：小小科学家实验秀", S.HELD,
         ("students", "teachers"), [(2, "14:00", 90, 300)], venue="张店区实验小学报告厅"),
    Spec(("zhangdian", 2), "enterprise", "科技园企业创新成果交流会", S.HELD,
         ("enterprise_staff", "scientists"), [(3, "09:30", 120, 150)]),
    Spec(("zichuan", 0), "countryside", "科技下乡：设施蔬菜绿色种植技术服务", S.HELD,
         ("farmers",), [(2, "08:30", 180, 120)]),
    Spec(("zichuan", 1), "youth", "青少年创客马拉松", S.HELD,
         ("students",), [(6, "09:00", 360, 80)]),
    Spec(("boshan", 0), "exhibition", "博山陶瓷琉璃非遗技艺与新材料科普展", S.HELD,
         ("public", "students"), [(1, "09:00", 480, 500), (2, "09:00", 480, 500)]),
    Spec(("boshan", 1), "contest", "博山区青少年机器人竞赛", S.HELD,
         ("students", "teachers"), [(7, "08:30", 240, 200)]),
    Spec(("linzi", 0), "open_day", "临淄化工新材料研究院实验室开放日", S.HELD,
         ("public", "students"), [(4, "09:00", 120, 40), (4, "14:00", 120, 40)],
         extra=_open_day(real_name_required=True)),
    Spec(("linzi", 1), "scientist_spirit", "“光辉的足迹”弘扬科学家精神主题展（临淄站）", S.HELD,
         ("public", "students", "scientists"), [(3, "09:00", 480, 600)], extra={"is_key": True}),
    Spec(("linzi", 2), "school", "科学家精神进校园——稷下小学专场", S.HELD,
         ("students", "teachers"), [(5, "14:30", 90, 400)], venue="临淄区稷下小学操场"),
    Spec(("zhoucun", 0), "enterprise", "科普进企业：丝绸纺织新技术讲座", S.HELD,
         ("enterprise_staff",), [(4, "15:00", 90, 100)]),
    Spec(("zhoucun", 1), "community", "科普进社区：健康生活与应急避险", S.HELD,
         ("residents", "seniors"), [(5, "09:00", 120, 150)], venue="周村区丝绸路街道社区服务中心"),
    Spec(("huantai", 0), "other", "马踏湖湿地观鸟科普活动", S.HELD,
         ("children", "public"), [(6, "07:30", 150, 60)]),
    Spec(("huantai", 1), "lecture", "“科学与未来”专家科普报告会", S.HELD,
         ("students", "teachers"), [(8, "15:00", 90, 500)], venue="桓台县实验中学报告厅"),
    Spec(("gaoqing", 0), "exhibition", "黄河流域生态保护科普展", S.HELD,
         ("public", "students"), [(1, "09:00", 480, 400), (8, "09:00", 480, 400)]),
    Spec(("gaoqing", 1), "countryside", "科技下乡：黄河滩区特色种养技术培训", S.HELD,
         ("farmers",), [(9, "09:00", 150, 100)], venue="高青县常家镇农民培训学校"),
    Spec(("yiyuan", 0), "youth", "未来之星研学活动：探秘沂源猿人遗址", S.HELD,
         ("students", "teachers"), [(7, "09:00", 240, 120)], extra=_open_day(max_group_size=50)),
    Spec(("yiyuan", 1), "countryside", "沂源苹果绿色高效栽培田间课堂", S.HELD,
         ("farmers",), [(9, "08:30", 180, 80)], venue="沂源县南麻街道苹果示范园"),
    Spec(("gaoxin", 1), "workers_day", "全国科技工作者日——科技工作者座谈会", S.HELD,
         ("scientists",), [(10, "14:30", 120, 80)], extra={"is_key": True}),
    Spec(("jingkai", 0), "open_day", "经开区智能制造产业园开放日", S.HELD,
         ("public", "enterprise_staff"), [(5, "09:00", 180, 100)], extra=_open_day()),
    Spec(("jingkai", 1), "school", "人工智能进校园体验课", S.HELD,
         ("students",), [(4, "14:00", 90, 200)]),
    Spec(("wenchanghu", 0), "community", "文昌湖生态科普进社区", S.HELD,
         ("residents", "children"), [(6, "15:00", 120, 150)], venue="文昌湖区萌山社区广场"),
    Spec(("wenchanghu", 1), "contest", "青少年自然笔记大赛", S.HELD,
         ("students", "children"), [(2, "09:00", 240, 150)]),
    Spec(("dept", 0), "lecture", "中小学科技教师科普能力提升培训", S.HELD,
         ("teachers",), [(3, "09:00", 240, 200)], venue="淄博市教育局培训中心", area="zhangdian"),
    Spec(("dept", 5), "online", "“云上气象科普”直播课", S.HELD,
         ("public", "students"), [(1, "19:00", 60, 0)], mode=Mode.ONLINE, area="zhangdian"),
    Spec(("dept", 3), "community", "健康科普进社区义诊与讲座", S.HELD,
         ("residents", "seniors"), [(8, "08:30", 180, 300)], venue="淄川区般阳路街道社区卫生服务中心",
         area="zichuan"),
    Spec(("zhangdian", 0), "science_night", "2023淄博科学之夜", S.HELD,
         ("public", "children"), [(7, "19:00", 150, 900)], mode=Mode.HYBRID,
         extra={"is_key": True}),
    Spec(("dept", 1), "enterprise", "绿色低碳高质量发展先行区建设科技成果对接会", S.HELD,
         ("enterprise_staff", "scientists"), [(9, "09:00", 180, 300)], venue="淄博科学城会议中心",
         area="gaoxin"),
    Spec(("boshan", 1), "online", "博山科普微视频展播", S.HELD,
         ("public",), [(0, "08:00", 60 * 24 * 11 + 600, 0)], mode=Mode.ONLINE),
]  # fmt: skip


def specs_current(year: int) -> list[Spec]:
    return [
        # Published -----------------------------------------------------------------------
        Spec(("gaoxin", 0), "launch", f"{year}年淄博市科技活动周启动仪式", S.PUBLISHED,
             ("officials", "scientists", "students", "public"), [(0, "09:00", 150, 900)],
             venue="淄博科学城科技创新成果展厅", mode=Mode.HYBRID,
             extra={"is_key": True, "budget": Decimal("200000")}),
        Spec(("zhangdian", 0), "science_night", f"淄博科学之夜·{year}科技嘉年华", S.PUBLISHED,
             ("public", "children", "students"), [(6, "19:00", 150, 1500)],
             venue="淄博市人民公园中心广场", extra={
                 "is_key": True, "police_permit_number": f"淄公（张）许字〔{year}〕第018号",
                 "police_permit_authority": "淄博市公安局张店分局",
                 "police_permit_level": "county",
                 "safety_officer_name": "韩立新", "safety_officer_phone": "13853311018",
                 "budget": Decimal("150000"), "expected_participants": 1500}),
        Spec(("zhangdian", 0), "open_day", "淄博市科技馆开放日·校园专场", S.PUBLISHED,
             ("students", "teachers"),
             [(1, "09:00", 120, 200), (2, "09:00", 120, 200), (3, "09:00", 120, 200)],
             extra=_open_day(real_name_required=True, max_group_size=50)),
        Spec(("gaoxin", 1), "open_day", "淄博微机电系统研究院实验室开放日", S.PUBLISHED,
             ("public", "students"),
             [(2, "09:30", 90, 30), (2, "14:30", 90, 30), (4, "09:30", 90, 30)],
             extra=_open_day(real_name_required=True, id_number_required=True, max_group_size=2)),
        Spec(("linzi", 0), "open_day", "临淄化工新材料研究院开放日", S.PUBLISHED,
             ("public", "students"), [(3, "09:00", 120, 60), (5, "09:00", 120, 60)],
             extra=_open_day(real_name_required=True, max_group_size=4)),
        Spec(("zhangdian", 2), "open_day", "山东理工大学科技园开放日", S.PUBLISHED,
             ("public", "enterprise_staff"), [(4, "09:00", 180, 100)],
             extra=_open_day(real_name_required=True)),
        Spec(("yiyuan", 0), "open_day", "沂源猿人遗址科普基地开放日", S.PUBLISHED,
             ("public", "children"), [(5, "09:00", 240, 150), (6, "09:00", 240, 150)],
             extra=_open_day(max_group_size=5)),
        Spec(("huantai", 0), "open_day", "马踏湖湿地科普基地开放日", S.PUBLISHED,
             ("public", "children"), [(7, "08:30", 180, 80)], extra=_open_day(max_group_size=5)),
        Spec(("linzi", 1), "scientist_spirit", "“光辉的足迹”弘扬科学家精神主题展", S.PUBLISHED,
             ("public", "students", "scientists"), [(1, "09:00", 480, 600)],
             extra={"is_key": True}),
        Spec(("gaoxin", 1), "workers_day", "全国科技工作者日主题活动", S.PUBLISHED,
             ("scientists",), [(10, "14:30", 120, 100)]),
        Spec(("gaoqing", 0), "exhibition", "黄河流域生态保护和高质量发展科普展", S.PUBLISHED,
             ("public", "students"), [(2, "09:00", 480, 400)]),
        Spec(("zichuan", 0), "countryside", "科技下乡：小麦“一喷三防”技术服务", S.PUBLISHED,
             ("farmers",), [(3, "08:30", 180, 120)]),
        Spec(("yiyuan", 1), "youth", "未来之星研学活动：走进果树研究所", S.PUBLISHED,
             ("students",), [(8, "09:00", 180, 60)], extra=_open_day(max_group_size=50)),
        Spec(("dept", 5), "online", "气象科普直播：认识极端天气", S.PUBLISHED,
             ("public", "students"), [(2, "19:00", 60, 0)], mode=Mode.ONLINE, area="zhangdian"),
        Spec(("zhoucun", 1), "community", "科普进社区：防范电信网络诈骗", S.PUBLISHED,
             ("residents", "seniors"), [(4, "15:00", 90, 120)], venue="周村区青年路街道社区服务中心"),
        Spec(("jingkai", 1), "school", "科普进校园：无人机编程体验课", S.PUBLISHED,
             ("students",), [(5, "14:00", 90, 150)]),
        # Awaiting the area --------------------------------------------------------------------
        Spec(("zhangdian", 1), "school", "小小发明家科学实验课", S.PENDING_AREA,
             ("students",), [(3, "14:00", 90, 200)]),
        Spec(("boshan", 0), "exhibition", "琉璃新材料科普展", S.PENDING_AREA,
             ("public",), [(1, "09:00", 480, 300)]),
        Spec(("zichuan", 1), "contest", "淄川区青少年科技创新大赛", S.PENDING_AREA,
             ("students", "teachers"), [(6, "08:30", 240, 200)]),
        Spec(("wenchanghu", 0), "countryside", "科技下乡：生态农业技术培训", S.PENDING_AREA,
             ("farmers",), [(4, "09:00", 150, 80)], venue="文昌湖区商家镇农技服务站"),
        Spec(("huantai", 1), "lecture", "科学家进校园报告会", S.PENDING_AREA,
             ("students", "teachers"), [(9, "15:00", 90, 600)]),
        Spec(("linzi", 2), "youth", "稷下小学科学节", S.PENDING_AREA,
             ("students", "children"), [(7, "08:30", 240, 500)]),
        # Awaiting the city ----------------------------------------------------------------
        Spec(("dept", 4), "science_night", "黄河流域生态保护科普嘉年华", S.PENDING_CITY,
             ("public", "children"), [(5, "18:30", 180, 1200)], venue="高青县黄河湿地公园广场",
             area="gaoqing", extra={"expected_participants": 1200}),
        Spec(("jingkai", 0), "enterprise", "科普进企业：智能制造开放体验", S.PENDING_CITY,
             ("enterprise_staff", "public"), [(3, "09:00", 180, 100)]),
        Spec(("gaoqing", 1), "countryside", "科技下乡：黄河滩区特色种植技术", S.PENDING_CITY,
             ("farmers",), [(6, "08:30", 180, 100)], venue="高青县木李镇农民培训学校"),
        Spec(("dept", 0), "lecture", "中小学科学教育专题讲座", S.PENDING_CITY,
             ("teachers",), [(8, "14:30", 120, 300)], venue="淄博市教育局报告厅", area="zhangdian"),
        Spec(("wenchanghu", 1), "contest", "青少年自然笔记大赛", S.PENDING_CITY,
             ("students", "children"), [(2, "09:00", 240, 150)]),
        Spec(("zhoucun", 0), "other", "丝绸文化与纺织科技体验活动", S.PENDING_CITY,
             ("public", "students"), [(4, "09:00", 240, 120)]),
        # Returned, drafts, withdrawn, cancelled ------------------------------------------------
        Spec(("boshan", 1), "youth", "青少年科技模型展演", S.RETURNED,
             ("students",), [(5, "09:00", 180, 300)],
             reason="请补充活动具体地址和现场安全保障措施。"),
        Spec(("zhangdian", 0), "lecture", "人工智能科普讲座", S.RETURNED,
             ("public", "students"), [(9, "14:30", 90, 250)],
             reason="主讲人及讲座内容需完成保密审查后重新提交。", returned_by_city=True),
        Spec(("dept", 2), "countryside", "智慧农业科技下乡行", S.RETURNED,
             ("farmers",), [(4, "08:30", 180, 150)], venue="淄川区双杨镇农业服务中心",
             area="zichuan", reason="活动时间与启动仪式冲突，请调整场次。", returned_by_city=True),
        Spec(("zhangdian", 0), "community", "科技馆流动科普大篷车进社区", S.DRAFT,
             ("residents", "children"), [(8, "15:00", 120, 200)], venue="张店区和平街道社区广场"),
        Spec(("linzi", 0), "enterprise", "新材料科普进企业", S.DRAFT,
             ("enterprise_staff",), [(9, "09:30", 120, 80)]),
        Spec(("gaoxin", 0), "online", "淄博科学城云展厅导览", S.DRAFT,
             ("public",), [], mode=Mode.ONLINE),
        Spec(("yiyuan", 1), "lecture", "果树病虫害绿色防控讲座", S.WITHDRAWN,
             ("farmers",), [(6, "09:00", 120, 100)]),
        Spec(("dept", 3), "community", "健康科普进社区", S.WITHDRAWN,
             ("residents", "seniors"), [(7, "09:00", 120, 150)], venue="周村区城北路街道社区卫生服务中心",
             area="zhoucun"),
        Spec(("huantai", 1), "contest", "桓台县中学生科技竞赛", S.CANCELLED,
             ("students",), [(9, "08:30", 240, 300)],
             reason="因比赛场馆检修，活动取消，改期另行通知。"),
    ]  # fmt: skip


def tiny_pdf(title: str) -> bytes:
    """A minimal valid one-page PDF (ASCII title only), with a correct xref table."""
    stream = f"BT /F1 18 Tf 72 720 Td ({title}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def _at(day: date, hhmm: str) -> datetime:
    hour, minute = (int(x) for x in hhmm.split(":"))
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


class _Builder:
    def __init__(self, loader):
        self.loader = loader
        users = {u.username: u for u in get_user_model().objects.filter(
            username__in=["organizer", *(f"area-{s}" for s in loader.areas), "unit-zhangdian",
                          "unit-linzi"])}  # fmt: skip
        self.users = users
        self.unit_users = {
            loader.units["zhangdian"][0].pk: users.get("unit-zhangdian"),
            loader.units["linzi"][0].pk: users.get("unit-linzi"),
        }
        self.content_type = ContentType.objects.get_for_model(Activity)
        self.audits: list[tuple[AuditEntry, datetime]] = []
        self.stamps: list[tuple[Activity, datetime, datetime]] = []

    def host_of(self, spec: Spec) -> tuple[Organization, Organization]:
        slug, index = spec.host
        if slug == "dept":
            return self.loader.city_departments[index], self.loader.areas[spec.area]
        unit = self.loader.units[slug][index]
        return unit, self.loader.areas[slug]

    def host_actor(self, host: Organization):
        """Who filed for the host: its demo account, else its area's admin (who may act for
        its units); city departments have no demo account (the entry carries only a name)."""
        if host.pk in self.unit_users and self.unit_users[host.pk] is not None:
            return self.unit_users[host.pk], ""
        if host.area_id is not None:
            slug = next(s for s, a in self.loader.areas.items() if a.pk == host.area_id)
            return self.users.get(f"area-{slug}"), ""
        return None, f"{host.name} 联络员"

    def audit(self, activity, when, action, actor, *, name="", changes=None, reason=""):
        entry = AuditEntry(
            actor=actor,
            actor_name=str(actor) if actor is not None else name,
            action=action,
            content_type=self.content_type,
            object_id=str(activity.pk),
            object_repr=activity.title[:255],
            organization_id=activity.host_id,
            changes=changes or {},
            reason=reason,
        )
        self.audits.append((entry, when))

    def build(
        self, edition: Edition, specs: list[Spec], *, filed: datetime, spacing: timedelta
    ) -> None:
        categories = {c.code: c for c in Category.objects.filter(edition=edition)}
        focus_areas = list(edition.focus_areas.order_by("position"))
        activities, plans = [], []
        for i, spec in enumerate(specs):
            host, area = self.host_of(spec)
            venue = spec.venue or (host.name if spec.mode != Mode.ONLINE else "")
            focus = FOCUS_BY_CATEGORY.get(spec.category, 3)
            activity = Activity(
                edition=edition,
                host=host,
                area=area,
                title=spec.title,
                summary=f"{edition.year}年科技活动周{categories[spec.category].name}活动。",
                description=f"围绕“{edition.theme}”主题，{host.name}举办{spec.title}，"
                "欢迎社会公众参与。\n\n- 活动形式：现场讲解、互动体验\n- 注意事项：请遵守现场秩序",
                category=categories[spec.category],
                focus_area=focus_areas[focus] if len(focus_areas) > focus else None,
                mode=spec.mode,
                venue_name=venue,
                address=f"山东省淄博市{area.name}{venue}" if venue else "",
                livestream_url=(
                    f"https://live.bilibili.com/zibo-sciweek/{edition.year}/{i + 1}"
                    if spec.mode != Mode.OFFLINE
                    else ""
                ),
                lead_name=f"{SURNAMES[(i + 7) % len(SURNAMES)]}主任",
                contact_name=f"{SURNAMES[i % len(SURNAMES)]}老师",
                contact_phone=f"1385330{(edition.year % 100) * 100 + i:04d}",
                confidentiality_checked=spec.state != S.DRAFT or i % 2 == 0,
                state=spec.state,
                last_reason=spec.reason,
                **{"expected_participants": sum(s[3] for s in spec.sessions) or None, **spec.extra},
            )
            if spec.category == "launch":
                activity.co_host_names = "淄博市各区县科技局"
            activities.append(activity)
            plans.append((spec, activity))
        Activity.objects.bulk_create(activities)

        tags, sessions, co_hosts = [], [], []
        for spec, activity in plans:
            tags += [AudienceTag(activity=activity, audience=a) for a in spec.audiences]
            for day, start, minutes, capacity in spec.sessions:
                starts = _at(edition.start_date + timedelta(days=day), start)
                session = Session(
                    activity=activity,
                    starts_at=starts,
                    ends_at=starts + timedelta(minutes=minutes),
                    capacity=capacity,
                )
                if activity.booking_required:
                    session.booking_closes_at = starts - timedelta(hours=2)
                    if activity.max_group_size == 50:  # school classes book two weeks ahead
                        session.booking_opens_at = _at(
                            edition.start_date - timedelta(days=14), "09:00"
                        )
                sessions.append(session)
            if spec.category in ("launch", "scientist_spirit", "workers_day"):
                co_hosts += [
                    Activity.co_hosts.through(activity_id=activity.pk, organization_id=o.pk)
                    for o in self.loader.co_organizers
                ]
        AudienceTag.objects.bulk_create(tags)
        Session.objects.bulk_create(sessions)
        Activity.co_hosts.through.objects.bulk_create(co_hosts)
        last_end = {}
        for s in sessions:
            last_end[s.activity_id] = max(last_end.get(s.activity_id, s.ends_at), s.ends_at)

        by_activity: dict[int, list[Session]] = {}
        for s in sessions:
            by_activity.setdefault(s.activity_id, []).append(s)
        held, coverage = [], []
        for i, (spec, activity) in enumerate(plans):
            documents = []
            if spec.extra.get("police_permit_number"):
                documents = _attach_plans(activity, self.host_actor(activity.host)[0])
            if activity.state == S.HELD:
                _results(activity, i, by_activity.get(activity.pk, []))
                held.append(activity)
                if i % 4 == 0:
                    coverage += _coverage(activity, i, last_end[activity.pk])
            self.history(activity, spec, filed + spacing * i, last_end.get(activity.pk), documents)
        Activity.objects.bulk_update(held, [*RESULT_FIELDS, "budget"])
        MediaCoverage.objects.bulk_create(coverage)

    def history(
        self, activity: Activity, spec: Spec, created: datetime, last_end, documents
    ) -> None:
        host_actor, host_name = self.host_actor(activity.host)
        area_slug = next(s for s, a in self.loader.areas.items() if a.pk == activity.area_id)
        area_reviewer = self.users.get(f"area-{area_slug}")
        organizer = self.users.get("organizer")
        has_area = activity.host.area_id is not None
        step = timedelta(hours=20) if activity.state == S.HELD else timedelta(hours=11)
        when = created

        def move(action, before, after, actor, *, name="", reason=""):
            nonlocal when
            when += step
            self.audit(activity, when, f"activity.{action}", actor, name=name,
                       changes={"state": [before, after]}, reason=reason)  # fmt: skip
            activity.state_changed_at = when

        self.audit(activity, when, "activity.create", host_actor, name=host_name,
                   changes={"title": [None, activity.title]})  # fmt: skip
        activity.state_changed_at = when
        for document in documents:
            self.audit(activity, when + timedelta(minutes=30), "activity.document_add",
                       host_actor, name=host_name,
                       changes={"kind": [None, document.kind],
                                "file": [None, document.original_name]})  # fmt: skip
        if activity.state == S.DRAFT:
            self.stamps.append((activity, created, when))
            return
        first = S.PENDING_AREA if has_area else S.PENDING_CITY
        move("submit", S.DRAFT, first, host_actor, name=host_name)
        activity.submitted_at = when
        state = first
        if activity.state == S.WITHDRAWN:
            move("withdraw", state, S.WITHDRAWN, host_actor, name=host_name)
        elif activity.state == S.RETURNED:
            if spec.returned_by_city and has_area:
                move("approve", S.PENDING_AREA, S.PENDING_CITY, area_reviewer)
                state = S.PENDING_CITY
            reviewer = organizer if state == S.PENDING_CITY else area_reviewer
            move("return", state, S.RETURNED, reviewer, reason=spec.reason)
        elif activity.state != S.PENDING_AREA:
            if has_area:
                move("approve", S.PENDING_AREA, S.PENDING_CITY, area_reviewer)
            if activity.state != S.PENDING_CITY:
                move("approve", S.PENDING_CITY, S.PUBLISHED, organizer)
                activity.published_at = when
                if activity.state == S.CANCELLED:
                    move("cancel", S.PUBLISHED, S.CANCELLED, host_actor, name=host_name,
                         reason=spec.reason)  # fmt: skip
                elif activity.state == S.HELD:
                    when = max(when, last_end) if last_end else when
                    move("mark_held", S.PUBLISHED, S.HELD, host_actor, name=host_name)
                    self.audit(activity, when, "activity.results", host_actor,
                               changes={"onsite_participants": [None, activity.onsite_participants],
                                        "online_participants": [None, activity.online_participants],
                                        "st_workers": [None, activity.st_workers],
                                        "volunteers": [None, activity.volunteers],
                                        "actual_cost": [None, str(activity.actual_cost)]})  # fmt: skip
        self.stamps.append((activity, created, when))

    def finish(self) -> None:
        entries = [entry for entry, _ in self.audits]
        AuditEntry.objects.bulk_create(entries)
        # created_at is auto_now_add: bulk_update writes the historical times as given.
        for entry, when in self.audits:
            entry.created_at = when
        AuditEntry.objects.bulk_update(entries, ["created_at"], batch_size=500)
        for activity, created, last in self.stamps:
            activity.created_at = created
            activity.updated_at = last
        Activity.objects.bulk_update(
            [a for a, _, _ in self.stamps],
            ["created_at", "updated_at", "state_changed_at", "submitted_at", "published_at"],
            batch_size=200,
        )


def _results(activity: Activity, index: int, sessions: list[Session]) -> None:
    capacity = sum(s.capacity for s in sessions)
    activity.onsite_participants = capacity * (80 + (index * 7) % 19) // 100
    activity.online_participants = (
        0 if activity.mode == Mode.OFFLINE else 1200 + (index * 1733) % 9000
    )
    activity.st_workers = 4 + (index * 5) % 23
    activity.volunteers = 6 + (index * 3) % 17
    if activity.budget is None:
        activity.budget = Decimal(3000 + (index * 1700) % 12000)
    # Spent a little under (sometimes over) the budget, as a bureau's books would show.
    activity.actual_cost = activity.budget * (85 + (index * 11) % 25) // 100


def _coverage(activity: Activity, index: int, ended: datetime) -> list[MediaCoverage]:
    day = timezone.localdate(ended)
    return [
        MediaCoverage(
            activity=activity,
            outlet=OUTLETS[(index + n) % len(OUTLETS)],
            title=f"{activity.title}成功举办"
            if n == 0
            else f"{activity.host.name}：{activity.title}",
            published_on=day + timedelta(days=n),
        )
        for n in range(1 + index % 2)
    ]


def _attach_plans(activity: Activity, actor) -> list[ActivityDocument]:
    documents = []
    for kind, name, title in (
        (DocumentKind.SAFETY_PLAN, "安全工作方案.pdf", "Safety plan"),
        (DocumentKind.EMERGENCY_PLAN, "应急预案.pdf", "Emergency plan"),
    ):
        content = tiny_pdf(f"{title}: Zibo Science Night {activity.edition.year}")
        key = hashlib.sha256(f"sciweek-demo:{activity.pk}:{kind}".encode()).hexdigest()[:32]
        document = ActivityDocument(
            activity=activity,
            kind=kind,
            storage_key=f"{key}.pdf",
            original_name=name,
            content_type="application/pdf",
            size=len(content),
            uploaded_by=actor,
        )
        document.file.save(document.storage_key, ContentFile(content), save=False)
        document.save()
        documents.append(document)
    return documents


def load_activities(loader) -> None:
    """Add the demo activities to the 2023 edition and the current one, each only if it has
    none yet."""
    from .loader import next_may_year

    editions = []
    past = Edition.objects.filter(year=2023).first()
    if past is not None:
        editions.append((past, SPECS_2023, _at(date(2023, 5, 9), "09:00")))
    year = next_may_year(loader.today)
    current = Edition.objects.filter(year=year).first()
    if current is not None and current != past:
        # The current notice went out four days ago; units have been filing since.
        filed = timezone.now().replace(minute=0, second=0, microsecond=0) - timedelta(days=4)
        editions.append((current, specs_current(year), filed))

    builder = _Builder(loader)
    for edition, specs, filed in editions:
        if not edition.activities.exists():
            # The 2023 units filed over a week; this year's over the days since the notice.
            spacing = timedelta(hours=3) if edition == past else timedelta(minutes=40)
            builder.build(edition, specs, filed=filed, spacing=spacing)
    builder.finish()
    # Rows written directly: their list column as the session services keep it.
    Activity.objects.filter(edition__in=[e for e, _, _ in editions]).refresh_first_start()
