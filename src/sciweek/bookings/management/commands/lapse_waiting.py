from django.core.management.base import BaseCommand

from sciweek.bookings.services import lapse_waiting


class Command(BaseCommand):
    help = "Lapse waiting-list entries of sessions whose booking has closed, telling each booker."

    def handle(self, *args, **options):
        self.stdout.write(f"lapsed {lapse_waiting()} waiting-list entries")
