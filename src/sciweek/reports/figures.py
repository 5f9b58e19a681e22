"""The statistics an area summary carries: each figure's key, its label and where the platform
takes it from. Categories add one figure each (``activities.<category code>``)."""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

FIXED_FIGURES = [
    ("activities", _("Activities held"), _("Published and held activities of the area in this edition")),
    ("sessions", _("Sessions"), _("Sessions of those activities")),
    ("bookings", _("People booked"), _("Confirmed bookings (people) for those sessions")),
    ("check_ins", _("People checked in"), _("Bookings checked in at the gate (people)")),
    ("onsite", _("Onsite participants"), _("Activity results: onsite participants (check-ins where no result was recorded)")),
    ("online", _("Online participants"), _("Activity results: online participants")),
    ("units_open", _("Units opened to the public"), _("Host units with an open day published or held")),
    ("st_workers", _("S&T workers involved"), _("Activity results: S&T workers")),
    ("volunteers", _("Volunteers involved"), _("Activity results: volunteers")),
    ("media_reports", _("Media reports"), _("Media coverage entries of the area's activities")),
    ("budget", _("Budget (yuan)"), _("Sum of the activities' budgets")),
    ("funds", _("Funds spent (yuan)"), _("Sum of the held activities' actual cost")),
]  # fmt: skip


def in_current_language(figures: list) -> list:
    """The figures with label and source in the reader's language: they are stored in the
    language of whoever first opened the summary, so they are looked up again by key here.
    The category figures keep the category's own name (the organiser's data)."""
    fixed = {key: (label, source) for key, label, source in FIXED_FIGURES}
    names = None
    for figure in figures:
        if figure.key in fixed:
            figure.label, figure.source = (str(text) for text in fixed[figure.key])
        elif figure.key.startswith("activities."):
            if names is None:
                edition = figure.summary.task.edition
                names = {c.code: c.name for c in edition.categories.all()}
            name = names.get(figure.key.split(".", 1)[1])
            if name is not None:
                figure.label = gettext("Activities: %(category)s") % {"category": name}
                figure.source = gettext("Published and held activities in this category")
    return figures
