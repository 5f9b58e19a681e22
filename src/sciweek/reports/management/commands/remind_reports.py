from django.core.management.base import BaseCommand

from sciweek.reports.services import remind_reports


class Command(BaseCommand):
    help = (
        "Remind areas that owe a summary: N days before the deadline, and daily once it is "
        "overdue (督办). Also run daily by Celery beat."
    )

    def handle(self, *args, **options):
        result = remind_reports()
        self.stdout.write(f"reminded {sum(result.values())} areas across {len(result)} tasks")
