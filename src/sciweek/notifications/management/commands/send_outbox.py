from django.core.management.base import BaseCommand

from sciweek.notifications.services import send_pending


class Command(BaseCommand):
    help = "Send the outbox messages that are due (also run every minute by Celery beat)."

    def handle(self, *args, **options):
        result = send_pending()
        line = f"sent {result['sent']}, failed {result['failed']}"
        if result["postponed"]:
            line += f", postponed {result['postponed']} (SMS_RATE_PER_PHONE)"
        self.stdout.write(line)
