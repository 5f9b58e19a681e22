from django.core.management.base import BaseCommand

from sciweek.exhibition.reminders import remind_rsvps


class Command(BaseCommand):
    help = (
        "Remind every ceremony invitee who has not answered, N days before the RSVP deadline for "
        "each N of CEREMONY_RSVP_REMINDER_DAYS (each reminder once, however often this runs; "
        "also run hourly by Celery beat)."
    )

    def handle(self, *args, **options):
        self.stdout.write(f"reminded {remind_rsvps()} guests")
