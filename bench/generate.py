"""Deterministic generator of realistic tracker databases for benchmarks.

    python bench/generate.py --size city --out bench/data/city.db
    python bench/generate.py --plans 2 --tasks 40 --updates 300 --out /tmp/tiny.db

Everything goes in through ``tracker.services.bulk`` (no SQL here), in one transaction. Texts are
sentences of the sample report (../shared/reports; the bundled demo report when that is absent), owners are
a lead and sometimes supporting departments, deadlines spread over the year, and statuses follow a believable
mix: done, on track, behind, overdue, idle, suspended. The same seed gives the same database.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time as clock
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.progress import Progress
    from sqlmodel import Session

    from tracker.services.auth import Actor

ROOT = Path(__file__).resolve().parents[1]
SHARED_REPORTS = ROOT.parent / "shared" / "reports"
DEFAULT_SEED = 20220915
# The day the benchmarks pretend it is (TRACKER_TODAY): three quarters into the plan year.
BENCH_TODAY = date(2022, 9, 15)
# Bump when the generated data change shape, so cached databases are rebuilt.
GENERATOR_VERSION = 2


@dataclass(frozen=True)
class Size:
    name: str
    plans: int
    tasks: int
    updates: int
    departments: int
    users: int


SIZES: dict[str, Size] = {
    "office": Size("office", plans=1, tasks=200, updates=4_000, departments=20, users=60),
    "city": Size("city", plans=50, tasks=10_000, updates=200_000, departments=100, users=2_000),
    "province": Size("province", plans=500, tasks=100_000, updates=2_000_000, departments=1_000, users=20_000),
}

ADMIN_LOGIN = "bench-admin"
LEADER_LOGIN = "bench-leader"

_DEPT_STEMS = [
    "司法局", "党政办公室", "行政审批服务局", "市场监督管理局", "综合行政执法局", "公安分局", "财政金融局",
    "经济发展局", "建设局", "教育局", "卫生健康局", "审计局", "纪工委", "生态环境分局", "自然资源分局",
    "应急管理局", "人力资源和社会保障局", "民政局", "农业农村局", "文化和旅游局", "退役军人事务局",
    "信访局", "统计局", "医疗保障局", "税务分局", "交通运输局", "水利局", "商务局", "科技局", "住房保障中心",
]
_PLACES = [
    "高新区", "示范区", "开发区", "东城区", "西城区", "南湖区", "北山区", "临河县", "青山县", "白云县",
    "清水县", "长乐县", "永安县", "新华区", "和平区", "文昌区", "兴隆镇", "太平街道", "凤凰街道", "石桥镇",
]
_SURNAMES = "王李张刘陈杨黄赵周吴徐孙马朱胡郭何林高罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程魏苏吕丁任沈"
_GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚桂英华玉兰红建国志宏海燕晓东文斌辉鹏飞雪梅春林峰"
_ITEM_LABELS = ["（一）", "（二）", "（三）", "（四）", "（五）", "（六）", "（七）", "（八）", "（九）", "（十）"]
_POINT_LABELS = ["一是", "二是", "三是", "四是", "五是", "六是", "七是", "八是", "九是", "十是"]
_PROBLEMS = [
    "专业人员不足，工作进度受到影响",
    "部门间信息共享不够及时，协调成本较高",
    "经费尚未落实到位",
    "基层执法力量薄弱，覆盖面不够",
    "群众知晓率不高，宣传还需加强",
    "制度文件征求意见周期较长",
]
_NEXT = [
    "加强与相关部门的沟通协调，按期完成剩余工作",
    "细化工作台账，按月调度推进",
    "争取经费支持，确保年底前完成",
    "开展专项督导，压实责任",
    "组织业务培训，提升工作人员能力",
]
_REASONS = ["上级政策调整，待新要求明确后推进", "涉及机构改革，职责待重新划分", "项目资金未获批复"]
_TARGETS = [("出庭应诉率", 100.0, "%"), ("新增学位", 3330.0, "个"), ("办理通办事项", 1268.0, "件"),
            ("满意率", 100.0, "%"), ("培训人次", 500.0, "人次"), ("审查规范性文件", 30.0, "件")]
# status mix of tasks (fate), weights in percent: this year's plans, and last year's (mostly closed by now)
_FATES = [("done", 30), ("on_track", 35), ("behind", 17), ("late", 6), ("idle", 8), ("suspended", 4)]
_FATES_LAST_YEAR = [("done", 82), ("late", 10), ("suspended", 5), ("idle", 3)]


@dataclass
class GenStats:
    url: str
    size: Size
    seed: int
    seconds: float
    plan_ids: list[int]
    department_names: list[str]


def report_sentences() -> tuple[list[str], str]:
    """Sentences of the sample report(s) at generation time; the bundled demo report when absent."""
    texts: list[str] = []
    source = ""
    if SHARED_REPORTS.is_dir():
        for path in sorted(SHARED_REPORTS.glob("*.txt")):
            texts.append(path.read_text(encoding="utf-8"))
        source = str(SHARED_REPORTS)
    if not texts:
        demo = ROOT / "tracker" / "demo" / "demo_report.txt"
        if demo.exists():
            texts.append(demo.read_text(encoding="utf-8"))
            source = str(demo)
    if not texts:
        raise SystemExit("找不到样本报告（../shared/reports）或内置演示报告（tracker/demo/demo_report.txt）")
    sentences: list[str] = []
    for text in texts:
        for raw in re.split(r"[。；！？\n]", text):
            s = re.sub(r"^\s*(（[一二三四五六七八九十]+）|[一二三四五六七八九十]+、|[一二三四五六七八九十]+是)", "", raw).strip()
            if 12 <= len(s) <= 120 and len(re.findall(r"[\u4e00-\u9fff]", s)) >= 8:
                sentences.append(s)
    if len(sentences) < 10:
        raise SystemExit(f"样本报告中可用的句子太少（{len(sentences)} 句）：{source}")
    return sentences, source


def _clause(sentence: str, limit: int) -> str:
    head = re.split(r"[，,：:]", sentence)[0]
    return head[:limit]


def _month_end(year: int, month: int) -> date:
    return (date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1))


def _split_total(rng: random.Random, total: int, weights: list[float]) -> list[int]:
    """Integers proportional to weights that add up to exactly ``total``."""
    s = sum(weights) or 1.0
    raw = [total * w / s for w in weights]
    out = [int(x) for x in raw]
    rest = total - sum(out)
    order = sorted(range(len(raw)), key=lambda i: (raw[i] - out[i], rng.random()), reverse=True)
    for i in order[:rest]:
        out[i] += 1
    return out


def generate(
    url: str,
    size: Size,
    *,
    seed: int = DEFAULT_SEED,
    today: date = BENCH_TODAY,
    progress: bool = True,
    on_plan: Callable[[int], None] | None = None,
) -> GenStats:
    """Build a database of ``size`` at ``url`` (which should be new and empty)."""
    from tracker.db import open_database, session_scope
    from tracker.services import bulk
    from tracker.services.auth import system_actor

    started = clock.perf_counter()
    rng = random.Random(seed)
    sentences, _source = report_sentences()
    actor = system_actor("bench-generator")
    engine = open_database(url)

    tasks_per_plan = _split_total(rng, size.tasks, [1.0] * size.plans)
    updates_per_plan = _split_total(rng, size.updates, [1.0 + rng.random() for _ in range(size.plans)])

    dept_names = []
    for n in range(size.departments):
        place = _PLACES[(n // len(_DEPT_STEMS)) % len(_PLACES)]
        round_ = n // (len(_DEPT_STEMS) * len(_PLACES))
        dept_names.append(f"{place}{_DEPT_STEMS[n % len(_DEPT_STEMS)]}{'' if round_ == 0 else round_ + 1}")

    bar = _progress(progress)
    plan_ids: list[int] = []
    try:
        with session_scope(engine) as session:
            bulk.prepare_bulk_load(session)
            dept_ids = bulk.add_departments(
                session,
                actor=actor,
                departments=[
                    bulk.NewDepartment(name=name, aliases=[name.replace(_PLACES[0], "")] if i < len(_DEPT_STEMS) else [])
                    for i, name in enumerate(dept_names)
                ],
            )
            users = [
                bulk.NewUser(login=ADMIN_LOGIN, display_name="基准管理员", role="admin"),
                bulk.NewUser(login=LEADER_LOGIN, display_name="基准领导", role="leader"),
            ]
            staff_by_dept: dict[int, list[str]] = {d: [] for d in dept_ids}
            for n in range(max(0, size.users - 2)):
                dept = dept_ids[n % len(dept_ids)]
                login = f"u{n:05d}"
                name = rng.choice(_SURNAMES) + "".join(rng.choice(_GIVEN) for _ in range(rng.randint(1, 2)))
                users.append(bulk.NewUser(login=login, display_name=name, department_ids=[dept]))
                staff_by_dept[dept].append(login)
            bulk.add_users(session, actor=actor, users=users)

            task_bar = bar.add_task("生成计划、任务和进展", total=size.plans) if bar else None
            for p in range(size.plans):
                plan_ids.append(
                    _one_plan(
                        session, bulk, actor, rng, sentences, p, tasks_per_plan[p], updates_per_plan[p],
                        dept_ids, dept_names, staff_by_dept, today,
                    )
                )
                if bar and task_bar is not None:
                    bar.update(task_bar, advance=1)
                if on_plan:
                    on_plan(p)
            if bar and task_bar is not None:
                bar.update(task_bar, description="提交事务…")
    finally:
        if bar:
            bar.stop()
        engine.dispose()
    return GenStats(url, size, seed, clock.perf_counter() - started, plan_ids, dept_names)


def _progress(enabled: bool) -> Progress | None:
    if not enabled:
        return None
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    bar.start()
    return bar


def _one_plan(
    session: Session, bulk: ModuleType, actor: Actor, rng: random.Random, sentences: Sequence[str], index: int,
    n_tasks: int, n_updates: int, dept_ids: list[int], dept_names: list[str],
    staff_by_dept: dict[int, list[str]], today: date,
) -> int:
    # Most plans are this year's; about one in five is last year's, finished or overdue by now.
    year = today.year if index == 0 or rng.random() >= 0.2 else today.year - 1
    place = _PLACES[index % len(_PLACES)]
    unit = f"{place}{'' if index < len(_PLACES) else index // len(_PLACES) + 1}"
    title = f"关于{year - 1}年度法治政府建设工作的报告"
    [plan_id] = bulk.add_plans(
        session,
        actor=actor,
        plans=[
            bulk.NewPlan(
                year=year,
                title=title,
                source_name=f"bench-{index:04d}-{unit}.txt",
                source_text="\n".join(rng.sample(list(sentences), min(12, len(sentences)))),
                issuers=[f"中共{unit}工作委员会", f"{unit}管理委员会"],
                addressee="市委、市政府",
                report_date=date(year, 1, rng.randint(10, 31)),
                section_heading=f"四、{year}年推进法治政府建设的主要安排",
            )
        ],
    )
    # This plan's departments: a pool drawn from all, as a district works with some units, not all.
    pool_size = min(len(dept_ids), max(6, n_tasks // 8))
    pool = rng.sample(range(len(dept_ids)), pool_size)
    n_items = max(1, min(len(_ITEM_LABELS), round(n_tasks / 25) or 1))
    item_ids = bulk.add_items(
        session,
        actor=actor,
        items=[
            bulk.NewItem(plan_id=plan_id, label=_ITEM_LABELS[i], position=i + 1,
                         title=_clause(rng.choice(sentences), 24), text=rng.choice(sentences))
            for i in range(n_items)
        ],
    )
    per_item = _split_total(rng, n_tasks, [1.0] * n_items)
    fates_mix = _FATES if year == today.year else _FATES_LAST_YEAR
    new_tasks: list[Any] = []
    fates: list[str] = []
    for item_pos, (item_id, count) in enumerate(zip(item_ids, per_item, strict=True)):
        for t in range(count):
            fate = rng.choices([f for f, _ in fates_mix], weights=[w for _, w in fates_mix])[0]
            fates.append(fate)
            text = "，".join(rng.sample(list(sentences), rng.randint(1, 2)))
            roll = rng.random()
            if roll < 0.4:
                deadline, source, dl_text = date(year, 12, 31), "default", None
            else:
                month = rng.randint(3, 12) if fate != "late" else rng.randint(3, max(3, today.month - 1))
                deadline, source, dl_text = _month_end(year, month), "text", f"{month}月底前"
            if fate == "late" and year == today.year and deadline >= today:
                deadline, source, dl_text = _month_end(year, max(1, today.month - 1)), "text", f"{max(1, today.month - 1)}月底前"
            if deadline < today and fate == "on_track":
                fate = "done"  # on track with its deadline passed: finished on time
            fates[-1] = fate
            lead = pool[rng.randrange(len(pool))]
            owners = [bulk.NewOwner(dept_ids[lead], "lead", rng.choice(["text", "suggested", "assigned"]))]
            for extra in rng.sample(pool, rng.choice([0, 0, 1, 1, 2])):
                if extra != lead:
                    owners.append(bulk.NewOwner(dept_ids[extra], "support", "text"))
            targets = []
            if rng.random() < 0.1:
                name, value, unit_ = rng.choice(_TARGETS)
                targets.append(bulk.NewTarget(name=name, value=value, unit=unit_, text=f"{name}达到{value:g}{unit_}"))
            new_tasks.append(
                bulk.NewTask(
                    plan_id=plan_id, item_id=item_id,
                    label=_POINT_LABELS[t % len(_POINT_LABELS)] if count > 1 else _ITEM_LABELS[item_pos],
                    position=t + 1, title=_clause(text, 40), text=text, start_date=date(year, 1, 1),
                    deadline=deadline, deadline_source=source, deadline_text=dl_text,
                    recurrence="FREQ=YEARLY" if rng.random() < 0.08 else None,
                    recurrence_text=None, owners=owners, targets=targets,
                )
            )
    for i, t in enumerate(new_tasks):
        if t.recurrence:
            new_tasks[i] = replace(t, recurrence_text="每年")
    added = bulk.add_tasks(session, actor=actor, tasks=new_tasks)

    weights = [0.0 if f == "idle" else (0.6 if f == "suspended" else 0.5 + rng.random()) for f in fates]
    counts = _split_total(rng, n_updates, weights) if any(weights) else [0] * len(fates)
    end_of_records = min(today, date(year, 12, 31)) if year == today.year else date(year + 1, 1, 20)
    updates = []
    for task, new, fate, count in zip(added, new_tasks, fates, counts, strict=True):
        if count == 0:
            continue
        lead_id = new.owners[0].department_id
        authors = staff_by_dept.get(lead_id) or [ADMIN_LOGIN]
        start = date(year, 1, 5)
        last_day = min(end_of_records, new.deadline + timedelta(days=20)) if fate == "done" else end_of_records
        span = max(1, (last_day - start).days)
        days = sorted(rng.randrange(span) for _ in range(count))
        share = min(1.0, (end_of_records - start).days / max(1, (new.deadline - start).days))
        # behind: 10 to 45 points under the 序时进度 line, so some tasks light yellow and some red
        goal = {"done": 100, "on_track": 100 * share, "behind": max(0.0, 100 * share - rng.uniform(10, 45)),
                "late": 60, "suspended": 30, "idle": 0}[fate]
        percent = 0
        for n, day in enumerate(days, start=1):
            moment = datetime.combine(start + timedelta(days=day), time(1 + n % 9, rng.randrange(60)), tzinfo=UTC)
            last = n == count
            percent = min(100, max(percent, int(goal * n / count)))
            status = "in_progress"
            reason = ""
            if last and fate == "done":
                status, percent = "done", 100
            elif last and fate == "suspended":
                status, reason = "suspended", rng.choice(_REASONS)
            elif percent >= 100:
                percent = 99
            figures = {}
            if last and task.target_ids:
                target = new.targets[0]
                figures = {task.target_ids[0]: target.value if fate == "done" else round(target.value * rng.uniform(0.6, 0.95), 1)}
            updates.append(
                bulk.NewUpdate(
                    task_id=task.id, recorded_at=moment, author=rng.choice(authors), status=status,
                    percent=percent, note=rng.choice(sentences)[:80],
                    problems=rng.choice(_PROBLEMS) if fate in ("behind", "late", "suspended") and rng.random() < 0.5 else "",
                    next_steps=rng.choice(_NEXT) if rng.random() < 0.4 else "",
                    reason=reason, department_id=lead_id, figures=figures, source="ledger",
                )
            )
    bulk.add_progress(session, actor=actor, updates=updates)
    return plan_id


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="生成基准测试用的数据库（确定性，可复现）")
    parser.add_argument("--size", choices=sorted(SIZES), help="预设规模：office / city / province")
    parser.add_argument("--plans", type=int)
    parser.add_argument("--tasks", type=int)
    parser.add_argument("--updates", type=int)
    parser.add_argument("--departments", type=int)
    parser.add_argument("--users", type=int)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--out", required=True, help="SQLite 文件路径，或数据库 URL")
    parser.add_argument("--force", action="store_true", help="覆盖已存在的文件")
    parser.add_argument("--quiet", action="store_true")
    args = parser.parse_args(argv)
    size = custom_size(args.size, args.plans, args.tasks, args.updates, args.departments, args.users)
    url = prepare_target(args.out, force=args.force)
    stats = generate(url, size, seed=args.seed, progress=not args.quiet)
    print(f"已生成 {size.name}：{size.plans} 个计划、{size.tasks} 项任务、{size.updates} 条进展，用时 {stats.seconds:.1f} 秒 → {url}")
    return 0


def custom_size(
    base: str | None, plans: int | None = None, tasks: int | None = None, updates: int | None = None,
    departments: int | None = None, users: int | None = None,
) -> Size:
    size = SIZES[base] if base else Size("custom", 1, 20, 100, 6, 12)
    changed = {k: v for k, v in dict(plans=plans, tasks=tasks, updates=updates, departments=departments,
                                      users=users).items() if v is not None}
    if changed:
        size = replace(size, name="custom" if not base else f"{base}*", **changed)
    if size.plans < 1 or size.tasks < size.plans or size.departments < 1 or size.users < 2:
        raise SystemExit("规模不合理：至少 1 个计划、每个计划至少 1 项任务、至少 1 个部门和 2 个用户")
    return size


def prepare_target(out: str, *, force: bool) -> str:
    if "://" in out:
        return out
    path = Path(out).resolve()
    if path.exists():
        if not force:
            raise SystemExit(f"{path} 已存在（用 --force 覆盖）")
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{path}"


if __name__ == "__main__":
    sys.exit(main())
