"""Plans and departments as the read commands name and list them (``tracker plans``, ``tracker depts``,
``--plan 2022``, ``--dept 区司法局``), read through ``tracker.rawdb.Rows``: a session or the lean path.

No SQLAlchemy here, so the everyday read commands start without it (see ``tracker.rawdb``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tracker.errors import NotFoundError, ValidationError
from tracker.rawdb import as_json, as_rows


@dataclass(frozen=True)
class PlanRef:
    id: int
    year: int
    title: str


@dataclass
class PlanRow:
    id: int
    year: int
    title: str
    issuers: list[str]
    section_heading: str | None
    source_name: str
    items: int
    tasks: int
    done: int
    is_demo: bool


@dataclass(frozen=True)
class DepartmentRow:
    id: int
    name: str
    aliases: list[str]
    keywords: list[str]
    lead_tasks: int
    support_tasks: int


_NEWEST_FIRST = "ORDER BY year DESC, id DESC"


def plan_ref(db: Any, *, ref: str | int | None) -> PlanRef:
    """A plan from what a user types: a year (2022), a plan id (#3 or 3), or nothing (the newest plan)."""
    rows = as_rows(db)
    if ref is None or ref == "":
        found = rows.first(f"SELECT id, year, title FROM plan {_NEWEST_FIRST} LIMIT 1")
        if found is None:
            raise NotFoundError("数据库中还没有计划，请先用 tracker import 导入报告")
        return PlanRef(*found)
    text = str(ref).strip().lstrip("#")
    if not text.isdigit():
        raise ValidationError(f"计划应写年份（如 2022）或编号（如 #3），而不是“{ref}”", field="plan")
    number = int(text)
    if number >= 1900 and not str(ref).startswith("#"):
        found = rows.first(f"SELECT id, year, title FROM plan WHERE year = :y {_NEWEST_FIRST} LIMIT 1", {"y": number})
        if found is None:
            raise NotFoundError(f"没有 {number} 年的计划（用 tracker plans 查看已有计划）")
        return PlanRef(*found)
    found = rows.first("SELECT id, year, title FROM plan WHERE id = :id", {"id": number})
    if found is None:
        raise NotFoundError(f"没有编号为 {number} 的计划（用 tracker plans 查看已有计划）")
    return PlanRef(*found)


def list_plans(db: Any) -> list[PlanRow]:
    rows = as_rows(db)
    counts = {
        plan_id: (n, int(done or 0))
        for plan_id, n, done in rows.all(
            "SELECT plan_id, count(*), sum(CASE WHEN status = 'done' THEN 1 ELSE 0 END) FROM task GROUP BY plan_id"
        )
    }
    items = dict(rows.all("SELECT plan_id, count(*) FROM planitem GROUP BY plan_id"))
    out = []
    for plan_id, year, title, issuers, heading, source_name, is_demo in rows.all(
        f"SELECT id, year, title, issuers, section_heading, source_name, is_demo FROM plan {_NEWEST_FIRST}"
    ):
        n, done = counts.get(plan_id, (0, 0))
        out.append(
            PlanRow(
                id=plan_id,
                year=year,
                title=title,
                issuers=list(as_json(issuers) or []),
                section_heading=heading,
                source_name=source_name,
                items=items.get(plan_id, 0),
                tasks=n,
                done=done,
                is_demo=bool(is_demo),
            )
        )
    return out


def list_departments(db: Any) -> list[DepartmentRow]:
    rows = as_rows(db)
    counts: dict[tuple[int, str], int] = {
        (dept_id, role): n
        for dept_id, role, n in rows.all("SELECT department_id, role, count(*) FROM taskowner GROUP BY department_id, role")
    }
    return [
        DepartmentRow(
            id=dept_id,
            name=name,
            aliases=list(as_json(aliases) or []),
            keywords=list(as_json(keywords) or []),
            lead_tasks=counts.get((dept_id, "lead"), 0),
            support_tasks=counts.get((dept_id, "support"), 0),
        )
        for dept_id, name, aliases, keywords in rows.all("SELECT id, name, aliases, keywords FROM department ORDER BY id")
    ]


def department_id(db: Any, *, name: str) -> int:
    """A department by name or alias; an unknown name is a user error that lists near matches."""
    wanted = name.strip()
    rows = as_rows(db)
    by_alias: int | None = None
    for dept_id, dept_name, aliases in rows.all("SELECT id, name, aliases FROM department ORDER BY id"):
        if dept_name == wanted:
            return int(dept_id)
        if by_alias is None and wanted in (as_json(aliases) or []):
            by_alias = int(dept_id)
    if by_alias is not None:
        return by_alias
    near = [
        n for (n,) in rows.all("SELECT name FROM department WHERE name LIKE :p ORDER BY id", {"p": f"%{wanted[:2]}%"})
    ]
    hint = f"，是否指：{'、'.join(near[:5])}" if near else "（用 tracker depts 查看全部部门）"
    raise NotFoundError(f"未知的部门“{name}”{hint}")
