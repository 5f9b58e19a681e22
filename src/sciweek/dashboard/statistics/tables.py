"""The dashboard's charts as tables: one table per chart, built from ``week_statistics``.

The same table is the accessible table beside the chart, the data the chart is drawn from
(``json_script``, drawn by ``static/sciweek/js/dashboard.js``) and the chart's sheet in the
Excel download, so the three can never disagree.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from django.utils.translation import gettext as _


@dataclass
class Row:
    label: str
    cells: list
    url: str = ""
    cell_urls: list = field(default_factory=list)
    extra: dict = field(default_factory=dict)


@dataclass
class Table:
    key: str
    title: str
    columns: list[str]
    rows: list[Row]
    chart: dict  # {"type": bar|line|calendar|tiles|pie, "series": [column indexes], ...}
    first_column: str = ""
    percent_columns: list[int] = field(default_factory=list)
    note: str = ""

    def as_json(self) -> dict:
        return asdict(self)


def _rate(value):
    return None if value is None else round(value * 100, 1)


def build_tables(stats: dict) -> list[Table]:
    tables: list[Table] = []
    state_columns = [c["label"] for c in stats["by_area"]["columns"]]
    keys = [c["key"] for c in stats["by_area"]["columns"]]
    for name, title, first in (
        ("by_area", _("Activities by area"), _("Area")),
        ("by_category", _("Activities by category"), _("Category")),
    ):
        tables.append(
            Table(
                key=name,
                title=title,
                first_column=first,
                columns=state_columns,
                rows=[
                    Row(
                        label=r["name"],
                        cells=[r["counts"][k] for k in keys],
                        cell_urls=[r["urls"][k] for k in keys],
                    )
                    for r in stats[name]["rows"]
                ],
                # "Filed" holds the others; the chart stacks the states only.
                chart={"type": "bar", "stack": True, "series": list(range(1, len(keys)))},
            )
        )
    days = stats["by_day"]
    tables.append(
        Table(
            key="sessions_by_day",
            title=_("Sessions by day"),
            first_column=_("Day"),
            columns=[_("Sessions"), _("Places")],
            rows=[
                Row(label=d["date"], cells=[d["sessions"], d["capacity"]], url=d["url"])
                for d in days
            ],
            chart={"type": "calendar", "series": [0]},
        )
    )
    tables.append(
        Table(
            key="bookings_by_day",
            title=_("Bookings against capacity by day"),
            first_column=_("Day"),
            columns=[
                _("Places"),
                _("People booked"),
                _("On the waiting list"),
                _("People checked in"),
                _("Fill rate (%)"),
            ],
            rows=[
                Row(
                    label=d["date"],
                    cells=[
                        d["capacity"],
                        d["booked"],
                        d["waiting"],
                        d["checked_in"],
                        _rate(d["fill_rate"]),
                    ],
                    url=d["url"],
                )
                for d in days
            ],
            chart={"type": "line", "series": [0, 1, 2, 3]},
            percent_columns=[4],
        )
    )
    tables.append(
        Table(
            key="bookings_by_area",
            title=_("Bookings, check-ins and no-shows by area"),
            first_column=_("Area"),
            columns=[
                _("Places"),
                _("People booked"),
                _("On the waiting list"),
                _("People checked in"),
                _("No-shows"),
                _("Fill rate (%)"),
                _("Check-in rate (%)"),
                _("No-show rate (%)"),
            ],
            rows=[
                Row(
                    label=a["name"],
                    cells=[
                        a["capacity"],
                        a["booked"],
                        a["waiting"],
                        a["checked_in"],
                        a["no_show"],
                        _rate(a["fill_rate"]),
                        _rate(a["check_in_rate"]),
                        _rate(a["no_show_rate"]),
                    ],
                    url=a["url"],
                )
                for a in stats["bookings_by_area"]
            ],
            chart={"type": "bar", "series": [0, 1, 3, 4]},
            percent_columns=[5, 6, 7],
            note=_("No-shows: confirmed people not checked in at sessions that have ended."),
        )
    )
    tables.append(
        Table(
            key="by_session",
            title=_("Check-ins by session (most booked)"),
            first_column=_("Session"),
            columns=[
                _("Places"),
                _("People booked"),
                _("People checked in"),
                _("No-shows"),
                _("Check-in rate (%)"),
            ],
            rows=[
                Row(
                    label=f"{s['title']} · {s['starts_at'][5:16].replace('T', ' ')}",
                    cells=[
                        s["capacity"],
                        s["booked"],
                        s["checked_in"],
                        s["no_show"],
                        _rate(s["check_in_rate"]),
                    ],
                    url=s["url"],
                )
                for s in stats["by_session"]
            ],
            chart={"type": "bar", "horizontal": True, "series": [1, 2]},
            percent_columns=[4],
        )
    )
    tables.append(
        Table(
            key="check_ins_by_hour",
            title=_("Check-ins per hour"),
            first_column=_("Hour"),
            columns=[_("People checked in")],
            rows=[
                Row(label=h["hour"][:13].replace("T", " ") + ":00", cells=[h["people"]])
                for h in stats["check_ins_by_hour"]
            ],
            chart={"type": "line", "series": [0]},
        )
    )
    tables.append(
        Table(
            key="review",
            title=_("Review pipeline"),
            first_column=_("Level"),
            columns=[_("Waiting"), _("Oldest waiting (days)")],
            rows=[
                Row(label=r["label"], cells=[r["count"], r["oldest_days"]], url=r["url"])
                for r in stats["review"]
            ],
            chart={"type": "bar", "series": [0]},
        )
    )
    tables.append(
        Table(
            key="acknowledgements",
            title=_("Notice acknowledgements by area"),
            first_column=_("Area"),
            columns=[_("Acknowledged"), _("Not acknowledged")],
            rows=[
                Row(label=a["name"], cells=[a["acknowledged"], a["missing"]], url=a["url"])
                for a in stats["acknowledgements"]
            ],
            chart={"type": "bar", "stack": True, "series": [0, 1]},
        )
    )
    counts = stats["summary_counts"]
    tables.append(
        Table(
            key="summaries",
            title=_("Summary reports"),
            first_column=_("Status"),
            columns=[_("Areas")],
            rows=[
                Row(label=_("Accepted"), cells=[counts["accepted"]]),
                Row(label=_("Submitted"), cells=[counts["submitted"]]),
                Row(label=_("Returned"), cells=[counts["returned"]]),
                Row(label=_("Missing"), cells=[counts["missing"]]),
            ],
            chart={"type": "pie", "series": [0]},
            note=_("Late (past the deadline or submitted late): %(n)s") % {"n": counts["late"]},
        )
    )
    tables.append(
        Table(
            key="tiles",
            title=_("Areas of the city"),
            first_column=_("Area"),
            columns=[_("Published and held activities")],
            rows=[
                Row(
                    label=t["name"],
                    cells=[t["activities"]],
                    url=t["url"],
                    extra={"row": t["row"], "col": t["col"], "short": t["short_name"]},
                )
                for t in stats["tiles"]
            ],
            chart={"type": "tiles", "series": [0]},
            note=_("Each tile is an area, placed by where its activities are."),
        )
    )
    return tables


def key_figure_table(stats: dict) -> Table:
    previous = stats["previous_edition"]
    return Table(
        key="key_figures",
        title=_("Key figures"),
        first_column=_("Figure"),
        columns=[str(stats["edition"]["year"])] + ([str(previous["year"])] if previous else []),
        rows=[
            Row(
                label=f["label"],
                cells=[f["value"]] + ([f["previous"]] if previous else []),
                url=f["url"],
            )
            for f in stats["key_figures"]
        ],
        chart={"type": "none", "series": []},
    )
