from celery import shared_task
from django.conf import settings

from . import services


@shared_task(name="sciweek.bookings.tasks.lapse_waiting", ignore_result=True)
def lapse_waiting() -> int:
    return services.lapse_waiting()


@shared_task(name="sciweek.bookings.tasks.purge_personal_data", ignore_result=True)
def purge_personal_data() -> int:
    return services.purge_personal_data(days=settings.PERSONAL_DATA_RETENTION_DAYS)


@shared_task(name="sciweek.bookings.tasks.remind_tomorrow", ignore_result=True)
def remind_tomorrow() -> int:
    return services.remind_tomorrow()
