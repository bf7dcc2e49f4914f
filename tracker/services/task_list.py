"""Task lists: the rows of ``tracker tasks``, the TUI's list and tree, the summaries' red lists.

Read through ``tracker.rawdb.Rows`` (a session or the lean path), so ``tracker tasks`` starts without
SQLAlchemy; ``tracker.services.tasks`` re-exports these for its callers.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from tracker.domain import schedule
from tracker.domain.schedule import Light
from tracker.domain.status import Status, parse_status, status_label
from tracker.errors import ValidationError
from tracker.rawdb import as_date, as_datetime, as_rows, in_list
from tracker.services.catalog import department_id, plan_ref


@dataclass(frozen=True)
class OwnerView:
    department_id: int
    name: str
    role: str
    source: str

    @property
    def confirmed(self) -> bool:
        return self.source != "suggested"


@dataclass
class TaskRow:
    """One line of a task list: everything the lists, the tree and the summaries show."""

    id: int
    plan_id: int
    plan_year: int
    item_id: int
    item_label: str
    item_title: str
    item_position: int
    label: str
    position: int
    title: str
    status: str
    percent: int
    start_date: date | None
    deadline: date | None
    deadline_source: str
    recurrence: str | None
    collective_owner: str | None
    last_update_at: datetime | None
    version: int
    owners: list[OwnerView] = field(default_factory=list)
    light: Light = Light.GREY
    overdue: bool = False
    due_soon: bool = False

    @property
    def status_label(self) -> str:
        return status_label(self.status)

    @property
    def leads(self) -> list[str]:
        return [o.name for o in self.owners if o.role == "lead"]

    @property
    def supports(self) -> list[str]:
        return [o.name for o in self.owners if o.role == "support"]

    @property
    def code(self) -> str:
        """The label path a person reads: （一）二是, or （三） when the item is the task."""
        return self.item_label if self.label == self.item_label else f"{self.item_label}{self.label}"

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "plan": self.plan_year,
            "plan_id": self.plan_id,
            "item": {"label": self.item_label, "title": self.item_title},
            "label": self.label,
            "title": self.title,
            "status": self.status,
            "status_label": self.status_label,
            "percent": self.percent,
            "deadline": self.deadline.isoformat() if self.deadline else None,
            "deadline_source": self.deadline_source,
            "recurrence": self.recurrence,
            "owners": [
                {"department": o.name, "role": o.role, "source": o.source} for o in self.owners
            ],
            "collective_owner": self.collective_owner,
            "light": self.light.value,
            "overdue": self.overdue,
            "due_soon": self.due_soon,
            "last_update_at": self.last_update_at.isoformat() if self.last_update_at else None,
            "version": self.version,
        }


def _derive(row: TaskRow, today: date) -> TaskRow:
    row.overdue = schedule.is_overdue(row.status, row.deadline, today)
    row.due_soon = schedule.is_due_soon(row.status, row.deadline, today)
    row.light = schedule.light(row.status, row.percent, row.start_date, row.deadline, today)
    return row


_ROW_SQL = """
SELECT t.id, t.plan_id, p.year, t.item_id, i.label, i.title, i.position, t.label, t.position, t.title,
       t.status, t.percent, t.start_date, t.deadline, t.deadline_source, t.recurrence, t.collective_owner,
       t.last_update_at, t.version
FROM task t JOIN planitem i ON i.id = t.item_id JOIN plan p ON p.id = t.plan_id
"""
_ORDER = " ORDER BY p.year DESC, p.id, i.position, t.position"
_CLOSED = f"('{Status.DONE.value}', '{Status.SUSPENDED.value}')"
_CHUNK = 5000  # SQLite caps bound parameters, and a province has many tasks


def _row(values: tuple[Any, ...]) -> TaskRow:
    row = TaskRow(*values)
    row.start_date = as_date(row.start_date)
    row.deadline = as_date(row.deadline)
    row.last_update_at = as_datetime(row.last_update_at)
    return row


def owners_of(db: Any, *, task_ids: Iterable[int]) -> dict[int, list[OwnerView]]:
    """Owners of many tasks (lead first), a query per 5,000 tasks."""
    ids = list(task_ids)
    out: dict[int, list[OwnerView]] = defaultdict(list)
    rows = as_rows(db)
    for start in range(0, len(ids), _CHUNK):
        clause, params = in_list("t", ids[start : start + _CHUNK])
        for task_id, dept_id, name, role, source in rows.all(
            "SELECT o.task_id, d.id, d.name, o.role, o.source FROM taskowner o "
            f"JOIN department d ON d.id = o.department_id WHERE o.task_id IN {clause} "
            "ORDER BY o.task_id, o.role, d.id",
            params,
        ):
            out[task_id].append(OwnerView(dept_id, name, role, source))
    return out


def list_tasks(
    db: Any,
    *,
    today: date,
    plan: str | int | None = None,
    department: str | None = None,
    department_ids: Iterable[int] | None = None,
    status: str | None = None,
    overdue: bool = False,
    due_within: int | None = None,
    task_ids: Iterable[int] | None = None,
    all_plans: bool = False,
) -> list[TaskRow]:
    """Tasks matching every filter given, in plan order. ``plan`` None means the newest plan."""
    rows = as_rows(db)
    where: list[str] = []
    params: dict[str, Any] = {}
    if not all_plans:
        where.append("t.plan_id = :plan_id")
        params["plan_id"] = plan_ref(rows, ref=plan).id
    dept_ids = set(department_ids or [])
    if department:
        dept_ids.add(department_id(rows, name=department))
    if dept_ids:
        clause, more = in_list("d", sorted(dept_ids))
        where.append(f"t.id IN (SELECT task_id FROM taskowner WHERE department_id IN {clause})")
        params.update(more)
    if status:
        where.append("t.status = :status")
        params["status"] = parse_status(status).value
    if overdue:
        where.append(f"t.deadline < :today AND t.status NOT IN {_CLOSED}")
        params["today"] = today.isoformat()
    if due_within is not None:
        if due_within < 0:
            raise ValidationError("天数不能为负数", field="due_within")
        where.append(f"t.deadline >= :today AND t.deadline <= :until AND t.status NOT IN {_CLOSED}")
        params["today"] = today.isoformat()
        params["until"] = (today + timedelta(days=due_within)).isoformat()
    wanted = None if task_ids is None else list(task_ids)
    if wanted is not None and not wanted:
        return []
    found: list[TaskRow] = []
    # A long id list goes in chunks (SQLite's parameter cap); the chunks are merged back into plan order.
    chunks = [None] if wanted is None else [wanted[s : s + _CHUNK] for s in range(0, len(wanted), _CHUNK)]
    for chunk in chunks:
        conditions, chunk_params = list(where), dict(params)
        if chunk is not None:
            clause, more = in_list("id", chunk)
            conditions.append(f"t.id IN {clause}")
            chunk_params.update(more)
        sql = _ROW_SQL + (" WHERE " + " AND ".join(conditions) if conditions else "") + _ORDER
        found.extend(_row(values) for values in rows.all(sql, chunk_params))
    if len(chunks) > 1:
        found.sort(key=lambda r: (-r.plan_year, r.plan_id, r.item_position, r.position))
    owners = owners_of(rows, task_ids=[r.id for r in found])
    for row in found:
        row.owners = owners.get(row.id, [])
        _derive(row, today)
    return found
