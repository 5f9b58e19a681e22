from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Serve an existing setup on 127.0.0.1 (the development server; use gunicorn in production)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000)

    def handle(self, *args, port: int, **options):
        self.stdout.write(f"Serving on http://127.0.0.1:{port}/ (Ctrl+C to stop)")
        call_command("runserver", f"127.0.0.1:{port}", use_reloader=False)
