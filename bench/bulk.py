"""Bulk data for benchmarks: a Zibo-like world of any size on PostgreSQL, written with COPY.

    from bench.bulk import generate          # or `from bulk import generate` beside it
    figures = generate(activities=100_000, sessions_per_activity=2.0, bookings=1_000_000)

``generate(*, activities, sessions_per_activity=2.0, bookings=0, edition=None, demo=True,
seed=12, booking_share=0.4, real_name_share=0.5, id_share=0.5, batch_size=50_000) -> dict``

- Needs Django set up on a PostgreSQL ``DATABASE_URL``, migrated (it refuses other databases).
- ``demo=True`` first runs the idempotent demo loader (``sciweek.demo.loader.load_demo``): the
  organisation tree of Zibo (bureau, 11 areas, their departments and host units), the demo
  accounts (``organizer``, ``area-<slug>``, ``unit-zhangdian``, …, password ``sciweek-demo``)
  and the demo's own activities and bookings; ``demo=False`` loads only organisations, accounts,
  the 2023 and current editions and their categories.
- Adds ``activities`` activities to ``edition`` (default: the current edition, the one the
  public site shows), hosted by the demo's host units and spread evenly over the 11 areas, the
  15 categories and the audiences, with the demo's titles, venues and booking rules (numbered
  "第N期"); states as a filing season looks: 80 % published, 6 % awaiting the area, 4 % awaiting
  the city, 4 % draft, 3 % returned, 2 % cancelled, 1 % withdrawn; one in 50 a key activity.
- ``sessions_per_activity`` sessions on average (1 to 2×avg−1, integral per activity) on the
  edition's days between 08:00 and 20:00 (Asia/Shanghai); ``Activity.first_start`` is written as
  the earliest of them, as the activity services keep it.
- ``bookings`` bookings over the sessions of the ``booking_share`` of published activities that
  take bookings (a skewed spread: a few sessions full with a waiting list, most part-booked);
  ``real_name_share`` of those activities are real-name and ``id_share`` of those need a
  resident ID: each such booking carries a valid made-up resident ID of the activity's area
  (check digit, birth date), encrypted and keyed as the booking service does. 90 % confirmed,
  7 % cancelled, the rest waiting; ``Session.places_taken`` equals the confirmed party sizes.
- Rows go in with ``COPY … FROM STDIN`` in ``batch_size`` chunks with explicit ids (the
  sequences are moved past them at the end), so it must not run beside other writers. It
  does not write audit entries or mail.
- Returns ``{"activities", "sessions", "bookings", "audience_tags", "edition", "seconds"}``
  with the counts written and the seconds each step took.

About 100,000 activities and 1,000,000 bookings in 2–3 minutes on a 2-core machine.
"""

from __future__ import annotations

import base64
import random
import secrets
import time
from collections.abc import Iterable, Iterator
from datetime import datetime, timedelta
from datetime import time as dtime
from decimal import Decimal

CODE_SPACE = 31**10  # bookings.models.CODE_ALPHABET, CODE_LENGTH
CODE_STRIDE = 7_919_234_567_891  # prime, so n → n × stride mod 31¹⁰ is one-to-one

STATE_SHARES = [  # (state, per thousand)
    ("published", 800),
    ("pending_area", 60),
    ("pending_city", 40),
    ("draft", 40),
    ("returned", 30),
    ("cancelled", 20),
    ("withdrawn", 10),
]


def generate(
    *,
    activities: int,
    sessions_per_activity: float = 2.0,
    bookings: int = 0,
    edition=None,
    demo: bool = True,
    seed: int = 12,
    booking_share: float = 0.4,
    real_name_share: float = 0.5,
    id_share: float = 0.5,
    batch_size: int = 50_000,
) -> dict:
    from django.db import connection, transaction

    if connection.vendor != "postgresql":
        raise RuntimeError("bench.bulk.generate writes with COPY: it needs PostgreSQL")
    if sessions_per_activity < 1:
        raise ValueError("sessions_per_activity must be at least 1")
    timings: dict[str, float] = {}
    started = time.perf_counter()
    world = _World(edition=edition, demo=demo)
    timings["demo"] = time.perf_counter() - started
    rng = random.Random(seed)
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")
        step = time.perf_counter()
        plan = world.plan_activities(activities, rng, booking_share, real_name_share, id_share)
        sessions = world.plan_sessions(plan, sessions_per_activity, rng)
        world.plan_bookings(sessions, bookings, rng)
        timings["plan"] = time.perf_counter() - step
        step = time.perf_counter()
        world.write_activities(plan, sessions, batch_size)
        timings["activities"] = time.perf_counter() - step
        step = time.perf_counter()
        written = world.write_bookings_and_sessions(plan, sessions, batch_size)
        timings["bookings_and_sessions"] = time.perf_counter() - step
        step = time.perf_counter()
        world.move_sequences()
    with connection.cursor() as cursor:
        for table in ("activities_activity", "activities_session", "bookings_booking"):
            cursor.execute(f"ANALYZE {table}")
    timings["analyze"] = time.perf_counter() - step
    timings["total"] = time.perf_counter() - started
    return {
        "activities": len(plan),
        "sessions": len(sessions),
        "bookings": written,
        "audience_tags": world.tags_written,
        "edition": world.edition.year,
        "seconds": {k: round(v, 2) for k, v in timings.items()},
    }


class _Planned:
    __slots__ = ("area", "booking", "category", "host", "ids", "n", "pk", "real", "spec", "state")


class _World:
    def __init__(self, *, edition, demo: bool):
        from django.db import transaction

        from sciweek.activities.services import seed_categories
        from sciweek.campaigns.models import Edition
        from sciweek.demo.activities import SPECS_2023, specs_current
        from sciweek.demo.loader import DemoLoader, next_may_year

        loader = DemoLoader()
        if demo:
            loader.load()
        else:
            with transaction.atomic():
                loader.organizations()
                loader.users()
                past = loader.edition_2023()
                current = loader.current_edition(past)
                seed_categories(edition=past)
                seed_categories(edition=current, source=past)
        self.edition = edition or Edition.objects.get(year=next_may_year(loader.today))
        self.categories = {c.code: c for c in self.edition.categories.all()}
        self.areas = loader.areas
        self.units = loader.units
        self.specs = [s for s in [*specs_current(self.edition.year), *SPECS_2023]
                      if s.host[0] in self.units]  # fmt: skip
        self.tags_written = 0
        from sciweek.bookings.models import ConsentText

        self.consent = (
            ConsentText.objects.filter(kind=ConsentText.Kind.PERSONAL_DATA)
            .order_by("-version")
            .values_list("version", flat=True)
            .first()
        )

    # Plans -------------------------------------------------------------------------------------
    def plan_activities(self, count, rng, booking_share, real_name_share, id_share):
        from sciweek.activities.models import Activity

        states = [s for s, share in STATE_SHARES for _ in range(share)]
        areas = list(self.areas)
        base = _next_id(Activity)
        plan = []
        for i in range(count):
            item = _Planned()
            item.pk = base + i
            item.n = i + 1
            spec = self.specs[i % len(self.specs)]
            item.spec = spec
            slug = areas[i % len(areas)]
            units = self.units[slug]
            item.area = self.areas[slug]
            item.host = units[(i // len(areas)) % len(units)]
            item.category = self.categories.get(spec.category) or self.categories["other"]
            item.state = states[(i * 7919) % len(states)]
            item.booking = item.state == "published" and rng.random() < booking_share
            item.real = item.booking and rng.random() < real_name_share
            item.ids = item.real and rng.random() < id_share
            plan.append(item)
        self._plan = plan
        return plan

    def plan_sessions(self, plan, per_activity, rng):
        """[activity index, pk, starts, ends, capacity, planned bookings, places taken]"""
        from sciweek.activities.models import Session

        days = (self.edition.end_date - self.edition.start_date).days + 1
        base = _next_id(Session)
        spread = max(0, round(2 * per_activity - 2))
        sessions = []
        for index in range(len(plan)):
            count = 1 + (rng.randint(0, spread) if spread else 0)
            day = self.edition.start_date + timedelta(days=rng.randrange(days))
            hour = 8 + rng.randrange(10)
            for k in range(count):
                on = min(day + timedelta(days=k // 3), self.edition.end_date)
                start = _aware(on, dtime(min(hour + 3 * (k % 3), 19), rng.choice((0, 30))))
                capacity = rng.choice((30, 50, 80, 100, 120, 200, 300))
                sessions.append([index, base + len(sessions), start,
                                 start + timedelta(minutes=rng.choice((60, 90, 120, 180))),
                                 capacity, 0, 0])  # fmt: skip
        return sessions

    def plan_bookings(self, sessions, total, rng):
        """Spread ``total`` bookings over the sessions of bookable activities, skewed (Pareto
        weights), raising a session's capacity where it would hold more than twice its places."""
        self.bookable = [s for s in sessions if self._plan[s[0]].booking] if total else []
        if not self.bookable:
            return
        weights = [rng.paretovariate(1.5) for _ in self.bookable]
        scale = total / sum(weights)
        planned = [int(w * scale) for w in weights]
        short = total - sum(planned)
        for k in range(short):
            planned[k % len(planned)] += 1
        for session, count in zip(self.bookable, planned, strict=True):
            session[5] = count
            session[4] = max(session[4], (count + 1) // 2)

    # Writes ------------------------------------------------------------------------------------
    def write_activities(self, plan, sessions, batch_size):
        from django.utils import timezone

        from sciweek.activities.enums import Audience
        from sciweek.activities.models import Activity, AudienceTag

        first = {}
        for s in sessions:
            if s[0] not in first or s[2] < first[s[0]]:
                first[s[0]] = s[2]
        now = timezone.now()
        filed = now - timedelta(days=4)
        has_first_start = any(f.name == "first_start" for f in Activity._meta.concrete_fields)
        fields = ["id", "edition_id", "host_id", "area_id", "category_id", "title", "summary",
                  "description", "mode", "venue_name", "address", "contact_name",
                  "contact_phone", "is_key", "booking_required", "real_name_required",
                  "id_number_required", "max_group_size", "confidentiality_checked", "state",
                  "state_changed_at", "submitted_at", "published_at", "budget",
                  "expected_participants", "created_at", "updated_at"]  # fmt: skip
        if has_first_start:
            fields.append("first_start")
        audiences = list(Audience.values)

        def rows() -> Iterator[tuple]:
            for index, a in enumerate(plan):
                spec = a.spec
                extra = spec.extra
                created = filed + timedelta(seconds=3 * index)
                submitted = None if a.state == "draft" else created + timedelta(hours=1)
                published = created + timedelta(days=1) if a.state in ("published", "cancelled") else None  # fmt: skip
                row = (
                    a.pk, self.edition.pk, a.host.pk, a.area.pk, a.category.pk,
                    f"{spec.title}·第{a.n}期"[:120], f"{a.area.short_name}{spec.title}，欢迎参加。"[:200],
                    "面向公众开放，现场有讲解和互动体验，欢迎预约参加。", spec.mode,
                    spec.venue or a.host.name, f"{a.area.name}人民路{a.n % 300 + 1}号",
                    "王老师", f"139{53300000 + a.n % 10_000_000:08d}",
                    a.n % 50 == 0, a.booking, a.real, a.ids,
                    int(extra.get("max_group_size", 1 + (a.n % 3 == 0) * 3)) if a.booking else 1,
                    True, a.state, submitted or created, submitted, published,
                    Decimal(1000 + a.n % 50 * 100), extra.get("expected_participants"),
                    created, created,
                )  # fmt: skip
                yield (*row, first.get(index)) if has_first_start else row

        def tags() -> Iterator[tuple]:
            for a in plan:
                chosen = {*a.spec.audiences[:2]} or {audiences[a.n % len(audiences)]}
                if a.n % 4 == 0:
                    chosen.add(audiences[a.n % len(audiences)])
                for audience in sorted(chosen):
                    self.tags_written += 1
                    yield (a.pk, audience)

        _copy(Activity, fields, rows(), batch_size)
        _copy(AudienceTag, ["activity_id", "audience"], tags(), batch_size)

    def write_bookings_and_sessions(self, plan, sessions, batch_size) -> int:
        """Bookings first, counting each session's confirmed places, then the sessions with
        ``places_taken`` (the bookings' foreign key is checked at the commit)."""
        from django.utils import timezone

        from sciweek.activities.models import Session
        from sciweek.bookings.models import Booking
        from sciweek.common.crypto import encrypt, keyed_hash
        from sciweek.common.masking import mask_id_number
        from sciweek.common.validators import id_check_char
        from sciweek.demo.bookings import GIVEN, SURNAMES

        now = timezone.now()
        fields = ["id", "session_id", "status", "code", "manage_token", "name", "phone",
                  "email", "id_type", "id_number_encrypted", "id_number_masked", "person_key",
                  "party_size", "group_name", "is_minor", "guardian_name", "consent_version",
                  "created_at", "confirmed_at", "cancelled_at", "cancelled_by", "cancel_reason"]  # fmt: skip
        base = _next_id(Booking)
        counter = [0]
        codes = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"

        def code(n: int) -> str:
            value = (n * CODE_STRIDE + 123_456_789) % CODE_SPACE
            out = []
            for _ in range(10):
                value, digit = divmod(value, 31)
                out.append(codes[digit])
            return "".join(out)

        def rows() -> Iterator[tuple]:
            token = secrets.token_bytes
            for session in self.bookable:
                a = plan[session[0]]
                division = a.area.division_code or "370303"
                capacity = session[4]
                taken = 0
                created = now - timedelta(days=3)
                for _ in range(session[5]):
                    counter[0] += 1
                    n = counter[0]
                    party = 1 if a.spec.extra.get("max_group_size", 1) == 1 or n % 5 else 2 + n % 3
                    roll = (n * 2654435761) % 100
                    if roll < 7:
                        status = "cancelled"
                    elif taken + party <= capacity:
                        status = "confirmed"
                        taken += party
                    else:
                        status = "waiting"
                    name = SURNAMES[n % len(SURNAMES)] + GIVEN[(n * 7 + n // 20) % len(GIVEN)]
                    phone = f"1{(3, 5, 7, 8, 9)[n % 5]}{n % 10}{n:08d}"[:11]
                    id_number = ""
                    if a.ids:
                        body = (f"{division}{1950 + n % 60}{1 + n % 12:02d}{1 + n % 28:02d}"
                                f"{n // 7 % 1000:03d}")  # fmt: skip
                        id_number = body + id_check_char(body)
                        identity = f"id:resident_id:{id_number}"
                    else:
                        identity = f"phone:{phone}"
                    created += timedelta(seconds=37)
                    yield (
                        base + n - 1, session[1], status, code(base + n),
                        base64.urlsafe_b64encode(token(24)).decode(),
                        name, phone, f"u{n}@example.com" if n % 2 else "",
                        "resident_id" if id_number else "",
                        encrypt(id_number) if id_number else "",
                        mask_id_number(id_number) if id_number else "",
                        keyed_hash(identity), party,
                        f"{name[0]}家" if party > 1 else "", False, "", self.consent,
                        created, created if status != "waiting" else None,
                        created + timedelta(hours=2) if status == "cancelled" else None,
                        "booker" if status == "cancelled" else "", "",
                    )  # fmt: skip
                session[6] = taken

        written = _copy(Booking, fields, rows(), batch_size)
        _copy(
            Session,
            ["id", "activity_id", "starts_at", "ends_at", "capacity", "places_taken",
             "booking_closed", "note"],
            ((s[1], plan[s[0]].pk, s[2], s[3], s[4], s[6], False, "") for s in sessions),
            batch_size,
        )  # fmt: skip
        return written

    def move_sequences(self):
        from django.db import connection
        from psycopg import sql

        from sciweek.activities.models import Activity, AudienceTag, Session
        from sciweek.bookings.models import Booking

        with connection.cursor() as cursor:
            for model in (Activity, AudienceTag, Session, Booking):
                table = model._meta.db_table
                cursor.execute(
                    sql.SQL(
                        "SELECT setval(pg_get_serial_sequence({}, 'id'), "
                        "COALESCE((SELECT MAX(id) FROM {}), 1))"
                    ).format(sql.Literal(table), sql.Identifier(table))
                )


def _aware(day, at: dtime) -> datetime:
    from django.utils import timezone

    return timezone.make_aware(datetime.combine(day, at))


def _next_id(model) -> int:
    from django.db.models import Max

    return (model.objects.aggregate(m=Max("id"))["m"] or 0) + 1


def _copy(model, fields: list[str], rows: Iterable[tuple], batch_size: int) -> int:
    """COPY ``rows`` (tuples in the order of ``fields``) into ``model``'s table, a COPY
    statement per ``batch_size`` rows, with every other NOT NULL column at its model default."""
    from django.db import connection
    from psycopg import sql

    meta = model._meta
    named = {meta.get_field(f).column for f in fields}
    constants = []
    for f in meta.concrete_fields:
        if f.column in named or f.primary_key or f.null:
            continue
        value = None if f.has_default() and callable(f.default) else f.get_default()
        if value is None:  # a callable default or none at all: the caller must give it
            raise RuntimeError(f"bulk: {meta.label}.{f.name} needs a value")
        constants.append((f.column, f.get_db_prep_save(value, connection)))
    columns = [meta.get_field(f).column for f in fields] + [c for c, _ in constants]
    tail = tuple(v for _, v in constants)
    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(meta.db_table), sql.SQL(", ").join(map(sql.Identifier, columns))
    )
    written = 0
    connection.ensure_connection()
    raw = connection.connection
    done = False
    iterator = iter(rows)
    while not done:
        with raw.cursor() as cursor, cursor.copy(statement) as copy:
            for _ in range(batch_size):
                try:
                    row = next(iterator)
                except StopIteration:
                    done = True
                    break
                copy.write_row(row + tail)
                written += 1
    return written
