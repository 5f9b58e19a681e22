"""The jury's pages as their people use them: the organiser forms the jury and assigns, a juror
scores (mistakes shown beside the field, nothing lost), the city reads the results and decides;
an area approves its units' exhibits. Who may open each page is in test_pages.py."""

import pytest

from sciweek.exhibition.enums import ExhibitState
from sciweek.exhibition.models import Assignment, Exhibit, Jury, Score

from .conftest import exhibit_of, with_jury

pytestmark = pytest.mark.django_db


@pytest.fixture
def jw(world):
    return with_jury(world)


def values(w, *numbers, comment=""):
    data = {f"criterion_{c.pk}": str(n) for c, n in zip(w.criteria, numbers, strict=True)}
    return {**data, "comment": comment}


def test_a_juror_sees_only_their_assignments(client, jw):
    client.force_login(jw.other_juror_user)
    page = client.get("/office/scoring/").content.decode()
    assert f'data-assignment="{jw.assignment.pk}"' in page and jw.exhibit.title in page
    assert "我的评审" in page  # the menu entry
    client.force_login(jw.juror_user)
    page = client.get("/office/scoring/").content.decode()
    assert "data-assignment=" not in page
    assert client.get(f"/office/scoring/{jw.assignment.pk}/").status_code == 404
    assert (
        client.post(f"/office/scoring/{jw.assignment.pk}/", values(jw, 1, 1, 1)).status_code == 404
    )
    assert not Score.objects.exists()


def test_a_juror_scores_and_changes_the_scores(client, jw):
    client.force_login(jw.other_juror_user)
    url = f"/office/scoring/{jw.assignment.pk}/"
    page = client.get(url).content.decode()
    assert "创新性 (40%)" in page and 'inputmode="numeric"' in page and 'max="10"' in page
    response = client.post(url, values(jw, 9, 8, 7, comment="演示效果好"))
    assert (response.status_code, response["Location"]) == (302, "/office/scoring/")
    assert sorted(Score.objects.values_list("value", flat=True)) == [7, 8, 9]
    page = client.get(url).content.decode()
    assert 'value="9"' in page and "演示效果好" in page
    client.post(url, values(jw, 5, 5, 5))
    assert sorted(Score.objects.values_list("value", flat=True)) == [5, 5, 5]


def test_a_wrong_score_is_shown_beside_its_field_and_nothing_is_lost(client, jw):
    client.force_login(jw.other_juror_user)
    url = f"/office/scoring/{jw.assignment.pk}/"
    response = client.post(url, values(jw, 9, 11, 7, comment="<script>alert(1)</script>"))
    page = response.content.decode()
    assert response.status_code == 400
    assert "is-invalid" in page and 'value="11"' in page and 'value="9"' in page
    assert "&lt;script&gt;" in page and "<script>alert" not in page
    assert not Score.objects.exists()
    assert client.post(url, values(jw, "x", 1, 1)).status_code == 400
    assert client.post(url, {}).status_code == 400


def test_after_saving_the_juror_goes_on_to_the_next_exhibit(client, jw):
    other = exhibit_of(jw, jw.other_area, title="第二件")
    Assignment.objects.create(juror=jw.expert, exhibit=jw.exhibit)
    second = Assignment.objects.create(juror=jw.expert, exhibit=other)
    client.force_login(jw.expert_user)
    first = Assignment.objects.get(juror=jw.expert, exhibit=jw.exhibit)
    response = client.post(f"/office/scoring/{first.pk}/", values(jw, 6, 6, 6))
    assert response["Location"] == f"/office/scoring/{second.pk}/"


def test_a_closed_jury_shows_the_final_scores_and_refuses_changes(client, jw):
    client.force_login(jw.other_juror_user)
    url = f"/office/scoring/{jw.assignment.pk}/"
    client.post(url, values(jw, 9, 8, 7))
    Jury.objects.filter(pk=jw.jury.pk).update(closed_at="2026-05-20T10:00:00+08:00")
    page = client.get(url).content.decode()
    assert 'id="final-scores"' in page and 'id="score-form"' not in page
    response = client.post(url, values(jw, 1, 1, 1))
    assert response.status_code == 400 and "评审已结束" in response.content.decode()
    assert sorted(Score.objects.values_list("value", flat=True)) == [7, 8, 9]


def test_the_organiser_forms_the_jury_and_assigns_automatically(client, world):
    client.force_login(world.organizer_admin)
    url = f"/office/ceremony/{world.ceremony.pk}/jury/"
    page = client.get(url).content.decode()
    assert 'value="创新性"' in page and 'value="40"' in page  # the default criteria offered
    bad = {"scale_max": "10", "per_exhibit": "3", "name-0": "创新性", "weight-0": "40",
           "name-1": "科普性", "weight-1": "30"}  # fmt: skip
    response = client.post(url, bad)
    assert response.status_code == 400 and "100" in response.content.decode()
    assert 'value="科普性"' in response.content.decode()  # what was typed is kept
    assert not Jury.objects.exists()
    response = client.post(url, {**bad, "weight-1": "60"})
    assert response.status_code == 302
    jury = Jury.objects.get()
    assert [(c.name, c.weight) for c in jury.criteria.all()] == [("创新性", 40), ("科普性", 60)]
    world.build("unit_editor")
    response = client.post(f"{url}jurors/", {"username": world.unit_editor.username,
                                             "organization": world.unit.pk})  # fmt: skip
    assert response.status_code == 302
    response = client.post(f"{url}jurors/", {"username": "nobody-here"})
    assert response.status_code == 400 and "没有" in response.content.decode()
    client.post(f"{url}assign/", {"auto": "1"})
    # The unit's juror is of 张店区: only the other area's selected exhibit is left... which is
    # decided already; 张店区's submitted exhibit is never theirs.
    assert not Assignment.objects.exists()


def test_a_manual_assignment_of_the_own_area_is_refused_with_a_message(client, jw):
    client.force_login(jw.organizer_admin)
    url = f"/office/ceremony/{jw.ceremony.pk}/jury/assign/"
    response = client.post(url, {"juror": jw.juror.pk, "exhibit": jw.exhibit.pk}, follow=True)
    assert "自己所在区县" in response.content.decode()
    assert not Assignment.objects.filter(juror=jw.juror).exists()
    client.post(url, {"juror": jw.expert.pk, "exhibit": jw.exhibit.pk})
    assert Assignment.objects.filter(juror=jw.expert, exhibit=jw.exhibit).exists()


def test_results_are_sorted_by_score_and_the_city_decides_at_once(client, jw):
    other = exhibit_of(jw, jw.other_area, title="临淄展项")
    low = Assignment.objects.create(juror=jw.juror, exhibit=other)
    client.force_login(jw.other_juror_user)
    client.post(f"/office/scoring/{jw.assignment.pk}/", values(jw, 9, 9, 9, comment="优秀"))
    client.force_login(jw.juror_user)
    client.post(f"/office/scoring/{low.pk}/", values(jw, 3, 4, 5))
    client.force_login(jw.organizer_reviewer)
    url = f"/office/ceremony/{jw.ceremony.pk}/jury/results/"
    page = client.get(url).content.decode()
    assert page.index(f'data-exhibit="{jw.exhibit.pk}"') < page.index(f'data-exhibit="{other.pk}"')
    assert 'data-average="9.0"' in page and 'data-average="3.9"' in page and "“优秀”" in page
    page = client.get(url + "?sort=score").content.decode()
    assert page.index(f'data-exhibit="{other.pk}"') < page.index(f'data-exhibit="{jw.exhibit.pk}"')
    response = client.post(f"/office/ceremony/{jw.ceremony.pk}/jury/decide/",
                           {f"decision-{jw.exhibit.pk}": "select", f"decision-{other.pk}": "decline",
                            "reason": "展位有限"})  # fmt: skip
    assert response.status_code == 302
    chosen, declined = Exhibit.objects.get(pk=jw.exhibit.pk), Exhibit.objects.get(pk=other.pk)
    assert (chosen.state, chosen.booth_number) == (ExhibitState.SELECTED, "A02")
    assert (declined.state, declined.last_reason) == (ExhibitState.DECLINED, "展位有限")


def test_a_bad_decision_is_refused_and_nothing_changes(client, jw):
    client.force_login(jw.organizer_admin)
    url = f"/office/ceremony/{jw.ceremony.pk}/jury/decide/"
    for data in (
        {f"decision-{jw.exhibit.pk}": "delete"},
        {"decision-x": "select"},
        {},
        {f"decision-{jw.exhibit.pk}": "decline"},
    ):  # the last: no reason
        response = client.post(url, data, follow=True)
        assert response.status_code == 200 and 'class="alert' in response.content.decode()
    assert Exhibit.objects.get(pk=jw.exhibit.pk).state == ExhibitState.SUBMITTED


def test_the_area_approves_its_units_exhibit_from_its_page(client, world):
    world.build("unit_editor")
    unit_exhibit = exhibit_of(world, world.unit, state=ExhibitState.AT_AREA, title="科技馆展项")
    client.force_login(world.area_admin)
    listing = client.get("/office/exhibits/").content.decode()
    assert 'id="at-area"' in listing and f'data-exhibit="{unit_exhibit.pk}"' in listing
    page = client.get(f"/office/exhibits/{unit_exhibit.pk}/").content.decode()
    assert 'value="area_approve"' in page and 'value="area_return"' in page
    client.post(f"/office/exhibits/{unit_exhibit.pk}/transitions/", {"action": "area_approve"})
    assert Exhibit.objects.get(pk=unit_exhibit.pk).state == ExhibitState.SUBMITTED
    # The other area does not see it at all; the city sees it once approved.
    client.force_login(world.other_area_admin)
    assert client.get(f"/office/exhibits/{unit_exhibit.pk}/").status_code == 404


def test_the_home_page_says_what_waits_for_a_juror_and_an_area(client, jw):
    client.force_login(jw.other_juror_user)
    page = client.get("/office/").content.decode()
    assert 'id="home-to-score"' in page and "1 个展项待评分" in page
    exhibit_of(jw, jw.unit, state=ExhibitState.AT_AREA, title="科技馆展项")
    client.force_login(jw.area_admin)
    page = client.get("/office/").content.decode()
    assert 'id="home-exhibits-at-area"' in page and "1 个展项等待本区县审核" in page
    assert 'id="home-to-score"' not in page
