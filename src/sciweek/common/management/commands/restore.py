from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from sciweek.common.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "Restore a backup archive into an empty installation (run `sciweek migrate` or nothing"
        " first), then recount every table against the archive."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path)

    def handle(self, *args, archive: Path, **options):
        try:
            result = restore_backup(archive, progress=lambda line: self.stderr.write(line))
        except BackupError as error:
            raise CommandError(str(error)) from None
        if result.mismatched_tables:
            lines = [
                f"{name}: {expected} in the archive, {found} restored"
                for name, (expected, found) in sorted(result.mismatched_tables.items())
            ]
            raise CommandError("The restored tables do not match the archive:\n" + "\n".join(lines))
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored {result.rows} rows in {result.tables} tables and {result.files} files;"
                " every table's row count matches the archive."
            )
        )
        self.stdout.write(
            "The archive holds no data key (SCIWEEK_DATA_KEY); this installation's key "
            + (
                "is the source's: encrypted personal data is readable."
                if result.same_data_key
                else "is NOT the source's: set SCIWEEK_DATA_KEY to the source's key, or the"
                " encrypted personal data (names, ID numbers) cannot be read."
            )
        )
