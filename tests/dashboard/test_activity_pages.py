"""The activity pages of the back office: who may open and post to each, the filing form with
bad input, the review queues, and the whole review flow through the pages."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from sciweek.activities.models import Activity, ActivityDocument, MediaCoverage, Session
from sciweek.audit.models import AuditEntry
from sciweek.demo.activities import tiny_pdf
from tests.activities.world import ROLES, activity_in, make_world
from tests.factories import HostUnitFactory, SessionFactory
from tests.roles import Role

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
LOGIN = "/accounts/login/"
PDF = tiny_pdf("plan")

HOST = {Role.UNIT_EDITOR, Role.UNIT_ADMIN, Role.AREA_ADMIN}
AREA = {Role.AREA_ADMIN, Role.AREA_REVIEWER}
CITY = {Role.ORGANIZER_REVIEWER, Role.ORGANIZER_ADMIN}
SIGNED_IN = set(ROLES) - {Role.ANONYMOUS}


@pytest.fixture
def w():
    world = make_world()
    world.draft = activity_in(world, "draft")
    world.pending = activity_in(world, "pending_area")
    world.published = activity_in(world, "published")
    world.held = activity_in(world, "held")
    world.document = ActivityDocument.objects.create(
        activity=world.pending, kind="safety_plan", original_name="安全工作方案.pdf",
        content_type="application/pdf", size=len(PDF), storage_key="k.pdf",
    )  # fmt: skip
    world.document.file.save("k.pdf", SimpleUploadedFile("k.pdf", PDF), save=True)
    world.draft_document = ActivityDocument.objects.create(
        activity=world.draft, kind="other", original_name="x.pdf",
        content_type="application/pdf", size=1, storage_key="x.pdf",
    )  # fmt: skip
    world.coverage = MediaCoverage.objects.create(
        activity=world.held, outlet="淄博日报", title="报道", published_on=world.edition.end_date
    )
    return world


def login(client, w, role):
    return w.login(client, role)


def expect(allowed: set[str], ok: int, visible: set[str] = frozenset(), refused: int = 403):
    """{role: status}: ``allowed`` get ``ok``; others who can see the activity get ``refused``;
    the rest 404 (its existence is secret); anonymous users go to the login page."""
    table = {}
    for role in ROLES:
        if role == Role.ANONYMOUS:
            table[role] = 302
        elif role in allowed:
            table[role] = ok
        elif role in visible:
            table[role] = refused
        else:
            table[role] = 404
    return table


DRAFT_VISIBLE = HOST
PENDING_VISIBLE = HOST | AREA | CITY

# (url name, object, document/coverage, method, data, {role: status})
TABLE = [
    ("activity-list", None, None, "get", None, expect(SIGNED_IN, 200)),
    # Everyone may post; each row is then asked (tests/dashboard/test_activity_list.py).
    ("activity-bulk", None, None, "post", {"action": "approve", "ids": "0"},
     expect(SIGNED_IN, 302)),
    ("activity-create", None, None, "get", None, expect(HOST | CITY, 200, SIGNED_IN)),
    ("activity-detail", "draft", None, "get", None, expect(DRAFT_VISIBLE, 200)),
    ("activity-detail", "pending", None, "get", None, expect(PENDING_VISIBLE, 200)),
    ("activity-detail", "published", None, "get", None, expect(SIGNED_IN, 200)),
    ("activity-edit", "draft", None, "get", None, expect(HOST, 200)),
    ("activity-edit", "pending", None, "get", None, expect(set(), 200, PENDING_VISIBLE)),
    ("activity-transition", "draft", None, "post", {"action": "submit"}, expect(HOST, 302)),
    ("activity-transition", "pending", None, "post", {"action": "approve"},
     expect(AREA, 302, PENDING_VISIBLE)),
    ("activity-transition", "published", None, "post", {"action": "cancel", "reason": "改期"},
     expect(HOST | {Role.ORGANIZER_ADMIN}, 302, SIGNED_IN)),
    ("activity-duplicate", "published", None, "post", {}, expect(HOST, 302, SIGNED_IN)),
    ("activity-document-upload", "draft", None, "post", "upload", expect(HOST, 302)),
    ("activity-document-upload", "pending", None, "post", "upload",
     expect(set(), 302, PENDING_VISIBLE)),
    ("activity-document", "pending", "document", "get", None, expect(PENDING_VISIBLE, 200)),
    ("activity-document-remove", "draft", "draft_document", "post", {}, expect(HOST, 302)),
    ("activity-results", "held", None, "post", {"onsite_participants": "80"},
     expect(HOST | CITY, 302, SIGNED_IN)),
    ("activity-coverage-add", "held", None, "post",
     {"outlet": "淄博日报", "title": "报道", "url": "", "published_on": "2031-05-31"},
     expect(HOST | CITY, 302, SIGNED_IN)),
    ("activity-coverage-remove", "held", "coverage", "post", {},
     expect(HOST | CITY, 302, SIGNED_IN)),
    ("review-area", None, None, "get", None,
     expect(AREA | {Role.OTHER_AREA_REVIEWER}, 200, SIGNED_IN)),
    ("review-city", None, None, "get", None, expect(CITY, 200, SIGNED_IN)),
]  # fmt: skip


def test_table_covers_every_activity_url():
    from sciweek.dashboard import urls

    names = {p.name for p in urls.urlpatterns if p.name.startswith(("activity-", "review-"))}
    # Excel import and export pages have their own table in tests/activities/test_excel.py.
    names = {n for n in names if "import" not in n and "export" not in n}
    assert names == {row[0] for row in TABLE}


def _url(w, name, obj, sub):
    args = [getattr(w, obj).pk] if obj else []
    if sub:
        args.append(getattr(w, sub).pk)
    return reverse(f"dashboard:{name}", args=args)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("name", "obj", "sub", "method", "data", "expected"),
    TABLE,
    ids=[f"{r[0]}-{r[1]}-{r[4]['action'] if isinstance(r[4], dict) and 'action' in r[4] else ''}"
         for r in TABLE],
)  # fmt: skip
def test_page_access(client, w, name, obj, sub, method, data, expected, role):
    url = _url(w, name, obj, sub)
    login(client, w, role)
    if method == "get":
        response = client.get(url)
    else:
        if data == "upload":
            data = {"kind": "safety_plan", "file": SimpleUploadedFile("方案.pdf", PDF)}
        response = client.post(url, data)
    assert response.status_code == expected[role], (role, response.status_code)
    if role == Role.ANONYMOUS:
        assert response["Location"] == f"{LOGIN}?next={url}"


def test_platform_admin_opens_the_review_pages(client, w):
    w.login(client, Role.PLATFORM_ADMIN)
    assert client.get(reverse("dashboard:review-city")).status_code == 200
    assert client.get(_url(w, "activity-detail", "pending", None)).status_code == 200


# The filing form --------------------------------------------------------------------------


def form_data(w, **changes):
    start = w.edition.start_date
    data = {
        "edition": w.edition.pk, "host": w.unit_a.pk, "title": "科普进社区：节水小课堂",
        "summary": "", "description": "", "category": w.category.pk, "focus_area": "",
        "audiences": ["residents", "children"], "mode": "offline", "venue_name": "和平社区广场",
        "address": "张店区和平街道1号", "latitude": "", "longitude": "", "livestream_url": "",
        "budget": "3000", "co_host_names": "", "lead_name": "", "contact_name": "李老师",
        "contact_phone": "13853311111", "expected_participants": "", "max_group_size": "1",
        "police_permit_number": "", "police_permit_authority": "", "safety_officer_name": "",
        "safety_officer_phone": "", "confidentiality_checked": "on",
        "sessions-TOTAL_FORMS": "2", "sessions-INITIAL_FORMS": "0",
        "sessions-MIN_NUM_FORMS": "0", "sessions-MAX_NUM_FORMS": "1000",
        "sessions-0-starts_at": f"{start:%Y-%m-%d}T09:00", "sessions-0-ends_at": f"{start:%Y-%m-%d}T11:00",
        "sessions-0-capacity": "80", "sessions-0-booking_opens_at": "",
        "sessions-0-booking_closes_at": "", "sessions-0-note": "上午场",
        "sessions-1-starts_at": f"{start:%Y-%m-%d}T14:00", "sessions-1-ends_at": f"{start:%Y-%m-%d}T16:00",
        "sessions-1-capacity": "60", "sessions-1-booking_opens_at": "",
        "sessions-1-booking_closes_at": "", "sessions-1-note": "下午场",
    }  # fmt: skip
    data.update(changes)
    return data


def test_filing_form_preselects_the_only_host_and_edition(client, w):
    client.force_login(w.host_editor)
    body = client.get(reverse("dashboard:activity-create")).content.decode()
    assert f'<option value="{w.unit_a.pk}" selected>' in body
    assert f'<option value="{w.edition.pk}" selected>' in body
    # Session times get a full row on a phone, so the time is not cut off.
    assert (
        'class="col-12 col-sm-6 col-lg-2"><label class="form-label small mb-0" for="id_sessions-0-starts_at"'
        in body
    )


def test_filing_form_creates_the_activity_with_its_sessions(client, w):
    client.force_login(w.host_editor)
    before = set(Activity.objects.values_list("pk", flat=True))
    response = client.post(reverse("dashboard:activity-create"), form_data(w), **EN)
    activity = Activity.objects.exclude(pk__in=before).get()
    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard:activity-detail", args=[activity.pk])
    assert (activity.title, activity.state, activity.area, activity.host) == (
        "科普进社区：节水小课堂", "draft", w.zhangdian, w.unit_a,
    )  # fmt: skip
    assert sorted(activity.audience_tags.values_list("audience", flat=True)) == [
        "children",
        "residents",
    ]
    assert list(activity.sessions.values_list("capacity", "note")) == [
        (80, "上午场"),
        (60, "下午场"),
    ]
    assert list(
        AuditEntry.objects.filter(object_id=str(activity.pk)).order_by("id").values_list("action", flat=True)
    ) == ["activity.create", "activity.session_add", "activity.session_add"]  # fmt: skip


BAD_INPUT = [
    ({"title": ""}, "This field is required."),
    ({"contact_phone": "12345"}, "Enter a mobile number or a landline with its area code"),
    ({"sessions-0-ends_at": "2031-05-20T08:00"}, "A session must end after it starts."),
    ({"sessions-0-capacity": "-5"}, "Ensure this value is greater than or equal to 0."),
    ({"sessions-0-starts_at": "2031-06-20T09:00", "sessions-0-ends_at": "2031-06-20T10:00"},
     "Sessions must fall within the week (2031-05-20 to 2031-05-31)"),
    ({"title": "长" * 121}, "Ensure this value has at most 120 characters (it has 121)."),
    ({"category": "999999"}, "Select a valid choice."),
    ({"sessions-TOTAL_FORMS": "1", "sessions-0-starts_at": "", "sessions-0-ends_at": "",
      "sessions-0-capacity": "", "sessions-0-note": ""}, "Add at least one session."),
]  # fmt: skip


@pytest.mark.parametrize(("changes", "message"), BAD_INPUT)
def test_filing_form_bad_input_saves_nothing_and_keeps_what_was_typed(client, w, changes, message):
    client.force_login(w.host_editor)
    counts = (Activity.objects.count(), Session.objects.count(), AuditEntry.objects.count())
    response = client.post(reverse("dashboard:activity-create"), form_data(w, **changes), **EN)
    assert response.status_code == 400
    body = response.content.decode()
    assert message in body
    assert "Nothing you typed has been lost." in body
    # What the user typed is back in the form.
    assert 'value="和平社区广场"' in body
    assert 'value="13853311111"' in body or changes.get("contact_phone") == "12345"
    typed_sessions = changes.get("sessions-TOTAL_FORMS") != "1"
    assert ('value="上午场"' in body) is typed_sessions
    assert ('value="下午场"' in body) is typed_sessions
    assert (Activity.objects.count(), Session.objects.count(), AuditEntry.objects.count()) == counts


def test_xss_title_is_escaped_on_the_detail_page(client, w):
    client.force_login(w.host_editor)
    payload = "<script>alert(1)</script>"
    response = client.post(reverse("dashboard:activity-create"),
                           form_data(w, title=payload, venue_name='"><img src=x onerror=alert(2)>'))  # fmt: skip
    activity = Activity.objects.get(title=payload)
    page = client.get(response["Location"]).content.decode()
    assert payload not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<img src=x" not in page
    assert activity.venue_name == '"><img src=x onerror=alert(2)>'


def test_editing_a_draft_updates_it_and_its_sessions(client, w):
    client.force_login(w.host_editor)
    client.post(reverse("dashboard:activity-create"), form_data(w))
    activity = Activity.objects.get(title="科普进社区：节水小课堂")
    first, second = activity.sessions.order_by("starts_at")
    data = form_data(w, title="科普进社区：节水课堂（修订）", **{
        "sessions-TOTAL_FORMS": "2", "sessions-INITIAL_FORMS": "2",
        "sessions-0-id": first.pk, "sessions-0-activity": activity.pk, "sessions-0-capacity": "90",
        "sessions-1-id": second.pk, "sessions-1-activity": activity.pk, "sessions-1-DELETE": "on",
    })  # fmt: skip
    response = client.post(reverse("dashboard:activity-edit", args=[activity.pk]), data)
    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.title == "科普进社区：节水课堂（修订）"
    assert list(activity.sessions.values_list("capacity", flat=True)) == [90]


# Uploads on the activity page ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "方案.pdf",
            b"MZ\x90\x00" + b"\x00" * 100,
            "is not an accepted file. Accepted: pdf, docx.",
        ),
        ("../../etc/passwd.pdf", b"#!/bin/sh\nrm -rf /\n", "is not an accepted file."),
        ("大文件.pdf", PDF + b"\x00" * (20 * 1024 * 1024), "the limit is 20.0"),
    ],
    ids=["renamed-exe", "script-with-traversal-name", "over-20mb"],
)
def test_hostile_or_oversized_upload_is_refused_with_400(client, w, name, content, message):
    client.force_login(w.host_editor)
    url = reverse("dashboard:activity-document-upload", args=[w.draft.pk])
    response = client.post(
        url, {"kind": "safety_plan", "file": SimpleUploadedFile(name, content)}, **EN
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert ActivityDocument.objects.filter(activity=w.draft).count() == 1  # the fixture's


def test_upload_without_a_file_is_refused_with_400(client, w):
    client.force_login(w.host_editor)
    url = reverse("dashboard:activity-document-upload", args=[w.draft.pk])
    response = client.post(url, {"kind": "safety_plan"}, **EN)
    assert response.status_code == 400
    assert "Choose the kind of document and a file." in response.content.decode()


def test_good_upload_is_listed_and_downloadable(client, w):
    client.force_login(w.host_editor)
    client.post(reverse("dashboard:activity-document-upload", args=[w.draft.pk]),
                {"kind": "emergency_plan", "file": SimpleUploadedFile("应急预案.pdf", PDF)})  # fmt: skip
    document = ActivityDocument.objects.get(activity=w.draft, kind="emergency_plan")
    download = client.get(reverse("dashboard:activity-document", args=[w.draft.pk, document.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert download["Content-Type"] == "application/pdf"


def test_bad_results_and_coverage_answer_400_and_change_nothing(client, w):
    client.force_login(w.host_editor)
    response = client.post(reverse("dashboard:activity-results", args=[w.held.pk]),
                           {"onsite_participants": "-3"}, **EN)  # fmt: skip
    assert response.status_code == 400
    assert "Ensure this value is greater than or equal to 0." in response.content.decode()
    assert Activity.objects.get(pk=w.held.pk).onsite_participants is None
    response = client.post(reverse("dashboard:activity-coverage-add", args=[w.held.pk]),
                           {"outlet": "x", "title": "y", "url": "javascript:alert(1)",
                            "published_on": "2031-05-31"}, **EN)  # fmt: skip
    assert response.status_code == 400
    assert "Enter a valid URL." in response.content.decode()
    assert MediaCoverage.objects.count() == 1


def test_actual_cost_is_recorded_with_the_results_and_bad_values_refused(client, w):
    client.force_login(w.host_editor)
    url = reverse("dashboard:activity-results", args=[w.held.pk])
    for bad in ("-1", "abc", "1" * 20):
        response = client.post(url, {"onsite_participants": "80", "actual_cost": bad}, **EN)
        assert response.status_code == 400, bad
        assert Activity.objects.get(pk=w.held.pk).onsite_participants is None
    response = client.post(url, {"onsite_participants": "80", "actual_cost": "1234.50"}, **EN)
    assert response.status_code == 302
    held = Activity.objects.get(pk=w.held.pk)
    assert (held.onsite_participants, str(held.actual_cost)) == (80, "1234.50")
    page = client.get(reverse("dashboard:activity-detail", args=[w.held.pk]), **EN)
    assert "Actual cost (yuan)" in page.content.decode()


def test_refused_transition_shows_why_with_400(client, w):
    client.force_login(w.host_editor)
    draft = activity_in(w, "draft", confidentiality_checked=False)
    response = client.post(reverse("dashboard:activity-transition", args=[draft.pk]),
                           {"action": "submit"}, **EN)  # fmt: skip
    assert response.status_code == 400
    assert "Complete the confidentiality self-check" in response.content.decode()
    assert Activity.objects.get(pk=draft.pk).state == "draft"


def test_large_event_approval_refused_on_the_page_names_what_is_missing(client, w):
    activity = activity_in(w, "pending_area", sessions=0, police_permit_number="淄公许字1号")
    SessionFactory(activity=activity, capacity=1200)
    client.force_login(w.area_reviewer)
    page = client.get(reverse("dashboard:activity-detail", args=[activity.pk]), **EN)
    assert "Large mass event: approval needs" in page.content.decode()
    response = client.post(reverse("dashboard:activity-transition", args=[activity.pk]),
                           {"action": "approve"}, **EN)  # fmt: skip
    assert response.status_code == 400
    assert (
        "before it can be approved it needs the safety plan (安全工作方案), the emergency plan "
        "(应急预案), the police permit document (a scan: pdf or image), the authority that issued "
        "the permit, the person responsible for safety."
    ) in response.content.decode()
    assert Activity.objects.get(pk=activity.pk).state == "pending_area"


# Review queues ------------------------------------------------------------------------------


def test_area_queue_shows_how_long_each_item_has_waited(client, w):
    Activity.objects.filter(pk=w.pending.pk).update(
        state_changed_at=timezone.now() - timedelta(days=3, hours=2)
    )
    newer = activity_in(w, "pending_area", title="刚提交的活动")
    Activity.objects.filter(pk=newer.pk).update(
        state_changed_at=timezone.now() - timedelta(hours=5)
    )
    client.force_login(w.area_reviewer)
    body = client.get(reverse("dashboard:review-area"), **EN).content.decode()
    assert "2 activities waiting" in body
    assert '<span class="text-danger fw-semibold">3 days</span>' in body
    assert '<span class="">5 hours</span>' in body
    # Oldest first.
    assert body.index(f'data-activity="{w.pending.pk}"') < body.index(f'data-activity="{newer.pk}"')


def _queue_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    ("url_name", "state", "role"),
    [
        ("review-area", "pending_area", Role.AREA_REVIEWER),
        ("review-city", "pending_city", Role.ORGANIZER_REVIEWER),
        ("activity-list", "draft", Role.UNIT_EDITOR),
    ],
)
def test_lists_issue_the_same_queries_for_1_and_20_rows(client, url_name, state, role):
    w = make_world()
    client.force_login(w.users[role])
    url = reverse(f"dashboard:{url_name}")
    activity_in(w, state, sessions=2)
    _queue_queries(client, url)  # warm caches (content types, sessions)
    one = _queue_queries(client, url)
    for n in range(19):
        activity_in(
            w,
            state,
            sessions=2,
            host=HostUnitFactory(parent=w.zhangdian)
            if n % 2 and role != Role.UNIT_EDITOR
            else w.unit_a,
        )
    response = client.get(url)
    assert len(response.context["activities"]) == 20
    assert _queue_queries(client, url) == one


def test_queue_filters_and_search(client, w):
    client.force_login(w.area_reviewer)
    key = activity_in(w, "pending_area", title="淄博科学之夜", is_key=True)
    url = reverse("dashboard:review-area")
    rows = client.get(url, {"q": "科学之夜"}).context["activities"]
    assert [a.pk for a in rows] == [key.pk]
    rows = client.get(url, {"is_key": "true"}).context["activities"]
    assert [a.pk for a in rows] == [key.pk]
    rows = client.get(url, {"is_key": "false"}).context["activities"]
    assert [a.pk for a in rows] == [w.pending.pk]
    # A malformed filter is ignored, never a 500.
    assert client.get(url, {"date_from": "not-a-date", "area": "x"}).status_code == 200


# The review flow through the pages ----------------------------------------------------------


def test_review_flow_zhangdian_unit_to_city_with_linzi_kept_out(client, w):
    client.force_login(w.host_editor)
    client.post(reverse("dashboard:activity-create"), form_data(w, title="张店区科普开放日"))
    activity = Activity.objects.get(title="张店区科普开放日")
    detail = reverse("dashboard:activity-detail", args=[activity.pk])
    transition = reverse("dashboard:activity-transition", args=[activity.pk])

    assert client.post(transition, {"action": "submit"}).status_code == 302
    assert Activity.objects.get(pk=activity.pk).state == "pending_area"

    client.force_login(w.other_area_reviewer)
    assert client.get(detail).status_code == 404
    assert activity.pk not in [
        a.pk for a in client.get(reverse("dashboard:review-area")).context["activities"]
    ]
    assert client.post(transition, {"action": "approve"}).status_code == 404

    client.force_login(w.area_reviewer)
    queue = client.get(reverse("dashboard:review-area"))
    assert activity.pk in [a.pk for a in queue.context["activities"]]
    response = client.post(transition, {"action": "approve", "next": "area-queue"})
    assert response["Location"] == reverse("dashboard:review-area")
    assert Activity.objects.get(pk=activity.pk).state == "pending_city"

    client.force_login(w.city_reviewer)
    queue = client.get(reverse("dashboard:review-city"))
    assert [a.pk for a in queue.context["activities"]] == [activity.pk]
    assert client.post(transition, {"action": "approve"}).status_code == 302
    activity.refresh_from_db()
    assert activity.state == "published"

    page = client.get(detail, **EN).content.decode()
    for action in ("activity.create", "activity.submit", "activity.approve"):
        assert f'data-action="{action}"' in page
    assert "Approved: Awaiting area review → Awaiting city review" in page
    assert "Approved: Awaiting city review → Published" in page

    # Once published it is public: 临淄区's reviewer may open it, still not review it.
    client.force_login(w.other_area_reviewer)
    assert client.get(detail).status_code == 200
    assert list(client.get(reverse("dashboard:review-area")).context["activities"]) == []
