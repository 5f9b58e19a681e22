"""schemathesis over the OpenAPI schema the project serves (``/api/v1/schema/``), as each demo
role and anonymously: every operation, with its examples, coverage cases and a few fuzzed ones.
No answer may be a 5xx, carry a status code the schema does not declare for the operation, or
have a body, content type or headers that do not match the schema.

Each case is sent as generated (ids that mostly do not exist) and again with its path ids
pointing at real objects of the test world (published, draft and other areas' activities,
their sessions, editions, notices, organisations, summaries, the launch ceremony, its exhibits
and its guests' RSVP tokens), so that the answers with data in
them are checked against the schema too.

Bounded for CI: ``MAX_EXAMPLES`` fuzzed cases per operation, each sent as every role; the
coverage phase's boundary cases (hundreds for a large body) each as one role, in turn; one test
world per operation.
"""

from datetime import timedelta
from itertools import count

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import load_all_checks, not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from sciweek.activities.models import Activity, ActivityChange, Session
from sciweek.bookings.models import Booking
from sciweek.campaigns.models import Edition, Notice, NoticeAttachment
from sciweek.exhibition.enums import ExhibitState, GuestCategoryKind
from sciweek.exhibition.models import (
    Assignment,
    Ceremony,
    Criterion,
    Exhibit,
    ExhibitMedia,
    Guest,
    GuestCategory,
    Juror,
    Jury,
    Quota,
)
from sciweek.media.models import MediaItem
from sciweek.organizations.models import Contact, Organization
from sciweek.reports.models import AreaSummary
from sciweek.reports.services import summary_for, task_for
from tests.api.test_activities import activity_world
from tests.exhibition.conftest import exhibit_of, guest_of, media_of
from tests.factories import SessionFactory
from tests.roles import Role

MAX_EXAMPLES = 5
# The demo's roles (README: organizer, area-*, unit-*, gate-*, admin) and the anonymous user.
ROLES = (
    Role.ANONYMOUS,
    Role.ORGANIZER_ADMIN,
    Role.AREA_ADMIN,
    Role.UNIT_ADMIN,
    Role.GATE_STAFF,
    Role.PLATFORM_ADMIN,
)
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]
CONFIG = SchemathesisConfig.from_dict(
    {
        "seed": 20231018,
        "generation": {"max-examples": MAX_EXAMPLES, "database": "none"},
        "phases": {
            "examples": {"enabled": True},
            "coverage": {"enabled": True},
            "fuzzing": {"enabled": True},
            "stateful": {"enabled": False},
        },
    }
)
# Which objects a path's ids name: (path prefix, parameter) → (model, field).
REAL_OBJECTS = {
    ("/api/v1/activities/", "id"): (Activity, "pk"),
    ("/api/v1/activities/", "session_id"): (Session, "pk"),
    ("/api/v1/activities/", "change_id"): (ActivityChange, "pk"),
    ("/api/v1/activities/", "activity_id"): (Activity, "pk"),
    ("/api/v1/media/", "key"): (MediaItem, "key"),
    ("/api/v1/sessions/", "session_id"): (Session, "pk"),
    ("/api/v1/editions/", "id"): (Edition, "pk"),
    ("/api/v1/notices/", "id"): (Notice, "pk"),
    ("/api/v1/notices/", "attachment_id"): (NoticeAttachment, "pk"),
    ("/api/v1/sessions/", "booking_id"): (Booking, "pk"),
    ("/api/v1/organizations/", "id"): (Organization, "pk"),
    ("/api/v1/organizations/", "contact_id"): (Contact, "pk"),
    ("/api/v1/reports/", "id"): (AreaSummary, "pk"),
    ("/api/v1/ceremonies/", "id"): (Ceremony, "pk"),
    ("/api/v1/exhibits/", "id"): (Exhibit, "pk"),
    ("/api/v1/exhibits/", "key"): (ExhibitMedia, "key"),
    ("/api/v1/rsvp/", "token"): (Guest, "token"),
    ("/api/v1/jury-assignments/", "id"): (Assignment, "pk"),
}


def ceremony_world(w):
    """The current edition's launch ceremony (on the published lecture) with its guest
    categories, a quota and a guest of 张店区, a leader, and exhibits in several states."""
    starts = timezone.now() + timedelta(hours=1)
    w.ceremony = Ceremony.objects.create(
        edition=w.current, activity=w.lecture_pub, title="启动仪式", venue="淄博科学城",
        starts_at=starts, ends_at=starts + timedelta(hours=2),
        rsvp_deadline=timezone.now() + timedelta(days=1),
        exhibit_deadline=timezone.now() + timedelta(days=1), booth_count=2,
    )  # fmt: skip
    w.categories = {
        kind: GuestCategory.objects.create(ceremony=w.ceremony, kind=kind, places=50, order=i)
        for i, kind in enumerate(GuestCategoryKind.values)
    }
    Quota.objects.create(
        ceremony=w.ceremony, area=w.area, category=w.categories["student"], places=3
    )
    guest_of(w, area=w.area)
    guest_of(w, kind="city_leader", n=2)
    submitted = exhibit_of(w, w.area)
    media_of(exhibit_of(w, w.area, state=ExhibitState.DRAFT, title="草稿"))
    exhibit_of(w, w.other_area, state=ExhibitState.SELECTED, booth_number="A01")
    # The city's jury: the unit's admin sits on it (as an outside expert) and scores 张店区's
    # exhibit, so a juror's answers are checked against the schema too.
    jury = Jury.objects.create(ceremony=w.ceremony)
    Criterion.objects.create(jury=jury, name="创新性", weight=100)
    juror = Juror.objects.create(jury=jury, user=w.users[Role.UNIT_ADMIN])
    Assignment.objects.create(juror=juror, exhibit=submitted)


@pytest.fixture
def api_world(world, settings):
    """The API tests' world with activities in every state, sessions and both areas'
    summaries; each role's request headers; the ids a path may name."""
    # Nothing leaves this process: mail stays in memory.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    w = activity_world(world)
    for activity in (w.lecture_pub, w.open_day_pub, w.draft, w.other_draft):
        SessionFactory(activity=activity, capacity=3)
    task = task_for(w.edition)
    summary_for(task=task, area=w.area)
    summary_for(task=task, area=w.other_area)
    ceremony_world(w)
    w.headers = {Role.ANONYMOUS: {}}
    for role in ROLES[1:]:
        token, _ = Token.objects.get_or_create(user=w.users[role])
        w.headers[role] = {"Authorization": f"Token {token.key}"}
    # Ids as a path carries them: numbers, or text (an RSVP token, a media item's UUID).
    w.real = {key: sorted(v if isinstance(v, int) else str(v)
                          for v in model.objects.values_list(field, flat=True))
              for key, (model, field) in REAL_OBJECTS.items()}  # fmt: skip
    w.turn = count()
    # The WSGI handler closes the database connection after each request, which would end the
    # test's transaction on PostgreSQL; Django's own test client keeps it open the same way.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield w
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def real_path_parameters(case, world) -> dict | None:
    """The case's path ids replaced by real ones (taking turns over them), or None."""
    if not case.path_parameters:
        return None
    real = {}
    for name in case.path_parameters:
        prefix = next(p for p, param in REAL_OBJECTS if case.path.startswith(p) and param == name)
        ids = world.real[(prefix, name)]
        real[name] = ids[next(world.turn) % len(ids)] if ids else 1
    return real


# Loaded from the running application, as a client would (the schema view reads no database).
schema = schemathesis.openapi.from_wsgi(
    "/api/v1/schema/?format=json", get_wsgi_application(), config=CONFIG
)


@pytest.mark.django_db
@schema.parametrize()
# One world per operation, shared by its examples (each builds on what came before).
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_the_api_keeps_its_schema(case, api_world):
    load_all_checks()
    generated = case.path_parameters
    real = real_path_parameters(case, api_world)
    if case.meta is not None and case.meta.phase.name == "coverage":
        # The coverage phase's cases are many (every boundary of every field): each goes to one
        # role, the roles taking turns, and made-up ids are sent once more as real ones.
        roles = (ROLES[next(api_world.turn) % len(ROLES)],)
        rounds = [(generated, roles)] + ([] if real is None else [(real, roles)])
    elif real is None:
        rounds = [(generated, ROLES)]
    else:
        # Made-up ids name nothing for anyone: anonymous and one signed-in role are enough.
        rounds = [(generated, ROLES[:2]), (real, ROLES)]
    for path_parameters, roles in rounds:
        case.path_parameters = path_parameters
        for role in roles:
            headers = {**(case.headers or {}), **api_world.headers[role]}
            case.call_and_validate(headers=headers, checks=CHECKS)
    case.path_parameters = generated
