from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from sciweek.common.errors import ServiceError
from sciweek.notifications.models import Channel, OutboxMessage
from sciweek.notifications.selectors import masked_recipient, outbox_messages
from sciweek.notifications.services import retry


class Command(BaseCommand):
    help = (
        "List the outbox (time, channel, masked recipient, kind, state), newest first; "
        "--retry ID puts a message that gave up back in the queue."
    )

    def add_arguments(self, parser):
        parser.add_argument("--last", type=int, default=20, metavar="N", help="at most N rows")
        parser.add_argument("--failed", action="store_true", help="only those that gave up")
        parser.add_argument("--channel", choices=Channel.values, default="")
        parser.add_argument("--retry", type=int, metavar="ID", help="send message ID again")

    def handle(self, *args, last, failed, channel, retry: int | None, **options):
        if retry is not None:
            return self._retry(retry)
        if last < 1:
            raise CommandError("--last must be at least 1.")
        rows = outbox_messages(failed=failed, channel=channel)[:last]
        for m in rows:
            line = "  ".join(
                [
                    f"{m.pk:>6}",
                    timezone.localtime(m.created_at).strftime("%Y-%m-%d %H:%M:%S"),
                    f"{m.channel:<5}",
                    f"{masked_recipient(m):<24}",
                    f"{m.kind:<28}",
                    m.status,
                ]
            )
            if m.last_error:
                line += f"  ({m.attempts} attempts: {m.last_error[:120]})"
            self.stdout.write(line)

    def _retry(self, pk: int) -> None:
        message = OutboxMessage.objects.filter(pk=pk).first()
        if message is None:
            raise CommandError(f"No outbox message {pk}.")
        try:
            retry(message=message, by=None)
        except ServiceError as exc:
            raise CommandError(f"Message {pk}: {exc.message}") from exc
        self.stdout.write(f"message {pk} is waiting to be sent again")
