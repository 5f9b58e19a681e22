from django.conf import settings
from django.core.management.base import BaseCommand

from sciweek.campaigns.services import remind_unacknowledged


class Command(BaseCommand):
    help = (
        "Remind recipients that have not acknowledged a notice published at least N days ago "
        "(also run daily by Celery beat)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--after-days", type=int, default=settings.NOTICE_REMINDER_AFTER_DAYS)

    def handle(self, *args, after_days: int, **options):
        reminded = remind_unacknowledged(after_days=after_days)
        total = sum(reminded.values())
        self.stdout.write(f"reminded {total} organisations across {len(reminded)} notices")
