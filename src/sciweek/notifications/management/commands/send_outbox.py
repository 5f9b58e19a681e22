from django.core.management.base import BaseCommand

from sciweek.notifications.services import send_pending


class Command(BaseCommand):
    help = "Send the outbox messages that are due (also run every minute by Celery beat)."

    def handle(self, *args, **options):
        result = send_pending()
        self.stdout.write(f"sent {result['sent']}, failed {result['failed']}")
