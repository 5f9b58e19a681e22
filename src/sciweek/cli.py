"""The ``sciweek`` command: Django's manage.py with two commands of our own (demo, serve).

``demo`` and ``serve`` are ordinary management commands of the ``sciweek.demo`` app; everything else
passes straight through to Django, so ``sciweek migrate`` and ``sciweek createsuperuser`` work.
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sciweek.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["sciweek", *(sys.argv[1:] if argv is None else argv)])
