"""examples/sciweek_client.py runs against a live server: an edition and its notice created and
published, an activity filed, a photo uploaded, the statistics and a session's bookings read —
through the API alone (issue 19's walk-through)."""

import subprocess
import sys
from pathlib import Path

import pytest

from sciweek.activities.models import Activity
from sciweek.campaigns.models import Edition, Notice
from sciweek.media.models import MediaItem
from tests.api.conftest import PASSWORD
from tests.media import files
from tests.roles import Role

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "sciweek_client.py"
pytestmark = pytest.mark.django_db(transaction=True)


def test_the_example_client_runs_the_week_through_the_api(world, live_server, tmp_path):
    organiser, editor = world.users[Role.ORGANIZER_ADMIN], world.users[Role.UNIT_EDITOR]
    photo = tmp_path / "hall.jpg"
    photo.write_bytes(files.jpeg((640, 480)))
    run = subprocess.run(
        [sys.executable, str(EXAMPLE), live_server.url, organiser.username, PASSWORD,
         editor.username, PASSWORD, str(photo), "2031"],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr[-2000:]
    edition = Edition.objects.get(year=2031)
    assert edition.status == "published"
    notice = Notice.objects.get(edition=edition)
    assert (notice.status, list(notice.deliveries.values_list("organization", flat=True))) == (
        "published",
        [world.area.pk],
    )
    activity = Activity.objects.get(edition=edition)
    assert (activity.title, activity.host_id, activity.state) == (
        "走进科技馆",
        world.unit.pk,
        "draft",
    )
    assert MediaItem.objects.get(activity=activity).alt_text == "科技馆展厅"
    printed = dict(line.split(" ", 1) for line in run.stdout.splitlines())
    assert set(printed) == {"edition", "notice", "activity", "media", "statistics", "bookings"}
    assert printed["bookings"].startswith('{"count": 0')
