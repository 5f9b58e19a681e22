"""factory-boy factories for every model the tests build."""

from datetime import date, datetime, time, timedelta

import factory
from django.utils import timezone

from sciweek.accounts.models import User
from sciweek.campaigns.enums import EditionStatus, NoticeStatus
from sciweek.campaigns.models import Edition, FocusArea, Notice, NoticeRecipient
from sciweek.organizations.enums import OrganizationKind, Role
from sciweek.organizations.models import Membership, Organization


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.test")
    display_name = factory.Sequence(lambda n: f"用户{n}")
    password = factory.PostGenerationMethodCall("set_password", "pw-for-tests-1")

    @classmethod
    def _after_postgeneration(cls, instance, create, results=None):
        if create:
            instance.save()


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"单位{n}")
    kind = OrganizationKind.HOST_UNIT


class CityBureauFactory(OrganizationFactory):
    name = "市科技局"
    kind = OrganizationKind.CITY_BUREAU
    parent = None

    class Meta:
        model = Organization
        django_get_or_create = ("name",)


class AreaFactory(OrganizationFactory):
    name = factory.Sequence(lambda n: f"区{n}")
    kind = OrganizationKind.AREA
    area_type = "district"
    parent = factory.SubFactory(CityBureauFactory)


class AreaDepartmentFactory(OrganizationFactory):
    name = factory.Sequence(lambda n: f"区科技局{n}")
    kind = OrganizationKind.AREA_DEPARTMENT
    parent = factory.SubFactory(AreaFactory)


class HostUnitFactory(OrganizationFactory):
    kind = OrganizationKind.HOST_UNIT
    unit_type = "school"
    parent = factory.SubFactory(AreaFactory)


class CityDepartmentFactory(OrganizationFactory):
    name = factory.Sequence(lambda n: f"市直部门{n}")
    kind = OrganizationKind.CITY_DEPARTMENT
    parent = factory.SubFactory(CityBureauFactory)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organization = factory.SubFactory(HostUnitFactory)
    role = Role.EDITOR


class EditionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Edition

    organizer = factory.SubFactory(CityBureauFactory)
    year = factory.Sequence(lambda n: 2030 + n)
    title = factory.LazyAttribute(lambda e: f"{e.year}年科技活动周")
    theme = "热爱科学 崇尚科学"
    start_date = factory.LazyAttribute(lambda e: date(e.year, 5, 20))
    end_date = factory.LazyAttribute(lambda e: date(e.year, 5, 31))
    summary_deadline = factory.LazyAttribute(lambda e: date(e.year, 6, 12))
    receiving_section = "市科技局人才与成果科"
    receiving_email = "section@example.test"
    status = EditionStatus.PUBLISHED


class FocusAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FocusArea

    edition = factory.SubFactory(EditionFactory)
    title = factory.Sequence(lambda n: f"主要内容{n}")
    position = factory.Sequence(lambda n: n)


class NoticeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notice

    edition = factory.SubFactory(EditionFactory)
    title = factory.Sequence(lambda n: f"关于举办科技活动周的通知{n}")
    body = "各区县科技局：\n\n现将有关事项通知如下。"
    status = NoticeStatus.DRAFT


class PublishedNoticeFactory(NoticeFactory):
    status = NoticeStatus.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)


class NoticeRecipientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NoticeRecipient

    notice = factory.SubFactory(PublishedNoticeFactory)
    organization = factory.SubFactory(AreaDepartmentFactory)


def member(role: str, organization: Organization, **user_kwargs) -> User:
    """A new user holding ``role`` in ``organization``."""
    user = UserFactory(**user_kwargs)
    Membership.objects.create(user=user, organization=organization, role=role)
    return user


class BasisDocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "campaigns.BasisDocument"

    edition = factory.SubFactory(EditionFactory)
    number = factory.Sequence(lambda n: f"国科函才〔2023〕{n}号")
    title = factory.Sequence(lambda n: f"关于举办全国科技活动周的通知{n}")
    issuer = "科技部"
    position = factory.Sequence(lambda n: n)


def _in_two_weeks():
    from datetime import timedelta

    return timezone.now() + timedelta(days=14)


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "organizations.Invitation"

    organization = factory.SubFactory(HostUnitFactory)
    email = factory.Sequence(lambda n: f"invitee{n}@example.test")
    role = Role.EDITOR
    expires_at = factory.LazyFunction(_in_two_weeks)


# Activities ------------------------------------------------------------------------------------


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "activities.Category"

    edition = factory.SubFactory(EditionFactory)
    code = factory.Sequence(lambda n: f"cat{n}")
    name = factory.Sequence(lambda n: f"类别{n}")
    position = factory.Sequence(lambda n: n)


class ActivityFactory(factory.django.DjangoModelFactory):
    """A draft activity of a host unit, in the area of that unit, ready to submit once it has a
    session (venue, address and confidentiality check are filled in)."""

    class Meta:
        model = "activities.Activity"

    edition = factory.SubFactory(EditionFactory)
    host = factory.SubFactory(HostUnitFactory)
    area = factory.LazyAttribute(lambda a: a.host.area)
    category = factory.SubFactory(CategoryFactory, edition=factory.SelfAttribute("..edition"))
    title = factory.Sequence(lambda n: f"科普进社区活动{n}")
    venue_name = "社区文化中心"
    address = "张店区人民西路1号"
    contact_name = "王老师"
    contact_phone = "13800138000"
    confidentiality_checked = True


class SessionFactory(factory.django.DjangoModelFactory):
    """A two-hour session on the first day of the activity's edition, 09:00–11:00."""

    class Meta:
        model = "activities.Session"
        skip_postgeneration_save = True

    activity = factory.SubFactory(ActivityFactory)
    starts_at = factory.LazyAttribute(
        lambda s: timezone.make_aware(datetime.combine(s.activity.edition.start_date, time(9, 0)))
    )
    ends_at = factory.LazyAttribute(lambda s: s.starts_at + timedelta(hours=2))
    capacity = 100

    @factory.post_generation
    def first_start(obj, create, extracted, **kwargs):
        # As the session services do (``activities.services.sessions_changed``).
        if create:
            type(obj.activity).objects.filter(pk=obj.activity_id).refresh_first_start()
