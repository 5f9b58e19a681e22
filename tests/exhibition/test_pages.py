"""Every ceremony and exhibition page × every role, in one table. LOGIN: 302 to the sign-in
page. A delegation or exhibit the user may not see is 404 where its existence is secret (an
exhibit), 403 where the page is known to exist (another area's delegation)."""

import pytest

from sciweek.exhibition.enums import ExhibitState, GuestState
from tests.roles import Role

from .conftest import ROLES, guest_of, media_of, with_jury

pytestmark = pytest.mark.django_db
LOGIN = "login"


def table(default, **codes):
    t = {Role.ANONYMOUS: LOGIN, **dict.fromkeys(ROLES[1:], default)}
    t.update({Role(name): code for name, code in codes.items()})
    assert set(t) == set(ROLES)
    return t


def everyone(code):
    return dict.fromkeys(ROLES, code)


CITY = {"organizer_admin": 200, "organizer_reviewer": 200, "platform_admin": 200}
ADMIN = {"organizer_admin": 200, "platform_admin": 200}
GUEST = {
    "name": "王建华",
    "organization_name": "淄博市人民政府",
    "mobile": "13800000001",
    "post": "副市长",
}

PAGES = [
    ("get", "/office/ceremony/", table(403, area_admin=200, other_area_admin=200, **CITY), None),
    ("get", "/office/ceremony/{c}/edit/", table(403, **ADMIN), None),
    ("post", "/office/ceremony/{c}/edit/", table(403, organizer_admin=400, platform_admin=400), {}),
    ("get", "/office/ceremony/{c}/quotas/", table(403, **ADMIN), None),
    ("post", "/office/ceremony/{c}/quotas/", table(403, organizer_admin=302, platform_admin=302), {}),
    ("get", "/office/ceremony/{c}/guests/", table(403, **CITY), None),
    # A reviewer sees the guests but may not invite: the service refuses (403).
    ("post", "/office/ceremony/{c}/guests/",
     table(403, organizer_admin=302, platform_admin=302, organizer_reviewer=403),
     {**GUEST, "category": "{leader_category}"}),
    ("get", "/office/ceremony/{c}/seating.xlsx", table(403, **CITY), None),
    ("get", "/office/ceremony/{c}/seating.docx", table(403, **CITY), None),
    ("get", "/office/ceremony/{c}/badges.pdf", table(403, **CITY), None),
    ("get", "/office/ceremony/{c}/table-cards.pdf", table(403, **CITY), None),
    ("post", "/office/ceremony/{c}/remind/", table(403, organizer_admin=302, platform_admin=302), {}),
    ("post", "/office/ceremony/{c}/remind-areas/", table(403, organizer_admin=302, platform_admin=302), {}),
    ("get", "/office/ceremony/{c}/areas/{a}/", table(403, area_admin=200, **CITY), None),
    # The city reads a delegation; only the area names its people.
    ("post", "/office/ceremony/{c}/areas/{a}/",
     table(403, area_admin=302, platform_admin=302),
     {**GUEST, "category": "{student_category}", "teacher": "李老师"}),
    # Another area's guest is not found; the city sees it, and the service refuses (message).
    ("post", "/office/ceremony/guests/{g}/remove/",
     table(403, area_admin=302, other_area_admin=404, organizer_admin=302, organizer_reviewer=302,
           platform_admin=302), {}),
    # Areas, city departments and host units submit exhibits (a unit's go to its area first).
    ("get", "/office/exhibits/",
     table(403, area_admin=200, other_area_admin=200, city_dept_editor=200, unit_editor=200,
           **CITY), None),
    ("get", "/office/exhibits/new/",
     table(403, area_admin=200, other_area_admin=200, city_dept_editor=200, unit_editor=200,
           platform_admin=200), None),
    ("post", "/office/exhibits/new/",
     table(403, area_admin=400, other_area_admin=400, city_dept_editor=400, unit_editor=400,
           platform_admin=400), {}),
    ("get", "/office/exhibits/{e}/", table(404, area_admin=200, **CITY), None),
    ("get", "/office/exhibits/{d}/", table(404, area_admin=200), None),
    ("post", "/office/exhibits/{d}/", table(404, area_admin=400), {}),
    ("post", "/office/exhibits/{e}/transitions/",
     table(404, area_admin=302, organizer_admin=302, organizer_reviewer=302, platform_admin=302),
     {"action": "select"}),
    # The area approves its units' exhibits (the exhibit's own page and transitions above).
    # The jury: the organiser forms it; the city's reviewers read the results and decide.
    ("get", "/office/ceremony/{c}/jury/", table(403, **ADMIN), None),
    ("post", "/office/ceremony/{c}/jury/", table(403, organizer_admin=302, platform_admin=302),
     {"scale_max": "10", "per_exhibit": "3", "name-0": "创新性", "weight-0": "100"}),
    ("post", "/office/ceremony/{c}/jury/jurors/",
     table(403, organizer_admin=302, platform_admin=302), {"username": "{unit_editor}"}),
    ("post", "/office/ceremony/jurors/{expert}/remove/",
     table(403, organizer_admin=302, platform_admin=302), {}),
    ("post", "/office/ceremony/{c}/jury/assign/",
     table(403, organizer_admin=302, platform_admin=302), {"auto": "1"}),
    ("post", "/office/ceremony/{c}/jury/close/",
     table(403, organizer_admin=302, platform_admin=302), {}),
    ("get", "/office/ceremony/{c}/jury/results/",
     table(403, organizer_admin=200, organizer_reviewer=200, platform_admin=200), None),
    ("post", "/office/ceremony/{c}/jury/decide/",
     table(403, organizer_admin=302, organizer_reviewer=302, platform_admin=302),
     {"decision-{e}": "select"}),
    # A juror's own pages: nobody else has assignments (their scoring page is not found).
    ("get", "/office/scoring/", table(403, platform_admin=200), None),
    ("get", "/office/scoring/{asg}/", table(404), None),
    ("post", "/office/scoring/{asg}/", table(404), {}),
    # The exhibit's photos and video: uploaded by the submitter, seen by whoever sees the
    # exhibit (the platform's admin acts for every organisation); an empty upload is a 400.
    ("post", "/office/exhibits/{d}/media/", table(404, area_admin=400), {}),
    ("post", "/office/exhibits/{e}/media/",
     table(404, area_admin=400, organizer_admin=403, organizer_reviewer=403, platform_admin=400),
     {}),
    ("get", "/office/exhibit-media/{m}/", table(404, area_admin=200), None),
    ("get", "/office/exhibit-media/{m}/thumb.jpg", table(404, area_admin=200), None),
    ("get", "/office/exhibit-media/{em}/", table(404, area_admin=200, **CITY), None),
    ("get", "/office/exhibit-media/{em}/thumb.jpg", table(404, area_admin=200, **CITY), None),
    ("post", "/office/exhibit-media/{m}/delete/", table(404, area_admin=302), {}),
    # A submitted exhibit's photo: the submitter is told it cannot change now; the city may not.
    ("post", "/office/exhibit-media/{em}/delete/",
     table(404, area_admin=302, organizer_admin=403, organizer_reviewer=403, platform_admin=302),
     {}),
    # Public only once selected.
    ("get", "/exhibits/media/thumbs/{sm}.jpg", everyone(200), None),
    ("get", "/exhibits/media/{sm}/{sm_name}", everyone(200), None),
    ("get", "/exhibits/media/{sm}/other.jpg", everyone(404), None),
    ("get", "/exhibits/media/thumbs/{em}.jpg", everyone(404), None),
    ("get", "/exhibits/media/{m}/{m_name}", everyone(404), None),
    # Public: the guest's personal link, the QR once coming; the selected exhibit's pages.
    ("get", "/ceremony/rsvp/{token}/", everyone(200), None),
    ("get", "/ceremony/rsvp/not-a-token/", everyone(404), None),
    ("post", "/ceremony/rsvp/{token}/", everyone(302), {"action": "attend"}),
    ("get", "/ceremony/rsvp/{coming_token}/qr.png", everyone(200), None),
    ("get", "/ceremony/rsvp/{token}/qr.png", everyone(404), None),
    ("get", "/exhibits/{s}/", everyone(200), None),
    ("get", "/exhibits/{s}/label.png", everyone(200), None),
    ("get", "/exhibits/{e}/", everyone(404), None),
    ("get", "/activities/{activity}/", everyone(200), None),
    ("get", "/hall/", everyone(200), None),
]  # fmt: skip


def fill(template: str, w) -> str:
    if not hasattr(w, "coming"):
        w.coming = guest_of(w, area=w.area, state=GuestState.ATTENDING, n=9)
        w.draft_photo = media_of(w.draft)
        w.submitted_photo = media_of(w.exhibit, n=2)
        w.selected_photo = media_of(w.selected, n=3)
    return template.format(
        m=w.draft_photo.key, m_name=w.draft_photo.original_name, em=w.submitted_photo.key,
        sm=w.selected_photo.key, sm_name=w.selected_photo.original_name,
        c=w.ceremony.pk, a=w.area.pk, g=w.guest.pk, e=w.exhibit.pk, d=w.draft.pk,
        s=w.selected.pk, token=w.guest.token, coming_token=w.coming.token,
        activity=w.activity.pk, leader_category=w.categories["city_leader"].pk,
        student_category=w.categories["student"].pk, expert=w.expert.pk, asg=w.assignment.pk,
        unit_editor=w.unit_editor.username,
    )  # fmt: skip


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "template", "expected", "data"), PAGES,
                         ids=[f"{m} {t}" for m, t, _e, _d in PAGES])  # fmt: skip
def test_page_permissions(client, world, role, method, template, expected, data):
    with_jury(world)
    url = fill(template, world)
    if role != Role.ANONYMOUS:
        client.force_login(world.users[role])
    if method == "get":
        response = client.get(url)
    else:
        response = client.post(
            url, {fill(k, world): fill(v, world) for k, v in (data or {}).items()}
        )
    code = expected[role]
    if code == LOGIN:
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url
    else:
        assert response.status_code == code, (role, method, url, response.status_code)


def test_activity_page_shows_the_ceremony_and_selected_exhibits(client, world):
    from sciweek.exhibition.models import ProgrammeItem

    ProgrammeItem.objects.create(ceremony=world.ceremony, starts_at="09:05", title="领导致辞",
                                 speaker="王建华", speaker_post="副市长")  # fmt: skip
    page = client.get(f"/activities/{world.activity.pk}/").content.decode()
    assert 'id="ceremony"' in page and "领导致辞" in page and "王建华" in page
    assert f'data-exhibit="{world.selected.pk}"' in page
    assert f'data-exhibit="{world.exhibit.pk}"' not in page  # submitted, not selected
    hall = client.get("/hall/").content.decode()
    assert f'data-exhibit="{world.selected.pk}"' in hall


def test_city_does_not_see_drafts_in_the_list(client, world):
    client.force_login(world.organizer_admin)
    page = client.get("/office/exhibits/").content.decode()
    assert f'data-exhibit="{world.exhibit.pk}"' in page
    assert f'data-exhibit="{world.draft.pk}"' not in page
    assert world.exhibit.state == ExhibitState.SUBMITTED
