from celery import shared_task

from . import reminders


@shared_task(name="sciweek.exhibition.tasks.remind_rsvps", ignore_result=True)
def remind_rsvps() -> int:
    return reminders.remind_rsvps()
