from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from sciweek.demo.loader import DEMO_PASSWORD, load_demo


class Command(BaseCommand):
    help = "Migrate, load the Zibo 2023 demo (idempotent), print the demo accounts and serve."

    def add_arguments(self, parser):
        parser.add_argument("--no-serve", action="store_true", help="Load the demo and exit.")
        parser.add_argument("--port", type=int, default=8000)

    def handle(self, *args, no_serve: bool, port: int, **options):
        from django.conf import settings

        if settings.PRODUCTION:
            # The demo creates a superuser whose password is printed here and in the README.
            raise CommandError(
                "sciweek demo refuses to run with SCIWEEK_PROFILE=production: it creates accounts"
                " with the public demo password. Use it on a development machine only."
            )
        settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
        call_command("migrate", interactive=False, verbosity=0)
        accounts = load_demo()
        self.stdout.write(self.style.SUCCESS("SciWeek demo is ready."))
        self.stdout.write(f"Demo accounts (password for all: {DEMO_PASSWORD}):")
        width = max(len(a.username) for a in accounts)
        for account in accounts:
            self.stdout.write(
                f"  {account.username.ljust(width)}  {account.role_label} · {account.organization}"
            )
        if not no_serve:
            call_command("serve", port=port)
