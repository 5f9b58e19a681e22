"""Entries the booking workflow wrote before its log line named the booking by number carry the
ticket code ("活动 · 7K3M9QXW2P"): a code that still admits its holder, readable by everyone who
may read the log. Rewrite those to the booking's number, as new entries read; a code that no
booking holds any more (purged, reissued) is dropped."""

import re

from django.db import migrations

CODE_AT_END = re.compile(r" · ([23456789ABCDEFGHJKMNPQRSTUVWXYZ]{10})$")


def forwards(apps, schema_editor):
    AuditEntry = apps.get_model("audit", "AuditEntry")
    Booking = apps.get_model("bookings", "Booking")
    entries = AuditEntry.objects.filter(action__startswith="booking.", object_repr__contains=" · ")
    for entry in entries.only("pk", "object_repr").iterator():
        match = CODE_AT_END.search(entry.object_repr)
        if match is None:
            continue
        pk = Booking.objects.filter(code=match.group(1)).values_list("pk", flat=True).first()
        head = entry.object_repr[: match.start()]
        repr_ = f"{head} · #{pk}" if pk is not None else head
        AuditEntry.objects.filter(pk=entry.pk).update(object_repr=repr_)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0001_initial"),
        ("bookings", "0005_booking_reminded_at"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
