from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from sciweek.campaigns.models import Edition
from sciweek.reports import compile
from sciweek.reports.enums import CompileKind
from sciweek.reports.services import task_for, write_compilation

KINDS = [CompileKind.DOCX, CompileKind.XLSX, CompileKind.UPWARD, CompileKind.ZIP_ALL]


class Command(BaseCommand):
    help = (
        "Compile an edition's city report (docx), workbook and upward filing (xlsx) and the "
        "areas' materials (zip) into a directory, and print their paths."
    )

    def add_arguments(self, parser):
        parser.add_argument("--edition", type=int, required=True, help="the edition's year")
        parser.add_argument("--out", type=Path, required=True, help="the directory to write to")
        parser.add_argument(
            "--include-unreported",
            action="store_true",
            help="also count the records of areas without an accepted summary",
        )

    def handle(self, *args, edition, out, include_unreported, **options):
        editions = list(Edition.objects.filter(year=edition).select_related("organizer"))
        if not editions:
            raise CommandError(f"No edition of {edition}.")
        if len(editions) > 1:
            raise CommandError(f"{len(editions)} editions of {edition}; this needs exactly one.")
        task = task_for(editions[0])
        out.mkdir(parents=True, exist_ok=True)
        for kind in KINDS:
            path = out / compile.file_name(task, kind)
            digest = write_compilation(
                task, kind, path, lambda _percent: None, include_unreported=include_unreported
            )
            self.stdout.write(f"{path}" + (f"\t{digest}" if digest else ""))
