from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from sciweek.common.backup import BackupError, create_backup


class Command(BaseCommand):
    help = (
        "Write a consistent backup archive: the database in its own dump format, every media file,"
        " the migration state and checksums. The data key (SCIWEEK_DATA_KEY) is never included."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--out",
            default=".",
            help="the archive's path, or a directory to write a dated archive in (default: .)",
        )

    def handle(self, *args, out: str, **options):
        target = Path(out)
        if out.endswith(("/", "\\")):
            target.mkdir(parents=True, exist_ok=True)  # a directory named with its slash
        try:
            path = create_backup(target, progress=lambda line: self.stderr.write(line))
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stderr.write(
            "The data key is not in the archive: keep SCIWEEK_DATA_KEY apart, or the personal"
            " data in it cannot be read after a restore."
        )
        self.stdout.write(str(path))
