"""Figures over time ("Nøgletal"): a week at a time, per centre or for the whole municipality.

Every figure is read from what the product keeps: the published plan of each week, the
attendance registered on it, and the register's courses and their status history. A course
*starts* in the week of its first delivered session (courses that began before the register kept
attendance are left out of starts and waits); its *wait* is the days from the discharge (SUL
§140) or the grant to that session.
"""

from __future__ import annotations

import csv
import io
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, fields
from datetime import date, timedelta

from sqlalchemy.orm import selectinload
from sqlmodel import Session, col, select

from planner.db.models import Appointment, Course, CourseStatusChange, Plan
from planner.db.store import load_problem
from planner.formats.scenario import week_monday
from planner.register.attendance import latest, referrals_of
from planner.views.overview import working_minutes
from solver.problem import SUL140_START_DAYS

#: How many weeks the figures page shows.
WEEKS_SHOWN = 12
ALL = ""  # the whole municipality


@dataclass(frozen=True)
class WeekFigures:
    """One week's figures (for one centre or all)."""

    week: str
    planned: int  # sessions in the published plan (a seat in a team meeting is a session)
    delivered: int
    cancelled_by_citizen: int
    cancelled_by_centre: int
    no_show: int
    unregistered: int
    utilisation: int | None  # booked minutes as a whole % of working minutes
    waiting: int  # courses waiting to start at the week's end
    active: int  # courses active at the week's end
    started: int
    ended: int
    wait_median: float | None  # days from granted or discharged to the first session
    wait_p90: float | None
    sul_starts: int  # SUL §140 courses that started this week
    sul_within: int  # of them, within 7 days of discharge

    @property
    def cancelled(self) -> int:
        return self.cancelled_by_citizen + self.cancelled_by_centre

    @property
    def sul_within_share(self) -> int | None:
        """SUL §140 starts within 7 days, as a whole percentage (None: no SUL §140 start)."""
        return round(100 * self.sul_within / self.sul_starts) if self.sul_starts else None


def iso_week(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def percentile(values: list[int], share: float) -> float | None:
    """The value below which `share` of the values lie (nearest rank), None for none."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * share // 1))  # ceil without floats drifting
    return float(ordered[int(rank) - 1])


def median(values: list[int]) -> float | None:
    return float(statistics.median(values)) if values else None


def published_weeks(*, session: Session) -> list[str]:
    """Every ISO week with a published plan, oldest first."""
    query = select(Plan.week).where(Plan.status == "published").distinct()
    return sorted(set(session.exec(query).all()))


def last_weeks(*, session: Session, count: int = WEEKS_SHOWN) -> list[str]:
    """The last `count` weeks with a published plan."""
    return published_weeks(session=session)[-count:]


def course_centre(row: Course) -> str:
    return row.doc.get("centre") or ALL


def status_on(changes: list[CourseStatusChange], day: date) -> str | None:
    """A course's status at the end of `day` from its history (None: not yet granted)."""
    known = [c for c in changes if c.on <= day]
    if not known:
        return None
    return max(known, key=lambda c: (c.on, c.id or 0)).status


@dataclass
class Loaded:
    """What the figures of several weeks are read from, loaded once."""

    courses: dict[str, Course]
    history: dict[str, list[CourseStatusChange]]
    plans: dict[str, list[Plan]]
    appointments: dict[int, list[Appointment]]
    marks: dict[tuple[int, str, str], str]
    first_delivered: dict[str, date]
    first_kind: dict[str, str]  # the kind of appointment of each course's first delivered session


def load(session: Session, weeks: list[str]) -> Loaded:
    courses = {c.key: c for c in session.exec(select(Course)).all()}
    history: dict[str, list[CourseStatusChange]] = defaultdict(list)
    for change in session.exec(select(CourseStatusChange).order_by(col(CourseStatusChange.id))):
        history[change.course].append(change)
    published = session.exec(select(Plan).where(Plan.status == "published")).all()
    every_id = [p.id for p in published if p.id is not None]
    plans: dict[str, list[Plan]] = defaultdict(list)
    for p in published:
        if p.week in weeks:
            plans[p.week].append(p)
    wanted = [p.id for ps in plans.values() for p in ps if p.id is not None]
    appointments: dict[int, list[Appointment]] = defaultdict(list)
    marks = latest(session, every_id)
    first: dict[str, tuple[date, int, str]] = {}
    if every_id:
        query = (
            select(Appointment)
            .where(col(Appointment.plan_id).in_(every_id))
            .options(selectinload(Appointment.participants))  # type: ignore[arg-type]
        )
        for a in session.exec(query).all():
            if a.plan_id in wanted:
                appointments[a.plan_id or 0].append(a)
            for key in referrals_of(a):
                seen = (a.date, a.start, a.kind)
                if marks.get((a.plan_id or 0, a.key, key)) == "delivered" and (
                    key not in first or seen < first[key]
                ):
                    first[key] = seen
    return Loaded(
        courses,
        history,
        plans,
        appointments,
        marks,
        {k: v[0] for k, v in first.items()},
        {k: v[2] for k, v in first.items()},
    )


def week_figures(
    *, session: Session, weeks: list[str] | None = None, centre: str = ALL
) -> list[WeekFigures]:
    """The figures of each week (the last 12 with a published plan by default), for one centre
    (`centre`, a centre id) or for all (`ALL`)."""
    chosen = last_weeks(session=session) if weeks is None else weeks
    data = load(session, chosen)
    return [one_week(session, data, week, centre) for week in chosen]


def one_week(session: Session, data: Loaded, week: str, centre: str) -> WeekFigures:
    monday = week_monday(week)
    assert monday is not None, f"{week} is an ISO week"
    sunday = monday + timedelta(days=6)
    counts: Counter[str] = Counter()
    booked = 0
    working = 0
    for plan in data.plans.get(week, []):
        problem = load_problem(plan.scenario_id, session=session)
        for t in problem.therapists:
            if centre == ALL or (t.centres and t.centres[0] == centre):
                working += working_minutes(problem, t.id)
        for a in data.appointments.get(plan.id or 0, []):
            if centre != ALL and a.centre != centre:
                continue
            booked += a.end - a.start + a.travel_before + a.travel_after
            for key in referrals_of(a):
                counts["planned"] += 1
                counts[data.marks.get((plan.id or 0, a.key, key), "unregistered")] += 1
    mine = [c for c in data.courses.values() if centre == ALL or course_centre(c) == centre]
    statuses = Counter(status_on(data.history.get(c.key, []), sunday) for c in mine)
    waits: list[int] = []
    sul_starts = sul_within = 0
    for c in mine:
        first = data.first_delivered.get(c.key)
        if first is None or c.delivered_before > 0 or not monday <= first <= sunday:
            continue
        waits.append((first - (c.discharged or c.granted)).days)
        if c.discharged is not None:
            sul_starts += 1
            sul_within += first <= c.discharged + timedelta(days=SUL140_START_DAYS)
    ended = sum(
        1
        for c in mine
        if any(h.status == "ended" and monday <= h.on <= sunday for h in data.history[c.key])
    )
    return WeekFigures(
        week=week,
        planned=counts["planned"],
        delivered=counts["delivered"],
        cancelled_by_citizen=counts["cancelled-by-citizen"],
        cancelled_by_centre=counts["cancelled-by-centre"],
        no_show=counts["no-show"],
        unregistered=counts["unregistered"],
        utilisation=round(100 * booked / working) if working else None,
        waiting=statuses["waiting"],
        active=statuses["active"],
        started=len(waits),
        ended=ended,
        wait_median=median(waits),
        wait_p90=percentile(waits, 0.9),
        sul_starts=sul_starts,
        sul_within=sul_within,
    )


# --- a chart's and a download's shape -----------------------------------------------------------

#: The columns of the table and the CSV, in order: (field, Danish heading).
COLUMNS = (
    ("week", "Uge"),
    ("wait_median", "Dage til første session, median"),
    ("wait_p90", "Dage til første session, 90 %"),
    ("sul_within_share", "SUL §140 startet inden 7 dage (%)"),
    ("planned", "Planlagte sessioner"),
    ("delivered", "Gennemført"),
    ("cancelled", "Aflyst"),
    ("no_show", "Udeblevet"),
    ("utilisation", "Terapeuternes belægning (%)"),
    ("waiting", "På venteliste"),
    ("started", "Forløb startet"),
    ("ended", "Forløb afsluttet"),
)


def value(row: WeekFigures, name: str) -> object:
    return getattr(row, name)


def figures_csv(rows: list[WeekFigures]) -> str:
    """The figures as CSV (semicolon-separated, as Danish spreadsheets read it), a row a week."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([name for name, _ in COLUMNS])
    for row in rows:
        writer.writerow(["" if value(row, n) is None else value(row, n) for n, _ in COLUMNS])
    return out.getvalue()


FIELD_NAMES = tuple(f.name for f in fields(WeekFigures))


# --- charts -------------------------------------------------------------------------------------

#: A chart's drawing area in SVG user units.
CHART_WIDTH, CHART_HEIGHT, CHART_TOP, CHART_BOTTOM = 360, 150, 18, 22


@dataclass(frozen=True)
class Bar:
    week: str
    label: str  # the week's short name under the bar, e.g. "U03"
    value: float | None
    text: str  # the value as written above the bar ("–" for none)
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class Chart:
    """One figure over the weeks as bars, with its text alternative."""

    field: str
    title: str
    bars: tuple[Bar, ...]
    width: int
    height: int
    baseline: float

    @property
    def description(self) -> str:
        """The chart in words: every week's value (the text alternative)."""
        return f"{self.title}: " + "; ".join(f"uge {b.week[-2:]}: {b.text}" for b in self.bars)


def number_text(value: float | None) -> str:
    if value is None:
        return "–"
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}".replace(".", ",")


def chart(rows: list[WeekFigures], name: str, title: str) -> Chart:
    """A bar per week of the figure `name`, scaled to the largest value."""
    values = [value(r, name) for r in rows]
    numbers = [float(v) for v in values if isinstance(v, int | float)]
    top = max(numbers, default=0.0) or 1.0
    inner = CHART_HEIGHT - CHART_TOP - CHART_BOTTOM
    baseline = CHART_HEIGHT - CHART_BOTTOM
    step = CHART_WIDTH / max(1, len(rows))
    bars = []
    for i, (row, v) in enumerate(zip(rows, values, strict=True)):
        amount = float(v) if isinstance(v, int | float) else None
        height = 0.0 if amount is None else inner * amount / top
        bars.append(
            Bar(
                week=row.week,
                label=f"U{row.week[-2:]}",
                value=amount,
                text=number_text(amount),
                x=round(i * step + step * 0.15, 1),
                y=round(baseline - height, 1),
                width=round(step * 0.7, 1),
                height=round(height, 1),
            )
        )
    return Chart(name, title, tuple(bars), CHART_WIDTH, CHART_HEIGHT, baseline)


def charts(rows: list[WeekFigures]) -> list[Chart]:
    """Every figure of the table as a chart, in the table's order."""
    return [chart(rows, name, title) for name, title in COLUMNS if name != "week"]


def table_rows(rows: list[WeekFigures]) -> list[list[str]]:
    """The table's cells as text, a row a week, in the order of COLUMNS."""
    return [[row.week] + [number_text(cell(row, name)) for name, _ in COLUMNS[1:]] for row in rows]


def cell(row: WeekFigures, name: str) -> float | None:
    v = value(row, name)
    return float(v) if isinstance(v, int | float) else None
