from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommonConfig(AppConfig):
    name = "sciweek.common"
    verbose_name = _("Common")

    def ready(self):
        from django.utils.module_loading import autodiscover_modules

        from . import checks  # noqa: F401

        # Every app declares its state machines in ``<app>/workflow.py`` (see common.workflow);
        # importing them here registers each for the badge and ``workflow_for``.
        autodiscover_modules("workflow")
