"""A juror scores an exhibit on a phone (390 px): 'My scoring' lists only their assignment; a
score outside the scale is shown beside its field with nothing lost; saved, the exhibit is
marked scored and the city's results count it."""

import pytest

from sciweek.exhibition.models import Score
from tests.exhibition.conftest import build, with_jury

from .test_ceremony_journey import PHONE, sign_in
from .test_review_journey import fits

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_juror_scores_an_exhibit_on_a_phone(live_server, new_page, world):
    w = with_jury(build(world))
    base = live_server.url

    phone = new_page(*PHONE)
    sign_in(phone, base, w.other_juror_user)
    phone.goto(f"{base}/office/scoring/")
    assert fits(phone, PHONE[0])
    cards = phone.locator("#my-assignments [data-assignment]")
    assert cards.count() == 1 and w.exhibit.title in cards.first.inner_text()
    cards.first.click()
    phone.wait_for_selector("#score-form")
    assert fits(phone, PHONE[0])
    innovation, interest, display = (f"#id_criterion_{c.pk}" for c in w.criteria)
    # A slip of the thumb: 11 on a scale of 10.
    phone.fill(innovation, "9")
    phone.fill(interest, "11")
    phone.fill(display, "8")
    phone.fill("#id_comment", "互动性强，适合青少年")
    phone.click("#score-form button[type=submit]")
    phone.wait_for_load_state()
    assert phone.locator(f"{interest}.is-invalid").count() == 1
    assert phone.input_value(innovation) == "9"
    assert phone.input_value("#id_comment") == "互动性强，适合青少年"
    assert not Score.objects.exists()
    phone.fill(interest, "7")
    phone.click("#score-form button[type=submit]")
    phone.wait_for_url(f"{base}/office/scoring/")
    assert "已评分" in phone.locator(f"[data-assignment='{w.assignment.pk}']").inner_text()
    assert sorted(Score.objects.values_list("value", flat=True)) == [7, 8, 9]

    city = new_page(1366, 900)
    sign_in(city, base, w.organizer_admin)
    city.goto(f"{base}/office/ceremony/{w.ceremony.pk}/jury/results/")
    row = city.locator(f"#results tr[data-exhibit='{w.exhibit.pk}']")
    # 9·40% + 7·30% + 8·30% = 8.1
    assert row.locator("[data-average]").get_attribute("data-average") == "8.1"
    assert "互动性强，适合青少年" in row.inner_text()
