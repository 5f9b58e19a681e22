from django.core.management.base import BaseCommand

from sciweek.bookings.services import remind_tomorrow


class Command(BaseCommand):
    help = (
        "Remind every booker of a session tomorrow, with the ticket link (once per booking; also "
        "run hourly by Celery beat)."
    )

    def handle(self, *args, **options):
        self.stdout.write(f"reminded {remind_tomorrow()} bookings")
