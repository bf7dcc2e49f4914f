"""Departments: the units that own tasks."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Protocol

from sqlmodel import Session, select

from tracker.models import Department, Task, TaskOwner

# DepartmentRow and list_departments live with the lean read path; re-exported for callers of this module.
from tracker.services.catalog import DepartmentRow as DepartmentRow
from tracker.services.catalog import department_id
from tracker.services.catalog import list_departments as list_departments


class DirectoryEntryLike(Protocol):
    @property
    def name(self) -> str: ...
    @property
    def aliases(self) -> Any: ...
    @property
    def keywords(self) -> Any: ...


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
    dept = session.get(Department, department_id(session, name=name))
    assert dept is not None
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


def task_ids_of_department(session: Session, *, department_id: int) -> list[int]:
    return list(
        session.exec(
            select(TaskOwner.task_id).join(Task).where(TaskOwner.department_id == department_id)
        ).all()
    )
