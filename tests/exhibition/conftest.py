"""The ceremony tests' layer on the one world: an edition, its published launch activity with
one session (starting in an hour, inside the gate's check-in window), its ceremony with guest
categories, a quota for 张店区, a guest of 张店区 and one of the organiser's, and exhibits."""

from datetime import timedelta

import pytest
from django.utils import timezone

from sciweek.exhibition.enums import ExhibitState, GuestCategoryKind, GuestState
from sciweek.exhibition.models import Ceremony, Exhibit, Guest, GuestCategory, Quota
from sciweek.organizations.enums import Role as MemberRole
from sciweek.organizations.models import Membership
from tests.factories import ActivityFactory, EditionFactory, SessionFactory
from tests.roles import Role

ROLES = (
    Role.ANONYMOUS,
    Role.ORGANIZER_ADMIN,
    Role.ORGANIZER_REVIEWER,
    Role.AREA_ADMIN,
    Role.OTHER_AREA_ADMIN,
    Role.UNIT_EDITOR,
    Role.GATE_STAFF,
    Role.CITY_DEPT_EDITOR,
    Role.SIGNED_IN,
    Role.PLATFORM_ADMIN,
)


def guest_of(w, *, area=None, kind=GuestCategoryKind.STUDENT, state=GuestState.INVITED, n=1):
    return Guest.objects.create(
        ceremony=w.ceremony, category=w.categories[kind], area=area, name=f"张{n}丰",
        organization_name="张店实验中学", mobile=f"1390000{n:04d}", state=state,
    )  # fmt: skip


def exhibit_of(w, submitter, state=ExhibitState.SUBMITTED, **fields):
    defaults = {
        "ceremony": w.ceremony, "submitter": submitter, "title": "陶瓷膜水处理装备", "unit_name": "淄博市科技馆",
        "field": "新材料", "strategy": "yellow_river", "description": "简介", "state": state,
        "confidentiality_checked": True,
    }  # fmt: skip
    return Exhibit.objects.create(**{**defaults, **fields})


@pytest.fixture
def world(world):
    return build(world)


def build(w):
    """The ceremony layer on the world ``w`` (the browser tests build it too)."""
    for part in ("bureau", "area", "other_area", "unit", "city_dept"):
        w.build(part)
    w.users.add(Role.ORGANIZER_ADMIN, email="org@example.test")
    w.users.add(Role.AREA_ADMIN, email="a@example.test")
    w.edition = EditionFactory(organizer=w.bureau)
    w.activity = ActivityFactory(edition=w.edition, host=w.unit, state="published")
    starts = timezone.now() + timedelta(hours=1)
    w.session = SessionFactory(activity=w.activity, capacity=900, starts_at=starts,
                               ends_at=starts + timedelta(hours=2))  # fmt: skip
    w.ceremony = Ceremony.objects.create(
        edition=w.edition, activity=w.activity, title="启动仪式", venue="淄博科学城",
        starts_at=starts, ends_at=starts + timedelta(hours=2),
        rsvp_deadline=timezone.now() + timedelta(days=1),
        exhibit_deadline=timezone.now() + timedelta(days=1), booth_count=2,
    )  # fmt: skip
    w.categories = {
        kind: GuestCategory.objects.create(ceremony=w.ceremony, kind=kind, places=50, order=i)
        for i, kind in enumerate(GuestCategoryKind.values)
    }
    w.quota = Quota.objects.create(
        ceremony=w.ceremony, area=w.area, category=w.categories["student"], places=3
    )
    w.guest = guest_of(w, area=w.area)
    w.leader = guest_of(w, kind="city_leader", n=2)
    w.exhibit = exhibit_of(w, w.area)
    w.draft = exhibit_of(w, w.area, state=ExhibitState.DRAFT, title="草稿")
    w.selected = exhibit_of(w, w.other_area, state=ExhibitState.SELECTED, booth_number="A01")
    # The organiser's admin also reviews, as at the bureau.
    Membership.objects.create(
        user=w.organizer_admin, organization=w.bureau, role=MemberRole.REVIEWER
    )
    return w


def with_jury(w):
    """The city's jury on the ceremony layer: the default criteria (创新性 40, 科普性 30, 展示效果
    30, scores 0–10, 3 jurors per exhibit) and three jurors: one of 张店区 (``w.juror``), one of
    临淄区 (``w.other_juror``) and an outside expert (``w.expert``). ``w.assignment`` gives
    张店区's submitted exhibit to the 临淄区 juror."""
    from sciweek.exhibition.models import Assignment, Criterion, Juror, Jury
    from tests.factories import UserFactory

    w.jury = Jury.objects.create(ceremony=w.ceremony, scale_max=10, per_exhibit=3)
    w.criteria = [
        Criterion.objects.create(jury=w.jury, name=name, weight=weight, order=i)
        for i, (name, weight) in enumerate((("创新性", 40), ("科普性", 30), ("展示效果", 30)))
    ]
    seat = {}
    for key, org in (("juror", w.area), ("other_juror", w.other_area), ("expert", None)):
        user = UserFactory(username=f"{key.replace('_', '-')}{w.suffix}", display_name=key)
        seat[key] = Juror.objects.create(
            jury=w.jury, user=user, organization=org, area=org.area if org else None
        )
        setattr(w, f"{key}_user", user)
    w.juror, w.other_juror, w.expert = seat["juror"], seat["other_juror"], seat["expert"]
    w.assignment = Assignment.objects.create(juror=w.other_juror, exhibit=w.exhibit)
    return w


def media_of(exhibit, kind="photo", n=1):
    """A stored photo (or video) of ``exhibit``, made directly (the service has its own tests)."""
    from django.core.files.base import ContentFile

    from sciweek.exhibition.models import ExhibitMedia
    from tests.media.files import jpeg

    item = ExhibitMedia(
        exhibit=exhibit, kind=kind, alt_text=f"展品照片{n}", original_name=f"photo{n}.jpg",
        content_type="image/jpeg" if kind == "photo" else "video/mp4", size=100,
        width=640, height=480,
    )  # fmt: skip
    item.file.save(f"{item.key.hex}.jpg", ContentFile(jpeg()), save=False)
    item.thumbnail.save(f"{item.key.hex}-thumb.jpg", ContentFile(jpeg((48, 36))), save=False)
    item.save()
    return item
