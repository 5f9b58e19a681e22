from celery import shared_task

from . import services


@shared_task(name="sciweek.reports.tasks.remind_reports", ignore_result=True)
def remind_reports() -> dict[int, int]:
    return services.remind_reports()


@shared_task(name="sciweek.reports.tasks.run_compilation", ignore_result=True)
def run_compilation(report_id: int) -> None:
    services.compile_run(report_id)
