from celery import shared_task

from . import services


@shared_task(name="sciweek.notifications.tasks.send_pending", ignore_result=True)
def send_pending() -> dict[str, int]:
    return services.send_pending()
