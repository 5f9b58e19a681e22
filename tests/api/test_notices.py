from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.authtoken.models import Token

from sciweek.audit.models import AuditEntry
from sciweek.campaigns.models import NoticeRecipient
from sciweek.organizations.enums import Role as MemberRole
from tests.factories import (
    AreaDepartmentFactory,
    PublishedNoticeFactory,
    member,
)
from tests.roles import Role

URL = "/api/v1/notices/"


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def ack_url(notice) -> str:
    return f"{URL}{notice.pk}/acknowledge/"


def delivery(notice, org) -> NoticeRecipient:
    return NoticeRecipient.objects.get(notice=notice, organization=org)


# --- visibility ------------------------------------------------------------------------------


def test_notices_recipient_sees_published_notice_addressed_to_it(world, client_for):
    # Not the draft addressed to it, not the notice addressed only to another department.
    assert ids(client_for(Role.DEPT_EDITOR).get(URL)) == [world.notice.pk]


def test_notices_area_admin_sees_notices_of_its_departments(world, client_for):
    assert ids(client_for(Role.AREA_ADMIN).get(URL)) == [world.notice.pk]


def test_notices_organiser_sees_every_notice_including_drafts(world, client_for):
    assert set(ids(client_for(Role.ORGANIZER_ADMIN).get(URL))) == {
        world.notice.pk,
        world.draft.pk,
        world.other_notice.pk,
    }


def test_notices_host_unit_and_unaffiliated_users_see_none(world, client_for):
    for role in [Role.UNIT_EDITOR, Role.GATE_STAFF, Role.SIGNED_IN]:
        assert ids(client_for(role).get(URL)) == [], role


def test_notices_anonymous_is_401(world, api):
    assert api.get(URL).status_code == 401
    assert api.get(f"{URL}{world.notice.pk}/").status_code == 401


def test_notice_detail_fields(world, client_for):
    world.notice.document_number = "淄科字〔2023〕12号"
    world.notice.save()
    body = client_for(Role.DEPT_EDITOR).get(f"{URL}{world.notice.pk}/").json()
    assert body == {
        "id": world.notice.pk,
        "edition": world.edition.pk,
        "edition_title": world.edition.title,
        "title": world.notice.title,
        "document_number": "淄科字〔2023〕12号",
        "body": world.notice.body,
        "status": "published",
        "published_at": timezone.localtime(world.notice.published_at).isoformat(),
        "recipient_count": 2,
        "acknowledged_count": 0,
        "attachments": [],
        "my_recipients": [
            {
                "organization": world.dept.pk,
                "organization_name": "张店区科技局",
                "acknowledged_at": None,
                "acknowledged_by": None,
            }
        ],
    }


def test_notice_detail_not_visible_is_404(world, client_for):
    dept_editor = client_for(Role.DEPT_EDITOR)
    assert dept_editor.get(f"{URL}{world.draft.pk}/").status_code == 404
    assert dept_editor.get(f"{URL}{world.other_notice.pk}/").status_code == 404
    assert dept_editor.get(f"{URL}999999/").status_code == 404


def test_notices_list_same_queries_for_1_and_20_rows(world):
    from rest_framework.test import APIClient

    client = APIClient()
    token = Token.objects.create(user=world.users[Role.DEPT_EDITOR])
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")

    def queries_for_list(expected_rows):
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(URL)
        assert response.json()["count"] == expected_rows
        return len(ctx.captured_queries)

    one = queries_for_list(1)
    for _ in range(19):
        notice = PublishedNoticeFactory(edition=world.edition)
        NoticeRecipient.objects.create(notice=notice, organization=world.dept)
        NoticeRecipient.objects.create(notice=notice, organization=world.other_dept)
    assert queries_for_list(20) == one


# --- acknowledge -----------------------------------------------------------------------------


def test_acknowledge_records_who_and_when_and_audits(world, client_for):
    before = timezone.now()
    response = client_for(Role.DEPT_EDITOR).post(
        ack_url(world.notice), {"organization": world.dept.pk}, format="json"
    )
    assert response.status_code == 200, response.content
    row = delivery(world.notice, world.dept)
    assert row.acknowledged_by == world.users[Role.DEPT_EDITOR]
    assert before <= row.acknowledged_at <= timezone.now()
    assert response.json() == {
        "organization": world.dept.pk,
        "organization_name": "张店区科技局",
        "acknowledged_at": timezone.localtime(row.acknowledged_at).isoformat(),
        "acknowledged_by": "dept-editor",
    }
    entry = AuditEntry.objects.get(action="notice.acknowledge")
    assert entry.actor == world.users[Role.DEPT_EDITOR]
    assert entry.object_id == str(world.notice.pk)
    assert entry.organization_id == world.dept.pk
    assert entry.changes == {"organization": [None, "张店区科技局"]}
    # The other recipient is untouched.
    assert delivery(world.notice, world.other_dept).acknowledged_at is None


def test_acknowledge_by_area_admin_for_its_department(world, client_for):
    response = client_for(Role.AREA_ADMIN).post(
        ack_url(world.notice), {"organization": world.dept.pk}, format="json"
    )
    assert response.status_code == 200
    assert delivery(world.notice, world.dept).acknowledged_by == world.users[Role.AREA_ADMIN]


def test_acknowledge_twice_is_400_already_acknowledged(world, client_for):
    client = client_for(Role.DEPT_EDITOR)
    client.post(ack_url(world.notice), {"organization": world.dept.pk}, format="json")
    first = delivery(world.notice, world.dept)
    response = client.post(
        ack_url(world.notice),
        {"organization": world.dept.pk},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    when = timezone.localtime(first.acknowledged_at).strftime("%Y-%m-%d %H:%M")
    assert response.json() == {
        "code": "already_acknowledged",
        "detail": f"张店区科技局 already acknowledged this notice on {when} "
        f"({world.users['dept_editor'].display_name}).",
    }
    # Nothing changed by the second attempt.
    assert delivery(world.notice, world.dept).acknowledged_at == first.acknowledged_at
    assert AuditEntry.objects.filter(action="notice.acknowledge").count() == 1


def test_acknowledge_for_an_organisation_the_user_does_not_act_for_is_403(world, client_for):
    # Both departments are recipients; the Zhangdian editor cannot speak for Zichuan's.
    response = client_for(Role.DEPT_EDITOR).post(
        ack_url(world.notice),
        {"organization": world.other_dept.pk},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 403
    assert response.json() == {
        "code": "permission_denied",
        "detail": "You may not acknowledge notices for 临淄区科技局.",
    }
    assert delivery(world.notice, world.other_dept).acknowledged_at is None
    assert not AuditEntry.objects.filter(action="notice.acknowledge").exists()


def test_acknowledge_by_organiser_for_a_recipient_is_403(world, client_for):
    response = client_for(Role.ORGANIZER_ADMIN).post(
        ack_url(world.notice), {"organization": world.dept.pk}, format="json"
    )
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"


def test_acknowledge_for_an_organisation_not_a_recipient_is_400(world, client_for):
    response = client_for(Role.AREA_ADMIN).post(
        ack_url(world.notice),
        {"organization": world.unit.pk},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert response.json() == {
        "code": "not_a_recipient",
        "detail": "This notice is not addressed to 淄博市科技馆.",
    }


def test_acknowledge_invisible_notice_is_404(world, client_for):
    dept_editor = client_for(Role.DEPT_EDITOR)
    for notice in [world.draft, world.other_notice]:
        response = dept_editor.post(ack_url(notice), {"organization": world.dept.pk}, format="json")
        assert response.status_code == 404
    assert delivery(world.draft, world.dept).acknowledged_at is None


def test_acknowledge_anonymous_is_401(world, api):
    response = api.post(ack_url(world.notice), {"organization": world.dept.pk}, format="json")
    assert response.status_code == 401
    assert delivery(world.notice, world.dept).acknowledged_at is None


def test_acknowledge_bad_organization_values_are_400(world, client_for):
    client = client_for(Role.DEPT_EDITOR)
    for payload in [
        {},
        {"organization": None},
        {"organization": "abc"},
        {"organization": 999999},
        {"organization": [world.dept.pk]},
        {"organization": "<script>alert(1)</script>"},
    ]:
        response = client.post(ack_url(world.notice), payload, format="json")
        assert response.status_code == 400, payload
        assert list(response.json()["errors"]) == ["organization"], payload
    assert delivery(world.notice, world.dept).acknowledged_at is None


def test_acknowledge_with_session_needs_csrf(world):
    from rest_framework.test import APIClient

    client = APIClient(enforce_csrf_checks=True)
    client.force_login(world.users[Role.DEPT_EDITOR])
    response = client.post(ack_url(world.notice), {"organization": world.dept.pk}, format="json")
    assert response.status_code == 403
    assert delivery(world.notice, world.dept).acknowledged_at is None


def test_acknowledge_get_is_405(world, client_for):
    assert client_for(Role.DEPT_EDITOR).get(ack_url(world.notice)).status_code == 405


# --- acknowledgements board ------------------------------------------------------------------


def test_acknowledgements_one_row_per_recipient_for_the_organiser(world, client_for):
    client_for(Role.DEPT_EDITOR).post(
        ack_url(world.notice), {"organization": world.dept.pk}, format="json"
    )
    acked = delivery(world.notice, world.dept)
    response = client_for(Role.ORGANIZER_ADMIN).get(f"{URL}{world.notice.pk}/acknowledgements/")
    assert response.status_code == 200
    body = response.json()
    # Rows come in tree (path) order, whose sibling order depends on id lengths; compare by id.
    body["results"].sort(key=lambda r: r["organization"] != world.dept.pk)
    assert body == {
        "count": 2,
        "next": None,
        "previous": None,
        "results": [
            {
                "organization": world.dept.pk,
                "organization_name": "张店区科技局",
                "acknowledged_at": timezone.localtime(acked.acknowledged_at).isoformat(),
                "acknowledged_by": "dept-editor",
            },
            {
                "organization": world.other_dept.pk,
                "organization_name": "临淄区科技局",
                "acknowledged_at": None,
                "acknowledged_by": None,
            },
        ],
    }


def test_acknowledgements_area_users_are_403(world, client_for):
    for role in [Role.AREA_ADMIN, Role.DEPT_EDITOR]:
        response = client_for(role).get(f"{URL}{world.notice.pk}/acknowledgements/")
        assert response.status_code == 403, role


def test_acknowledgements_of_an_invisible_notice_are_404(world, client_for):
    response = client_for(Role.DEPT_EDITOR).get(f"{URL}{world.other_notice.pk}/acknowledgements/")
    assert response.status_code == 404


def test_acknowledgements_same_queries_for_1_and_20_rows(world):
    from rest_framework.test import APIClient

    notice = PublishedNoticeFactory(edition=world.edition)
    client = APIClient()
    token = Token.objects.create(user=world.users[Role.ORGANIZER_ADMIN])
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")

    def queries(expected_rows):
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(f"{URL}{notice.pk}/acknowledgements/")
        assert response.json()["count"] == expected_rows
        return len(ctx.captured_queries)

    first = AreaDepartmentFactory(parent=world.area)
    NoticeRecipient.objects.create(
        notice=notice,
        organization=first,
        acknowledged_at=timezone.now(),
        acknowledged_by=member(MemberRole.EDITOR, first),
    )
    one = queries(1)
    for _ in range(19):
        org = AreaDepartmentFactory(parent=world.other_area)
        NoticeRecipient.objects.create(
            notice=notice,
            organization=org,
            acknowledged_at=timezone.now(),
            acknowledged_by=member(MemberRole.EDITOR, org),
        )
    assert queries(20) == one
