"""`sciweek demo`: the Zibo 2023 edition exactly as the notice states it, every recipient, every
demo account; a second run changes nothing."""

import os
import sqlite3
import subprocess
import sys
from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command
from django.utils import timezone

from sciweek.campaigns.enums import EditionStatus, NoticeStatus
from sciweek.campaigns.models import Edition, Notice, NoticeRecipient
from sciweek.demo.loader import DEMO_PASSWORD
from sciweek.organizations.enums import OrganizationKind, Role
from sciweek.organizations.models import Membership, Organization

pytestmark = pytest.mark.django_db

AREA_CODES = {
    "张店区": "370303",
    "淄川区": "370302",
    "博山区": "370304",
    "临淄区": "370305",
    "周村区": "370306",
    "桓台县": "370321",
    "高青县": "370322",
    "沂源县": "370323",
    "淄博高新技术产业开发区": "",
    "淄博经济开发区": "",
    "淄博文昌湖省级旅游度假区": "",
}
DISTRICTS_AND_COUNTIES = [name for name, code in AREA_CODES.items() if code]
ZONE_RECIPIENTS = [
    "高新区科技发展中心",
    "高新区宣传新闻中心",
    "经开区工科局",
    "经开区南部生态产业新城发展中心政务协调服务部",
    "文昌湖区经发局",
    "文昌湖区工委宣传部",
]
CITY_DEPARTMENTS = [
    "淄博市教育局",
    "淄博市工业和信息化局",
    "淄博市农业农村局",
    "淄博市卫生健康委员会",
    "淄博市生态环境局",
    "淄博市气象局",
]
# 各区县科技局、党委宣传部、科协 + the zones' bodies + 市直有关部门
NOTICE_RECIPIENTS = sorted(
    [
        f"{name}{suffix}"
        for name in DISTRICTS_AND_COUNTIES
        for suffix in ("科技局", "委宣传部", "科协")
    ]
    + ZONE_RECIPIENTS
    + CITY_DEPARTMENTS
)
DEMO_USERS = [
    "organizer",
    "area-zhangdian",
    "area-zichuan",
    "area-boshan",
    "area-linzi",
    "area-zhoucun",
    "area-huantai",
    "area-gaoqing",
    "area-yiyuan",
    "area-gaoxin",
    "area-jingkai",
    "area-wenchanghu",
    "unit-zhangdian",
    "unit-linzi",
    "gate-zhangdian",
    "juror-zhangdian",
    "juror-linzi",
    "juror-boshan",
    "juror-city",
    "juror-expert",
    "admin",
]


def load_demo() -> str:
    out = StringIO()
    call_command("demo", "--no-serve", stdout=out)
    return out.getvalue()


def project_models():
    return sorted((m for m in apps.get_models() if not m._meta.proxy), key=lambda m: m._meta.label)


def dump() -> dict[str, list[dict]]:
    """Every row of every model, in a stable order."""
    return {m._meta.label: list(m.objects.order_by("pk").values()) for m in project_models()}


def test_demo_loads_the_2023_edition_as_the_notice_states():
    output = load_demo()
    assert "SciWeek demo is ready." in output
    edition = Edition.objects.get(year=2023)
    assert edition.title == "2023年淄博市科技活动周"
    assert edition.theme == "热爱科学 崇尚科学"
    assert (edition.start_date, edition.end_date) == (date(2023, 5, 20), date(2023, 5, 31))
    assert edition.summary_deadline == date(2023, 6, 12)
    assert edition.receiving_section == "市科技局人才与成果科"
    assert edition.receiving_email == "zbkjjrcycgk@zb.shandong.cn"
    assert edition.status == EditionStatus.PUBLISHED
    assert list(edition.basis_documents.values_list("number", flat=True)) == [
        "国科函才〔2023〕65号",
        "鲁科字〔2023〕27号",
    ]
    assert list(edition.focus_areas.values_list("title", flat=True)) == [
        "深入学习宣传贯彻党的二十大精神",
        "广泛宣传《关于新时代进一步加强科学技术普及工作的意见》精神",
        "大力传承和弘扬科学家精神",
        "广泛开展各类特色科技活动",
    ]
    assert edition.organizer.name == "淄博市科学技术局"
    assert edition.organizer.kind == OrganizationKind.CITY_BUREAU
    notice = edition.notices.get()
    assert notice.title == "关于举办2023年科技活动周的通知"
    assert notice.status == NoticeStatus.PUBLISHED
    assert "国科函才〔2023〕65号" in notice.body
    assert "鲁科字〔2023〕27号" in notice.body


def test_demo_loads_the_organisations():
    load_demo()
    bureau = Organization.objects.get(kind=OrganizationKind.CITY_BUREAU)
    assert (bureau.name, bureau.short_name) == ("淄博市科学技术局", "市科技局")
    co = Organization.objects.filter(kind=OrganizationKind.CO_ORGANIZER)
    assert sorted(co.values_list("short_name", flat=True)) == ["市委宣传部", "市科协"]
    assert all(org.parent_id == bureau.pk for org in co)
    areas = Organization.objects.filter(kind=OrganizationKind.AREA)
    assert {a.name: a.division_code for a in areas} == AREA_CODES
    assert all(a.parent_id == bureau.pk and a.area_id == a.pk for a in areas)
    assert {a.name for a in areas if a.area_type == "zone"} == {
        name for name, code in AREA_CODES.items() if not code
    }
    # A few host units in every area.
    for area in areas:
        units = Organization.objects.filter(kind=OrganizationKind.HOST_UNIT, area=area)
        assert units.count() >= 2, area.name


def test_demo_notice_goes_to_every_recipient_the_notice_names():
    load_demo()
    notice = Notice.objects.get(edition__year=2023)
    names = sorted(notice.deliveries.values_list("organization__name", flat=True))
    assert names == NOTICE_RECIPIENTS
    # Department recipients sit in their area.
    zhangdian = Organization.objects.get(name="张店区")
    assert Organization.objects.get(name="张店区科技局").area_id == zhangdian.pk


def test_demo_has_acknowledged_and_unacknowledged_recipients():
    load_demo()
    for notice in Notice.objects.all():
        acknowledged = notice.deliveries.filter(acknowledged_at__isnull=False)
        pending = notice.deliveries.filter(acknowledged_at__isnull=True)
        assert acknowledged.exists(), notice.title
        assert pending.exists(), notice.title
    current = Notice.objects.exclude(edition__year=2023).get()
    # 张店区科技局 has not acknowledged this year's notice, so the acknowledgement can be tried.
    zhangdian = current.deliveries.get(organization__name="张店区科技局")
    assert zhangdian.acknowledged_at is None
    linzi = current.deliveries.get(organization__name="临淄区科技局")
    assert linzi.acknowledged_by.username == "area-linzi"


def test_demo_current_edition_is_next_may_copied_from_2023():
    load_demo()
    today = timezone.localdate()
    year = today.year if today <= date(today.year, 5, 31) else today.year + 1
    source = Edition.objects.get(year=2023)
    current = Edition.objects.get(year=year)
    assert current.copied_from == source
    assert current.status == EditionStatus.PUBLISHED
    assert (current.start_date, current.end_date) == (date(year, 5, 20), date(year, 5, 31))
    assert current.summary_deadline == date(year, 6, 12)
    assert current.theme == source.theme
    assert list(current.focus_areas.values_list("title", flat=True)) == list(
        source.focus_areas.values_list("title", flat=True)
    )
    # 2023's document numbers carried over are flagged for the new year, as a copy flags them.
    assert list(current.basis_documents.values_list("needs_update", flat=True)) == [True, True]
    assert not source.basis_documents.filter(needs_update=True).exists()
    assert current.notices.get().status == NoticeStatus.PUBLISHED
    assert Edition.objects.count() == 2


def test_demo_accounts_can_sign_in(client):
    load_demo()
    for username in DEMO_USERS:
        response = client.post(
            "/accounts/login/", {"username": username, "password": DEMO_PASSWORD}
        )
        assert response.status_code == 302, username
        assert response["Location"] == "/office/", username
        client.post("/accounts/logout/")


def test_demo_accounts_have_their_roles():
    load_demo()

    def roles(username):
        return sorted(
            (m.organization.name, m.role)
            for m in Membership.objects.filter(user__username=username).select_related(
                "organization"
            )
        )

    assert roles("organizer") == [
        ("淄博市科学技术局", Role.ADMIN),
        ("淄博市科学技术局", Role.REVIEWER),
    ]
    assert roles("area-zhangdian") == [("张店区", Role.ADMIN), ("张店区", Role.REVIEWER)]
    assert roles("gate-zhangdian") == [("淄博市科技馆", Role.GATE_STAFF)]
    assert roles("unit-linzi")[0][0] == "临淄化工新材料研究院"
    assert roles("admin") == []
    admin = apps.get_model("accounts", "User").objects.get(username="admin")
    assert admin.is_superuser and admin.is_staff


def test_demo_twice_changes_nothing():
    load_demo()
    counts = {label: len(rows) for label, rows in dump().items()}
    before = dump()
    assert counts["campaigns.NoticeRecipient"] == 2 * len(NOTICE_RECIPIENTS)
    output = load_demo()
    after = dump()
    assert {label: len(rows) for label, rows in after.items()} == counts
    assert after == before
    assert "SciWeek demo is ready." in output
    assert NoticeRecipient.objects.count() == 2 * len(NOTICE_RECIPIENTS)


def test_demo_sends_no_mail_and_invents_no_notice_history():
    load_demo()
    assert apps.get_model("notifications", "OutboxMessage").objects.count() == 0
    # The notices' past is written as rows, not replayed through the services.
    audit = apps.get_model("audit", "AuditEntry").objects
    assert not audit.filter(action__startswith="notice.").exists()
    assert not audit.filter(action__startswith="edition.").exists()


def test_console_script_and_python_m_in_a_fresh_data_dir(tmp_path):
    """The real `sciweek` console script (cli.py) and `python -m sciweek` (__main__.py)."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key
        not in {
            "DATABASE_URL",
            "REDIS_URL",
            "SCIWEEK_PROFILE",
            "DJANGO_SETTINGS_MODULE",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        }
    }
    env["SCIWEEK_DATA_DIR"] = str(tmp_path)
    script = Path(sys.executable).with_name("sciweek")
    assert script.exists()
    first = subprocess.run(
        [str(script), "demo", "--no-serve"], env=env, capture_output=True, text=True, timeout=300
    )
    assert first.returncode == 0, first.stderr
    assert "Demo accounts (password for all: sciweek-demo):" in first.stdout
    for username in DEMO_USERS:
        assert f"  {username} " in first.stdout
    database = tmp_path / "sciweek.sqlite3"
    assert database.exists()

    def counts():
        with sqlite3.connect(database) as conn:
            return {
                table: conn.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]  # noqa: S608
                for table in (
                    "organizations_organization",
                    "organizations_membership",
                    "accounts_user",
                    "campaigns_edition",
                    "campaigns_notice",
                    "campaigns_noticerecipient",
                )
            }

    before = counts()
    assert before["accounts_user"] == len(DEMO_USERS)
    assert before["campaigns_edition"] == 2
    second = subprocess.run(
        [sys.executable, "-m", "sciweek", "demo", "--no-serve"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert second.returncode == 0, second.stderr
    assert counts() == before
    # Argon2 outside the tests, as in production.
    with sqlite3.connect(database) as conn:
        (password,) = conn.execute(
            "SELECT password FROM accounts_user WHERE username = 'organizer'"
        ).fetchone()
    assert password.startswith("argon2$")


def test_demo_2023_exhibits_were_scored_by_the_jury_and_the_best_selected():
    from sciweek.exhibition.jury_selectors import results
    from sciweek.exhibition.models import Assignment, Jury

    load_demo()
    held = Jury.objects.get(ceremony__edition__year=2023)
    assert held.is_closed
    assert [(c.name, c.weight) for c in held.criteria.all()] == [
        ("创新性", 40), ("科普性", 30), ("展示效果", 30)
    ]  # fmt: skip
    assert sorted(held.jurors.values_list("user__username", flat=True)) == [
        "juror-boshan", "juror-city", "juror-expert", "juror-linzi", "juror-zhangdian"
    ]  # fmt: skip
    rows = results(held)
    assert len(rows) == 30 and {r.count for r in rows} == {3}
    assert [r.exhibit.state for r in rows] == ["selected"] * 24 + ["declined"] * 6
    pairs = Assignment.objects.filter(juror__jury=held).select_related(
        "juror", "exhibit__submitter"
    )
    assert pairs.count() == 90
    assert all(
        a.juror.area_id is None or a.juror.area_id != a.exhibit.submitter.area_id for a in pairs
    )
    assert all(a.juror.organization_id != a.exhibit.submitter_id for a in pairs)
    current = Jury.objects.exclude(pk=held.pk).get()
    assert not current.is_closed
    assert Assignment.objects.filter(juror__jury=current, scored_at__isnull=True).count() == 21
    assert current.ceremony.exhibits.filter(state="at_area").count() == 2
