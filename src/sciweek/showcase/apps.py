from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ShowcaseConfig(AppConfig):
    name = "sciweek.showcase"
    verbose_name = _("Public site")

    def ready(self):
        from . import receivers  # noqa: F401
