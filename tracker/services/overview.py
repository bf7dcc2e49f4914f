"""The leader's overview: how far each item or department has got, what is late, who has gone quiet.

Read through ``tracker.rawdb.Rows`` (a session or the lean path: ``tracker summary`` starts without
SQLAlchemy). Built from one narrow pass over the tasks in scope (a handful of columns per task: the 序时进度 light is
decided per task by ``tracker.domain.schedule``), owner rows and grouped queries; the burn-up is one
grouped query over updates. Nothing here loads every ProgressUpdate: a 200-task plan takes a few
milliseconds, all 10,000 tasks of a city database under 0.1 s of CPU.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any, Literal, NamedTuple

from tracker.domain import schedule
from tracker.domain.schedule import Light
from tracker.domain.status import STATUS_LABELS, Status
from tracker.errors import ValidationError
from tracker.rawdb import Rows, as_date, as_rows, in_list
from tracker.services.catalog import plan_ref
from tracker.services.task_list import TaskRow, list_tasks

GroupBy = Literal["item", "department"]
NO_LEAD = "（未指定牵头单位）"

WEIGHTING_TEXT = (
    "完成率按任务个数计算（已完成任务数 ÷ 任务总数，暂缓的任务计入总数），每项任务权重相同；"
    "平均进度为各任务填报进度的简单平均。"
)
DEPARTMENT_TEXT = "按部门统计的是各部门牵头的任务；一项任务有多个牵头单位时分别计入，合计按任务去重。"


# A stored time as the driver hands it over when read without conversion: a datetime (PostgreSQL)
# or the ISO text SQLite keeps. Both order correctly among themselves, so the newest of many is found
# before any is converted (converting 10,000 timestamps is a third of a city summary's time).
# Figures as of a day (``summarize(as_of=…)``) carry the day a record speaks for: a plain date.
Stamp = datetime | str | date


def _newer(a: Stamp, b: Stamp) -> bool:
    # Both come from one database, so both are text or both are datetimes.
    return a > b  # type: ignore[operator]


def as_local_date(moment: Stamp | None) -> date | None:
    """Stored times are UTC; SQLite hands them back without a zone, so naive means UTC here."""
    if moment is None:
        return None
    if not isinstance(moment, datetime | str):
        return moment  # already a day (a record's as_of), in no zone
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone().date()


@dataclass
class GroupSummary:
    """The figures for one item, one department, or the whole plan."""

    key: str  # what a person reads: （一）加强… or 区司法局
    item_id: int | None = None
    department_id: int | None = None
    total: int = 0
    by_status: dict[str, int] = field(default_factory=lambda: {s.value: 0 for s in Status})
    percent_sum: int = 0
    overdue: int = 0
    due_soon: int = 0
    lights: dict[str, int] = field(default_factory=lambda: {light.value: 0 for light in Light})
    last_at: Stamp | None = None  # stored time of the newest update; shown as a local date
    supporting: int = 0  # by department only: tasks the department supports (配合)

    @property
    def done(self) -> int:
        return self.by_status[Status.DONE.value]

    @property
    def done_rate(self) -> float:
        """Percent of tasks done, each task weighing the same."""
        return 100.0 * self.done / self.total if self.total else 0.0

    @property
    def average_percent(self) -> float:
        return self.percent_sum / self.total if self.total else 0.0

    @property
    def behind(self) -> int:
        """Tasks lit yellow or red by the 序时进度 rule (overdue tasks are red, so they count)."""
        return self.lights[Light.YELLOW.value] + self.lights[Light.RED.value]

    @property
    def last_update(self) -> date | None:
        return as_local_date(self.last_at)

    def add(self, fact: _TaskFact) -> None:
        # Runs once per task per group (20,000 times for a city): kept to plain arithmetic.
        n = fact.weight
        self.total += n
        self.by_status[fact.status] = self.by_status.get(fact.status, 0) + n
        self.percent_sum += fact.percent * n if fact.percent_total is None else fact.percent_total
        self.overdue += fact.overdue * n
        self.due_soon += fact.due_soon * n
        self.lights[fact.light] += n
        if fact.last_at is not None and (self.last_at is None or _newer(fact.last_at, self.last_at)):
            self.last_at = fact.last_at

    def absorb(self, other: GroupSummary) -> None:
        """Add another group's figures (for groups that share no task, such as the items of a plan)."""
        self.total += other.total
        for code, n in other.by_status.items():
            self.by_status[code] = self.by_status.get(code, 0) + n
        self.percent_sum += other.percent_sum
        self.overdue += other.overdue
        self.due_soon += other.due_soon
        for colour, n in other.lights.items():
            self.lights[colour] += n
        if other.last_at is not None and (self.last_at is None or _newer(other.last_at, self.last_at)):
            self.last_at = other.last_at

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "key": self.key,
            "total": self.total,
            "by_status": dict(self.by_status),
            "done": self.done,
            "done_rate": round(self.done_rate, 1),
            "average_percent": round(self.average_percent, 1),
            "overdue": self.overdue,
            "due_soon": self.due_soon,
            "lights": dict(self.lights),
            "behind": self.behind,
            "last_update": self.last_update.isoformat() if self.last_update else None,
        }
        if self.item_id is not None:
            out["item_id"] = self.item_id
        if self.department_id is not None or self.key == NO_LEAD:
            out["department_id"] = self.department_id
            out["supporting"] = self.supporting
        return out


@dataclass(frozen=True)
class SilentDepartment:
    """A department leading open tasks with no progress recorded on them since the month began."""

    id: int
    name: str
    open_tasks: int
    last_update: date | None

    def to_json(self) -> dict[str, Any]:
        return {
            "department_id": self.id,
            "name": self.name,
            "open_tasks": self.open_tasks,
            "last_update": self.last_update.isoformat() if self.last_update else None,
        }


@dataclass
class Summary:
    plan_id: int
    plan_year: int
    plan_title: str
    today: date
    by: GroupBy
    groups: list[GroupSummary]
    total: GroupSummary
    silent: list[SilentDepartment]
    all_plans: bool = False
    due_soon_days: int = schedule.DUE_SOON_DAYS
    # Figures as of ``today`` from the records (ProgressUpdate.as_of), and the first day of the reporting
    # period the silent list looks at (default: the 1st of today's month). See ``summarize(as_of=…)``.
    records_as_of: bool = False
    since: date | None = None

    @property
    def month_start(self) -> date:
        return self.since or self.today.replace(day=1)

    def to_json(self) -> dict[str, Any]:
        return {
            "plan": None
            if self.all_plans
            else {"id": self.plan_id, "year": self.plan_year, "title": self.plan_title},
            "all_plans": self.all_plans,
            "today": self.today.isoformat(),
            "by": self.by,
            "weighting": "tasks",
            "weighting_note": WEIGHTING_TEXT,
            "light_rule": schedule.RULE_TEXT,
            "due_soon_days": self.due_soon_days,
            "records_as_of": self.records_as_of,
            "groups": [g.to_json() for g in self.groups],
            "total": self.total.to_json(),
            "not_reported_this_month": {
                "since": self.month_start.isoformat(),
                "departments": [d.to_json() for d in self.silent],
            },
        }


class _TaskFact(NamedTuple):
    id: int
    item_id: int
    status: str
    percent: int
    overdue: bool
    due_soon: bool
    light: Light
    last_at: Stamp | None
    weight: int = 1  # tasks this fact stands for (grouped facts: same item, status and dates)
    percent_total: int | None = None  # their percents added up, when they differ within the group


_CLOSED = f"('{Status.DONE.value}', '{Status.SUSPENDED.value}')"


def _scoped(sql: str, plan_id: int | None, column: str = "plan_id") -> tuple[str, dict[str, Any]]:
    """``sql`` with ``AND <column> = :plan_id`` where a plan is in scope (``sql`` has a WHERE)."""
    if plan_id is None:
        return sql, {}
    return f"{sql} AND {column} = :plan_id", {"plan_id": plan_id}


def _task_facts(rows: Rows, plan_id: int | None, today: date) -> list[_TaskFact]:
    # The light is decided per task by tracker.domain.schedule, so one narrow row per task is read; as
    # that pass over the wide task table is what costs on SQLite, everything per task comes from it.
    sql, params = _scoped(
        "SELECT id, item_id, status, percent, start_date, deadline, last_update_at FROM task WHERE 1 = 1",
        plan_id,
    )
    return [
        _fact(task_id, item_id, status, percent, as_date(start), as_date(deadline), last_at, today)
        for task_id, item_id, status, percent, start, deadline, last_at in rows.all(sql, params)
    ]


def _fact(
    task_id: int,
    item_id: int,
    status: str,
    percent: int,
    start: date | None,
    deadline: date | None,
    last_at: Stamp | None,
    today: date,
    weight: int = 1,
    percent_total: int | None = None,
) -> _TaskFact:
    """What the summary counts for a task (or a group of alike tasks), the rule applied by tracker.domain."""
    return _TaskFact(
        task_id,
        item_id,
        status,
        percent,
        schedule.is_overdue(status, deadline, today),
        schedule.is_due_soon(status, deadline, today),
        schedule.light(status, percent, start, deadline, today),
        last_at,
        weight,
        percent_total,
    )


def _item_facts(rows: Rows, plan_id: int | None, today: date) -> list[_TaskFact]:
    """Facts per item for groups of tasks that tracker.domain.schedule cannot tell apart, counted in SQL.

    A closed (已完成/暂缓) or overdue task's light does not depend on its percent, so those are grouped by
    (item, status, dates) with their percents summed; open tasks within their time are grouped by percent
    too. The rule then runs once per group instead of once per task: across the 100,000 tasks of a
    province this reads about half the rows, and every figure is the same as task by task.
    """
    settled = f"(status IN {_CLOSED} OR (deadline IS NOT NULL AND deadline < :today))"
    keys = "item_id, status, start_date, deadline"
    by_percent, params = _scoped(
        f"SELECT {keys}, percent, count(*), NULL, max(last_update_at) FROM task WHERE NOT {settled}", plan_id
    )
    summed, _ = _scoped(
        f"SELECT {keys}, 0, count(*), sum(percent), max(last_update_at) FROM task WHERE {settled}", plan_id
    )
    params["today"] = today.isoformat()
    facts = []
    for sql in (f"{by_percent} GROUP BY {keys}, percent", f"{summed} GROUP BY {keys}"):
        for item_id, status, start, deadline, percent, n, percent_total, last_at in rows.all(sql, params):
            total = None if percent_total is None else int(percent_total)
            facts.append(
                _fact(
                    0, item_id, status, percent, as_date(start), as_date(deadline), last_at, today, n, total
                )
            )
    return facts


def _leads(rows: Rows, plan_id: int | None) -> list[tuple[int, int]]:
    """(task id, department id) for every lead (牵头) owner of the tasks in scope."""
    sql, params = _scoped(
        "SELECT o.task_id, o.department_id FROM taskowner o JOIN task t ON t.id = o.task_id WHERE o.role = 'lead'",
        plan_id,
        "t.plan_id",
    )
    return [(task_id, dept_id) for task_id, dept_id in rows.all(sql, params)]


def _supporting(rows: Rows, plan_id: int | None) -> dict[int, int]:
    """Per department, how many tasks in scope it supports (配合)."""
    sql, params = _scoped(
        "SELECT o.department_id, count(*) FROM taskowner o JOIN task t ON t.id = o.task_id WHERE o.role = 'support'",
        plan_id,
        "t.plan_id",
    )
    return dict(rows.all(f"{sql} GROUP BY o.department_id", params))  # type: ignore[arg-type]


def _lead_figures(rows: Rows, plan_id: int | None) -> dict[int, tuple[int, Stamp | None]]:
    """Per lead department: open tasks it leads, and the newest update on any task it leads."""
    sql, params = _scoped(
        f"SELECT o.department_id, sum(CASE WHEN t.status IN {_CLOSED} THEN 0 ELSE 1 END), max(t.last_update_at) "
        "FROM taskowner o JOIN task t ON t.id = o.task_id WHERE o.role = 'lead'",
        plan_id,
        "t.plan_id",
    )
    return {
        dept: (int(n or 0), last) for dept, n, last in rows.all(f"{sql} GROUP BY o.department_id", params)
    }


def _department_names(rows: Rows, ids: Iterable[int]) -> dict[int, str]:
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    clause, params = in_list("d", wanted)
    return dict(rows.all(f"SELECT id, name FROM department WHERE id IN {clause}", params))  # type: ignore[arg-type]


def summarize(
    db: Any,
    *,
    today: date,
    plan: str | int | None = None,
    by: GroupBy = "item",
    all_plans: bool = False,
    as_of: date | None = None,
    since: date | None = None,
) -> Summary:
    """Figures per item (in plan order) or per lead department (by name), a total, and who is silent.

    ``all_plans`` sums every plan in the database (items then carry their plan's year). ``db`` is a
    session or the lean path's Rows.

    ``as_of``: the figures of that day as the records tell them (the 进展通报 and ``summary --as-of``): each
    task's status and percent are those of its newest record speaking for a day on or before it
    (ProgressUpdate.as_of; of two for the same day, the one typed last), lights and overdue are judged on
    that day, and "last update" is the day a record speaks for. Without it, the tasks as they stand now,
    judged on ``today``. ``since`` starts the silent list's period (default: the 1st of the month).
    """
    session = as_rows(db)
    if by not in ("item", "department"):
        raise ValidationError(f"汇总方式应为 item（按事项）或 department（按部门），而不是“{by}”", field="by")
    the_plan = plan_ref(session, ref=plan)
    scope = None if all_plans else the_plan.id
    total = GroupSummary(key="合计")
    if as_of is not None:
        today = as_of
    recorded = _facts_as_of(session, scope, as_of) if as_of is not None else None

    groups: list[GroupSummary]
    if by == "item":
        if recorded is not None:
            facts = recorded
            lead_figures = _lead_figures_of(facts, _leads(session, scope))
        else:
            facts = _item_facts(session, scope, today)
            lead_figures = _lead_figures(session, scope)
        names = _department_names(session, lead_figures)
        sql, params = _scoped(
            "SELECT i.id, i.label, i.title, p.year FROM planitem i JOIN plan p ON p.id = i.plan_id WHERE 1 = 1",
            scope,
            "i.plan_id",
        )
        items = session.all(f"{sql} ORDER BY p.year DESC, p.id DESC, i.position", params)
        by_item = {
            item_id: GroupSummary(key=f"{f'{year}年' if all_plans else ''}{label}{title}", item_id=item_id)
            for item_id, label, title, year in items
        }
        for fact in facts:
            by_item[fact.item_id].add(fact)
        groups = [g for g in by_item.values() if g.total]
        for item_group in groups:  # every task is in exactly one item
            total.absorb(item_group)
    else:
        facts = recorded if recorded is not None else _task_facts(session, scope, today)
        for fact in facts:  # a task led by two departments counts once here
            total.add(fact)
        fact_by_id = {f.id: f for f in facts}
        by_dept: dict[int, GroupSummary] = {}
        led: set[int] = set()
        for task_id, dept_id in _leads(session, scope):
            group = by_dept.get(dept_id)
            if group is None:
                group = by_dept[dept_id] = GroupSummary(key="", department_id=dept_id)
            group.add(fact_by_id[task_id])
            led.add(task_id)
        for dept_id, n in _supporting(session, scope).items():
            by_dept.setdefault(dept_id, GroupSummary(key="", department_id=dept_id)).supporting = n
        names = _department_names(session, by_dept)
        for dept_id, group in by_dept.items():
            group.key = names.get(dept_id, str(dept_id))
        groups = sorted(by_dept.values(), key=lambda g: g.key)
        orphans = [f for f in facts if f.id not in led]
        if orphans:
            group = GroupSummary(key=NO_LEAD)
            for fact in orphans:
                group.add(fact)
            groups.append(group)
        # The same figures the item view asks the database for, here already in hand.
        lead_figures = {
            g.department_id: (g.total - g.done - g.by_status[Status.SUSPENDED.value], g.last_at)
            for g in groups
            if g.department_id is not None and g.total
        }

    return Summary(
        plan_id=the_plan.id,
        plan_year=the_plan.year,
        plan_title="全部计划" if all_plans else the_plan.title,
        all_plans=all_plans,
        today=today,
        by=by,
        groups=groups,
        total=total,
        silent=_silent_departments(lead_figures, names, today, since=since),
        records_as_of=as_of is not None,
        since=since,
    )


def _silent_departments(
    lead_figures: dict[int, tuple[int, Stamp | None]],
    names: dict[int, str],
    today: date,
    since: date | None = None,
) -> list[SilentDepartment]:
    """Lead departments with open tasks and no update on any task they lead since the 1st of this month
    (or since ``since``: the start of a bulletin's quarter).

    Lead units report (support units feed them), and an update on a task counts whoever typed it in,
    so an administrator entering a department's figures keeps it off this list.
    """
    month_start = since or today.replace(day=1)
    silent = []
    for dept_id, (open_tasks, last_at) in lead_figures.items():
        last = as_local_date(last_at)
        if open_tasks and (last is None or last < month_start):
            silent.append(SilentDepartment(dept_id, names.get(dept_id, str(dept_id)), open_tasks, last))
    silent.sort(key=lambda d: (d.last_update or date.min, d.name))
    return silent


# ---- burn-up and the red list (the dashboard) ----


@dataclass(frozen=True)
class BurnPoint:
    day: date
    done: int


def burn_up(db: Any, *, today: date, plan: str | int | None = None) -> list[BurnPoint]:
    """Completed tasks, cumulative, week by week from 1 January of the plan year to today (or year end).

    A task counts from its first update recorded as done; only tasks done now are counted, so a task
    reopened later drops out. One grouped query: the first done-update per task.
    """
    rows = as_rows(db)
    the_plan = plan_ref(rows, ref=plan)
    first_done = rows.all(
        "SELECT min(u.recorded_at) FROM progressupdate u JOIN task t ON t.id = u.task_id "
        "WHERE t.plan_id = :plan_id AND t.status = :done AND u.status = :done GROUP BY u.task_id",
        {"plan_id": the_plan.id, "done": Status.DONE.value},
    )
    done_days = sorted(d for d in (as_local_date(m) for (m,) in first_done) if d)
    start = date(the_plan.year, 1, 1)
    end = min(max(today, start), date(the_plan.year, 12, 31))
    points = []
    day, i = start, 0
    while True:
        while i < len(done_days) and done_days[i] <= day:
            i += 1
        points.append(BurnPoint(day, i))
        if day >= end:
            break
        day = min(day + timedelta(days=7), end)
    return points


def red_list(db: Any, *, today: date, plan: str | int | None = None) -> list[TaskRow]:
    """Tasks lit red: overdue, or more than ``schedule.RED_ABOVE`` points behind 序时进度 (yellow tasks are
    not on it). Overdue first (longest overdue first), then the rest by deadline."""
    rows = [r for r in list_tasks(db, today=today, plan=plan) if r.light is Light.RED]
    rows.sort(key=lambda r: (not r.overdue, r.deadline or date.max, r.item_position, r.position))
    return rows


STATUS_ORDER: list[tuple[str, str]] = [(s.value, STATUS_LABELS[s]) for s in Status]


# ---- as of a day: what the records say for it (the 进展通报, ``summary --as-of``) ----


class RecordState(NamedTuple):
    """A task as its newest record on or before a day left it."""

    status: str
    percent: int
    as_of: date  # the day that record speaks for


def record_states(db: Any, *, plan_id: int | None, as_of: date) -> dict[int, RecordState]:
    """Per task with a record speaking for ``as_of`` or earlier, the state that record left it in.

    Status and percent move only through progress records, so the newest one on or before a day (by the day
    it speaks for, then by when it was typed) is the task on that day; a task with none had not started.
    One query (a window over the task's records), whatever the size of the plan.
    """
    scope = "JOIN task t ON t.id = u.task_id AND t.plan_id = :plan_id" if plan_id is not None else ""
    sql = (
        "SELECT task_id, status, percent, as_of FROM ("
        " SELECT u.task_id, u.status, u.percent, u.as_of, row_number() OVER ("
        "  PARTITION BY u.task_id ORDER BY u.as_of DESC, u.recorded_at DESC, u.id DESC) AS n"
        f" FROM progressupdate u {scope} WHERE u.as_of <= :as_of"
        ") newest WHERE n = 1"
    )
    params: dict[str, Any] = {"as_of": as_of.isoformat()}
    if plan_id is not None:
        params["plan_id"] = plan_id
    return {
        task_id: RecordState(status, percent, as_date(day) or as_of)
        for task_id, status, percent, day in as_rows(db).all(sql, params)
    }


def _facts_as_of(rows: Rows, plan_id: int | None, as_of: date) -> list[_TaskFact]:
    """One fact per task, its status and percent those of ``as_of`` (see ``record_states``)."""
    states = record_states(rows, plan_id=plan_id, as_of=as_of)
    sql, params = _scoped("SELECT id, item_id, start_date, deadline FROM task WHERE 1 = 1", plan_id)
    facts = []
    for task_id, item_id, start, deadline in rows.all(sql, params):
        state = states.get(task_id)
        status, percent, day = state if state else (Status.NOT_STARTED.value, 0, None)
        facts.append(_fact(task_id, item_id, status, percent, as_date(start), as_date(deadline), day, as_of))
    return facts


def _lead_figures_of(
    facts: list[_TaskFact], leads: list[tuple[int, int]]
) -> dict[int, tuple[int, Stamp | None]]:
    """``_lead_figures`` from facts already in hand: open tasks each lead department has, its newest record."""
    by_id = {f.id: f for f in facts}
    out: dict[int, tuple[int, Stamp | None]] = {}
    for task_id, dept_id in leads:
        fact = by_id[task_id]
        open_tasks, last = out.get(dept_id, (0, None))
        if fact.status not in (Status.DONE.value, Status.SUSPENDED.value):
            open_tasks += 1
        if fact.last_at is not None and (last is None or _newer(fact.last_at, last)):
            last = fact.last_at
        out[dept_id] = (open_tasks, last)
    return out
