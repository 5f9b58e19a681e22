"""Issue 11, item 4 and the largest group: the large-event rule reads every figure (a session's
capacity, the expected participants, a day's sessions at the venue), the permit's authority is
checked against the level the size requires, the permit's scan is required, and an activity's
largest group never exceeds a session's capacity."""

from __future__ import annotations

import io
from datetime import datetime, time, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation
from PIL import Image

from sciweek.activities import checks, services
from sciweek.activities.models import Activity, ActivityDocument, Session
from sciweek.audit.models import AuditEntry
from sciweek.common.errors import ServiceError
from sciweek.demo.activities import tiny_pdf
from tests.activities.world import activity_in, fresh, make_world
from tests.dashboard.test_activity_pages import form_data
from tests.factories import SessionFactory
from tests.roles import Role

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
PREFIX = (
    "This is a large mass event (1,000 or more people in a session, expected, or over a day at "
    "the venue); before it can be approved it needs "
)
ALL_MISSING = (
    "the safety plan (安全工作方案), the emergency plan (应急预案), the police permit document "
    "(a scan: pdf or image), the police permit number, the authority that issued the permit, the "
    "person responsible for safety."
)
COUNTY = " The permit should come from the county (district) public security bureau."
CITY = " The permit should come from the city public security bureau."


@pytest.fixture
def w():
    return make_world()


def at(w, day: int, hour: int) -> datetime:
    return timezone.make_aware(
        datetime.combine(w.edition.start_date + timedelta(days=day), time(hour))
    )


def png_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(out, "PNG")
    return out.getvalue()


def approve_refusal(w, activity, role=Role.AREA_REVIEWER) -> tuple[str, str]:
    with translation.override("en"), pytest.raises(ServiceError) as refused:
        services.activity_transition(activity=activity, action="approve", by=fresh(w.users[role]))
    return refused.value.code, refused.value.messages[0]


LEVELS = {"淄博市公安局张店分局": "county", "桓台县公安局": "county", "淄博市公安局": "city"}


def complete(activity, authority: str) -> None:
    """Every safety item of a large event, with the permit from ``authority`` (its level chosen
    as the form would)."""
    for kind in ("safety_plan", "emergency_plan", "police_permit"):
        ActivityDocument.objects.create(activity=activity, kind=kind, original_name=f"{kind}.pdf",
                                        content_type="application/pdf", size=1)  # fmt: skip
    Activity.objects.filter(pk=activity.pk).update(
        police_permit_number="淄公许字〔2031〕7号",
        police_permit_authority=authority,
        police_permit_level=LEVELS[authority],
        safety_officer_name="韩立新",
    )


# The size, from every figure ----------------------------------------------------------------


def test_event_size_reads_every_figure(w):
    activity = activity_in(w, sessions=0, expected_participants=None)
    assert (checks.event_size(activity), checks.is_large_event(activity)) == (0, False)
    SessionFactory(activity=activity, starts_at=at(w, 0, 9), ends_at=at(w, 0, 11), capacity=400)
    SessionFactory(activity=activity, starts_at=at(w, 0, 14), ends_at=at(w, 0, 16), capacity=400)
    SessionFactory(activity=activity, starts_at=at(w, 1, 9), ends_at=at(w, 1, 11), capacity=700)
    activity = Activity.objects.get(pk=activity.pk)
    assert (checks.largest_session(activity), checks.largest_day_at_venue(activity)) == (700, 800)
    assert checks.is_large_event(activity) is False
    SessionFactory(activity=activity, starts_at=at(w, 0, 18), ends_at=at(w, 0, 20), capacity=200)
    assert (checks.event_size(activity), checks.is_large_event(activity)) == (1000, True)
    Activity.objects.filter(pk=activity.pk).update(expected_participants=5000)
    activity = Activity.objects.get(pk=activity.pk)
    assert (checks.event_size(activity), checks.needs_city_police(activity)) == (5000, True)


def test_999_expected_is_not_large_and_1000_is(w):
    small = activity_in(w, "pending_area", sessions=0, expected_participants=999)
    services.activity_transition(activity=small, action="approve", by=fresh(w.area_reviewer))
    assert Activity.objects.get(pk=small.pk).state == "pending_city"
    large = activity_in(w, "pending_area", sessions=0, expected_participants=1000)
    assert approve_refusal(w, large) == ("large_event_incomplete", PREFIX + ALL_MISSING + COUNTY)


def test_3000_expected_with_no_booking_cannot_be_approved_without_plans_and_permit(w):
    """The issue's case: expected_participants 3,000, no booking, small sessions."""
    activity = activity_in(w, "pending_area", sessions=1, expected_participants=3000,
                           booking_required=False)  # fmt: skip
    assert approve_refusal(w, activity) == ("large_event_incomplete", PREFIX + ALL_MISSING + COUNTY)
    assert Activity.objects.get(pk=activity.pk).state == "pending_area"
    assert not AuditEntry.objects.filter(action="activity.approve").exists()
    complete(activity, "淄博市公安局张店分局")
    services.activity_transition(activity=activity, action="approve", by=fresh(w.area_reviewer))
    assert Activity.objects.get(pk=activity.pk).state == "pending_city"


def test_a_day_of_sessions_at_the_venue_makes_a_large_event(w):
    activity = activity_in(w, "pending_area", sessions=0, expected_participants=None)
    for hour in (9, 12, 15):
        SessionFactory(activity=activity, starts_at=at(w, 2, hour),
                       ends_at=at(w, 2, hour + 2), capacity=400)  # fmt: skip
    assert approve_refusal(w, activity) == ("large_event_incomplete", PREFIX + ALL_MISSING + COUNTY)


# The permit's level ------------------------------------------------------------------------


def test_district_permit_for_a_6000_person_session_is_refused_naming_the_level(w):
    activity = activity_in(w, "pending_area", sessions=0)
    SessionFactory(activity=activity, capacity=6000)
    complete(activity, "淄博市公安局张店分局")
    assert approve_refusal(w, activity) == (
        "large_event_incomplete",
        PREFIX + "the permit is from County or district police (区县公安机关), but 6,000 people "
        "need a permit from the city public security bureau." + CITY,
    )
    assert Activity.objects.get(pk=activity.pk).state == "pending_area"
    # The level chosen decides, whatever the authority's name says.
    Activity.objects.filter(pk=activity.pk).update(police_permit_level="city")
    services.activity_transition(activity=activity, action="approve", by=fresh(w.area_reviewer))
    assert Activity.objects.get(pk=activity.pk).state == "pending_city"


def test_city_police_from_5000_exactly(w):
    activity = activity_in(w, "pending_area", sessions=0, expected_participants=5000)
    complete(activity, "桓台县公安局")
    code, message = approve_refusal(w, activity)
    assert (code, message) == (
        "large_event_incomplete",
        PREFIX + "the permit is from County or district police (区县公安机关), but 5,000 people "
        "need a permit from the city public security bureau." + CITY,
    )


def test_a_4999_person_event_takes_a_county_or_a_city_permit(w):
    for authority in ("桓台县公安局", "淄博市公安局"):
        activity = activity_in(w, "pending_area", sessions=0, expected_participants=4999)
        complete(activity, authority)
        services.activity_transition(activity=activity, action="approve", by=fresh(w.area_reviewer))
        assert Activity.objects.get(pk=activity.pk).state == "pending_city"


def test_a_named_authority_without_its_level_is_incomplete(w):
    activity = activity_in(w, "pending_area", sessions=0, expected_participants=6000)
    complete(activity, "淄博市公安局")
    Activity.objects.filter(pk=activity.pk).update(police_permit_level="")
    assert approve_refusal(w, activity) == (
        "large_event_incomplete",
        PREFIX + "the authority that issued the permit." + CITY,
    )


def test_the_permit_level_is_a_choice_on_the_filing_form(client, w):
    from sciweek.activities.forms import ActivityForm
    from sciweek.campaigns.models import Edition
    from sciweek.organizations.models import Organization

    form = ActivityForm(
        hosts=Organization.objects.filter(pk=w.unit.pk),
        editions=Edition.objects.filter(pk=w.edition.pk),
    )
    field = form.fields["police_permit_level"]
    assert [value for value, _label in field.choices] == ["", "county", "city"]


# The permit's scan -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "mime"),
    [
        ("许可证.pdf", tiny_pdf("permit"), "application/pdf"),
        ("许可证.png", png_bytes(), "image/png"),
    ],
)
def test_permit_scan_is_a_pdf_or_an_image(w, name, content, mime):
    activity = activity_in(w)
    document = services.document_attach(activity=activity, kind="police_permit",
                                        upload=SimpleUploadedFile(name, content),
                                        by=fresh(w.host_editor))  # fmt: skip
    assert (document.kind, document.content_type) == ("police_permit", mime)
    assert AuditEntry.objects.get().changes == {
        "kind": [None, "police_permit"],
        "file": [None, name],
    }


def test_a_plan_is_still_not_an_image(w):
    activity = activity_in(w)
    with pytest.raises(ServiceError) as refused:
        services.document_attach(activity=activity, kind="safety_plan",
                                 upload=SimpleUploadedFile("方案.png", png_bytes()),
                                 by=fresh(w.host_editor))  # fmt: skip
    assert refused.value.code == "file_type_refused"
    assert not ActivityDocument.objects.exists()


def test_filing_page_uploads_the_permit_scan(client, w):
    activity = activity_in(w)
    client.force_login(w.host_editor)
    url = reverse("dashboard:activity-document-upload", args=[activity.pk])
    upload = SimpleUploadedFile("许可证.png", png_bytes())
    response = client.post(url, {"kind": "police_permit", "file": upload})
    assert response.status_code == 302
    assert list(activity.documents.values_list("kind", flat=True)) == ["police_permit"]


def test_filing_page_shows_the_rule(client, w):
    client.force_login(w.host_editor)
    body = client.get(reverse("dashboard:activity-create"), **EN).content.decode()
    assert (
        '<span id="large-event-rule">An activity is a large mass event when a session&#x27;s '
        "capacity, the expected participants or a day&#x27;s sessions at the venue reach 1,000 "
        "people. Before approval it then needs a safety plan, an emergency plan, the police "
        "permit (its scan, pdf or image, and its number), the authority that issued it and the "
        "person responsible for safety. The permit comes from the county (district) police below "
        "5,000 people and from the city police from 5,000.</span>"
    ) in body
    assert '<option value="police_permit">' not in body  # the upload is on the detail page


# The largest group ---------------------------------------------------------------------------


def _filed(w, max_group_size: int, capacities: list[int]) -> Activity:
    activity = Activity(
        edition=w.edition, host=w.unit_a, title="研学开放日", category=w.category,
        venue_name="科技馆", address="张店区", contact_name="李老师",
        contact_phone="13800138000", confidentiality_checked=True, max_group_size=max_group_size,
    )  # fmt: skip
    sessions = [
        Session(starts_at=at(w, i, 9), ends_at=at(w, i, 11), capacity=c)
        for i, c in enumerate(capacities)
    ]
    return services.activity_file(activity=activity, by=fresh(w.host_editor), sessions=sessions)


def test_largest_group_up_to_the_smallest_session_is_accepted(w):
    activity = _filed(w, 40, [40, 60])
    assert (activity.max_group_size, activity.sessions.count()) == (40, 2)


def test_largest_group_above_a_session_capacity_is_refused_and_nothing_saved(w):
    with translation.override("en"), pytest.raises(ServiceError) as refused:
        _filed(w, 45, [60, 40])
    assert refused.value.error_dict["max_group_size"][0].code == "group_exceeds_session"
    assert refused.value.message_dict == {
        "max_group_size": [
            "The largest group (45) is more than the smallest session's 40 places; lower it to "
            "40 or less."
        ]
    }
    assert (Activity.objects.count(), Session.objects.count(), AuditEntry.objects.count()) == (
        0,
        0,
        0,
    )


def test_lowering_a_session_below_the_largest_group_is_refused(w):
    activity = _filed(w, 40, [40])
    session = activity.sessions.get()
    session.capacity = 30
    with pytest.raises(ServiceError) as refused:
        services.activity_file(activity=activity, by=fresh(w.host_editor), sessions=[session])
    assert refused.value.error_dict["max_group_size"][0].code == "group_exceeds_session"
    assert Session.objects.get(pk=session.pk).capacity == 40


def test_filing_form_refuses_a_group_larger_than_a_session(client, w):
    client.force_login(w.host_editor)
    response = client.post(
        reverse("dashboard:activity-create"), form_data(w, max_group_size="70"), **EN
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert (
        "The largest group (70) is more than the smallest session&#x27;s 60 places; lower it to "
        "60 or less."
    ) in body
    assert 'value="和平社区广场"' in body
    assert (Activity.objects.count(), Session.objects.count()) == (0, 0)
