"""Editions through the API, as the back office's edition pages do them: create a draft with its
basis documents and focus areas, change it (round trip, If-Match), copy it to a new year and move
it along its workflow — for the organiser only, every role tested."""

import pytest

from sciweek.audit.models import AuditEntry
from sciweek.campaigns.enums import EditionStatus
from sciweek.campaigns.models import Edition
from tests.factories import BasisDocumentFactory, EditionFactory, FocusAreaFactory
from tests.roles import Role

pytestmark = pytest.mark.django_db
URL = "/api/v1/editions/"

NEW = {
    "year": 2041,
    "title": "2041年淄博市科技活动周",
    "theme": "热爱科学 崇尚科学",
    "start_date": "2041-05-20",
    "end_date": "2041-05-27",
    "summary_deadline": "2041-06-10",
    "receiving_section": "市科技局人才与成果科",
    "receiving_email": "kjz@example.test",
    "basis_documents": [
        {"number": "国科发〔2041〕1号", "title": "关于举办科技活动周的通知", "issuer": "科技部"}
    ],
    "focus_areas": [
        {"title": "科技馆开放日", "description": ""},
        {"title": "科普讲座", "description": "进社区"},
    ],
}


@pytest.fixture
def draft(world):
    edition = EditionFactory(organizer=world.bureau, year=2040, status=EditionStatus.DRAFT)
    BasisDocumentFactory(edition=edition, number="国科发〔2040〕1号", title="通知", issuer="科技部")
    FocusAreaFactory(edition=edition, title="开放日", position=0)
    FocusAreaFactory(edition=edition, title="讲座", position=1)
    return edition


def test_the_organiser_creates_a_draft_edition_with_its_parts(world, client_for):
    response = client_for(Role.ORGANIZER_ADMIN).post(URL, NEW, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    edition = Edition.objects.get(year=2041)
    assert (body["id"], body["status"], body["organizer"]) == (edition.pk, "draft", world.bureau.pk)
    assert body["basis_documents"] == NEW["basis_documents"]
    assert [f["title"] for f in body["focus_areas"]] == ["科技馆开放日", "科普讲座"]
    assert AuditEntry.objects.filter(action="edition.create", object_id=str(edition.pk)).exists()
    assert response["ETag"]


def test_a_draft_is_listed_for_the_organisers_office_scope_only(world, client_for, draft, api):
    organiser = client_for(Role.ORGANIZER_ADMIN)
    assert draft.pk not in [e["id"] for e in organiser.get(URL).json()["results"]]
    assert draft.pk in [e["id"] for e in organiser.get(URL, {"scope": "office"}).json()["results"]]
    assert draft.pk not in [e["id"] for e in api.get(URL, {"scope": "office"}).json()["results"]]
    assert organiser.get(f"{URL}{draft.pk}/").status_code == 200
    assert api.get(f"{URL}{draft.pk}/").status_code == 404


def test_an_edition_read_is_written_back_unchanged(world, client_for, draft):
    client = client_for(Role.ORGANIZER_ADMIN)
    read = client.get(f"{URL}{draft.pk}/")
    response = client.put(f"{URL}{draft.pk}/", read.json(), format="json")
    assert response.status_code == 200, response.content
    assert response.json() == read.json()
    assert not AuditEntry.objects.filter(action__startswith="edition.focus").exists()
    assert not AuditEntry.objects.filter(action__startswith="edition.basis").exists()


def test_changing_the_parts_matches_rows_by_place_and_removes_the_rest(world, client_for, draft):
    first = draft.focus_areas.get(title="开放日")
    response = client_for(Role.ORGANIZER_ADMIN).patch(
        f"{URL}{draft.pk}/",
        {"theme": "新主题", "focus_areas": [{"title": "开放日（改）", "description": "全天"}]},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert list(draft.focus_areas.values_list("pk", "title")) == [(first.pk, "开放日（改）")]
    assert draft.basis_documents.count() == 1  # not named: unchanged
    draft.refresh_from_db()
    assert draft.theme == "新主题"


def test_bad_dates_and_a_taken_year_are_field_errors(world, client_for, draft):
    client = client_for(Role.ORGANIZER_ADMIN)
    response = client.post(URL, {**NEW, "end_date": "2041-05-01"}, format="json")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["end_date"]
    response = client.post(URL, {**NEW, "year": 2040}, format="json")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["year"]
    assert not Edition.objects.filter(year=2041).exists()


def test_a_write_over_a_newer_change_is_412(world, client_for, draft):
    client = client_for(Role.ORGANIZER_ADMIN)
    tag = client.get(f"{URL}{draft.pk}/")["ETag"]
    assert client.patch(f"{URL}{draft.pk}/", {"theme": "甲"}, format="json").status_code == 200
    stale = client.patch(f"{URL}{draft.pk}/", {"theme": "乙"}, format="json", HTTP_IF_MATCH=tag)
    assert (stale.status_code, stale.json()["code"]) == (412, "precondition_failed")
    draft.refresh_from_db()
    assert draft.theme == "甲"


def test_copy_and_publish_close_archive(world, client_for, draft):
    client = client_for(Role.ORGANIZER_ADMIN)
    copied = client.post(f"{URL}{draft.pk}/copy/", {"year": 2042}, format="json")
    assert copied.status_code == 201, copied.content
    assert (copied.json()["year"], copied.json()["start_date"]) == (2042, "2042-05-20")
    taken = client.post(f"{URL}{draft.pk}/copy/", {"year": 2042}, format="json")
    assert (taken.status_code, taken.json()["code"]) == (400, "year_taken")
    for to in ("published", "closed", "archived"):
        response = client.post(f"{URL}{draft.pk}/transitions/", {"to": to}, format="json")
        assert (response.status_code, response.json()["status"]) == (200, to)
    again = client.post(f"{URL}{draft.pk}/transitions/", {"to": "published"}, format="json")
    assert (again.status_code, again.json()["code"]) == (400, "transition_not_allowed")
    unknown = client.post(f"{URL}{draft.pk}/transitions/", {"to": "gone"}, format="json")
    assert unknown.json()["code"] == "unknown_status"


ROLES = [
    Role.ANONYMOUS,
    Role.ORGANIZER_ADMIN,
    Role.ORGANIZER_REVIEWER,
    Role.AREA_ADMIN,
    Role.UNIT_EDITOR,
    Role.GATE_STAFF,
    Role.SIGNED_IN,
    Role.PLATFORM_ADMIN,
]
#               anon org  rev  area unit gate none platform
TABLE = {
    "create": (401, 201, 403, 403, 403, 403, 403, 201),
    "patch draft": (401, 200, 403, 404, 404, 404, 404, 200),
    "patch public": (401, 200, 403, 403, 403, 403, 403, 200),
    "copy": (401, 201, 403, 403, 403, 403, 403, 201),
    "publish draft": (401, 200, 403, 404, 404, 404, 404, 200),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("what", TABLE)
def test_edition_writes_for_every_role(world, client_for, draft, what, role):
    public = EditionFactory(organizer=world.bureau, year=2039)
    client = client_for(None if role == Role.ANONYMOUS else role)
    if what == "create":
        response = client.post(URL, NEW, format="json")
    elif what == "patch draft":
        response = client.patch(f"{URL}{draft.pk}/", {"theme": "改"}, format="json")
    elif what == "patch public":
        response = client.patch(f"{URL}{public.pk}/", {"theme": "改"}, format="json")
    elif what == "copy":
        response = client.post(f"{URL}{public.pk}/copy/", {"year": 2043}, format="json")
    else:
        response = client.post(f"{URL}{draft.pk}/transitions/", {"to": "published"}, format="json")
    assert response.status_code == TABLE[what][ROLES.index(role)], response.content[:200]
