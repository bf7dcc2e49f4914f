"""Tables for the whole annual cycle: a plan imported from a report, its items and tasks, who owns them,
what departments recorded, and who did what (audit).

Status stored on a task is what a person decided (see ``tracker.domain.status``); overdue, due soon and the
序时进度 light are derived from dates and never stored.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import JSON, Field, SQLModel


def now() -> datetime:
    """Aware UTC time, as stored; shown to users in local time (``.astimezone()``)."""
    return datetime.now(UTC).replace(microsecond=0)


class Department(SQLModel, table=True):
    """A unit that can own tasks (区司法局, 办公室, 某街道)."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(index=True, unique=True, max_length=100)
    aliases: list[str] = Field(default_factory=list, sa_type=JSON)
    keywords: list[str] = Field(default_factory=list, sa_type=JSON)
    # 'directory' (from the department TOML), 'text' (named in an imported report), 'manual'
    source: str = Field(default="directory", max_length=20)
    created_at: datetime = Field(default_factory=now)


class Plan(SQLModel, table=True):
    """One year's arrangements, imported from one report (or from a plan document)."""

    id: int | None = Field(default=None, primary_key=True)
    year: int = Field(index=True)
    title: str = Field(max_length=300)
    issuers: list[str] = Field(default_factory=list, sa_type=JSON)
    addressee: str | None = Field(default=None, max_length=200)
    report_date: date | None = None
    source_name: str = Field(max_length=300)
    source_hash: str = Field(index=True, unique=True, max_length=64)
    # The source text, kept so the next report can follow its structure and quote its opening.
    source_text: str = Field(default="", sa_type=sa.Text)
    section_heading: str | None = Field(default=None, max_length=300)
    section_start_line: int | None = None
    section_end_line: int | None = None
    # 'report' (a yearly report whose next-year section is the plan) or 'plan' (工作要点, 实施方案...)
    kind: str = Field(default="report", max_length=20)
    is_demo: bool = False
    imported_at: datetime = Field(default_factory=now)
    imported_by: str | None = Field(default=None, max_length=100)


class PlanItem(SQLModel, table=True):
    """A numbered item of the arrangements, e.g. （三）健全行政复议应诉制度体系."""

    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="plan.id", index=True, ondelete="CASCADE")
    label: str = Field(max_length=20)  # as written: （三）, 一、, 1.
    position: int
    title: str = Field(max_length=500)
    text: str = Field(default="", sa_type=sa.Text)
    # Where it came from, kept when a person renumbers or edits it: the label as the source wrote it and its
    # line span in ``Plan.source_text`` (1-based, inclusive; None for rows made by hand or before spans).
    source_label: str | None = Field(default=None, max_length=20)
    source_start_line: int | None = None
    source_end_line: int | None = None
    origin: str = Field(default="import", max_length=10, sa_column_kwargs={"server_default": "import"})


class Task(SQLModel, table=True):
    """What is tracked: a point of an item (一是…), or the item itself when it has no points."""

    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="plan.id", index=True, ondelete="CASCADE")
    item_id: int = Field(foreign_key="planitem.id", index=True, ondelete="CASCADE")
    label: str = Field(max_length=20)  # 二是, 1., or the item's label when the item is the task
    position: int
    title: str = Field(max_length=500)
    text: str = Field(default="", sa_type=sa.Text)
    documents: list[str] = Field(default_factory=list, sa_type=JSON)  # 《…》 named as deliverables

    # What a person decided; see tracker.domain.status.Status
    status: str = Field(default="not_started", max_length=20, index=True)
    percent: int = 0

    start_date: date | None = None
    deadline: date | None = Field(default=None, index=True)
    deadline_source: str = Field(default="default", max_length=20)  # text | default | assigned
    deadline_text: str | None = Field(default=None, max_length=100)  # the words: 6月底前
    deadline_vague: bool = False  # 按期, 长期坚持...: a person should set a date

    recurrence: str | None = Field(default=None, max_length=200)  # RFC 5545 RRULE
    recurrence_text: str | None = Field(default=None, max_length=100)  # 每年, 每季度, 定期
    recurrence_flagged: bool = False  # 定期: recurring, cadence for a person to set

    collective_owner: str | None = Field(default=None, max_length=100)  # 各有关单位: not a department

    # Traceability to the source, kept through edits (see PlanItem): the label as written, its line span,
    # and how the row came to be: import | split | merge | added (a re-import never undoes a person's edit).
    source_label: str | None = Field(default=None, max_length=20)
    source_start_line: int | None = None
    source_end_line: int | None = None
    origin: str = Field(default="import", max_length=10, sa_column_kwargs={"server_default": "import"})
    search_text: str = Field(default="", sa_type=sa.Text)  # words for search (title, text, owners, notes)

    version: int = 1  # optimistic concurrency: bumped on every write to the task
    last_update_at: datetime | None = Field(default=None, index=True)
    created_at: datetime = Field(default_factory=now)
    updated_at: datetime = Field(default_factory=now)


class TaskOwner(SQLModel, table=True):
    """A department's share of a task: lead (牵头) or support (配合), and how that was decided."""

    task_id: int = Field(foreign_key="task.id", primary_key=True, ondelete="CASCADE")
    department_id: int = Field(foreign_key="department.id", primary_key=True, index=True)
    role: str = Field(default="lead", max_length=10)  # lead | support
    source: str = Field(default="suggested", max_length=12)  # text | suggested | assigned


class Target(SQLModel, table=True):
    """A quantitative goal in the text: 出庭应诉率 100%, 新增学位 3330 个."""

    id: int | None = Field(default=None, primary_key=True)
    task_id: int = Field(foreign_key="task.id", index=True, ondelete="CASCADE")
    position: int = 0
    name: str = Field(max_length=100)
    value: float
    unit: str = Field(default="", max_length=20)
    text: str = Field(default="", max_length=300)  # the phrase it was found in
    # An upper limit (败诉率控制在10%以内): met at or below the value; otherwise a goal, met at or above it.
    at_most: bool = Field(default=False, sa_column_kwargs={"server_default": sa.false()})


class Baseline(SQLModel, table=True):
    """A figure the report gives for its own year (section 一), kept for next year's comparison."""

    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="plan.id", index=True, ondelete="CASCADE")
    position: int = 0
    name: str = Field(default="", max_length=100)  # the measure, where it can be told: 出庭率
    value: float
    unit: str = Field(default="", max_length=20)
    sentence: str = Field(sa_type=sa.Text)


class User(SQLModel, table=True):
    """A person: OS login name mapped to a role and departments."""

    id: int | None = Field(default=None, primary_key=True)
    login: str = Field(index=True, unique=True, max_length=100)
    display_name: str = Field(default="", max_length=100)
    role: str = Field(default="staff", max_length=10)  # admin | leader | staff
    password_hash: str | None = Field(default=None, max_length=300)  # hashlib.scrypt, never plain
    active: bool = True
    created_at: datetime = Field(default_factory=now)


class UserDepartment(SQLModel, table=True):
    user_id: int = Field(foreign_key="user.id", primary_key=True, ondelete="CASCADE")
    department_id: int = Field(foreign_key="department.id", primary_key=True)


class ProgressUpdate(SQLModel, table=True):
    """Append-only: one report of progress on a task. Never edited, never deleted."""

    id: int | None = Field(default=None, primary_key=True)
    task_id: int = Field(foreign_key="task.id", index=True, ondelete="CASCADE")
    # The day the record speaks for (填报日期, ``--date``), apart from when it was typed (recorded_at).
    as_of: date = Field(index=True)
    recorded_at: datetime = Field(default_factory=now, index=True)
    author: str = Field(max_length=100)  # login of who recorded it
    department_id: int | None = Field(default=None, foreign_key="department.id", index=True)
    status: str = Field(max_length=20)
    percent: int = 0
    note: str = Field(default="", sa_type=sa.Text)  # 进展情况
    problems: str = Field(default="", sa_type=sa.Text)  # 存在问题
    next_steps: str = Field(default="", sa_type=sa.Text)  # 下一步措施
    evidence: str = Field(default="", max_length=500)  # 佐证材料: path or reference
    reason: str = Field(default="", sa_type=sa.Text)  # why deferred / deadline moved
    new_deadline: date | None = None
    source: str = Field(default="cli", max_length=10)  # cli | tui | ledger | demo
    # Set when a merge of two tasks moved this record here: the task it was recorded on (label and title).
    moved_from: str | None = Field(default=None, max_length=600)


class TargetFigure(SQLModel, table=True):
    """A figure reported for a target in one progress update."""

    id: int | None = Field(default=None, primary_key=True)
    update_id: int = Field(foreign_key="progressupdate.id", index=True, ondelete="CASCADE")
    target_id: int = Field(foreign_key="target.id", index=True, ondelete="CASCADE")
    value: float


class Instruction(SQLModel, table=True):
    """A leader's 批示 on a task."""

    id: int | None = Field(default=None, primary_key=True)
    task_id: int = Field(foreign_key="task.id", index=True, ondelete="CASCADE")
    author: str = Field(max_length=100)
    text: str = Field(sa_type=sa.Text)
    created_at: datetime = Field(default_factory=now)


class UserState(SQLModel, table=True):
    """What the TUI remembers per login (single-user mode included): the department chosen, the last visit."""

    __tablename__ = "user_state"

    login: str = Field(primary_key=True, max_length=100)
    department_id: int | None = Field(default=None, foreign_key="department.id", ondelete="SET NULL")
    last_seen_at: datetime | None = None
    settings: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)  # sort order and the like


class AuditEntry(SQLModel, table=True):
    """Who changed what, when, old → new. Append-only; on PostgreSQL a trigger refuses UPDATE/DELETE."""

    __tablename__ = "audit_log"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=now, index=True)
    actor: str = Field(max_length=100, index=True)
    action: str = Field(max_length=40)  # progress, status, assign, deadline, import, user.add, ...
    entity: str = Field(max_length=40)  # task, plan, user, department
    entity_id: int | None = None
    task_id: int | None = Field(default=None, index=True)
    old: dict[str, Any] | None = Field(default=None, sa_type=JSON)
    new: dict[str, Any] | None = Field(default=None, sa_type=JSON)
    detail: str = Field(default="", max_length=500)


sa.Index("ix_progressupdate_task_recorded", ProgressUpdate.task_id, ProgressUpdate.recorded_at)  # type: ignore[arg-type]
# Summaries group tasks by item, status and dates; this index hands them over in that order without a sort.
sa.Index(
    "ix_task_summary",
    Task.item_id,  # type: ignore[arg-type]
    Task.status,  # type: ignore[arg-type]
    Task.start_date,  # type: ignore[arg-type]
    Task.deadline,  # type: ignore[arg-type]
    Task.percent,  # type: ignore[arg-type]
    Task.last_update_at,  # type: ignore[arg-type]
)
# "Which department leads what": summaries by department and the silent-department list.
sa.Index("ix_taskowner_role_department", TaskOwner.role, TaskOwner.department_id, TaskOwner.task_id)  # type: ignore[arg-type]
# Records in the order of the days they speak for: the draft's as-of cut and the bulletin's periods.
sa.Index("ix_progressupdate_task_as_of", ProgressUpdate.task_id, ProgressUpdate.as_of)  # type: ignore[arg-type]
