from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntegrationsConfig(AppConfig):
    name = "sciweek.integrations"
    verbose_name = _("Integrations")

    def ready(self):
        from sciweek.common.events import happened
        from sciweek.notifications.models import Channel
        from sciweek.notifications.services import register_sender

        from . import delivery, webhooks

        happened.connect(webhooks.on_event, dispatch_uid="integrations.webhooks")
        register_sender(Channel.WEBHOOK, delivery.deliver)
