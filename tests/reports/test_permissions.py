"""Every reporting page and API endpoint × every role, in one table. LOGIN: 302 to the sign-in
page; the API answers the anonymous user 401. A summary of another area is 404 (its existence
is not confirmed); one the user sees but may not act on is 403."""

import json

import pytest
from django.core.files.base import ContentFile

from sciweek.reports.enums import CompileStatus
from sciweek.reports.models import CompiledReport, SummaryFile
from tests.roles import Role

from .files import jpeg, up

pytestmark = pytest.mark.django_db

ROLES = (
    Role.ANONYMOUS,
    Role.AREA_ADMIN,
    Role.OTHER_AREA_ADMIN,
    Role.ORGANIZER_ADMIN,
    Role.UNIT_EDITOR,
    Role.GATE_STAFF,
    Role.SIGNED_IN,
)
LOGIN = "login"


def table(default, **codes):
    t = {Role.ANONYMOUS: LOGIN, **dict.fromkeys(ROLES[1:], default)}
    t.update({Role(name): code for name, code in codes.items()})
    assert set(t) == set(ROLES)
    return t


CITY = table(403, organizer_admin=200)
AREA_A_PAGE = table(404, area_admin=200, organizer_admin=200)
AREA_A_WRITE = table(404, area_admin=302, organizer_admin=403)

PAGES = [
    ("get", "/office/summary/", table(403, area_admin=302, other_area_admin=302), None),
    ("get", "/office/summaries/{a}/", AREA_A_PAGE, None),
    ("get", "/office/summaries/{a}/files/{f}/", AREA_A_PAGE, None),
    ("get", "/office/summaries/{a}/figures/onsite/records/", AREA_A_PAGE, None),
    ("get", "/office/summaries/{a}/files/{f}/thumbnail/", AREA_A_PAGE, None),
    ("post", "/office/summaries/{a}/figures/", AREA_A_WRITE, {}),
    ("post", "/office/summaries/{a}/figures/refresh/", AREA_A_WRITE, {}),
    ("post", "/office/summaries/{a}/narrative/", AREA_A_WRITE, {"highlights_text": "x"}),
    ("post", "/office/summaries/{a}/files/{f}/delete/", AREA_A_WRITE, {}),
    # The city may not submit: the service refuses (403); A's incomplete summary answers 400.
    (
        "post",
        "/office/summaries/{a}/transitions/",
        table(404, area_admin=400, organizer_admin=403),
        {"action": "submit"},
    ),
    ("get", "/office/summaries/board/", CITY, None),
    ("get", "/office/summaries/task/{e}/", CITY, None),
    ("post", "/office/summaries/task/{e}/remind/", table(403, organizer_admin=302), {}),
    ("get", "/office/summaries/compile/", CITY, None),
    ("get", "/office/summaries/compile/progress/", CITY, None),
    (
        "post",
        "/office/summaries/compile/prose/?edition={e}",
        table(403, organizer_admin=302),
        {"report_overview": "概述"},
    ),
    # No such photo: the organiser is sent back to the page with a message.
    (
        "post",
        "/office/summaries/compile/photo/?edition={e}",
        table(403, organizer_admin=302),
        {"item": "0"},
    ),
    ("get", "/office/summaries/compiled/{c}/", CITY, None),
]

API_ANON = 401
API = [
    ("get", "/api/v1/reports/", dict(table(200), anonymous=API_ANON), None),
    ("get", "/api/v1/reports/{a}/", dict(table(404, area_admin=200, organizer_admin=200), anonymous=API_ANON), None),
    ("patch", "/api/v1/reports/{a}/", dict(table(404, area_admin=200, organizer_admin=403), anonymous=API_ANON),
     {"highlights_text": "亮点"}),
    ("post", "/api/v1/reports/{a}/transitions/", dict(table(404, area_admin=400, organizer_admin=403),
     anonymous=API_ANON), {"action": "submit"}),
]  # fmt: skip


def _url(template, world):
    item = SummaryFile.objects.filter(summary=world.summary_a).first()
    if item is None:
        from sciweek.reports.uploads import file_add

        item = file_add(summary=world.summary_a, kind="photo", upload=up("p.jpg", jpeg((40, 30))),
                        by=world.area_user_a)  # fmt: skip
    compiled = CompiledReport.objects.filter(
        task=world.summary_a.task, status=CompileStatus.DONE
    ).first()
    if compiled is None:
        compiled = CompiledReport(task=world.summary_a.task, kind="xlsx", status=CompileStatus.DONE)
        compiled.file.save("city.xlsx", ContentFile(b"PK\x03\x04 workbook"), save=True)
    return template.format(a=world.summary_a.pk, f=item.pk, e=world.edition.pk, c=compiled.pk)


def _check(client, world, role, method, url, data, expected, *, api=False):
    if role != Role.ANONYMOUS:
        client.force_login(world.users[role])
    if method == "get":
        response = client.get(url)
    elif api:
        response = getattr(client, method)(
            url, data=json.dumps(data), content_type="application/json"
        )
    else:
        response = client.post(url, data)
    if expected == LOGIN:
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], (
            role,
            url,
        )
    else:
        assert response.status_code == expected, (role, method, url, response.status_code)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "template", "expected", "data"), PAGES,
                         ids=[f"{m} {t}" for m, t, _e, _d in PAGES])  # fmt: skip
def test_page_permissions(client, world, role, method, template, expected, data):
    _check(client, world, role, method, _url(template, world), data, expected[role])


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "template", "expected", "data"), API,
                         ids=[f"{m} {t}" for m, t, _e, _d in API])  # fmt: skip
def test_api_permissions(client, world, role, method, template, expected, data):
    _check(client, world, role, method, _url(template, world), data, expected[role], api=True)


def test_api_file_upload_permissions(client, world):
    url = f"/api/v1/reports/{world.summary_a.pk}/files/"
    expected = {Role.ANONYMOUS: 401, Role.AREA_ADMIN: 201, Role.OTHER_AREA_ADMIN: 404,
                Role.ORGANIZER_ADMIN: 403, Role.UNIT_EDITOR: 404, Role.GATE_STAFF: 404,
                Role.SIGNED_IN: 404}  # fmt: skip
    for role, code in expected.items():
        client.logout()
        if role != Role.ANONYMOUS:
            client.force_login(world.users[role])
        response = client.post(url, {"kind": "photo", "file": up("p.jpg", jpeg((40, 30)))})
        assert response.status_code == code, role
    assert SummaryFile.objects.filter(summary=world.summary_a).count() == 1


def test_api_list_shows_only_own_area_and_all_to_city(client, world):
    client.force_login(world.area_user_a)
    assert [r["area"]["name"] for r in client.get("/api/v1/reports/").json()["results"]] == [
        "张店区"
    ]
    client.force_login(world.organizer)
    assert len(client.get("/api/v1/reports/").json()["results"]) == 2


def test_area_b_cannot_read_or_write_area_a(client, world):
    client.force_login(world.area_user_b)
    assert client.get(f"/office/summaries/{world.summary_a.pk}/").status_code == 404
    response = client.patch(f"/api/v1/reports/{world.summary_a.pk}/",
                            data=json.dumps({"highlights_text": "篡改"}), content_type="application/json")  # fmt: skip
    assert response.status_code == 404
    world.summary_a.refresh_from_db()
    assert world.summary_a.highlights_text == ""


def test_api_patch_figures_needs_a_note(client, world):
    client.force_login(world.area_user_a)
    url = f"/api/v1/reports/{world.summary_a.pk}/"
    refused = client.patch(url, data=json.dumps({"figures": {"sessions": {"value": 12}}}),
                           content_type="application/json")  # fmt: skip
    assert refused.status_code == 400 and "sessions" in refused.json()["errors"]
    ok = client.patch(url, data=json.dumps({"figures": {"sessions": {"value": 12, "note": "含线上场次"}},
                      "highlights_text": "科学之夜"}), content_type="application/json")  # fmt: skip
    assert ok.status_code == 200
    sessions = next(f for f in ok.json()["figures"] if f["key"] == "sessions")
    assert (sessions["reported"], sessions["note"], sessions["changed"]) == (
        "12.00",
        "含线上场次",
        True,
    )
    assert ok.json()["highlights_text"] == "科学之夜"


def test_figures_page_keeps_input_on_error(client, world):
    client.force_login(world.area_user_a)
    response = client.post(f"/office/summaries/{world.summary_a.pk}/figures/",
                           {"value_sessions": "42", "note_sessions": ""})  # fmt: skip
    assert response.status_code == 400
    body = response.content.decode()
    assert 'value="42"' in body and "invalid-feedback" in body


def test_return_without_reason_on_the_page_is_400(client, world):
    from sciweek.reports.models import AreaSummary

    AreaSummary.objects.filter(pk=world.summary_a.pk).update(state="submitted")
    client.force_login(world.organizer)
    url = f"/office/summaries/{world.summary_a.pk}/transitions/"
    assert client.post(url, {"action": "return", "reason": ""}).status_code == 400
    assert client.post(url, {"action": "return", "reason": "补充"}).status_code == 302
    world.summary_a.refresh_from_db()
    assert world.summary_a.state == "returned"


def test_board_lists_every_required_area(client, world):
    client.force_login(world.organizer)
    body = client.get(f"/office/summaries/board/?edition={world.edition.pk}").content.decode()
    assert 'data-area="张店区"' in body and 'data-area="临淄区"' in body
