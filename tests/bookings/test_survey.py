"""After the visit: the survey linked from the e-ticket, one answer per ticket, open from the
session's start for two weeks, its results on the activity's back-office page."""

from __future__ import annotations

from datetime import timedelta
from unittest import mock

import pytest
from django.urls import reverse

from sciweek.bookings import services, survey
from sciweek.bookings.models import SurveyAnswer
from sciweek.common.errors import Conflict, ServiceError
from tests.bookings.builders import phone, req
from tests.bookings.gate_builders import world
from tests.roles import Role

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def w():
    """A session that starts in an hour (bookable), and a visitor's booking."""
    w = world(capacity=10)
    w.booking = services.book(session=w.session, data=req(phone=phone(1)))
    return w


def after_start(w, minutes=90):
    return mock.patch(
        "django.utils.timezone.now", return_value=w.session.starts_at + timedelta(minutes=minutes)
    )


def url(booking, name="bookings:survey"):
    return reverse(name, args=[booking.manage_token])


def test_the_ticket_offers_the_survey_once_the_session_has_started(client, w):
    before = client.get(url(w.booking, "bookings:ticket"), **EN).content.decode()
    assert 'data-survey="open"' not in before
    assert client.get(url(w.booking)).status_code == 302  # not yet: back to the ticket

    with after_start(w):
        during = client.get(url(w.booking, "bookings:ticket"), **EN).content.decode()
        form = client.get(url(w.booking), **EN)

    assert 'data-survey="open"' in during and url(w.booking) in during
    assert form.status_code == 200 and "no-store" in form["Cache-Control"]
    assert 'name="rating"' in form.content.decode()


def test_a_visitor_answers_once_and_the_ticket_thanks_them(client, w):
    with after_start(w):
        response = client.post(
            url(w.booking), {"rating": "4", "best": "机器人表演", "improve": "排队太久"}, **EN
        )
        assert response.status_code == 302
        assert response["Location"] == url(w.booking, "bookings:ticket")
        ticket = client.get(response["Location"], **EN).content.decode()
        again = client.post(url(w.booking), {"rating": "1"}, **EN)

    answer = SurveyAnswer.objects.get()
    assert (answer.booking, answer.session, answer.rating) == (w.booking, w.session, 4)
    assert (answer.best, answer.improve) == ("机器人表演", "排队太久")
    assert 'data-survey="answered"' in ticket and "Thank you for your answer!" in ticket
    assert again.status_code == 409
    assert "already answered" in again.content.decode()
    assert SurveyAnswer.objects.count() == 1


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({}, "rating"),
        ({"rating": "0"}, "rating"),
        ({"rating": "6"}, "rating"),
        ({"rating": "<script>"}, "rating"),
        ({"rating": "5", "best": "很" * 501}, "best"),
    ],
)
def test_bad_answers_are_400_and_keep_what_was_typed(client, w, data, field):
    with after_start(w):
        response = client.post(url(w.booking), {"improve": "厕所标识不清", **data}, **EN)
    assert response.status_code == 400
    assert "厕所标识不清" in response.content.decode()
    assert not SurveyAnswer.objects.exists()


def test_the_survey_closes_two_weeks_after_the_session(w):
    late = w.session.ends_at + timedelta(days=14, minutes=1)
    with mock.patch("django.utils.timezone.now", return_value=late), pytest.raises(Conflict) as err:
        survey.answer_survey(booking=w.booking, rating=5)
    assert err.value.code == "survey_closed"


def test_a_cancelled_booking_is_not_asked(w):
    services.booking_cancel(booking=w.booking)
    w.booking.refresh_from_db()
    with after_start(w):
        assert not survey.survey_open(w.booking)
        with pytest.raises(Conflict):
            survey.answer_survey(booking=w.booking, rating=5)


def test_field_errors_come_from_the_service_too(w):
    with after_start(w), pytest.raises(ServiceError) as err:
        survey.answer_survey(booking=w.booking, rating="9", improve="x" * 501)
    assert set(err.value.message_dict) == {"rating", "improve"}


def test_results_show_on_the_activity_page(client, w):
    others = [services.book(session=w.session, data=req(phone=phone(n))) for n in range(2, 5)]
    with after_start(w):
        for booking, rating, best in zip(
            [w.booking, *others], (5, 4, 4, 2), ("讲解生动", "", "", ""), strict=True
        ):
            survey.answer_survey(booking=booking, rating=rating, best=best)
    results = survey.survey_results(w.activity.sessions.all())
    assert (results.answers, results.average) == (4, 3.8)
    assert results.by_rating == [(5, 1), (4, 2), (3, 0), (2, 1), (1, 0)]
    assert [c.best for c in results.comments] == ["讲解生动"]

    client.force_login(w.users[Role.UNIT_EDITOR])
    page = client.get(reverse("dashboard:activity-detail", args=[w.activity.pk]), **EN)
    html = page.content.decode()
    assert page.status_code == 200
    assert 'id="survey"' in html and "3.8" in html and "4 answers" in html and "讲解生动" in html
    assert 'data-rating="4">2<' in html


def test_no_answers_yet_says_where_they_come_from(client, w):
    client.force_login(w.users[Role.UNIT_EDITOR])
    html = client.get(reverse("dashboard:activity-detail", args=[w.activity.pk]), **EN)
    assert "No answers yet" in html.content.decode()


def test_unknown_ticket_is_404(client):
    assert client.get(reverse("bookings:survey", args=["no-such-token"])).status_code == 404
    assert client.post(reverse("bookings:survey", args=["no-such-token"])).status_code == 404


@pytest.mark.parametrize("role", [Role.ANONYMOUS, Role.ORGANIZER_ADMIN, Role.GATE_STAFF])
def test_the_survey_is_the_ticket_holders_whoever_is_signed_in(client, w, role):
    """bookings:survey, like the ticket: the secret link is the key, not an account."""
    if role != Role.ANONYMOUS:
        client.force_login(w.users[role])
    with after_start(w):
        assert client.get(url(w.booking)).status_code == 200
