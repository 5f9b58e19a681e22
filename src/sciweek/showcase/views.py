from datetime import datetime, time

from django.utils import timezone
from django.views.generic import TemplateView

from sciweek.campaigns.selectors import current_edition


class HomeView(TemplateView):
    """The public home page: the current edition's title, theme, dates and a countdown."""

    template_name = "showcase/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        edition = current_edition()
        context["edition"] = edition
        if edition is not None:
            context["phase"] = edition.phase()
            context["starts_at"] = timezone.make_aware(
                datetime.combine(edition.start_date, time.min)
            )
            today = timezone.localdate()
            context["days_left"] = (edition.start_date - today).days
            context["day_number"] = (today - edition.start_date).days + 1
            context["focus_areas"] = edition.focus_areas.all()
        return context
