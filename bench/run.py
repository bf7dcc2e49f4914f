"""Benchmark runner: times tracker's operations at office, city and province size, beside Taskwarrior.

    python bench/run.py                         # office and city
    python bench/run.py --sizes office,city,province --out bench/results.json
    python bench/run.py --sizes office --runs 3 --no-taskwarrior
    python bench/run.py --sizes province --ops summary --merge     # re-measure some figures into results.json
    python bench/run.py --table bench/results.json                 # print a saved table

Each operation runs as a whole process (the ``tracker`` command, as a user runs it): one warm-up, then the
median of N runs (default 5) of wall time and of CPU time (steadier on a shared machine); peak memory is the
child's maxrss (``os.wait4``: the RUSAGE_CHILDREN figure of that one child, started from a small launcher so the
runner's own memory is not counted). The query-heavy operations are also timed in-process (services only).
The TUI figures come from bench/tui_timing.py (Pilot): in-process, and from a fresh interpreter.
Commands that do not exist yet are skipped with a message. Where Taskwarrior is installed, the same tasks are
loaded into it (``task import`` JSON, progress notes as annotations, dates shifted so its today is the
benchmark's) in its own TASKRC/TASKDATA under bench/data, never the user's; cached for the day. Its
``task summary``, a filtered list and an overdue count are timed the same way.

Databases are built by ``bench/generate.py`` and cached in bench/data (rebuilt when the seed or generator
version changes).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))

import generate as gen  # noqa: E402  (bench/ is not a package: scripts run from anywhere)

DATA = BENCH / "data"
SAMPLE = gen.SHARED_REPORTS / "2021-zibo-gaoxin-fazhi-report.txt"
TODAY = gen.BENCH_TODAY


# Operations over every plan: they grow with the data by design, so the office→province 3× rule is not theirs.
# (tui_timing opens the app as the benchmark admin, whose list and search cover every plan's tasks.)
ALL_PLAN_OPS = ("summary --all", "overdue count", "tui search keystroke", "tui overdue filter key")


@dataclass
class Measure:
    median_s: float | None = None
    min_s: float | None = None
    cpu_s: float | None = None
    runs_s: list[float] = field(default_factory=list)
    peak_mb: float | None = None
    in_process_s: float | None = None
    skipped: str | None = None
    error: str | None = None
    note: str | None = None

    def cell(self) -> str:
        if self.skipped:
            return "跳过"
        if self.error:
            return "失败"
        if self.median_s is None:
            return f"({self.in_process_s * 1000:.0f}ms)" if self.in_process_s is not None else "—"
        text = f"{self.median_s * 1000:.0f}ms" if self.median_s < 0.1 else f"{self.median_s:.2f}s"
        if self.cpu_s is not None:
            text += f" cpu {self.cpu_s:.2f}s"
        if self.peak_mb is not None:
            text += f" {self.peak_mb:.0f}MB"
        if self.in_process_s is not None:
            text += f" ({self.in_process_s * 1000:.0f}ms)"
        return text


# ---------------------------------------------------------------- processes


def tracker_argv() -> list[str]:
    exe = shutil.which("tracker")
    return [exe] if exe else [sys.executable, "-m", "tracker"]


# A tiny launcher: the measured program is started from a small process, because Linux counts the RSS of the
# process that execs (here: the launcher, not this runner with tracker and SQLAlchemy loaded) in the child's
# maxrss. It reports the child's wall time, maxrss (os.wait4 = RUSAGE_CHILDREN of that one child) and exit code.
_LAUNCHER = """
import os, sys, time
null = os.open(os.devnull, os.O_WRONLY)
t = time.perf_counter()
pid = os.posix_spawnp(sys.argv[1], sys.argv[1:], os.environ, file_actions=[(os.POSIX_SPAWN_DUP2, null, 1)])
_, status, usage = os.wait4(pid, 0)
print(time.perf_counter() - t, usage.ru_maxrss, os.waitstatus_to_exitcode(status), usage.ru_utime + usage.ru_stime)
"""


def import_breakdown(url: str, env: dict[str, str], cwd: Path, argv: Sequence[str] = ("summary",)) -> dict[str, float]:
    """Where a read command's start-up goes: ``python -X importtime``, cumulative ms per top-level package.

    Printed with the table so that the next module that sneaks into the read path shows by name.
    """
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "tracker", "--db", url, *argv],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env, cwd=cwd,
    )
    per_package: dict[str, float] = {}
    for line in done.stderr.splitlines():
        if not line.startswith("import time:") or "|" not in line:
            continue
        _, cumulative, raw_name = line.split(":", 1)[1].split("|")
        cumulative = cumulative.strip()
        # Nested imports are indented by two spaces per level below the one that asked for them.
        if not cumulative.isdigit() or raw_name[1:].startswith(" "):
            continue
        package = raw_name.strip().split(".")[0]
        per_package[package] = per_package.get(package, 0.0) + int(cumulative) / 1000
    return dict(sorted(per_package.items(), key=lambda kv: -kv[1]))


def print_import_breakdown(label: str, breakdown: dict[str, float], top: int = 12) -> None:
    total = sum(breakdown.values())
    print(f"启动导入耗时（{label}，python -X importtime，合计 {total:.0f} ms）：")
    for package, ms in list(breakdown.items())[:top]:
        print(f"  {package:<28} {ms:7.1f} ms")


def run_once(argv: Sequence[str], env: dict[str, str], cwd: Path) -> tuple[float, float, int, str, float]:
    """Wall time, peak RSS (MB), exit code, stderr and CPU time (user + system) of one child."""
    with tempfile.TemporaryFile() as err:
        done = subprocess.run(
            [sys.executable, "-S", "-c", _LAUNCHER, *argv], stdout=subprocess.PIPE, stderr=err, env=env, cwd=cwd
        )
        err.seek(0)
        message = err.read().decode("utf-8", "replace").strip()
    if done.returncode != 0:
        return 0.0, 0.0, 127, message or "launcher failed", 0.0
    elapsed, maxrss_kb, code, cpu = done.stdout.split()
    return float(elapsed), int(maxrss_kb) / 1024, int(code), message, float(cpu)


def time_process(
    make_argv: Callable[[int], Sequence[str]], env: dict[str, str], runs: int, cwd: Path, ok_codes: Sequence[int] = (0,)
) -> Measure:
    """One warm-up (page cache, jieba's dictionary cache, .pyc) then the median of ``runs``."""
    measure = Measure()
    cpu_runs = []
    for i in range(runs + 1):
        elapsed, peak, code, message, cpu = run_once(make_argv(i), env, cwd)
        if code not in ok_codes:
            measure.error = f"退出码 {code}：{message.splitlines()[-1] if message else ''}"
            return measure
        if i == 0:
            continue
        measure.runs_s.append(round(elapsed, 4))
        cpu_runs.append(cpu)
        measure.peak_mb = max(measure.peak_mb or 0.0, round(peak, 1))
    measure.median_s = round(statistics.median(measure.runs_s), 4)
    measure.min_s = min(measure.runs_s)
    # CPU time is steadier than wall time on a shared machine: quoted beside it.
    measure.cpu_s = round(statistics.median(cpu_runs), 4)
    return measure


def _fixed(argv: Sequence[str]) -> Callable[[int], Sequence[str]]:
    return lambda _i: argv


def time_in_process(work: Callable[[], Any], runs: int) -> float:
    work()
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        samples.append(time.perf_counter() - started)
    return round(statistics.median(samples), 4)


def available_commands() -> set[str]:
    """Commands registered in the CLI whose module imports (others are still being written)."""
    import importlib.util

    from tracker.cli import COMMANDS

    found = set()
    for name, target in COMMANDS.items():
        module = target.split(":")[0]
        try:
            if importlib.util.find_spec(module) is not None:
                found.add(name)
        except ImportError:
            continue
    return found


# ---------------------------------------------------------------- databases


def database_for(size: gen.Size, seed: int, regenerate: bool, data_dir: Path) -> Path:
    label = size.name if gen.SIZES.get(size.name) == size else f"custom-{size.plans}-{size.tasks}-{size.updates}"
    path = data_dir / f"{label}-s{seed}-v{gen.GENERATOR_VERSION}.db"
    if path.exists() and not regenerate:
        return path
    print(f"生成 {size.name} 规模数据库 → {path}")
    url = gen.prepare_target(str(path), force=True)
    stats = gen.generate(url, size, seed=seed)
    print(f"  用时 {stats.seconds:.1f} 秒")
    return path


@dataclass
class Subject:
    """The plan and department the per-plan operations work on."""

    plan_id: int
    plan_year: int
    department: str
    overdue_in_plan: int


def choose_subject(url: str) -> Subject:
    """The newest plan of the benchmark year (what `--plan 2022` picks) and its department with the most overdue tasks."""
    from tracker.services.plans import resolve_plan
    from tracker.services.tasks import list_tasks
    from tracker.services.workspace import Workspace

    ws = Workspace(url, login=gen.ADMIN_LOGIN, today=TODAY)
    try:
        plan = ws.run(lambda s, _a: resolve_plan(s, ref=str(TODAY.year)))
        rows = ws.run(lambda s, _a: list_tasks(s, today=TODAY, plan=f"#{plan.id}", overdue=True))
        leads = Counter(name for r in rows for name in r.leads[:1])
        department = leads.most_common(1)[0][0] if leads else rows[0].owners[0].name
        assert plan.id is not None
        return Subject(plan.id, plan.year, department, len(rows))
    finally:
        ws.dispose()


# ---------------------------------------------------------------- tracker operations


def tracker_ops(
    url: str,
    subject: Subject,
    commands: set[str],
    runs: int,
    tmp: Path,
    env: dict[str, str],
    in_process: bool,
    only: Sequence[str] = (),
) -> dict[str, Measure]:
    base = [*tracker_argv(), "--db", url]
    plan = f"#{subject.plan_id}"
    results: dict[str, Measure] = {}

    def whole(name: str, command: str, args: Sequence[str] | Callable[[int], Sequence[str]]) -> Measure:
        if only and not any(name.startswith(o) for o in only):
            m = Measure(skipped="未选择（--ops）")
        elif command not in commands:
            m = Measure(skipped=f"tracker {command} 尚未实现")
            print(f"  跳过 {name}：tracker {command} 尚未实现")
        else:
            make = args if callable(args) else _fixed(list(args))
            m = time_process(lambda i: [*base, *make(i)], env, runs, ROOT)
            if m.error:
                print(f"  {name} 失败：{m.error}")
        results[name] = m
        return m

    m = whole("summary", "summary", ["summary"])
    if in_process and not m.skipped and not m.error:
        m.in_process_s = _in_process(url, runs, lambda s: _summarize(s, plan))
    whole("summary --by department", "summary", ["summary", "--by", "department"])
    # Taskwarrior's `task summary` covers every task; tracker's counterpart is the all-plans summary.
    if "summary" in commands and _has_option("summary", "--all"):
        whole("summary --all", "summary", ["summary", "--all"])
    elif in_process and _accepts("tracker.services.overview", "summarize", "all_plans"):
        m = Measure(note="in-process only: tracker summary has no --all option yet")
        m.in_process_s = _in_process(url, runs, lambda s: _summarize(s, None, all_plans=True))
        results["summary --all"] = m
    m = whole("tasks --dept X --overdue", "tasks", ["tasks", "--plan", plan, "--dept", subject.department, "--overdue"])
    if in_process and not m.skipped and not m.error:
        m.in_process_s = _in_process(url, runs, lambda s: _list_tasks(s, plan, subject.department))
    whole("tasks (one plan)", "tasks", ["tasks", "--plan", plan])
    whole("draft (one plan)", "draft", ["draft", "--plan", plan, "--out", str(tmp / "draft.docx")])
    # The 进展通报 of a 200-task plan with its two charts (issue 16: at most 3 s whole process).
    whole("bulletin (one plan)", "bulletin", ["bulletin", "--plan", plan, "--out", str(tmp / "通报.docx")])
    ledger = tmp / "ledger.xlsx"
    m = whole("export (one plan)", "export", ["export", "--plan", plan, "--out", str(ledger)])
    if only and not any("ingest".startswith(o) for o in only):
        results["ingest (one plan)"] = Measure(skipped="未选择（--ops）")
    elif "ingest" in commands and (m.skipped or m.error or not ledger.exists()):
        results["ingest (one plan)"] = Measure(skipped="没有可导入的台账（export 未成功）")
    else:
        whole("ingest (one plan)", "ingest", ["ingest", str(ledger), "--dry-run"])
        results["ingest (one plan)"].note = "--dry-run on the ledger just exported"
    return results


def _summarize(session: Any, plan: str | None, all_plans: bool = False) -> Any:
    from tracker.services.overview import summarize

    return summarize(session, today=TODAY, plan=plan, all_plans=all_plans) if all_plans else summarize(
        session, today=TODAY, plan=plan
    )


def _has_option(command: str, option: str) -> bool:
    import importlib

    from tracker.cli import COMMANDS

    module, attr = COMMANDS[command].split(":")
    cmd = getattr(importlib.import_module(module), attr)
    return any(option in p.opts for p in cmd.params)


def _accepts(module: str, function: str, parameter: str) -> bool:
    import importlib
    import inspect

    try:
        fn = getattr(importlib.import_module(module), function)
    except (ImportError, AttributeError):
        return False
    return parameter in inspect.signature(fn).parameters


def _list_tasks(session: Any, plan: str, department: str) -> Any:
    from tracker.services.tasks import list_tasks

    return list_tasks(session, today=TODAY, plan=plan, department=department, overdue=True)


def _in_process(url: str, runs: int, work: Callable[[Any], Any]) -> float:
    from tracker.services.workspace import Workspace

    ws = Workspace(url, login=gen.ADMIN_LOGIN, today=TODAY)
    try:
        return time_in_process(lambda: ws.run(lambda s, _a: work(s)), runs)
    finally:
        ws.dispose()


def time_import(commands: set[str], runs: int, tmp: Path, env: dict[str, str]) -> Measure:
    """Import of the sample report into a new database each time (size-independent)."""
    if "import" not in commands:
        return Measure(skipped="tracker import 尚未实现")
    if not SAMPLE.exists():
        return Measure(skipped=f"没有样本报告 {SAMPLE}")
    try:
        import tracker.importer.parse  # noqa: F401
    except ImportError:
        print("  跳过 import：导入器（tracker.importer.parse）尚未实现")
        return Measure(skipped="导入器尚未实现")

    def argv(i: int) -> list[str]:
        db = tmp / f"import-{i}.db"
        return [*tracker_argv(), "--db", f"sqlite:///{db}", "import", str(SAMPLE)]

    import_env = dict(env)
    import_env.pop("TRACKER_TODAY", None)
    import_env["TRACKER_USER"] = "bench-importer"
    return time_process(argv, import_env, runs, ROOT)


# Whole-process first screen: a fresh interpreter imports the TUI, then tui_timing's Pilot run opens the app;
# the figure is from the moment this runner starts the child to the first painted task list.
_TUI_CHILD = """
import asyncio, json, sys, time
sys.path.insert(0, sys.argv[1])
import tui_timing
import tracker.tui.app, tracker.tui.screens.main, textual.widgets  # what _one_run imports, before the clock
from datetime import date
ready = time.time()
out = asyncio.run(tui_timing._one_run(sys.argv[2], today=date.fromisoformat(sys.argv[3]), login=sys.argv[4], dept=None))
print(json.dumps({"ready": ready, **out}))
"""


def time_tui(url: str, runs: int) -> dict[str, Measure]:
    """First screen and one search keystroke, via bench/tui_timing.py (written with the TUI)."""
    names = ("tui first screen", "tui first screen (whole process)", "tui search keystroke", "tui overdue filter key")
    path = BENCH / "tui_timing.py"
    if not path.exists():
        msg = "bench/tui_timing.py 尚不存在（TUI 计时脚本）"
        print(f"  跳过 TUI：{msg}")
        return {name: Measure(skipped=msg) for name in names}
    try:
        import tui_timing

        figures = tui_timing.measure(url, today=TODAY, login=gen.ADMIN_LOGIN, runs=runs)
        whole = []
        for _ in range(runs):
            spawned = time.time()
            done = subprocess.run(
                [sys.executable, "-c", _TUI_CHILD, str(BENCH), url, TODAY.isoformat(), gen.ADMIN_LOGIN],
                capture_output=True, text=True, cwd=ROOT, check=True,
            )
            child = json.loads(done.stdout.strip().splitlines()[-1])
            whole.append(round(child["ready"] - spawned + child["first_screen_s"], 4))
    except Exception as exc:  # a broken TUI must not stop the other figures
        msg = f"{type(exc).__name__}: {str(exc)[-300:]}"
        print(f"  TUI 计时失败：{msg}")
        return {name: Measure(error=msg) for name in names}
    return {
        "tui first screen": Measure(
            median_s=round(figures["first_screen_s"], 4), runs_s=figures.get("first_screen_runs", []),
            note=f"app start to first painted list, in-process; {int(figures['tasks_loaded'])} tasks loaded",
        ),
        "tui first screen (whole process)": Measure(
            median_s=round(statistics.median(whole), 4), runs_s=whole, note="new interpreter to first painted list"
        ),
        "tui search keystroke": Measure(
            median_s=round(figures["keystroke_s"], 4), runs_s=figures.get("keystroke_runs", []),
            note=f"slowest key of 复议, key to painted list; with Pilot's idle wait {figures['pilot_keystroke_s']:.3f}s",
        ),
        "tui overdue filter key": Measure(median_s=round(figures["filter_s"], 4)),
    }


# ---------------------------------------------------------------- Taskwarrior


def _tw_date(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _write_tw_tasks(url: str, shift: timedelta, out: Path) -> int:
    """The same tasks as Taskwarrior JSON, one per line, streamed (a province does not fit in memory twice);
    dates shifted so that Taskwarrior's today is the benchmark's today."""
    from tracker.services import bulk
    from tracker.services.workspace import Workspace

    ws = Workspace(url, login=gen.ADMIN_LOGIN, today=TODAY)

    def to_json(t: Any) -> dict[str, Any]:
        start = datetime.combine(t.start_date or date(TODAY.year, 1, 1), datetime.min.time(), tzinfo=UTC) + shift
        out: dict[str, Any] = {
            "uuid": str(uuid.uuid5(uuid.NAMESPACE_URL, f"tracker-bench-task-{t.id}")),
            "description": t.title,
            "project": f"p{t.plan_id:04d}.i{t.item_id}",
            "entry": _tw_date(start),
            "status": "completed" if t.status == "done" else "pending",
            "tags": [f"d{d}" for d in t.department_ids] + (["suspended"] if t.status == "suspended" else []),
        }
        if t.deadline:
            out["due"] = _tw_date(datetime.combine(t.deadline, datetime.max.time().replace(microsecond=0), tzinfo=UTC) + shift)
        annotations = []
        seen: set[str] = set()
        for at, note in t.updates:
            moment = at + shift
            # Taskwarrior keys annotations by second: nudge equal times apart rather than lose a note.
            while _tw_date(moment) in seen:
                moment += timedelta(seconds=1)
            seen.add(_tw_date(moment))
            annotations.append({"entry": _tw_date(moment), "description": note or "进展"})
        if annotations:
            out["annotations"] = annotations
        if t.status == "done":
            out["end"] = annotations[-1]["entry"] if annotations else out["entry"]
        return out

    def stream(session: Any, _actor: Any) -> int:
        n = 0
        with out.open("w", encoding="utf-8") as fh:
            for t in bulk.iter_task_histories(session):
                fh.write(json.dumps(to_json(t), ensure_ascii=False))
                fh.write("\n")
                n += 1
        return n

    try:
        return ws.run(stream)
    finally:
        ws.dispose()


def taskwarrior_side(
    url: str, db_path: Path, subject: Subject, runs: int, data_dir: Path
) -> dict[str, Any] | None:
    task = shutil.which("task")
    if not task:
        print("  未安装 Taskwarrior（task），跳过对照（apt-get install taskwarrior）")
        return None
    version = subprocess.run([task, "--version"], capture_output=True, text=True).stdout.strip()
    home = data_dir / f"taskwarrior-{db_path.stem}"
    rc = home / "taskrc"
    env = dict(os.environ, TASKRC=str(rc), TASKDATA=str(home / "data"))
    shift = timedelta(days=(date.today() - TODAY).days)
    marker = home / f"loaded-{date.today().isoformat()}"  # shifted dates are only right for today
    if not marker.exists():
        if home.exists():
            shutil.rmtree(home)
        (home / "data").mkdir(parents=True)
        rc.write_text(
            f"data.location={home / 'data'}\nconfirmation=off\nverbose=nothing\nhooks=off\n"
            "recurrence=off\nnews.version=2.6.0\n",
            encoding="utf-8",
        )
        print(f"  载入 Taskwarrior（{version}）…", end="", flush=True)
        started = time.perf_counter()
        source = home / "import.json"
        _write_tw_tasks(url, shift, source)
        done = subprocess.run([task, "import", str(source)], env=env, capture_output=True, text=True)
        if done.returncode != 0:
            print(f" 失败：{done.stderr.strip()[:200]}")
            return {"version": version, "error": done.stderr.strip()[:500]}
        source.unlink()
        marker.write_text("ok", encoding="utf-8")
        print(f" {time.perf_counter() - started:.0f} 秒")
    plan_project = f"project:p{subject.plan_id:04d}"
    from tracker.services.departments import find_department
    from tracker.services.workspace import Workspace

    ws = Workspace(url, login=gen.ADMIN_LOGIN, today=TODAY)
    try:
        dept_id = ws.run(lambda s, _a: find_department(s, name=subject.department).id)
    finally:
        ws.dispose()
    ops = {
        "summary": [task, "summary"],
        "tasks --dept X --overdue": [task, plan_project, f"+d{dept_id}", "+OVERDUE", "-suspended", "list"],
        "overdue count": [task, "+OVERDUE", "-suspended", "count"],
    }
    out: dict[str, Any] = {"version": version, "ops": {}}
    for name, argv in ops.items():
        # exit code 1 is Taskwarrior's "no matches"
        out["ops"][name] = time_process(_fixed(argv), env, runs, home, ok_codes=(0, 1))
    count = subprocess.run(ops["overdue count"], env=env, capture_output=True, text=True).stdout.strip()
    out["overdue_count"] = int(count) if count.isdigit() else count
    return out


def tracker_overdue_count(url: str, runs: int, env: dict[str, str], commands: set[str]) -> tuple[Measure, int | None]:
    """tracker's counterpart of `task +OVERDUE count`: overdue tasks of every plan."""
    from tracker.services.tasks import list_tasks
    from tracker.services.workspace import Workspace

    ws = Workspace(url, login=gen.ADMIN_LOGIN, today=TODAY)
    try:
        n = len(ws.run(lambda s, _a: list_tasks(s, today=TODAY, overdue=True, all_plans=True)))
        m = Measure()
        m.in_process_s = time_in_process(
            lambda: ws.run(lambda s, _a: len(list_tasks(s, today=TODAY, overdue=True, all_plans=True))), runs
        )
        m.median_s = None
        m.note = "in-process only: no CLI command counts overdue tasks across all plans"
        return m, n
    finally:
        ws.dispose()


# ---------------------------------------------------------------- report


def print_table(results: dict[str, Any], sizes: Sequence[str]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"tracker 基准（墙钟中位数 / CPU 中位数 / 峰值内存 / 括号内为进程内耗时；today={TODAY}）")
    table.add_column("操作")
    for size in sizes:
        table.add_column(size, justify="right")
    names: list[str] = []
    for size in sizes:
        for name in results["sizes"][size]["ops"]:
            if name not in names:
                names.append(name)
    imp = results.get("import")
    if imp:
        m = Measure(**imp)
        table.add_row("import 样本报告（新库，与规模无关）", *[m.cell()] * len(sizes))
    for name in names:
        cells = []
        for size in sizes:
            data = results["sizes"][size]["ops"].get(name)
            cells.append(Measure(**data).cell() if data else "—")
        table.add_row(name, *cells)
    pairs = {"summary": "summary", "summary --all": "summary", "tasks --dept X --overdue": "tasks --dept X --overdue",
             "overdue count": "overdue count"}
    for name, tw_name in pairs.items():
        row_tw, row_ratio = [], []
        any_tw = False
        for size in sizes:
            tw = results["sizes"][size].get("taskwarrior") or {}
            twm = (tw.get("ops") or {}).get(tw_name)
            ours = results["sizes"][size]["ops"].get(name)
            if twm and twm.get("median_s") is not None:
                any_tw = True
                row_tw.append(Measure(**twm).cell())
                mine, mine_cpu = (ours or {}).get("median_s"), (ours or {}).get("cpu_s")
                text = f"{mine / twm['median_s']:.2f}×" if mine else "—"
                if mine_cpu and twm.get("cpu_s"):
                    text += f" (cpu {mine_cpu / twm['cpu_s']:.2f}×)"
                row_ratio.append(text)
            else:
                row_tw.append("—")
                row_ratio.append("—")
        if any_tw:
            if tw_name == name:
                table.add_row(f"Taskwarrior: {tw_name}", *row_tw)
            table.add_row(f"  tracker {name} ÷ Taskwarrior", *row_ratio)
    Console(width=150).print(table)
    for size in sizes:
        info = results["sizes"][size]
        subject = info["subject"]
        print(
            f"{size}: 计划 #{subject['plan_id']}，部门 {subject['department']}（该计划逾期 {subject['overdue_in_plan']} 项）；"
            f"全部逾期（tracker）{info.get('overdue_all')}，Taskwarrior {((info.get('taskwarrior') or {}).get('overdue_count'))}"
        )
    if "office" in sizes and "province" in sizes:
        print("office → province（×500 数据）单计划/单部门操作的放大倍数（墙钟 / CPU）：")
        for name in names:
            if name in ALL_PLAN_OPS:
                continue
            a = results["sizes"]["office"]["ops"].get(name, {})
            b = results["sizes"]["province"]["ops"].get(name, {})
            if a.get("median_s") and b.get("median_s"):
                wall = b["median_s"] / a["median_s"]
                cpu = b["cpu_s"] / a["cpu_s"] if a.get("cpu_s") and b.get("cpu_s") else None
                flag = "" if min(wall, cpu or wall) <= 3 else "  ← 超过 3×"
                print(f"  {name}: {wall:.2f}×" + (f" / {cpu:.2f}×" if cpu else "") + flag)


def _merged(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """Old results with what this run measured laid over them (skipped operations keep their old figures)."""
    if new.get("import") and not new["import"].get("skipped"):
        old["import"] = new["import"]
    for size, entry in new["sizes"].items():
        base = old["sizes"].setdefault(size, entry)
        if base is entry:
            continue
        for name, figure in entry["ops"].items():
            if not figure.get("skipped") or name not in base["ops"]:
                base["ops"][name] = figure
        if entry.get("taskwarrior"):
            base["taskwarrior"] = entry["taskwarrior"]
    old.setdefault("merged", []).append(new["when"])
    return old


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="tracker 基准测试（与 Taskwarrior 对照）")
    parser.add_argument("--sizes", default="office,city", help="逗号分隔：office,city,province，或 custom:计划,任务,进展")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=gen.DEFAULT_SEED)
    parser.add_argument("--out", type=Path, default=BENCH / "results.json")
    parser.add_argument("--data-dir", type=Path, default=DATA)
    parser.add_argument("--regenerate", action="store_true", help="重新生成数据库")
    parser.add_argument("--no-taskwarrior", action="store_true")
    parser.add_argument("--no-in-process", action="store_true")
    parser.add_argument("--no-tui", action="store_true")
    parser.add_argument("--tui-sizes", default="office,city", help="在哪些规模上计时终端界面（province 载入全部任务，很慢）")
    parser.add_argument("--no-import", action="store_true")
    parser.add_argument("--merge", action="store_true", help="把本次测得的数字并入 --out 中已有的结果（未测的保留原值）")
    parser.add_argument("--table", type=Path, metavar="JSON", help="只打印已保存结果的表格，不重新计时")
    parser.add_argument("--ops", default="", help="只测这些操作（逗号分隔的名称开头，如 summary,tasks）")
    args = parser.parse_args(argv)
    if args.table:
        saved = json.loads(args.table.read_text(encoding="utf-8"))
        print_table(saved, list(saved["sizes"]))
        return 0

    sizes: list[gen.Size] = []
    for spec in args.sizes.split(","):
        spec = spec.strip()
        if spec.startswith("custom:"):
            plans, tasks, updates = (int(x) for x in spec.split(":", 1)[1].split("/"))
            sizes.append(gen.custom_size(None, plans, tasks, updates, max(6, tasks // 50), max(12, tasks // 5)))
        elif spec in gen.SIZES:
            sizes.append(gen.SIZES[spec])
        else:
            parser.error(f"未知规模：{spec}")
    args.data_dir.mkdir(parents=True, exist_ok=True)
    commands = available_commands()
    env = dict(os.environ, TRACKER_TODAY=TODAY.isoformat(), TRACKER_USER=gen.ADMIN_LOGIN)
    env.pop("TRACKER_DB", None)
    results: dict[str, Any] = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"python": platform.python_version(), "platform": platform.platform(), "cpus": os.cpu_count()},
        "today": TODAY.isoformat(),
        "runs": args.runs,
        "sizes": {},
    }
    with tempfile.TemporaryDirectory(prefix="tracker-bench-") as tmp_name:
        tmp = Path(tmp_name)
        if not args.no_import:
            print("import 样本报告…")
            results["import"] = asdict(time_import(commands, args.runs, tmp, env))
        for size in sizes:
            print(f"== {size.name}：{size.plans} 个计划、{size.tasks} 项任务、{size.updates} 条进展")
            path = database_for(size, args.seed, args.regenerate, args.data_dir)
            url = f"sqlite:///{path}"
            subject = choose_subject(url)
            breakdown = import_breakdown(url, env, tmp)
            print_import_breakdown(f"tracker summary，{size.name}", breakdown)
            only = [o.strip() for o in args.ops.split(",") if o.strip()]
            ops = tracker_ops(url, subject, commands, args.runs, tmp, env, not args.no_in_process, only)
            if not args.no_tui and size.name in args.tui_sizes.split(","):
                ops.update(time_tui(url, args.runs))
            overdue, n_overdue = tracker_overdue_count(url, args.runs, env, commands)
            ops["overdue count"] = overdue
            entry: dict[str, Any] = {
                "counts": asdict(size),
                "db": str(path),
                "db_mb": round(path.stat().st_size / 2**20, 1),
                "subject": asdict(subject),
                "overdue_all": n_overdue,
                "ops": {k: asdict(v) for k, v in ops.items()},
                "summary_imports_ms": {k: round(v, 1) for k, v in breakdown.items()},
            }
            if not args.no_taskwarrior:
                tw = taskwarrior_side(url, path, subject, args.runs, args.data_dir)
                if tw is not None:
                    tw["ops"] = {k: asdict(v) for k, v in tw.get("ops", {}).items()}
                entry["taskwarrior"] = tw
            results["sizes"][size.name] = entry
    if args.merge and args.out.exists():
        results = _merged(json.loads(args.out.read_text(encoding="utf-8")), results)
    print_table(results, [s for s in ("office", "city", "province") if s in results["sizes"]] or list(results["sizes"]))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"结果已写入 {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
