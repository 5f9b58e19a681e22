"""After the visit: a short survey linked from the e-ticket, one answer per ticket.

Open to a confirmed booking from the session's start (people leave before the end) until
``SURVEY_OPEN_DAYS`` after it ended. Its results show on the activity's back-office page (and
the activity's figures) through :func:`survey_results`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Avg, Count
from django.utils import timezone
from django.utils.translation import gettext as _

from sciweek.common.errors import Conflict, ServiceError

from .enums import BookingStatus
from .models import Booking, SurveyAnswer

TEXT_LIMIT = 500


def survey_open(booking: Booking, now=None) -> bool:
    now = now or timezone.now()
    session = booking.session
    return (
        booking.status == BookingStatus.CONFIRMED
        and session.starts_at <= now <= session.ends_at + timedelta(days=settings.SURVEY_OPEN_DAYS)
    )


def answer_survey(*, booking: Booking, rating, best: str = "", improve: str = "") -> SurveyAnswer:
    if hasattr(booking, "survey"):
        raise Conflict(_("This ticket's survey is already answered. Thank you!"), code="answered")
    if not survey_open(booking):
        raise Conflict(_("The survey of this session is not open."), code="survey_closed")
    errors = {}
    try:
        rating = int(rating)
    except (TypeError, ValueError):
        rating = 0
    if not 1 <= rating <= 5:
        errors["rating"] = [_("Choose from 1 (poor) to 5 (excellent).")]
    best, improve = (best or "").strip(), (improve or "").strip()
    for name, text in (("best", best), ("improve", improve)):
        if len(text) > TEXT_LIMIT:
            errors[name] = [_("At most %(n)s characters.") % {"n": TEXT_LIMIT}]
    if errors:
        raise ServiceError(errors)
    try:
        with transaction.atomic():
            return SurveyAnswer.objects.create(
                booking=booking, session=booking.session, rating=rating, best=best, improve=improve
            )
    except IntegrityError:  # the same ticket answered twice at once
        raise Conflict(
            _("This ticket's survey is already answered. Thank you!"), code="answered"
        ) from None


@dataclass
class SurveyResults:
    answers: int = 0
    average: float | None = None
    by_rating: list[tuple[int, int]] = field(default_factory=list)  # (rating, answers), 5 → 1
    comments: list[SurveyAnswer] = field(default_factory=list)


def survey_results(sessions, *, comments: int = 10) -> SurveyResults:
    """The answers for ``sessions`` (a queryset): their number, average, spread and latest words."""
    answers = SurveyAnswer.objects.filter(session__in=sessions)
    totals = answers.aggregate(n=Count("pk"), average=Avg("rating"))
    counts = dict(answers.values_list("rating").annotate(n=Count("pk")).order_by())
    latest = list(answers.exclude(best="", improve="").select_related("session")[:comments])
    return SurveyResults(
        answers=totals["n"],
        average=round(totals["average"], 1) if totals["average"] is not None else None,
        by_rating=[(r, counts.get(r, 0)) for r in range(5, 0, -1)],
        comments=latest,
    )
