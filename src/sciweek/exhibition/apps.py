from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExhibitionConfig(AppConfig):
    name = "sciweek.exhibition"
    verbose_name = _("Launch ceremony and exhibition")

    def ready(self):
        from . import receivers  # noqa: F401
