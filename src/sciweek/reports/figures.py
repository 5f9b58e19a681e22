"""The statistics an area summary carries: each figure's key, its label and where the platform
takes it from. Categories add one figure each (``activities.<category code>``)."""

from django.utils.translation import gettext_lazy as _

FIXED_FIGURES = [
    ("activities", _("Activities held"), _("Published and held activities of the area in this edition")),
    ("sessions", _("Sessions"), _("Sessions of those activities")),
    ("bookings", _("People booked"), _("Confirmed bookings (people) for those sessions")),
    ("check_ins", _("People checked in"), _("Bookings checked in at the gate (people)")),
    ("onsite", _("Onsite participants"), _("Activity results: onsite participants (check-ins where no result was recorded)")),
    ("online", _("Online participants"), _("Activity results: online participants")),
    ("units_open", _("Units opened to the public"), _("Host units with an open day (开放日) published or held")),
    ("st_workers", _("S&T workers involved"), _("Activity results: S&T workers")),
    ("volunteers", _("Volunteers involved"), _("Activity results: volunteers")),
    ("media_reports", _("Media reports"), _("Media coverage entries of the area's activities")),
    ("funds", _("Funds (yuan)"), _("Sum of the activities' budgets")),
]  # fmt: skip
