"""The launch ceremonies of the demo: 2023 at 淄博科学城, held (guests answered and arrived, 30
exhibits from all areas scored by the city's jury, a selection), and the current year's, open for
answers and submissions (two units' exhibits wait for their area; the jury has its first
assignments, not scored yet).

Written as the history it records (dated answers and decisions), not replayed through the
services: it is loaded once per database and skipped when the ceremony exists."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.utils import timezone

from sciweek.activities.models import Activity
from sciweek.campaigns.models import Edition
from sciweek.exhibition.enums import ExhibitState, GuestCategoryKind, GuestState, Strategy
from sciweek.exhibition.jury_services import conflict
from sciweek.exhibition.models import (
    Assignment,
    Ceremony,
    Criterion,
    Exhibit,
    Guest,
    GuestCategory,
    Juror,
    Jury,
    ProgrammeItem,
    Quota,
    Score,
)

K = GuestCategoryKind
PLACES = {K.CITY_LEADER: 12, K.THREE_DEPARTMENTS: 30, K.AREA_HEAD: 40, K.ENTERPRISE: 160,
          K.STUDENT: 400, K.MEDIA: 30, K.OTHER: 60}  # fmt: skip
# Per area: area heads, enterprise S&T workers, students (张店区 as the issue says).
QUOTA = {K.AREA_HEAD: 2, K.ENTERPRISE: 5, K.STUDENT: 20}
LEADERS = [("王建华", "淄博市人民政府", "副市长"), ("李振国", "中共淄博市委宣传部", "副部长"),
           ("张文涛", "淄博市科学技术局", "局长"), ("刘雅琴", "淄博市科学技术协会", "党组书记")]  # fmt: skip
PROGRAMME = [
    ("09:00", "主持人介绍出席领导和嘉宾", "刘雅琴", "市科协党组书记"),
    ("09:05", "领导致辞", "王建华", "副市长"),
    ("09:15", "宣读科技活动周活动安排", "张文涛", "市科技局局长"),
    ("09:25", "启动仪式", "", ""),
    ("09:35", "参观科技创新成果展、现场科普互动", "", ""),
]
FIELDS = ["新材料", "生物医药", "智能制造", "新能源", "节能环保", "现代农业"]
TITLES = ["高性能陶瓷膜水处理装备", "黄河滩区盐碱地改良技术", "氢燃料电池重卡示范", "光伏建筑一体化系统",
          "工业废气低碳治理装置", "智慧灌溉物联网平台", "生物可降解材料", "新型疫苗佐剂",
          "数控机床智能运维", "储能电池梯次利用", "湿地生态修复示范", "绿色建材循环利用"]  # fmt: skip
SURNAMES = "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张孔曹严华金魏陶姜"


def _at(day, hhmm: str) -> datetime:
    hours, minutes = map(int, hhmm.split(":"))
    return timezone.make_aware(datetime.combine(day, time(hours, minutes)))


def _mobile(year: int, n: int) -> str:
    return f"1376330{(year % 10) * 1000 + n:04d}"[:11]


def load_exhibition(loader) -> None:
    for edition in Edition.objects.order_by("year"):
        activity = (
            Activity.objects.filter(edition=edition, category__code="launch").order_by("pk").first()
        )
        if activity is None or Ceremony.objects.filter(edition=edition).exists():
            continue
        _ceremony(loader, edition, activity, held=edition.year == 2023)


def _ceremony(loader, edition, activity, *, held: bool) -> None:
    session = activity.sessions.order_by("starts_at").first()
    starts = session.starts_at if session else _at(edition.start_date, "09:00")
    ceremony = Ceremony.objects.create(
        edition=edition, activity=activity, title=activity.title, venue="淄博科学城",
        sub_venue="科技创新成果展厅", starts_at=starts, ends_at=starts + timedelta(hours=2, minutes=30),
        livestream_url=activity.livestream_url,
        rsvp_deadline=starts - timedelta(days=5), exhibit_deadline=starts - timedelta(days=20),
        booth_count=24,
    )  # fmt: skip
    ProgrammeItem.objects.bulk_create(
        ProgrammeItem(ceremony=ceremony, order=i, starts_at=time(*map(int, t.split(":"))),
                      title=title, speaker=speaker, speaker_post=post)
        for i, (t, title, speaker, post) in enumerate(PROGRAMME)
    )  # fmt: skip
    categories = {
        kind: GuestCategory.objects.create(ceremony=ceremony, kind=kind, places=n, order=i)
        for i, (kind, n) in enumerate(PLACES.items())
    }
    areas = list(loader.areas.values())
    Quota.objects.bulk_create(
        Quota(ceremony=ceremony, area=area, category=categories[kind], places=n)
        for area in areas
        for kind, n in QUOTA.items()
    )
    organizer = _organizer()
    guests, n = [], 0

    def guest(category, area, name, org, post, **extra):
        nonlocal n
        n += 1
        guests.append(Guest(ceremony=ceremony, category=categories[category], area=area,
                            name=name, organization_name=org, post=post,
                            mobile=_mobile(edition.year, n), seat_order=n, added_by=organizer,
                            **extra))  # fmt: skip

    for name, org, post in LEADERS:
        guest(K.CITY_LEADER, None, name, org, post)
    # Areas fill their delegations; in the current year, three have not finished.
    for a, area in enumerate(areas):
        short = area.short_name or area.name
        behind = not held and a >= len(areas) - 3
        guest(K.AREA_HEAD, area, f"{SURNAMES[a]}志强", f"{area.name}人民政府", "副区长")
        if not behind:
            guest(K.AREA_HEAD, area, f"{SURNAMES[a + 1]}海燕", f"{short}科技局", "局长")
        for e in range(5 if not behind else 2):
            guest(K.ENTERPRISE, area, f"{SURNAMES[(a + e) % 30]}{'明伟芳军静'[e]}",
                  f"{short}{FIELDS[e]}企业", "研发总监")  # fmt: skip
        for s in range(20 if not behind else 8):
            guest(K.STUDENT, area, f"{SURNAMES[(a * 3 + s) % 30]}{'子涵浩然雨萱一诺梓轩'[s % 10]}",
                  f"{short}实验中学", "学生", teacher=f"{SURNAMES[a]}老师")  # fmt: skip
    for g in guests:
        g.state = GuestState.INVITED
    # Answers: 2023 everyone answered and most came; the current year, about half so far.
    for i, g in enumerate(guests):
        if held or i % 2 == 0:
            g.answered_at = ceremony.rsvp_deadline - timedelta(days=3, minutes=i)
            if i % 17 == 5:
                g.state = GuestState.DECLINED
            elif i % 23 == 7:
                g.state = GuestState.SUBSTITUTED
                g.substitute_name, g.substitute_mobile = "周代表", _mobile(edition.year, 900 + i)
                g.substitute_post = "副局长"
            else:
                g.state = GuestState.ATTENDING
            if held and g.state != GuestState.DECLINED and i % 11 != 3:
                g.state = GuestState.CHECKED_IN
                g.checked_in_at = starts - timedelta(minutes=30 - i % 30)
    Guest.objects.bulk_create(guests)
    _exhibits(loader, ceremony, held=held)


def _organizer():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(username="organizer").first()


def _exhibits(loader, ceremony, *, held: bool) -> None:
    submitters = [*loader.areas.values(), *loader.city_departments[:3]]
    count = 30 if held else 10
    exhibits = []
    for i in range(count):
        org = submitters[i % len(submitters)]
        state = ExhibitState.SUBMITTED
        if held:
            state = ExhibitState.SELECTED if i < 24 else ExhibitState.DECLINED
        elif i >= 7:
            state = ExhibitState.DRAFT
        exhibits.append(Exhibit(
            ceremony=ceremony, submitter=org, title=f"{TITLES[i % len(TITLES)]}（{org.short_name or org.name}）",
            unit_name=(loader.units.get(org.slug) or [org])[0].name if org.slug else org.name,
            field=FIELDS[i % len(FIELDS)],
            strategy=[Strategy.YELLOW_RIVER, Strategy.GREEN_LOW_CARBON, Strategy.OTHER][i % 3],
            description="成果简介：该成果服务于黄河流域生态保护和高质量发展及绿色低碳高质量发展先行区建设，"
            "已在本地企业推广应用，具有良好的经济和社会效益。",
            space_sqm=9 + (i % 3) * 3, needs_power=i % 2 == 0, needs_network=i % 3 == 0,
            interactive_demo=i % 4 == 0, confidentiality_checked=state != ExhibitState.DRAFT,
            state=state, booth_number=f"A{i + 1:02d}" if state == ExhibitState.SELECTED else "",
            last_reason="展位有限，本次未入选，欢迎明年继续申报。" if state == ExhibitState.DECLINED else "",
            submitted_at=ceremony.exhibit_deadline - timedelta(days=3) if state != ExhibitState.DRAFT else None,
            decided_at=ceremony.exhibit_deadline + timedelta(days=4) if held else None,
        ))  # fmt: skip
    if not held:
        # Two host units' exhibits, handed in, waiting for their area's approval.
        for slug in ("zhangdian", "linzi"):
            unit = loader.units[slug][0]
            exhibits.append(Exhibit(
                ceremony=ceremony, submitter=unit, title=f"{unit.name}科普互动展项", unit_name=unit.name,
                field="科学普及", strategy=Strategy.OTHER,
                description="面向青少年的互动体验展项，现场演示科学原理。", interactive_demo=True,
                confidentiality_checked=True, state=ExhibitState.AT_AREA,
                submitted_at=ceremony.exhibit_deadline - timedelta(days=2),
            ))  # fmt: skip
    Exhibit.objects.bulk_create(exhibits)
    _jury(loader, ceremony, held=held)
    if held:
        _exhibit_media(ceremony)


JURORS = [("juror-zhangdian", "zhangdian", "区科技局"), ("juror-linzi", "linzi", "区科技局"),
          ("juror-boshan", "boshan", "区科技局"), ("juror-city", None, "市教育局"),
          ("juror-expert", None, "山东理工大学 教授")]  # fmt: skip
COMMENTS = ["创新性突出，适合现场互动展示。", "科普性强，建议增加青少年体验环节。", "展示效果好，展板内容可再精炼。",
            "技术成熟，已有推广应用。", ""]  # fmt: skip


def _jury(loader, ceremony, *, held: bool) -> None:
    """The city's jury (创新性 40, 科普性 30, 展示效果 30; 0–10): each exhibit at the city given to
    three jurors, never one of its own area or organisation, the least loaded first. In 2023
    every juror scored (the selected exhibits are the best scored) and the jury is closed."""
    from django.contrib.auth import get_user_model

    users = {u.username: u for u in get_user_model().objects.filter(username__startswith="juror-")}
    jury = Jury.objects.create(
        ceremony=ceremony, scale_max=10, per_exhibit=3,
        closed_at=ceremony.exhibit_deadline + timedelta(days=3) if held else None,
    )  # fmt: skip
    criteria = [Criterion.objects.create(jury=jury, name=name, weight=weight, order=i)
                for i, (name, weight) in enumerate((("创新性", 40), ("科普性", 30), ("展示效果", 30)))]  # fmt: skip
    jurors = []
    for username, slug, title in JURORS:
        if username not in users:
            continue
        org = (
            loader.areas[slug]
            if slug
            else (loader.city_departments[0] if "city" in username else None)
        )
        jurors.append(Juror.objects.create(jury=jury, user=users[username], organization=org,
                                           area=org.area if org else None, title=title))  # fmt: skip
    at_city = list(
        Exhibit.objects.filter(ceremony=ceremony)
        .exclude(state__in=(ExhibitState.DRAFT, ExhibitState.AT_AREA))
        .select_related("submitter").order_by("pk")
    )  # fmt: skip
    load = dict.fromkeys((j.pk for j in jurors), 0)
    scored_at = ceremony.exhibit_deadline + timedelta(days=2)
    for i, exhibit in enumerate(at_city):
        eligible = sorted((j for j in jurors if conflict(j, exhibit) is None),
                          key=lambda j: (load[j.pk], j.pk))[:3]  # fmt: skip
        for n, juror in enumerate(eligible):
            load[juror.pk] += 1
            assignment = Assignment.objects.create(
                juror=juror, exhibit=exhibit, comment=COMMENTS[(i + n) % len(COMMENTS)] if held else "",
                scored_at=scored_at if held else None,
            )  # fmt: skip
            if held:
                # Falling with the exhibit's rank, so the 24 selected are the best scored.
                # Jurors disagree (their offsets cancel out per exhibit) and exhibits are
                # stronger in one criterion than another (the biases about cancel under weights).
                base = 9.4 - i * 0.17
                lean = ((i % 4) - 1.5) / 1.5
                Score.objects.bulk_create(
                    Score(assignment=assignment, criterion=c,
                          value=max(0, min(10, round(base + bias * lean
                                                     + ((i + n + k) % 3 - 1) * 1.2))))
                    for k, (c, bias) in enumerate(zip(criteria, (0.6, -0.9, 0.3), strict=True))
                )  # fmt: skip


def _exhibit_media(ceremony) -> None:
    """A photo for each of the first selected exhibits (and the video of the first), checked
    and re-encoded as an upload is; written directly, as the selection closed them to edits."""
    from django.core.files.base import ContentFile
    from django.core.files.uploadedfile import SimpleUploadedFile

    from sciweek.exhibition.enums import ExhibitMediaKind
    from sciweek.exhibition.models import ExhibitMedia
    from sciweek.media.validators.images import process_photo

    from .media import demo_photo, demo_video

    selected = Exhibit.objects.filter(ceremony=ceremony, state=ExhibitState.SELECTED)
    for n, exhibit in enumerate(selected.order_by("booth_number")[:6]):
        name = f"booth-{exhibit.booth_number}.jpg"
        photo = process_photo(
            SimpleUploadedFile(name, demo_photo(exhibit.title.split("（")[0], exhibit.field, n))
        )
        item = ExhibitMedia(
            exhibit=exhibit,
            kind=ExhibitMediaKind.PHOTO,
            alt_text=f"{exhibit.title}展位",
            original_name=name,
            content_type=photo.mime,
            size=len(photo.content),
            width=photo.width,
            height=photo.height,
        )
        item.file.save(f"{item.key.hex}.{photo.extension}", ContentFile(photo.content), save=False)
        item.thumbnail.save(f"{item.key.hex}-thumb.jpg", ContentFile(photo.thumbnail), save=False)
        item.save()
        if n == 0:
            video = demo_video()
            clip = ExhibitMedia(
                exhibit=exhibit,
                kind=ExhibitMediaKind.VIDEO,
                original_name="展示.mp4",
                content_type="video/mp4",
                size=len(video),
                width=320,
                height=180,
                duration_seconds=2.0,
            )
            clip.file.save(f"{clip.key.hex}.mp4", ContentFile(video), save=False)
            clip.thumbnail.save(
                f"{clip.key.hex}-thumb.jpg", ContentFile(photo.thumbnail), save=False
            )
            clip.save()
