"""Forms of a published activity's life: the edit (corrections and a proposed change), a new
session, a series of sessions, the replay link, a reviewer's decision."""

from __future__ import annotations

import re
from datetime import time

from django import forms
from django.utils.translation import gettext_lazy as _

from sciweek.common.forms import BootstrapMixin, https_urls

from .enums import BOOKING_RULE_FIELDS, CORRECTION_FIELDS, VENUE_FIELDS
from .forms import DateTimeLocalInput, SessionForm
from .models import Activity

WEEKDAYS = [
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
    (6, _("Sunday")),
]


class PublishedActivityForm(BootstrapMixin, forms.ModelForm):
    """Text corrections apply at once; venue and booking rules, and each session's times, are
    proposed for approval. Each session's start and end are fields ``session_<id>_starts``/
    ``_ends``."""

    note = forms.CharField(
        label=_("Why the change"),
        max_length=200,
        required=False,
        help_text=_("Shown to the reviewer with a change of time, venue or booking rules."),
    )

    class Meta:
        model = Activity
        formfield_callback = https_urls
        fields = [*CORRECTION_FIELDS, *VENUE_FIELDS, *BOOKING_RULE_FIELDS]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.session_fields = []
        for session in self.instance.sessions.all():
            starts, ends = f"session_{session.pk}_starts", f"session_{session.pk}_ends"
            self.fields[starts] = forms.DateTimeField(
                label=_("Session %(n)s starts") % {"n": session},
                initial=session.starts_at,
                widget=DateTimeLocalInput(attrs={"class": "form-control"}),
            )
            self.fields[ends] = forms.DateTimeField(
                label=_("ends"),
                initial=session.ends_at,
                widget=DateTimeLocalInput(attrs={"class": "form-control"}),
            )
            self.session_fields.append((session, self[starts], self[ends]))

    def clean(self):
        cleaned = super().clean()
        for _session, starts, ends in self.session_fields:
            start, end = cleaned.get(starts.name), cleaned.get(ends.name)
            if start and end and end <= start:
                self.add_error(ends.name, _("A session must end after it starts."))
        return cleaned

    def _post_clean(self):
        # The values go to the services, not onto the instance: nothing changes until they say.
        pass

    def corrections(self) -> dict:
        return {name: self.cleaned_data[name] for name in CORRECTION_FIELDS}

    def proposed_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in (*VENUE_FIELDS, *BOOKING_RULE_FIELDS)}

    def proposed_sessions(self) -> dict:
        return {
            session.pk: (self.cleaned_data[starts.name], self.cleaned_data[ends.name])
            for session, starts, ends in self.session_fields
        }


class NewSessionForm(SessionForm):
    compact_fields = False


def parse_times(value: str) -> list[time]:
    times = []
    for part in re.split(r"[,，\s]+", value.strip()):
        if not part:
            continue
        match = re.fullmatch(r"([01]?\d|2[0-3])[:：]([0-5]\d)", part)
        if not match:
            raise forms.ValidationError(
                _("Write times as HH:MM, separated by commas (9:30, 14:30).")
            )
        times.append(time(int(match[1]), int(match[2])))
    if not times:
        raise forms.ValidationError(_("Give at least one time."))
    return times


class SeriesForm(BootstrapMixin, forms.Form):
    first_day = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    last_day = forms.DateField(label=_("To"), widget=forms.DateInput(attrs={"type": "date"}))
    weekdays = forms.TypedMultipleChoiceField(
        label=_("On"),
        choices=WEEKDAYS,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        initial=[0, 1, 2, 3, 4],
    )
    times = forms.CharField(label=_("At"), initial="09:30, 14:30", max_length=100)
    minutes = forms.IntegerField(
        label=_("Length (minutes)"), min_value=5, max_value=1440, initial=90
    )
    capacity = forms.IntegerField(label=_("Capacity"), min_value=0, max_value=1000000)

    def clean_times(self):
        return parse_times(self.cleaned_data["times"])


class ReplayForm(BootstrapMixin, forms.Form):
    replay_url = forms.URLField(label=_("Replay link"), max_length=200, assume_scheme="https")
