"""The plan over time as its records tell it (by the days they speak for, ProgressUpdate.as_of): month by
month (the burn-up of the 进展通报 and the dashboard), the red and yellow lists of a day, and the leaders' 批示
of a period. Every light and state comes from ``overview.record_states`` and ``tracker.domain.schedule``, so
these agree with ``summarize(as_of=…)`` (``tracker summary --as-of``) figure for figure.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from dateutil.relativedelta import relativedelta
from sqlmodel import Session, col, select

from tracker.domain import schedule
from tracker.domain.schedule import Light
from tracker.domain.status import Status
from tracker.models import Instruction, PlanItem, Task, User
from tracker.services.overview import as_local_date, record_states
from tracker.services.plans import resolve_plan
from tracker.services.tasks import list_tasks


@dataclass(frozen=True)
class ProgressPoint:
    """The plan at the end of a month (the last point: at the day asked for), as the records tell it."""

    day: date
    total: int
    done: int
    average_percent: float  # the same simple average as ``GroupSummary.average_percent``
    expected_percent: float  # 序时进度: the average share of each task's time gone by that day

    @property
    def done_rate(self) -> float:
        return 100.0 * self.done / self.total if self.total else 0.0

    def to_json(self) -> dict[str, Any]:
        return {
            "day": self.day.isoformat(),
            "total": self.total,
            "done": self.done,
            "done_rate": round(self.done_rate, 1),
            "average_percent": round(self.average_percent, 1),
            "expected_percent": round(self.expected_percent, 1),
        }


EXPECTED_TEXT = (
    "序时进度为各任务按已过时间占比应达到的进度的简单平均（自开始日期至完成时限；未设开始日期的自当年1月1日起，"
    "未设完成时限的按当年年底计）。"
)


def burn_up_series(session: Session, *, as_of: date, plan: str | int | None = None) -> list[ProgressPoint]:
    """The plan month by month from January of its year to ``as_of``: done tasks, average percent, 序时进度.

    Each point is the plan as its records stood at that month's end (the last point at ``as_of``), by the
    days the records speak for, so the last point's done and average are ``summarize(as_of=…)``'s total.
    One grouped query per month: a year is twelve small queries.
    """
    the_plan = resolve_plan(session, ref=plan)
    assert the_plan.id is not None
    first = date(the_plan.year, 1, 1)
    if as_of < first:
        return []
    columns: tuple[Any, ...] = (Task.id, Task.start_date, Task.deadline)
    tasks = session.exec(select(*columns).where(Task.plan_id == the_plan.id)).all()
    year_end = date(the_plan.year, 12, 31)
    points = []
    day = first + relativedelta(day=31)  # end of January
    while True:
        day = min(day, as_of)
        states = record_states(session, plan_id=the_plan.id, as_of=day)
        done = percent_sum = 0
        expected_sum = 0.0
        for task_id, start, deadline in tasks:
            state = states.get(task_id)
            if state is not None:
                done += state.status == Status.DONE.value
                percent_sum += state.percent
            end = deadline or year_end
            expected_sum += schedule.expected_percent(start or date(end.year, 1, 1), end, day)
        n = len(tasks)
        points.append(
            ProgressPoint(day, n, done, percent_sum / n if n else 0.0, expected_sum / n if n else 0.0)
        )
        if day >= as_of:
            return points
        day = day + relativedelta(months=1, day=31)


@dataclass(frozen=True)
class LaggingTask:
    """A task on the red or yellow list of a day: who leads it, its deadline, and how far behind it is."""

    id: int
    code: str  # （三）二是
    title: str
    leads: list[str]
    deadline: date | None
    status: str
    percent: int
    light: Light
    overdue: bool
    days_overdue: int  # past its deadline by this many days (0 when not overdue)
    points_behind: float  # 序时进度 minus recorded percent, in points (100 − percent once overdue)

    @property
    def behind_text(self) -> str:
        """How far behind, as a 通报 writes it: 逾期12天（进度50%）, 落后序时进度14.3个百分点."""
        if self.overdue:
            return f"逾期{self.days_overdue}天（进度{self.percent}%）"
        return f"落后序时进度{self.points_behind:.1f}个百分点（进度{self.percent}%）"

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "code": self.code,
            "title": self.title,
            "leads": list(self.leads),
            "deadline": self.deadline.isoformat() if self.deadline else None,
            "status": self.status,
            "percent": self.percent,
            "light": self.light.value,
            "overdue": self.overdue,
            "days_overdue": self.days_overdue,
            "points_behind": round(self.points_behind, 1),
        }


def lagging_tasks(session: Session, *, as_of: date, plan: str | int | None = None) -> list[LaggingTask]:
    """The 红色清单 and 黄色清单 of a day, as the records tell it: every task lit red (overdue or more than 30
    points behind) or yellow (10–30 behind); red first, then by how far behind, then by deadline.

    The same lights as ``summarize(as_of=…)`` counts: ``tracker.domain.schedule`` decides each.
    """
    rows = list_tasks(session, today=as_of, plan=plan)
    states = record_states(session, plan_id=rows[0].plan_id if rows else None, as_of=as_of) if rows else {}
    out = []
    for row in rows:
        state = states.get(row.id)
        status, percent = (state.status, state.percent) if state else (Status.NOT_STARTED.value, 0)
        light = schedule.light(status, percent, row.start_date, row.deadline, as_of)
        if light not in (Light.RED, Light.YELLOW):
            continue
        overdue = schedule.is_overdue(status, row.deadline, as_of)
        assert row.deadline is not None  # a task without a deadline is never red or yellow
        begin = row.start_date or date(row.deadline.year, 1, 1)
        out.append(
            LaggingTask(
                id=row.id,
                code=row.code,
                title=row.title,
                leads=row.leads,
                deadline=row.deadline,
                status=status,
                percent=percent,
                light=light,
                overdue=overdue,
                days_overdue=(as_of - row.deadline).days if overdue else 0,
                points_behind=schedule.points_behind(percent, begin, row.deadline, as_of),
            )
        )
    out.sort(key=lambda t: (t.light != Light.RED, -t.days_overdue, -t.points_behind, t.deadline or date.max))
    return out


@dataclass(frozen=True)
class InstructionView:
    """A leader's 批示 as a 通报 quotes it."""

    id: int
    task_id: int
    task_code: str
    task_title: str
    author: str  # login
    author_name: str  # display name, or the login when none is set
    text: str
    day: date  # local date it was written

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "task_id": self.task_id,
            "task_code": self.task_code,
            "task_title": self.task_title,
            "author": self.author,
            "author_name": self.author_name,
            "text": self.text,
            "day": self.day.isoformat(),
        }


def instructions_between(
    session: Session, *, start: date, end: date, plan: str | int | None = None
) -> list[InstructionView]:
    """Leaders' 批示 on the plan's tasks written from ``start`` to ``end`` (local dates), oldest first."""
    the_plan = resolve_plan(session, ref=plan)
    # A day's bounds in UTC, as stored; a little wide on each side, then cut by the local date.
    low = datetime.combine(start - timedelta(days=1), time.min, tzinfo=UTC)
    high = datetime.combine(end + timedelta(days=2), time.min, tzinfo=UTC)
    columns: tuple[Any, ...] = (
        Instruction.id,
        Instruction.task_id,
        Task.label,
        Task.title,
        PlanItem.label,
        Instruction.author,
        User.display_name,
        Instruction.text,
        Instruction.created_at,
    )
    query = (
        select(*columns)
        .join(Task, col(Task.id) == Instruction.task_id)
        .join(PlanItem, col(PlanItem.id) == Task.item_id)
        .join(User, col(User.login) == Instruction.author, isouter=True)
        .where(
            col(Task.plan_id) == the_plan.id,
            col(Instruction.created_at) >= low,
            col(Instruction.created_at) < high,
        )
        .order_by(col(Instruction.created_at), col(Instruction.id))
    )
    out = []
    for entry_id, task_id, label, title, item_label, author, name, text, created in session.exec(query).all():
        day = as_local_date(created)
        if day is None or not start <= day <= end:
            continue
        code = item_label if label == item_label else f"{item_label}{label}"
        out.append(InstructionView(entry_id, task_id, code, title, author, name or author, text, day))
    return out
