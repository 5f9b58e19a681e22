"""Load the Zibo demo. Idempotent: every row is found by its natural key before it is created,
and nothing that exists is changed, so a second run writes nothing.

The demo describes a past (a notice published and acknowledged in May 2023), so it writes rows
directly rather than replaying user actions through the services: no mail is queued. The only
audit entries it writes are the review histories of the demo activities, dated as they happened,
so an activity's page shows how it got where it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from sciweek.activities.services import seed_categories
from sciweek.campaigns.enums import EditionStatus, NoticeStatus
from sciweek.campaigns.models import BasisDocument, Edition, FocusArea, Notice, NoticeRecipient
from sciweek.organizations.enums import OrganizationKind, Role
from sciweek.organizations.models import Contact, Membership, Organization

from . import zibo
from .activities import load_activities
from .bookings import load_bookings
from .exhibition import load_exhibition
from .media import load_media
from .reports import load_reports

DEMO_PASSWORD = "sciweek-demo"  # noqa: S105 - documented demo password, demo data only
DEMO_EMAIL_DOMAIN = "demo.sciweek.localhost"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role_label: str
    organization: str


def _aware(value: str) -> datetime:
    return timezone.make_aware(datetime.fromisoformat(value))


def _org(name: str, kind: str, parent: Organization | None = None, **extra) -> Organization:
    org = Organization.objects.filter(name=name, parent=parent).first()
    if org is None:
        org = Organization(name=name, kind=kind, parent=parent, **extra)
        org.save()
    return org


def _user(username: str, name: str, *, superuser: bool = False):
    User = get_user_model()
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(
            username=username,
            display_name=name,
            email=f"{username}@{DEMO_EMAIL_DOMAIN}",
            is_staff=superuser,
            is_superuser=superuser,
        )
        user.set_password(DEMO_PASSWORD)
        user.save()
    return user


def _member(user, org: Organization, *roles: str) -> None:
    for role in roles:
        Membership.objects.get_or_create(user=user, organization=org, role=role)


def next_may_year(today: date) -> int:
    """The year of the next week that has not ended: this May if it is still to come."""
    return today.year if today <= date(today.year, 5, 31) else today.year + 1


class DemoLoader:
    def __init__(self, today: date | None = None):
        self.today = today or timezone.localdate()
        self.accounts: list[DemoAccount] = []

    @transaction.atomic
    def load(self) -> list[DemoAccount]:
        self.organizations()
        self.contacts()
        self.users()
        edition = self.edition_2023()
        self.notice_2023(edition)
        current = self.current_edition(edition)
        self.current_notice(current)
        seed_categories(edition=edition)
        seed_categories(edition=current, source=edition)
        load_activities(self)
        load_media(self)
        load_bookings(self)
        load_reports(self)
        load_exhibition(self)
        return self.accounts

    # Organisations -------------------------------------------------------------------------
    def organizations(self) -> None:
        name, short = zibo.CITY_BUREAU
        self.bureau = _org(name, OrganizationKind.CITY_BUREAU, short_name=short, slug="zibo",
                           email="zbkjjrcycgk@zb.shandong.cn")  # fmt: skip
        self.co_organizers = [
            _org(n, OrganizationKind.CO_ORGANIZER, self.bureau, short_name=s)
            for n, s in zibo.CO_ORGANIZERS
        ]
        self.city_departments = [
            _org(n, OrganizationKind.CITY_DEPARTMENT, self.bureau) for n in zibo.CITY_DEPARTMENTS
        ]
        self.areas: dict[str, Organization] = {}
        self.area_departments: list[Organization] = []
        self.units: dict[str, list[Organization]] = {}
        for slug, name, short, area_type, code, departments, units in zibo.AREAS:
            area = _org(name, OrganizationKind.AREA, self.bureau, short_name=short,
                        area_type=area_type, division_code=code, slug=slug)  # fmt: skip
            self.areas[slug] = area
            for dept in zibo.area_departments(short if area_type == "zone" else name, departments):
                self.area_departments.append(_org(dept, OrganizationKind.AREA_DEPARTMENT, area))
            self.units[slug] = [
                _org(unit, OrganizationKind.HOST_UNIT, area, unit_type=unit_type)
                for unit, unit_type in units
            ]

    def contacts(self) -> None:
        """One contact person with a mobile for every organisation below the bureau, so a
        notice reaches each recipient although most have no account."""
        organizations = [
            *self.co_organizers,
            *self.city_departments,
            *self.areas.values(),
            *self.area_departments,
            *(unit for units in self.units.values() for unit in units),
        ]
        for n, org in enumerate(organizations, start=1):
            if not org.contacts.exists():
                Contact.objects.create(
                    organization=org, name=f"联络员{n:02d}", post="科普工作联络员",
                    mobile=f"1396330{n:04d}",
                )  # fmt: skip

    # Accounts --------------------------------------------------------------------------------
    def users(self) -> None:
        organizer = _user("organizer", "市科技局 管理员")
        _member(organizer, self.bureau, Role.ADMIN, Role.REVIEWER)
        self.accounts.append(DemoAccount("organizer", "organiser admin", self.bureau.name))
        for slug, area in self.areas.items():
            user = _user(f"area-{slug}", f"{area.short_name} 科技局")
            _member(user, area, Role.ADMIN, Role.REVIEWER)
            self.accounts.append(DemoAccount(f"area-{slug}", "area admin and reviewer", area.name))
        for slug in ("zhangdian", "linzi"):
            unit = self.units[slug][0]
            user = _user(f"unit-{slug}", f"{unit.name} 联络员")
            _member(user, unit, Role.ADMIN, Role.EDITOR)
            self.accounts.append(
                DemoAccount(f"unit-{slug}", "host unit admin and editor", unit.name)
            )
        gate = _user("gate-zhangdian", "科技馆 志愿者")
        _member(gate, self.units["zhangdian"][0], Role.GATE_STAFF)
        self.accounts.append(
            DemoAccount("gate-zhangdian", "gate staff", self.units["zhangdian"][0].name)
        )
        # The city's jury of the exhibits: one juror of three areas, one of a city department
        # and an outside expert (seated on each year's jury by the exhibition demo).
        for slug in ("zhangdian", "linzi", "boshan"):
            area = self.areas[slug]
            _user(f"juror-{slug}", f"{area.short_name} 评委")
            self.accounts.append(DemoAccount(f"juror-{slug}", "juror", area.name))
        _user("juror-city", "市教育局 评委")
        self.accounts.append(DemoAccount("juror-city", "juror", self.city_departments[0].name))
        _user("juror-expert", "山东理工大学 教授")
        self.accounts.append(DemoAccount("juror-expert", "juror (outside expert)", "—"))
        _user("admin", "平台管理员", superuser=True)
        self.accounts.append(DemoAccount("admin", "platform admin (Django admin)", "—"))

    # Editions --------------------------------------------------------------------------------
    def edition_2023(self) -> Edition:
        facts = zibo.EDITION_2023
        edition = Edition.objects.filter(year=facts["year"]).first()
        if edition is not None:
            return edition
        edition = Edition.objects.create(
            organizer=self.bureau,
            status=EditionStatus.PUBLISHED,
            **{
                k: (date.fromisoformat(v) if k.endswith(("_date", "deadline")) else v)
                for k, v in facts.items()
            },
        )
        for position, (number, title, issuer) in enumerate(zibo.BASIS_DOCUMENTS):
            BasisDocument.objects.create(
                edition=edition, number=number, title=title, issuer=issuer, position=position
            )
        for position, (title, description) in enumerate(zibo.FOCUS_AREAS):
            FocusArea.objects.create(
                edition=edition, title=title, description=description, position=position
            )
        return edition

    def recipients(self) -> list[Organization]:
        return [*self.area_departments, *self.city_departments]

    def notice_2023(self, edition: Edition) -> None:
        if edition.notices.exists():
            return
        organizer = get_user_model().objects.get(username="organizer")
        notice = Notice.objects.create(
            edition=edition,
            title=zibo.NOTICE_TITLE,
            body=zibo.NOTICE_BODY,
            status=NoticeStatus.PUBLISHED,
            published_at=_aware("2023-05-08T09:30:00"),
            published_by=organizer,
        )
        # Most recipients acknowledged within days; the last few never did.
        recipients = self.recipients()
        acknowledged = recipients[: len(recipients) - 4]
        area_users = {
            m.organization_id: m.user
            for m in Membership.objects.filter(
                role=Role.ADMIN, organization__kind=OrganizationKind.AREA
            ).select_related("user")
        }
        rows = []
        for index, org in enumerate(recipients):
            done = org in acknowledged
            rows.append(
                NoticeRecipient(
                    notice=notice,
                    organization=org,
                    reached_at=notice.published_at,  # every demo organisation has a contact
                    acknowledged_at=_aware("2023-05-08T10:00:00") + timedelta(hours=3 * index)
                    if done
                    else None,
                    acknowledged_by=area_users.get(org.area_id) if done else None,
                )
            )
        NoticeRecipient.objects.bulk_create(rows)

    def current_edition(self, source: Edition) -> Edition:
        year = next_may_year(self.today)
        edition = Edition.objects.filter(year=year).first()
        if edition is not None:
            return edition
        shift = year - source.year
        edition = Edition.objects.create(
            organizer=self.bureau,
            year=year,
            title=f"{year}年淄博市科技活动周",
            theme=source.theme,
            start_date=source.start_date.replace(year=source.start_date.year + shift),
            end_date=source.end_date.replace(year=source.end_date.year + shift),
            summary_deadline=source.summary_deadline.replace(
                year=source.summary_deadline.year + shift
            ),
            receiving_section=source.receiving_section,
            receiving_email=source.receiving_email,
            status=EditionStatus.PUBLISHED,
            copied_from=source,
        )
        FocusArea.objects.bulk_create(
            FocusArea(
                edition=edition, title=f.title, description=f.description, position=f.position
            )
            for f in source.focus_areas.all()
        )
        # The new year rests on the same kind of documents; their numbers are updated when the
        # higher-level notices for that year arrive: flagged until then, as a copy flags them.
        BasisDocument.objects.bulk_create(
            BasisDocument(
                edition=edition,
                number=d.number,
                title=d.title,
                issuer=d.issuer,
                position=d.position,
                needs_update=True,
            )
            for d in source.basis_documents.all()
        )
        return edition

    def current_notice(self, edition: Edition) -> None:
        """This year's notice, published a few days ago: a couple of areas have acknowledged,
        张店区 has not, so the acknowledgement can be tried at once."""
        if edition.notices.exists():
            return
        organizer = get_user_model().objects.get(username="organizer")
        published = timezone.now() - timedelta(days=4)
        notice = Notice.objects.create(
            edition=edition,
            title=f"关于举办{edition.year}年科技活动周的通知",
            body=zibo.NOTICE_BODY.replace(
                "2023年5月20日—31日",
                f"{edition.start_date:%Y年%-m月%-d日}—{edition.end_date:%-d日}",
            ).replace("2023年", f"{edition.year}年"),
            status=NoticeStatus.PUBLISHED,
            published_at=published,
            published_by=organizer,
        )
        early = {self.areas["linzi"].pk, self.areas["boshan"].pk, self.areas["gaoxin"].pk}
        area_users = {
            m.organization_id: m.user
            for m in Membership.objects.filter(
                role=Role.ADMIN, organization__kind=OrganizationKind.AREA
            ).select_related("user")
        }
        NoticeRecipient.objects.bulk_create(
            NoticeRecipient(
                notice=notice,
                organization=org,
                reached_at=published,  # every demo organisation has a contact
                acknowledged_at=published + timedelta(hours=5) if org.area_id in early else None,
                acknowledged_by=area_users.get(org.area_id) if org.area_id in early else None,
            )
            for org in self.recipients()
        )


def load_demo(today: date | None = None) -> list[DemoAccount]:
    return DemoLoader(today).load()
