"""The audit page and an activity's history read in words: actions by their labels, recorded
states and other choices by their labels, never the stored codes."""

import pytest
from django.utils import translation
from django.utils.html import strip_tags

from sciweek.activities.enums import ActivityState
from sciweek.audit import writer as audit
from sciweek.audit.display import change_rows
from sciweek.campaigns.models import Edition
from sciweek.organizations.enums import Role
from tests.factories import ActivityFactory, member

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}


@pytest.fixture
def approved():
    """An activity the city approved (pending_city → published), as the workflow records it."""
    activity = ActivityFactory(state=ActivityState.PUBLISHED)
    admin = member(Role.ADMIN, activity.host.parent.parent, username="city-admin")
    audit.record(
        actor=admin,
        action="activity.approve",
        obj=activity,
        before={"state": ActivityState.PENDING_CITY},
        after={"state": ActivityState.PUBLISHED},
        organization_id=activity.host_id,
    )
    return activity, admin


def test_audit_page_names_the_action_and_the_states(client, approved):
    _, admin = approved
    client.force_login(admin)
    html = client.get("/office/audit/", **EN).content.decode()
    assert "Approved" in html
    assert (
        '<span class="text-secondary">state:</span> <del>Awaiting city review</del> → <ins>Published</ins>'
        in html
    )
    # What a reader sees; the row's data-action attribute keeps the code for scripts.
    text = strip_tags(html)
    assert "activity.approve" not in text
    assert "pending_city" not in text


def test_audit_page_in_chinese(client, approved):
    _, admin = approved
    client.force_login(admin)
    html = client.get("/office/audit/", **ZH).content.decode()
    with translation.override("zh-hans"):
        old, new = str(ActivityState.PENDING_CITY.label), str(ActivityState.PUBLISHED.label)
    assert f"<del>{old}</del> → <ins>{new}</ins>" in html
    assert old != "Awaiting city review"
    # What a reader sees; the row's data-action attribute keeps the code for scripts.
    text = strip_tags(html)
    assert "activity.approve" not in text
    assert "pending_city" not in text


def test_activity_history_names_the_action_and_the_states(client, approved):
    activity, admin = approved
    client.force_login(admin)
    html = client.get(f"/office/activities/{activity.pk}/", **EN).content.decode()
    history = html[html.index('id="history"') :]
    assert "Approved: Awaiting city review → Published" in history
    assert "activity.approve" not in strip_tags(history)
    assert "pending_city" not in strip_tags(history)


def test_change_rows_label_any_choice_field():
    with translation.override("en"):
        rows = change_rows(Edition, {"status": ["draft", "published"], "year": [2025, 2026]})
    assert rows == [("status", "Draft", "Published"), ("year", "2025", "2026")]


def test_change_rows_keep_an_unknown_code_and_an_unknown_field():
    with translation.override("en"):
        rows = change_rows(Edition, {"status": ["draft", "gone"], "extra": [None, "x"]})
    assert rows == [
        ("extra", "", "x"),
        ("status", "Draft", "gone"),
    ]
