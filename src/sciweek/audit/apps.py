from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    """The audit log: its model, its one writer, its reads and the names of its actions.

    It imports nothing but ``common``, so every app may write to it without a cycle.
    """

    name = "sciweek.audit"
    label = "audit"
    verbose_name = _("Audit log")

    def ready(self):
        from . import labels, signals  # noqa: F401

        labels.autodiscover()
