"""Departments: the units that own tasks."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Protocol

from sqlmodel import Session, col, func, select

from tracker.errors import NotFoundError
from tracker.models import Department, Task, TaskOwner


class DirectoryEntryLike(Protocol):
    @property
    def name(self) -> str: ...
    @property
    def aliases(self) -> Any: ...
    @property
    def keywords(self) -> Any: ...


@dataclass(frozen=True)
class DepartmentRow:
    id: int
    name: str
    aliases: list[str]
    keywords: list[str]
    lead_tasks: int
    support_tasks: int


class DepartmentIndex:
    """Name-or-alias lookup over all departments, loaded once per unit of work."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.by_key: dict[str, Department] = {}
        for dept in session.exec(select(Department)).all():
            self._index(dept)

    def _index(self, dept: Department) -> None:
        self.by_key[dept.name] = dept
        for alias in dept.aliases or []:
            self.by_key.setdefault(alias, dept)

    def find(self, name: str) -> Department | None:
        name = name.strip()
        return self.by_key.get(name)

    def ensure(self, name: str, *, source: str, entry: DirectoryEntryLike | None = None) -> Department:
        found = self.find(name) or (self.find(entry.name) if entry else None)
        if found:
            return found
        dept = Department(
            name=entry.name if entry else name,
            aliases=list(entry.aliases) if entry else [],
            keywords=list(entry.keywords) if entry else [],
            source=source,
        )
        self.session.add(dept)
        self.session.flush()
        self._index(dept)
        return dept


def find_department(session: Session, *, name: str) -> Department:
    """By name or alias; an unknown name is a user error that lists near matches."""
    dept = DepartmentIndex(session).find(name)
    if dept is None:
        names = session.exec(select(Department.name).where(col(Department.name).contains(name.strip()[:2]))).all()
        hint = f"，是否指：{'、'.join(names[:5])}" if names else "（用 tracker depts 查看全部部门）"
        raise NotFoundError(f"未知的部门“{name}”{hint}")
    return dept


def seed_directory(session: Session, *, entries: Iterable[DirectoryEntryLike]) -> int:
    """Add the directory's departments that are not there yet; returns how many were added."""
    index = DepartmentIndex(session)
    added = 0
    for entry in entries:
        if index.find(entry.name) is None:
            index.ensure(entry.name, source="directory", entry=entry)
            added += 1
    return added


def list_departments(session: Session) -> list[DepartmentRow]:
    counts: dict[tuple[int, str], int] = {}
    for dept_id, role, n in session.exec(
        select(TaskOwner.department_id, TaskOwner.role, func.count()).group_by(
            col(TaskOwner.department_id), col(TaskOwner.role)
        )
    ).all():
        counts[(dept_id, role)] = n
    rows = []
    for dept in session.exec(select(Department).order_by(col(Department.id))).all():
        assert dept.id is not None
        rows.append(
            DepartmentRow(
                id=dept.id,
                name=dept.name,
                aliases=list(dept.aliases or []),
                keywords=list(dept.keywords or []),
                lead_tasks=counts.get((dept.id, "lead"), 0),
                support_tasks=counts.get((dept.id, "support"), 0),
            )
        )
    return rows


def task_ids_of_department(session: Session, *, department_id: int) -> list[int]:
    return list(
        session.exec(
            select(TaskOwner.task_id).join(Task).where(TaskOwner.department_id == department_id)
        ).all()
    )
