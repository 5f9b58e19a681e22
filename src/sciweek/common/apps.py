from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommonConfig(AppConfig):
    name = "sciweek.common"
    verbose_name = _("Common")

    def ready(self):
        from . import checks  # noqa: F401
