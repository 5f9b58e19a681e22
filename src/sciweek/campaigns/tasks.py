from celery import shared_task
from django.conf import settings

from . import services


@shared_task(name="sciweek.campaigns.tasks.remind_unacknowledged", ignore_result=True)
def remind_unacknowledged() -> dict[int, int]:
    return services.remind_unacknowledged(after_days=settings.NOTICE_REMINDER_AFTER_DAYS)
