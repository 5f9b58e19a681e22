from django.conf import settings
from django.core.management.base import BaseCommand

from sciweek.bookings.services import purge_personal_data


class Command(BaseCommand):
    help = "Remove ID and mobile numbers from bookings N days after their session (also daily in Celery beat)."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=settings.PERSONAL_DATA_RETENTION_DAYS)

    def handle(self, *args, days: int, **options):
        count = purge_personal_data(days=days)
        self.stdout.write(f"purged personal data from {count} bookings")
