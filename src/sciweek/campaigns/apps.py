from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "sciweek.campaigns"
    verbose_name = _("Editions and notices")
