from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "sciweek.notifications"
    verbose_name = _("Notifications")

    def ready(self):
        from sciweek.common.metrics import register_state

        from .metrics import outbox_state

        register_state(outbox_state)
