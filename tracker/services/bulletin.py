"""Everything a 进展通报 (the leader's monthly or quarterly bulletin) says, gathered from the summary functions.

Nothing here counts on its own: the figures are ``overview.summarize(as_of=…)`` by department (the same call as
``tracker summary --by department --as-of DAY --since START``), the change is the same call for the end of the
previous period, and the lists and the burn-up come from ``history`` on the same records. ``tracker.report``
turns this into a document.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlmodel import Session

from tracker.domain.periods import Period, period_of
from tracker.domain.schedule import Light
from tracker.errors import ValidationError
from tracker.services.history import (
    InstructionView,
    LaggingTask,
    ProgressPoint,
    burn_up_series,
    instructions_between,
    lagging_tasks,
)
from tracker.services.overview import NO_LEAD, GroupSummary, Summary, summarize
from tracker.services.plans import resolve_plan


@dataclass(frozen=True)
class RankedDepartment:
    rank: int  # equal figures share a rank (1, 2, 2, 4)
    group: GroupSummary


@dataclass
class BulletinData:
    plan_id: int
    plan_year: int
    plan_title: str
    plan_kind: str  # report | plan
    section_heading: str | None
    period: Period
    as_of: date
    current: Summary  # by lead department, as of ``as_of``; its silent list covers the period
    previous: Summary | None  # as of the end of the previous period; None before the plan's year
    series: list[ProgressPoint]
    lagging: list[LaggingTask]
    instructions: list[InstructionView]
    unled: int = 0  # tasks with no lead unit: in the totals, not in the ranking
    ranking: list[RankedDepartment] = field(default_factory=list)

    @property
    def previous_period(self) -> Period:
        return self.period.previous()

    @property
    def red(self) -> list[LaggingTask]:
        return [t for t in self.lagging if t.light == Light.RED]

    @property
    def yellow(self) -> list[LaggingTask]:
        return [t for t in self.lagging if t.light == Light.YELLOW]


def resolve_period(
    *, period: Period | None, as_of: date | None, today: date, plan_year: int | None = None
) -> tuple[Period, date]:
    """The period and the day figures are taken for: by default this month up to today; a past period up
    to its last day; a day given must fall inside the period."""
    if period is None:
        day = as_of or today
        period = period_of(day)
    elif as_of is None:
        if today < period.start:
            raise ValidationError(f"通报期{period.label}尚未开始（今天是 {today.isoformat()}）", field="period")
        day = min(period.end, today)
    else:
        day = as_of
        if day not in period:
            raise ValidationError(
                f"截至日期 {day.isoformat()} 不在通报期{period.label}（{period.start.isoformat()} 至 "
                f"{period.end.isoformat()}）内",
                field="as_of",
            )
    if plan_year is not None and period.end < date(plan_year, 1, 1):
        raise ValidationError(f"通报期{period.label}早于{plan_year}年计划的执行期", field="period")
    return period, day


def rank_departments(groups: list[GroupSummary]) -> list[RankedDepartment]:
    """Departments that lead tasks, best first: done rate, then average percent, then fewer red lights."""
    led = [g for g in groups if g.total and g.key != NO_LEAD]
    led.sort(key=lambda g: (-g.done_rate, -g.average_percent, g.lights[Light.RED.value], g.overdue, g.key))
    out: list[RankedDepartment] = []
    for n, group in enumerate(led, start=1):
        same = out and (out[-1].group.done_rate, out[-1].group.average_percent) == (
            group.done_rate,
            group.average_percent,
        )
        out.append(RankedDepartment(out[-1].rank if same else n, group))
    return out


def gather_bulletin_data(
    session: Session,
    *,
    today: date,
    plan: str | int | None = None,
    period: Period | None = None,
    as_of: date | None = None,
) -> BulletinData:
    """The bulletin of ``plan`` for ``period`` (a month or a quarter), its figures as of ``as_of``."""
    the_plan = resolve_plan(session, ref=plan)
    assert the_plan.id is not None
    period, day = resolve_period(period=period, as_of=as_of, today=today, plan_year=the_plan.year)
    ref = f"#{the_plan.id}"  # this plan and no other, whatever its id
    current = summarize(session, today=day, plan=ref, by="department", as_of=day, since=period.start)
    before = period.previous()
    previous = None
    if before.end >= date(the_plan.year, 1, 1):
        previous = summarize(
            session, today=before.end, plan=ref, by="department", as_of=before.end, since=before.start
        )
    unled = next((g.total for g in current.groups if g.key == NO_LEAD), 0)
    return BulletinData(
        plan_id=the_plan.id,
        plan_year=the_plan.year,
        plan_title=the_plan.title,
        plan_kind=the_plan.kind,
        section_heading=the_plan.section_heading,
        period=period,
        as_of=day,
        current=current,
        previous=previous,
        series=burn_up_series(session, as_of=day, plan=ref),
        lagging=lagging_tasks(session, as_of=day, plan=ref),
        instructions=instructions_between(session, start=period.start, end=day, plan=ref),
        unled=unled,
        ranking=rank_departments(current.groups),
    )
