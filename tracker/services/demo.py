"""Demo data: the bundled fictional report (示范区) imported, with a believable spread of progress.

Everything it records is labelled: the plan is marked ``is_demo``, updates come from ``source='demo'`` and
the author ``演示数据``.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from importlib import resources

from sqlmodel import Session, col, select

from tracker.domain.status import Status
from tracker.errors import DuplicateError
from tracker.models import Plan, Target, Task
from tracker.services.auth import Actor
from tracker.services.plans import ImportResult, import_plan
from tracker.services.tasks import record_progress

DEMO_AUTHOR = "演示数据"
DEMO_FILE = "demo_report.txt"

_NOTES = [
    "召开专题推进会，明确任务分工和时间节点",
    "制定工作方案并印发各相关单位",
    "完成调研摸底，形成问题清单",
    "组织业务培训一次，参训人员覆盖相关科室",
    "起草制度文件初稿，已征求相关部门意见",
    "开展专项检查，发现问题已督促整改",
    "完成阶段性工作总结并报送分管领导",
]
_PROBLEMS = [
    "专业人员不足，工作进度受到影响",
    "部门间信息共享不够及时",
    "经费尚未落实到位",
]
_NEXT = [
    "加强与相关部门的沟通协调，按期完成剩余工作",
    "细化工作台账，按月调度推进",
    "争取经费支持，确保年底前完成",
]


def demo_report_text() -> str:
    return resources.files("tracker.demo").joinpath(DEMO_FILE).read_text(encoding="utf-8")


@dataclass
class DemoResult:
    imported: ImportResult
    updates: int


def build_demo(session: Session, *, actor: Actor, today: date, seed: int = 2026) -> DemoResult:
    """Import the demo report and record progress from the plan's start up to ``today``."""
    from tracker.importer.directory import load_directory
    from tracker.importer.parse import parse_report

    directory = load_directory()
    parsed = parse_report(demo_report_text(), source_name=f"演示报告（{DEMO_FILE}）", directory=directory)
    if session.exec(select(Plan).where(Plan.source_hash == parsed.source_hash)).first():
        raise DuplicateError("演示数据已经存在于该数据库中，未重复生成")
    result = import_plan(session, actor=actor, parsed=parsed, directory=directory.entries, is_demo=True)
    rng = random.Random(seed)
    plan_start = date(result.year, 1, 1)
    end = min(today, date(result.year, 12, 31))
    tasks = session.exec(select(Task).where(Task.plan_id == result.plan_id).order_by(col(Task.id))).all()
    demo_actor = Actor(login=DEMO_AUTHOR, role="admin", single_user=True)
    count = 0
    if end <= plan_start:
        return DemoResult(result, 0)
    span = (end - plan_start).days
    for task in tasks:
        assert task.id is not None
        fate = rng.choices(["done", "on_track", "behind", "idle", "suspended"], weights=[3, 4, 2, 1, 0.5])[0]
        if fate == "idle":
            continue
        steps = rng.randint(1, 4)
        days = sorted(rng.sample(range(1, max(span, steps + 1)), steps))
        percent = 0
        targets = session.exec(select(Target).where(Target.task_id == task.id)).all()
        for n, day in enumerate(days, start=1):
            moment = datetime.combine(plan_start + timedelta(days=day), time(9 + n, 30)).astimezone(UTC)
            share = day / 365
            goal = {"done": 100, "on_track": share * 100 + 5, "behind": share * 50, "suspended": 20}[fate]
            percent = min(100, max(percent + 5, int(goal * n / steps)))
            last = n == steps
            status = None
            if last and fate == "done":
                status, percent = Status.DONE.value, 100
            elif last and fate == "suspended":
                status = Status.SUSPENDED.value
            figures = {}
            if targets and last:
                t = targets[0]
                # short of a goal, or over an upper limit (控制在10%以内)
                reached = t.value * (rng.uniform(1.05, 1.4) if t.at_most else rng.uniform(0.6, 0.95))
                # counts (人次, 个) are whole numbers; rates keep one decimal
                figures[t.name] = t.value if fate == "done" else round(reached, 1 if t.unit == "%" else None)
            record_progress(
                session,
                actor=demo_actor,
                task_id=task.id,
                today=moment.date(),
                status=status or (Status.IN_PROGRESS.value if percent < 100 else Status.DONE.value),
                percent=percent,
                note=rng.choice(_NOTES),
                problems=rng.choice(_PROBLEMS) if fate in ("behind", "suspended") else "",
                next_steps=rng.choice(_NEXT) if not (last and fate == "done") else "",
                reason="上级政策调整，待新要求明确后推进" if status == Status.SUSPENDED.value else "",
                figures=figures,
                source="demo",
                at=moment,
            )
            count += 1
    return DemoResult(result, count)
