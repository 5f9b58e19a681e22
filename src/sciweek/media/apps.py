from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MediaConfig(AppConfig):
    name = "sciweek.media"
    label = "media"
    verbose_name = _("Media")

    def ready(self):
        from sciweek.common.action_labels import ACTION_LABELS

        from . import receivers  # noqa: F401
        from .enums import ACTION_LABELS as MEDIA_ACTION_LABELS

        # The activity history names media actions; they are labelled here, beside the code
        # that writes them, rather than in the shared table.
        ACTION_LABELS.update(MEDIA_ACTION_LABELS)
