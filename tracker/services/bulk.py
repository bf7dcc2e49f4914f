"""Bulk loading: many plans, tasks and progress updates in a few statements.

For generated databases (benchmarks, load tests) and migrations from other systems. Rows go in with
SQLAlchemy Core ``insert()`` executemany, in batches, inside the caller's transaction; the task's
status, percent, last update time, version and search text end exactly where ``record_progress``
would have left them after the same updates, recorded one by one in time order.

Each call appends one audit entry saying what was loaded (not one per row: a bulk load is one act).
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from tracker.domain.status import Status, parse_status
from tracker.errors import ValidationError
from tracker.models import (
    Department,
    Plan,
    PlanItem,
    ProgressUpdate,
    Target,
    TargetFigure,
    Task,
    TaskOwner,
    User,
    UserDepartment,
    now,
)
from tracker.services import audit
from tracker.services.auth import Actor, require_admin
from tracker.services.plans import build_search_text

# Rows per executemany call: large enough to amortise the round trip, small enough to keep memory flat.
BATCH = 5000
# SQLite caps bound parameters per statement (32766 since 3.32); IN lists are chunked below it.
_IN_CHUNK = 5000


@dataclass(frozen=True)
class NewDepartment:
    name: str
    aliases: Sequence[str] = ()
    keywords: Sequence[str] = ()
    source: str = "manual"


@dataclass(frozen=True)
class NewUser:
    login: str
    display_name: str = ""
    role: str = "staff"
    department_ids: Sequence[int] = ()


@dataclass(frozen=True)
class NewPlan:
    year: int
    title: str
    source_name: str
    source_text: str = ""
    issuers: Sequence[str] = ()
    addressee: str | None = None
    report_date: date | None = None
    section_heading: str | None = None
    kind: str = "report"
    is_demo: bool = False


@dataclass(frozen=True)
class NewItem:
    plan_id: int
    label: str
    position: int
    title: str
    text: str = ""


@dataclass(frozen=True)
class NewOwner:
    department_id: int
    role: str = "lead"  # lead | support
    source: str = "assigned"  # text | suggested | assigned


@dataclass(frozen=True)
class NewTarget:
    name: str
    value: float
    unit: str = ""
    text: str = ""
    at_most: bool = False  # an upper limit: met at or below the value


@dataclass(frozen=True)
class NewTask:
    plan_id: int
    item_id: int
    label: str
    position: int
    title: str
    text: str = ""
    start_date: date | None = None
    deadline: date | None = None
    deadline_source: str = "default"
    deadline_text: str | None = None
    recurrence: str | None = None
    recurrence_text: str | None = None
    collective_owner: str | None = None
    documents: Sequence[str] = ()
    owners: Sequence[NewOwner] = ()
    targets: Sequence[NewTarget] = ()


@dataclass(frozen=True)
class AddedTask:
    id: int
    target_ids: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class NewUpdate:
    """One progress report; status and percent as the person chose them (no inference in bulk)."""

    task_id: int
    recorded_at: datetime
    author: str
    status: str
    percent: int
    note: str = ""
    problems: str = ""
    next_steps: str = ""
    evidence: str = ""
    reason: str = ""
    department_id: int | None = None
    figures: Mapping[int, float] = field(default_factory=dict)  # target id → value
    source: str = "import"
    as_of: date | None = None  # the day it speaks for; default: the local day of recorded_at


def prepare_bulk_load(session: Session) -> None:
    """Speed settings for one big load on SQLite: a large page cache (256 MB).

    (WAL with synchronous=NORMAL, set for every connection, already syncs only at commit; the safety level
    cannot be changed inside the transaction anyway.)
    """
    bind = session.get_bind()
    if bind.dialect.name != "sqlite":
        return
    conn = session.connection()
    for pragma in ("cache_size = -262144",):
        conn.exec_driver_sql(f"PRAGMA {pragma}")


def _batches(rows: Sequence[Any], size: int = BATCH) -> Iterator[Sequence[Any]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def _insert_returning_ids(session: Session, table: sa.Table, rows: Sequence[dict[str, Any]]) -> list[int]:
    """Insert many rows and return their new ids in the order given (RETURNING, SQLite ≥ 3.35 and PostgreSQL)."""
    ids: list[int] = []
    conn = session.connection()
    stmt = table.insert().returning(table.c.id, sort_by_parameter_order=True)
    for batch in _batches(rows):
        ids.extend(conn.execute(stmt, list(batch)).scalars().all())
    return ids


def _insert(session: Session, table: sa.Table, rows: Sequence[dict[str, Any]]) -> None:
    conn = session.connection()
    for batch in _batches(rows):
        conn.execute(table.insert(), list(batch))


def _table(model: Any) -> sa.Table:
    return model.__table__  # type: ignore[no-any-return]


def add_departments(session: Session, *, actor: Actor, departments: Sequence[NewDepartment]) -> list[int]:
    require_admin(actor, "批量添加部门")
    stamp = now()
    ids = _insert_returning_ids(
        session,
        _table(Department),
        [
            {"name": d.name, "aliases": list(d.aliases), "keywords": list(d.keywords), "source": d.source, "created_at": stamp}
            for d in departments
        ],
    )
    _audit(session, actor, "department.bulk_add", "department", f"批量添加部门 {len(ids)} 个")
    return ids


def add_users(session: Session, *, actor: Actor, users: Sequence[NewUser]) -> list[int]:
    require_admin(actor, "批量添加用户")
    stamp = now()
    ids = _insert_returning_ids(
        session,
        _table(User),
        [
            {"login": u.login, "display_name": u.display_name, "role": u.role, "active": True, "created_at": stamp}
            for u in users
        ],
    )
    _insert(
        session,
        _table(UserDepartment),
        [{"user_id": uid, "department_id": d} for uid, u in zip(ids, users, strict=True) for d in u.department_ids],
    )
    _audit(session, actor, "user.bulk_add", "user", f"批量添加用户 {len(ids)} 个")
    return ids


def add_plans(session: Session, *, actor: Actor, plans: Sequence[NewPlan]) -> list[int]:
    require_admin(actor, "批量导入计划")
    stamp = now()
    rows = []
    for p in plans:
        digest = hashlib.sha256(f"{p.source_name}\n{p.year}\n{p.title}\n{p.source_text}".encode()).hexdigest()
        rows.append(
            {
                "year": p.year,
                "title": p.title,
                "issuers": list(p.issuers),
                "addressee": p.addressee,
                "report_date": p.report_date,
                "source_name": p.source_name,
                "source_hash": digest,
                "source_text": p.source_text,
                "section_heading": p.section_heading,
                "section_start_line": None,
                "section_end_line": None,
                "kind": p.kind,
                "is_demo": p.is_demo,
                "imported_at": stamp,
                "imported_by": actor.login,
            }
        )
    ids = _insert_returning_ids(session, _table(Plan), rows)
    _audit(session, actor, "plan.bulk_add", "plan", f"批量导入计划 {len(ids)} 个")
    return ids


def add_items(session: Session, *, actor: Actor, items: Sequence[NewItem]) -> list[int]:
    require_admin(actor, "批量导入计划事项")
    return _insert_returning_ids(
        session,
        _table(PlanItem),
        [
            {"plan_id": i.plan_id, "label": i.label, "position": i.position, "title": i.title, "text": i.text}
            for i in items
        ],
    )


def _department_names(session: Session, ids: set[int]) -> dict[int, str]:
    out: dict[int, str] = {}
    table = _table(Department)
    conn = session.connection()
    id_list = sorted(ids)
    for start in range(0, len(id_list), _IN_CHUNK):
        chunk = id_list[start : start + _IN_CHUNK]
        for dept_id, name in conn.execute(sa.select(table.c.id, table.c.name).where(table.c.id.in_(chunk))):
            out[dept_id] = name
    return out


def add_tasks(session: Session, *, actor: Actor, tasks: Sequence[NewTask]) -> list[AddedTask]:
    """Tasks with their owners and targets; search text built as the importer builds it."""
    require_admin(actor, "批量导入任务")
    names = _department_names(session, {o.department_id for t in tasks for o in t.owners})
    stamp = now()
    rows = []
    for t in tasks:
        seen: set[int] = set()
        for o in t.owners:
            if o.department_id in seen:
                raise ValidationError(f"任务“{t.title[:20]}”重复指定了同一责任单位", field="owners")
            if o.department_id not in names:
                raise ValidationError(f"不存在编号为 {o.department_id} 的部门", field="owners")
            seen.add(o.department_id)
        rows.append(
            {
                "plan_id": t.plan_id,
                "item_id": t.item_id,
                "label": t.label,
                "position": t.position,
                "title": t.title,
                "text": t.text,
                "documents": list(t.documents),
                "status": Status.NOT_STARTED.value,
                "percent": 0,
                "start_date": t.start_date,
                "deadline": t.deadline,
                "deadline_source": t.deadline_source,
                "deadline_text": t.deadline_text,
                "deadline_vague": False,
                "recurrence": t.recurrence,
                "recurrence_text": t.recurrence_text,
                "recurrence_flagged": False,
                "collective_owner": t.collective_owner,
                "search_text": build_search_text(
                    t.title, t.text, [names[o.department_id] for o in t.owners], t.collective_owner
                ),
                "version": 1,
                "last_update_at": None,
                "created_at": stamp,
                "updated_at": stamp,
            }
        )
    ids = _insert_returning_ids(session, _table(Task), rows)
    _insert(
        session,
        _table(TaskOwner),
        [
            {"task_id": tid, "department_id": o.department_id, "role": o.role, "source": o.source}
            for tid, t in zip(ids, tasks, strict=True)
            for o in t.owners
        ],
    )
    target_rows = [
        {
            "task_id": tid,
            "position": pos,
            "name": g.name,
            "value": g.value,
            "unit": g.unit,
            "text": g.text,
            "at_most": g.at_most,
        }
        for tid, t in zip(ids, tasks, strict=True)
        for pos, g in enumerate(t.targets, start=1)
    ]
    target_ids = iter(_insert_returning_ids(session, _table(Target), target_rows))
    added = [AddedTask(tid, [next(target_ids) for _ in t.targets]) for tid, t in zip(ids, tasks, strict=True)]
    _audit(session, actor, "task.bulk_add", "task", f"批量导入任务 {len(ids)} 项")
    return added


def _check_update(u: NewUpdate) -> None:
    status = parse_status(u.status)
    if not isinstance(u.percent, int) or not 0 <= u.percent <= 100:
        raise ValidationError(f"完成进度应为 0–100 之间的整数，收到 {u.percent}", field="percent")
    if status == Status.DONE and not u.note.strip():
        raise ValidationError("标记为“已完成”需要填写完成情况（进展情况）", field="note")
    if status == Status.SUSPENDED and not u.reason.strip():
        raise ValidationError("暂缓需要说明原因", field="reason")


def add_progress(session: Session, *, actor: Actor, updates: Sequence[NewUpdate]) -> int:
    """Append progress updates and bring each task to its latest one, as ``record_progress`` would.

    For each task: status, percent and last_update_at of its newest update (by time, then order given);
    version raised by one per update; notes and problems appended to the search text in time order.
    """
    require_admin(actor, "批量导入进展")
    if not updates:
        return 0
    for u in updates:
        _check_update(u)
    # Time order per task, the order record_progress would have seen them (stable for equal times).
    ordered = sorted(range(len(updates)), key=lambda i: (updates[i].task_id, updates[i].recorded_at, i))
    table = _table(ProgressUpdate)

    def row(u: NewUpdate) -> dict[str, Any]:
        return {
            "task_id": u.task_id,
            "as_of": u.as_of or _aware(u.recorded_at).astimezone().date(),
            "recorded_at": u.recorded_at,
            "author": u.author,
            "department_id": u.department_id,
            "status": parse_status(u.status).value,
            "percent": u.percent,
            "note": u.note.strip(),
            "problems": u.problems.strip(),
            "next_steps": u.next_steps.strip(),
            "evidence": u.evidence.strip(),
            "reason": u.reason.strip(),
            "new_deadline": None,
            "source": u.source,
        }

    plain = [row(updates[i]) for i in ordered if not updates[i].figures]
    with_figures = [i for i in ordered if updates[i].figures]
    _insert(session, table, plain)
    figure_ids = _insert_returning_ids(session, table, [row(updates[i]) for i in with_figures])
    _insert(
        session,
        _table(TargetFigure),
        [
            {"update_id": uid, "target_id": target_id, "value": value}
            for uid, i in zip(figure_ids, with_figures, strict=True)
            for target_id, value in updates[i].figures.items()
        ],
    )
    _apply_latest(session, [updates[i] for i in ordered])
    _audit(session, actor, "progress.bulk_add", "task", f"批量导入进展 {len(updates)} 条")
    return len(updates)


def _apply_latest(session: Session, ordered: Sequence[NewUpdate]) -> None:
    """Move each task to its newest update; ``ordered`` is sorted by task, then time."""
    per_task: dict[int, list[NewUpdate]] = defaultdict(list)
    for u in ordered:
        per_task[u.task_id].append(u)
    task = _table(Task)
    conn = session.connection()
    current: dict[int, tuple[str, int, datetime | None]] = {}
    ids = list(per_task)
    for start in range(0, len(ids), _IN_CHUNK):
        chunk = ids[start : start + _IN_CHUNK]
        query = sa.select(task.c.id, task.c.search_text, task.c.version, task.c.last_update_at).where(
            task.c.id.in_(chunk)
        )
        for tid, text, version, last in conn.execute(query):
            current[tid] = (text, version, last)
    missing = set(ids) - set(current)
    if missing:
        raise ValidationError(f"没有编号为 {min(missing)} 的任务", field="task")
    stamp = now()
    rows = []
    for tid, items in per_task.items():
        text, version, last = current[tid]
        parts = [text] + [p for u in items for p in (u.note.strip(), u.problems.strip()) if p]
        latest = items[-1]
        if last is not None and _aware(last) > _aware(latest.recorded_at):
            # Older than what the task already holds: history grows, the task's state stays.
            status_values: dict[str, Any] = {}
        else:
            status_values = {
                "b_status": parse_status(latest.status).value,
                "b_percent": latest.percent,
                "b_last": latest.recorded_at,
            }
        rows.append(
            {
                "b_id": tid,
                "b_text": "\n".join(p for p in parts if p),
                "b_version": version + len(items),
                "b_updated": stamp,
                **(status_values or {"b_status": None, "b_percent": None, "b_last": None}),
            }
        )
    stmt = (
        sa.update(task)
        .where(task.c.id == sa.bindparam("b_id"))
        .values(
            search_text=sa.bindparam("b_text"),
            version=sa.bindparam("b_version"),
            updated_at=sa.bindparam("b_updated"),
            status=sa.func.coalesce(sa.bindparam("b_status", type_=sa.String), task.c.status),
            percent=sa.func.coalesce(sa.bindparam("b_percent", type_=sa.Integer), task.c.percent),
            last_update_at=sa.func.coalesce(sa.bindparam("b_last", type_=task.c.last_update_at.type), task.c.last_update_at),
        )
    )
    for batch in _batches(rows):
        conn.execute(stmt, list(batch))


def _aware(moment: datetime) -> datetime:
    """SQLite gives naive datetimes back; everything is stored in UTC."""
    from datetime import UTC

    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _audit(session: Session, actor: Actor, action: str, entity: str, detail: str) -> None:
    audit.record(session, actor=actor, action=action, entity=entity, entity_id=None, detail=detail)
    session.flush()


@dataclass(frozen=True)
class TaskHistory:
    """A task with its owners and every progress update, for copying into another tool."""

    id: int
    plan_id: int
    item_id: int
    title: str
    status: str
    percent: int
    start_date: date | None
    deadline: date | None
    department_ids: list[int]  # lead first
    updates: list[tuple[datetime, str]]  # (recorded_at, note), oldest first


def iter_task_histories(session: Session, *, chunk: int = 2000) -> Iterator[TaskHistory]:
    """Every task with its history, a chunk of tasks at a time so memory stays flat at any size."""
    task, owner, update = _table(Task), _table(TaskOwner), _table(ProgressUpdate)
    conn = session.connection()
    ids = list(conn.execute(sa.select(task.c.id).order_by(task.c.id)).scalars())
    for start in range(0, len(ids), chunk):
        part = ids[start : start + chunk]
        lo, hi = part[0], part[-1]
        owners: dict[int, list[int]] = defaultdict(list)
        for tid, dept_id in conn.execute(
            sa.select(owner.c.task_id, owner.c.department_id)
            .where(owner.c.task_id.between(lo, hi))
            .order_by(owner.c.task_id, owner.c.role, owner.c.department_id)  # "lead" sorts before "support"
        ):
            owners[tid].append(dept_id)
        history: dict[int, list[tuple[datetime, str]]] = defaultdict(list)
        for tid, at, note in conn.execute(
            sa.select(update.c.task_id, update.c.recorded_at, update.c.note)
            .where(update.c.task_id.between(lo, hi))
            .order_by(update.c.task_id, update.c.recorded_at, update.c.id)
        ):
            history[tid].append((_aware(at), note))
        rows = conn.execute(
            sa.select(
                task.c.id, task.c.plan_id, task.c.item_id, task.c.title, task.c.status, task.c.percent,
                task.c.start_date, task.c.deadline,
            )
            .where(task.c.id.between(lo, hi))
            .order_by(task.c.id)
        )
        for tid, plan_id, item_id, title, status, percent, start_date, deadline in rows:
            yield TaskHistory(
                tid, plan_id, item_id, title, status, percent, start_date, deadline, owners.get(tid, []), history.get(tid, [])
            )
