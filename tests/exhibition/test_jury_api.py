"""The jury's API × every role and the jurors: a juror reads and scores only their own
assignments; the city reads the jury, its results and every score, assigns and decides. The
anonymous user 401; what the user may not see, 404; what the rules refuse, 403."""

import json

import pytest

from sciweek.exhibition.models import Assignment, Exhibit, Score
from tests.roles import Role

from .conftest import ROLES, exhibit_of, with_jury

pytestmark = pytest.mark.django_db

JURORS = ("juror", "other_juror")  # of 张店区 (no assignment) and of 临淄区 (w.assignment)
WHO = (*ROLES, *JURORS)


def table(default, **codes):
    t = {Role.ANONYMOUS: 401, **dict.fromkeys(WHO[1:], default)}
    t.update({(k if k in JURORS else Role(k)): v for k, v in codes.items()})
    assert set(t) == set(WHO)
    return t


CITY = {"organizer_admin": 200, "organizer_reviewer": 200, "platform_admin": 200}
SCORES = {"scores": "{scores}", "comment": "好"}

API = [
    ("get", "/api/v1/jury-assignments/", table(403, juror=200, other_juror=200, platform_admin=200), None),
    ("get", "/api/v1/jury-assignments/{asg}/", table(404, other_juror=200), None),
    ("post", "/api/v1/jury-assignments/{asg}/scores/", table(404, other_juror=200), SCORES),
    ("get", "/api/v1/ceremonies/{c}/jury/", table(403, **CITY), None),
    ("get", "/api/v1/ceremonies/{c}/jury-results/", table(403, **CITY), None),
    ("get", "/api/v1/ceremonies/{c}/jury-scores/", table(403, **CITY), None),
    ("post", "/api/v1/ceremonies/{c}/jury/assign-automatically/",
     table(403, organizer_admin=200, platform_admin=200), {}),
    ("post", "/api/v1/ceremonies/{c}/decisions/",
     table(403, organizer_admin=200, organizer_reviewer=200, platform_admin=200),
     {"decisions": [{"exhibit": "{e}", "action": "select"}]}),
]  # fmt: skip


def user_of(w, who):
    return getattr(w, f"{who}_user") if who in JURORS else w.users[who]


def fill(value, w):
    if isinstance(value, list):
        return [fill(v, w) for v in value]
    if isinstance(value, dict):
        return {k: fill(v, w) for k, v in value.items()}
    if value == "{scores}":
        return [{"criterion": c.pk, "value": 7} for c in w.criteria]
    if not isinstance(value, str):
        return value
    out = value.format(c=w.ceremony.pk, e=w.exhibit.pk, asg=w.assignment.pk)
    return int(out) if out.isdigit() and value.startswith("{") else out


@pytest.mark.parametrize("who", WHO)
@pytest.mark.parametrize(("method", "template", "expected", "data"), API,
                         ids=[f"{m} {t}" for m, t, _e, _d in API])  # fmt: skip
def test_jury_api_permissions(client, world, who, method, template, expected, data):
    w = with_jury(world)
    if who != Role.ANONYMOUS:
        client.force_login(user_of(w, who))
    url = fill(template, w)
    if method == "get":
        response = client.get(url)
    else:
        response = client.post(url, data=json.dumps(fill(data, w)), content_type="application/json")
    assert response.status_code == expected[who], (who, url, response.content[:300])


@pytest.fixture
def jw(world):
    return with_jury(world)


def post(client, url, body):
    return client.post(url, data=json.dumps(body), content_type="application/json")


def test_a_juror_lists_their_assignment_with_the_criteria(client, jw):
    client.force_login(jw.other_juror_user)
    body = client.get("/api/v1/jury-assignments/").json()
    assert [row["id"] for row in body["results"]] == [jw.assignment.pk]
    row = body["results"][0]
    assert row["exhibit"]["title"] == jw.exhibit.title
    assert [(c["name"], c["weight"]) for c in row["criteria"]] == [
        ("创新性", 40), ("科普性", 30), ("展示效果", 30)
    ]  # fmt: skip
    assert (row["scale_max"], row["jury_closed"], row["scores"], row["scored_at"]) == (
        10, False, [], None
    )  # fmt: skip


def test_a_juror_scores_by_the_api_and_bad_scores_are_refused(client, jw):
    client.force_login(jw.other_juror_user)
    url = f"/api/v1/jury-assignments/{jw.assignment.pk}/scores/"
    first, second, third = (c.pk for c in jw.criteria)
    bad = post(client, url, {"scores": [{"criterion": first, "value": 11},
                                        {"criterion": second, "value": 5},
                                        {"criterion": third, "value": 5}]})  # fmt: skip
    assert bad.status_code == 400 and bad.json()["errors"].keys() == {f"criterion_{first}"}
    for body in (
        {"scores": [{"criterion": first, "value": "x"}]},
        {"scores": "7"},
        {},
        {"scores": [{"criterion": first, "value": 5}]},
    ):  # the last: two missing
        assert post(client, url, body).status_code == 400
    assert not Score.objects.exists()
    ok = post(client, url, {"scores": [{"criterion": first, "value": 9},
                                       {"criterion": second, "value": 8},
                                       {"criterion": third, "value": 7}], "comment": "创新"})  # fmt: skip
    assert ok.status_code == 200
    assert sorted((s["criterion"], s["value"]) for s in ok.json()["scores"]) == [
        (first, 9), (second, 8), (third, 7)
    ]  # fmt: skip
    assert ok.json()["comment"] == "创新"


def test_the_city_reads_results_and_every_score(client, jw):
    client.force_login(jw.other_juror_user)
    first, second, third = (c.pk for c in jw.criteria)
    post(client, f"/api/v1/jury-assignments/{jw.assignment.pk}/scores/",
         {"scores": [{"criterion": first, "value": 10}, {"criterion": second, "value": 5},
                     {"criterion": third, "value": 5}], "comment": "创新"})  # fmt: skip
    client.force_login(jw.organizer_reviewer)
    results = client.get(f"/api/v1/ceremonies/{jw.ceremony.pk}/jury-results/").json()
    top = results[0]
    assert (top["exhibit"], top["average"], top["spread"], top["count"], top["assigned"],
            top["comments"]) == (jw.exhibit.pk, 7.0, 0.0, 1, 1, ["创新"])  # fmt: skip
    scores = client.get(f"/api/v1/ceremonies/{jw.ceremony.pk}/jury-scores/").json()
    assert [(s["exhibit"], s["juror"], s["comment"]) for s in scores] == [
        (jw.exhibit.pk, jw.other_juror.pk, "创新")
    ]  # fmt: skip
    jury = client.get(f"/api/v1/ceremonies/{jw.ceremony.pk}/jury/").json()
    assert [(j["username"], j["assigned"], j["scored"]) for j in jury["jurors"]] == [
        (jw.juror_user.username, 0, 0), (jw.other_juror_user.username, 1, 1),
        (jw.expert_user.username, 0, 0),
    ]  # fmt: skip


def test_the_city_assigns_and_decides_by_the_api(client, jw):
    other = exhibit_of(jw, jw.other_area, title="临淄展项")
    client.force_login(jw.organizer_admin)
    made = post(client, f"/api/v1/ceremonies/{jw.ceremony.pk}/jury/assign-automatically/", {})
    # 张店区's exhibit gets the expert (the 临淄区 juror has it); 临淄区's the other two.
    assert made.json() == {"assignments": 3}
    assert not Assignment.objects.filter(juror=jw.other_juror, exhibit=other).exists()
    url = f"/api/v1/ceremonies/{jw.ceremony.pk}/decisions/"
    refused = post(client, url, {"decisions": [{"exhibit": other.pk, "action": "decline"}]})
    assert (refused.status_code, refused.json()["code"]) == (400, "reason_required")
    done = post(client, url, {"decisions": [{"exhibit": jw.exhibit.pk, "action": "select"},
                                            {"exhibit": other.pk, "action": "decline"}],
                              "reason": "展位有限"})  # fmt: skip
    assert done.json() == {"decided": 2}
    assert Exhibit.objects.get(pk=other.pk).last_reason == "展位有限"


def test_no_jury_is_a_clear_refusal(client, world):
    client.force_login(world.organizer_admin)
    response = client.get(f"/api/v1/ceremonies/{world.ceremony.pk}/jury/")
    assert (response.status_code, response.json()["code"]) == (400, "no_jury")
