"""Notices through the API, as the back office's notice pages do them: write a draft with its
recipients, attach and remove documents, publish (every recipient hears), remind, and the round
trip with If-Match — for the organiser only, every role tested. World: tests/api/conftest.py."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from sciweek.audit.models import AuditEntry
from sciweek.campaigns.models import Notice
from sciweek.notifications.models import OutboxMessage
from tests.roles import Role

pytestmark = pytest.mark.django_db
URL = "/api/v1/notices/"
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def new(world, **extra) -> dict:
    return {
        "edition": {"id": world.edition.pk, "year": 2023},
        "title": "关于报送科技活动周总结的通知",
        "document_number": "淄科字〔2023〕20号",
        "body": "各区县科技局：\n\n请于6月12日前报送总结。",
        "recipients": [world.dept.pk, {"id": world.other_dept.pk}],
        **extra,
    }


def test_the_organiser_writes_attaches_and_publishes_a_notice(world, client_for):
    client = client_for(Role.ORGANIZER_ADMIN)
    created = client.post(URL, new(world), format="json")
    assert created.status_code == 201, created.content
    notice = Notice.objects.get(pk=created.json()["id"])
    assert (notice.status, created.json()["recipient_count"]) == ("draft", 2)
    upload = SimpleUploadedFile("附件.pdf", PDF, content_type="application/pdf")
    attached = client.post(f"{URL}{notice.pk}/attachments/", {"file": upload}, format="multipart")
    assert attached.status_code == 201, attached.content
    assert attached.json()["name"] == "附件.pdf"
    published = client.post(f"{URL}{notice.pk}/publish/")
    assert published.status_code == 200, published.content
    assert published.json()["status"] == "published"
    assert published.json()["attachments"][0]["id"] == attached.json()["id"]
    # Each recipient department's member hears of it (email), and nobody else.
    emailed = set(
        OutboxMessage.objects.filter(kind="notice.published", channel="email").values_list(
            "recipient", flat=True
        )
    )
    assert emailed == {world.users[r].email for r in (Role.DEPT_EDITOR, Role.OTHER_DEPT_EDITOR)}
    actions = set(
        AuditEntry.objects.filter(object_id=str(notice.pk)).values_list("action", flat=True)
    )
    assert {"notice.create", "notice.attach", "notice.publish"} <= actions


def test_a_published_notice_no_longer_changes(world, client_for):
    client = client_for(Role.ORGANIZER_ADMIN)
    response = client.patch(f"{URL}{world.notice.pk}/", {"title": "改"}, format="json")
    assert (response.status_code, response.json()["code"]) == (400, "notice_published")
    upload = SimpleUploadedFile("a.pdf", PDF, content_type="application/pdf")
    response = client.post(
        f"{URL}{world.notice.pk}/attachments/", {"file": upload}, format="multipart"
    )
    assert (response.status_code, response.json()["code"]) == (400, "notice_published")


def test_a_draft_read_is_written_back_unchanged_and_if_match_guards_it(world, client_for):
    client = client_for(Role.ORGANIZER_ADMIN)
    read = client.get(f"{URL}{world.draft.pk}/")
    response = client.put(f"{URL}{world.draft.pk}/", read.json(), format="json")
    assert response.status_code == 200, response.content
    assert response.json() == read.json()
    assert list(world.draft.deliveries.values_list("organization_id", flat=True)) == [world.dept.pk]
    client.patch(f"{URL}{world.draft.pk}/", {"title": "新标题"}, format="json")
    stale = client.patch(
        f"{URL}{world.draft.pk}/", {"body": "旧的"}, format="json", HTTP_IF_MATCH=read["ETag"]
    )
    assert (stale.status_code, stale.json()["code"]) == (412, "precondition_failed")


def test_attachments_are_checked_by_content_and_removed_from_drafts_only(world, client_for):
    client = client_for(Role.ORGANIZER_ADMIN)
    fake = SimpleUploadedFile("x.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = client.post(
        f"{URL}{world.draft.pk}/attachments/", {"file": fake}, format="multipart"
    )
    assert (response.status_code, response.json()["code"]) == (400, "file_type_refused")
    missing = client.post(f"{URL}{world.draft.pk}/attachments/", {}, format="multipart")
    assert (missing.status_code, list(missing.json()["errors"])) == (400, ["file"])
    upload = SimpleUploadedFile("a.pdf", PDF, content_type="application/pdf")
    attachment = client.post(
        f"{URL}{world.draft.pk}/attachments/", {"file": upload}, format="multipart"
    ).json()
    gone = client.delete(f"{URL}{world.draft.pk}/attachments/{attachment['id']}/")
    assert gone.status_code == 204
    assert not world.draft.attachments.exists()
    assert (
        client.delete(f"{URL}{world.draft.pk}/attachments/{attachment['id']}/").status_code == 404
    )


def test_remind_reaches_the_silent_once_and_refuses_a_draft(world, client_for):
    client = client_for(Role.ORGANIZER_ADMIN)
    first = client.post(f"{URL}{world.notice.pk}/remind/")
    assert (first.status_code, first.json()) == (200, {"reminded": 2})
    assert client.post(f"{URL}{world.notice.pk}/remind/").json() == {"reminded": 0}
    draft = client.post(f"{URL}{world.draft.pk}/remind/")
    assert (draft.status_code, draft.json()["code"]) == (400, "notice_not_published")


def test_publishing_without_recipients_is_refused(world, client_for):
    client = client_for(Role.ORGANIZER_ADMIN)
    created = client.post(URL, new(world, recipients=[]), format="json").json()
    response = client.post(f"{URL}{created['id']}/publish/")
    assert (response.status_code, response.json()["code"]) == (400, "no_recipients")


ROLES = [
    Role.ANONYMOUS,
    Role.ORGANIZER_ADMIN,
    Role.AREA_ADMIN,
    Role.DEPT_EDITOR,
    Role.UNIT_EDITOR,
    Role.GATE_STAFF,
    Role.SIGNED_IN,
]
# The department sees the published notice addressed to it (403 on writes) but not the draft
# (404); the area admin acts for its department.
#                  anon org  area dept unit gate none
TABLE = {
    "create": (401, 201, 403, 403, 403, 403, 403),
    "patch draft": (401, 200, 404, 404, 404, 404, 404),
    "publish draft": (401, 200, 404, 404, 404, 404, 404),
    "remind published": (401, 200, 403, 403, 404, 404, 404),
    "attach draft": (401, 201, 404, 404, 404, 404, 404),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("what", TABLE)
def test_notice_writes_for_every_role(world, client_for, what, role):
    client = client_for(None if role == Role.ANONYMOUS else role)
    draft, published = f"{URL}{world.draft.pk}/", f"{URL}{world.notice.pk}/"
    if what == "create":
        response = client.post(URL, new(world), format="json")
    elif what == "patch draft":
        response = client.patch(draft, {"title": "改"}, format="json")
    elif what == "publish draft":
        response = client.post(f"{draft}publish/")
    elif what == "remind published":
        response = client.post(f"{published}remind/")
    else:
        upload = SimpleUploadedFile("a.pdf", PDF, content_type="application/pdf")
        response = client.post(f"{draft}attachments/", {"file": upload}, format="multipart")
    assert response.status_code == TABLE[what][ROLES.index(role)], response.content[:200]
