from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    """The audit log: its model, its one writer, its reads and the names of its actions.

    It imports no other app of ours, so every app, ``common`` included, may write to it without
    a cycle.
    """

    name = "sciweek.audit"
    label = "audit"
    verbose_name = _("Audit log")

    def ready(self):
        from . import labels, signals  # noqa: F401

        labels.autodiscover()
