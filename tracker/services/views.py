"""Read-only views for the workbench: everything the task list needs in one load, the in-memory filters
applied on each keystroke, the urgency order of 我的任务, and a cheap marker to notice others' changes."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from tracker.domain.status import Status
from tracker.rawdb import as_datetime, as_rows
from tracker.services.catalog import DepartmentRow, list_departments
from tracker.services.search import SearchIndex, load_search_index
from tracker.services.task_list import TaskRow, list_tasks


@dataclass(frozen=True)
class ChangeMarker:
    """Changes whenever any task is written or added: every write bumps the task's version (timestamps
    alone would miss two writes within the same second)."""

    tasks: int
    versions: int
    last_change: datetime | None


@dataclass(frozen=True)
class PlanChoice:
    """A plan as the plan filter offers it."""

    id: int
    year: int


@dataclass
class Workbench:
    rows: list[TaskRow]
    plans: list[PlanChoice]
    departments: list[DepartmentRow]
    index: SearchIndex | None  # None when loaded without it (the TUI loads it after the first screen)
    marker: ChangeMarker
    today: date
    complete: bool = True  # False: only some departments' tasks were loaded (a quick first screen)


@dataclass
class Filters:
    """What the list is narrowed to; all applied in memory on rows already loaded."""

    department_ids: frozenset[int] = frozenset()  # empty: every department
    status: str | None = None
    overdue: bool = False
    due_within: int | None = None
    plan_id: int | None = None
    task_ids: Collection[int] | None = None  # search result; None: no search

    @property
    def active(self) -> bool:
        return bool(
            self.status or self.overdue or self.due_within is not None or self.task_ids is not None
        )


def change_marker(db: Any) -> ChangeMarker:
    """A session or the lean path's Rows."""
    row = as_rows(db).first("SELECT count(id), sum(version), max(updated_at) FROM task")
    tasks, versions, last_change = row or (0, 0, None)
    return ChangeMarker(int(tasks or 0), int(versions or 0), as_datetime(last_change))


def load_workbench(
    db: Any,
    *,
    today: date,
    with_index: bool = True,
    department_ids: Collection[int] | None = None,
    newest_plan_only: bool = False,
) -> Workbench:
    """All tasks of all plans with owners and derived lights, the plans, departments and search index.

    With ``department_ids`` only those departments' tasks, with ``newest_plan_only`` only the newest plan's:
    what a screen shows first, in a fraction of the time on a big database. Such a result is incomplete.
    """
    session = as_rows(db)
    partial = bool(department_ids) or newest_plan_only
    if newest_plan_only and not department_ids and session.first("SELECT 1 FROM task LIMIT 1"):
        rows = list_tasks(session, today=today)
    else:
        rows = list_tasks(session, today=today, all_plans=True, department_ids=department_ids or None)
    plans = sorted({PlanChoice(r.plan_id, r.plan_year) for r in rows}, key=lambda p: (-p.year, -p.id))
    return Workbench(
        rows=rows,
        plans=plans,
        departments=list_departments(session),
        index=load_search_index(session) if with_index else None,
        marker=change_marker(session),
        today=today,
        complete=not partial,
    )


def filter_rows(rows: Iterable[TaskRow], filters: Filters, *, today: date) -> list[TaskRow]:
    """The rows passing every filter, in the order given."""
    done = (Status.DONE.value, Status.SUSPENDED.value)
    horizon = today + timedelta(days=filters.due_within) if filters.due_within is not None else None
    out = []
    for row in rows:
        if filters.plan_id is not None and row.plan_id != filters.plan_id:
            continue
        if filters.department_ids and not any(o.department_id in filters.department_ids for o in row.owners):
            continue
        if filters.status and row.status != filters.status:
            continue
        if filters.overdue and not row.overdue:
            continue
        if horizon is not None and (
            row.deadline is None or row.status in done or not today <= row.deadline <= horizon
        ):
            continue
        if filters.task_ids is not None and row.id not in filters.task_ids:
            continue
        out.append(row)
    return out


def urgency(row: TaskRow) -> tuple[int, date, int, int]:
    """Overdue first, then due soon, then the rest; earlier deadline first within each."""
    rank = 0 if row.overdue else 1 if row.due_soon else 3 if row.status in ("done", "suspended") else 2
    return (rank, row.deadline or date.max, row.item_position, row.position)


def group_by_item(rows: Iterable[TaskRow], *, by_urgency: bool) -> list[tuple[int, list[TaskRow]]]:
    """Rows grouped by plan → item: (plan_id, [(item rows)...]) flattened as (item_id, rows).

    With ``by_urgency`` (我的任务) items holding overdue tasks come first, then those due soon; otherwise
    plan order. Tasks inside an item follow the same rule.
    """
    groups: dict[int, list[TaskRow]] = {}
    for row in rows:
        groups.setdefault(row.item_id, []).append(row)
    items = list(groups.items())
    if by_urgency:
        for _, members in items:
            members.sort(key=urgency)
        items.sort(key=lambda pair: (urgency(pair[1][0])[:2], -pair[1][0].plan_year, pair[1][0].item_position))
    return items
