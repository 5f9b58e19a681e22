"""The city's summary board: its tiles are counted from its rows, lateness is shown beside the
state (never instead of it), and "owing" is one set for the button, its count and the reminder:
no summary with the city, never filed or returned for revision. The page for an area's own
summary sends a user with no area (the platform admin) to the board, not to a 500."""

import re

import pytest

from sciweek.notifications.models import OutboxMessage
from sciweek.reports.services import remind_task, summary_for, summary_transition
from tests.factories import AreaFactory, member
from tests.roles import Role

from .conftest import complete

pytestmark = pytest.mark.django_db


@pytest.fixture
def board_world(world):
    """Past the 2023 deadline: 张店区 returned, 临淄区 submitted, 博山区 a draft, 高青县 nothing."""
    from sciweek.organizations.enums import Role as MemberRole

    boshan = AreaFactory(name="博山区", parent=world.city)
    gaoqing = AreaFactory(name="高青县", parent=world.city)
    member(MemberRole.EDITOR, boshan, email="c@example.test")
    member(MemberRole.EDITOR, gaoqing, email="d@example.test")
    world.task.areas.add(boshan, gaoqing)
    for summary, user in (
        (world.summary_a, world.area_user_a),
        (world.summary_b, world.area_user_b),
    ):
        summary_transition(summary=complete(summary, user), action="submit", by=user)
    summary_transition(
        summary=world.summary_a, action="return", by=world.organizer, reason="补充照片"
    )
    summary_for(task=world.task, area=boshan)
    return world


def _board(client, world):
    client.force_login(world.organizer)
    response = client.get(f"/office/summaries/board/?edition={world.edition.pk}")
    assert response.status_code == 200
    return response.content.decode()


def _tiles(body):
    return {
        key: int(n)
        for key, n in re.findall(r'data-tile="(\w+)"><div class="num">(\d+)</div>', body)
    }


def _row(body, area):
    return re.search(rf'<tr data-area="{area}" data-status="(\w+)">(.*?)</tr>', body, re.S)


def test_tiles_agree_with_rows_and_overdue_shows_beside_the_state(client, board_world):
    body = _board(client, board_world)
    assert _tiles(body) == {
        "not_started": 1,
        "draft": 1,
        "submitted": 1,
        "returned": 1,
        "accepted": 0,
        "overdue": 3,
    }
    returned = _row(body, "张店区")
    assert returned.group(1) == "returned"
    assert re.findall(r'data-state="(\w+)"', returned.group(2)) == ["returned", "overdue"]
    submitted = _row(body, "临淄区")
    assert re.findall(r'data-state="(\w+)"', submitted.group(2)) == ["submitted"]
    assert _row(body, "高青县").group(1) == "not_started"


def test_remind_button_counts_what_the_reminder_sends(client, board_world):
    body = _board(client, board_world)
    button = re.search(r'id="remind">(.*?)</button>', body, re.S).group(1)
    # 待报送 (owed), not 未报送 (never filed): a returned summary was filed and is owed again.
    assert "提醒3个待报送区县" in button
    assert "（其中1个已退回待重报）" in button
    OutboxMessage.objects.all().delete()
    assert remind_task(task=board_world.task, by=board_world.organizer) == 3
    assert sorted(OutboxMessage.objects.values_list("recipient", flat=True)) == [
        "a@example.test",
        "c@example.test",
        "d@example.test",
    ]


def test_own_summary_page_sends_the_platform_admin_to_the_board(client, world):
    client.force_login(world.users[Role.PLATFORM_ADMIN])
    response = client.get("/office/summary/")
    assert response.status_code == 302
    assert response["Location"] == f"/office/summaries/board/?edition={world.edition.pk}"


def test_returned_summary_is_on_the_area_home(client, board_world):
    client.force_login(board_world.area_user_a)
    body = client.get("/office/").content.decode()
    assert 'id="returned-summaries"' in body
    assert f'href="/office/summaries/{board_world.summary_a.pk}/"' in body
    assert "补充照片" in body
    # 临淄区's summary is with the city: nothing on its home.
    client.force_login(board_world.area_user_b)
    assert 'id="returned-summaries"' not in client.get("/office/").content.decode()
