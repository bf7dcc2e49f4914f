"""The benchmark tools keep working: the generator builds a consistent database, the bulk path leaves tasks
exactly where ``record_progress`` would, and the runner measures and writes its JSON (tiny size, fast)."""

from __future__ import annotations

import importlib
import json
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from types import ModuleType

import pytest

from tracker.db import open_database, session_scope
from tracker.services import bulk
from tracker.services.auth import system_actor
from tracker.services.tasks import get_task_detail, list_tasks, record_progress

BENCH = Path(__file__).resolve().parents[1] / "bench"
TODAY = date(2022, 9, 15)


def _bench_module(name: str) -> ModuleType:
    if str(BENCH) not in sys.path:
        sys.path.insert(0, str(BENCH))
    return importlib.import_module(name)


def test_generator_builds_a_consistent_database(db_url: str) -> None:
    gen = _bench_module("generate")
    size = gen.custom_size(None, plans=2, tasks=40, updates=300, departments=8, users=20)
    stats = gen.generate(db_url, size, seed=7, progress=False)
    assert len(stats.plan_ids) == 2

    engine = open_database(db_url)
    try:
        with session_scope(engine) as session:
            rows = list_tasks(session, today=TODAY, all_plans=True)
            assert len(rows) == 40
            assert all(len(r.leads) == 1 for r in rows)
            # A believable mix: several statuses, some overdue, deadlines in more than one month.
            assert len({r.status for r in rows}) >= 3
            assert len({r.deadline.month for r in rows if r.deadline}) >= 3
            updates = 0
            for row in rows:
                detail = get_task_detail(session, task_id=row.id, today=TODAY)
                updates += len(detail.updates)
                if detail.updates:
                    latest = detail.updates[0].update  # newest first
                    assert (row.status, row.percent) == (latest.status, latest.percent)
                    assert row.version == 1 + len(detail.updates)
                else:
                    assert row.status == "not_started"
            assert updates == 300
    finally:
        engine.dispose()


def test_generator_is_deterministic(tmp_path: Path) -> None:
    gen = _bench_module("generate")
    size = gen.custom_size(None, plans=1, tasks=15, updates=60, departments=6, users=12)
    snapshots = []
    for n in (1, 2):
        url = f"sqlite:///{tmp_path / f'g{n}.db'}"
        gen.generate(url, size, seed=3, progress=False)
        engine = open_database(url)
        with session_scope(engine) as session:
            snapshots.append([(r.title, r.status, r.percent, r.deadline, r.leads) for r in list_tasks(session, today=TODAY)])
        engine.dispose()
    assert snapshots[0] == snapshots[1]


def test_bulk_progress_matches_record_progress(db_url: str) -> None:
    """The same updates, one task through record_progress and its twin through the bulk path."""
    actor = system_actor("tester")
    engine = open_database(db_url)
    try:
        with session_scope(engine) as session:
            [dept] = bulk.add_departments(session, actor=actor, departments=[bulk.NewDepartment("区司法局")])
            [plan] = bulk.add_plans(session, actor=actor, plans=[bulk.NewPlan(2022, "测试计划", "t.txt")])
            [item] = bulk.add_items(session, actor=actor, items=[bulk.NewItem(plan, "（一）", 1, "事项")])
            twins = bulk.add_tasks(
                session,
                actor=actor,
                tasks=[
                    bulk.NewTask(plan, item, label, pos, "健全行政复议制度", "健全行政复议制度，提升办案质量",
                                 deadline=date(2022, 12, 31), owners=[bulk.NewOwner(dept)])
                    for pos, label in ((1, "一是"), (2, "二是"))
                ],
            )
            start = datetime(2022, 3, 1, 9, tzinfo=UTC)
            steps = [
                ("in_progress", 20, "召开专题推进会", ""),
                ("in_progress", 55, "起草制度初稿", "人员不足"),
                ("done", 100, "制度印发实施", ""),
            ]
            for n, (status, percent, note, problems) in enumerate(steps):
                record_progress(session, actor=actor, task_id=twins[0].id, today=TODAY, status=status,
                                percent=percent, note=note, problems=problems, at=start + timedelta(days=30 * n))
            # Given out of order on purpose: the bulk path orders by time as a person would have recorded them.
            bulk.add_progress(
                session,
                actor=actor,
                updates=[
                    bulk.NewUpdate(twins[1].id, start + timedelta(days=30 * n), "tester", status, percent,
                                   note=note, problems=problems)
                    for n, (status, percent, note, problems) in reversed(list(enumerate(steps)))
                ],
            )
        with session_scope(engine) as session:
            one, two = (get_task_detail(session, task_id=t.id, today=TODAY) for t in twins)
            assert (two.row.status, two.row.percent, two.row.version) == (one.row.status, one.row.percent, one.row.version)
            assert two.row.last_update_at == one.row.last_update_at
            assert [u.update.note for u in two.updates] == [u.update.note for u in one.updates]
            texts = bulk_search_texts(session, [t.id for t in twins])
            assert texts[0] == texts[1]
            assert "人员不足" in texts[1]  # a recorded problem is findable, as after record_progress
    finally:
        engine.dispose()


def bulk_search_texts(session: object, ids: list[int]) -> list[str]:
    from tracker.services.search import load_search_index

    index = load_search_index(session, task_ids=ids)  # type: ignore[arg-type]
    by_id = {e.task_id: e for e in index.entries}
    return [by_id[i].text for i in ids]


def test_runner_measures_and_writes_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run = _bench_module("run")
    out = tmp_path / "results.json"
    code = run.main(
        [
            "--sizes", "custom:1/20/100", "--runs", "1", "--data-dir", str(tmp_path / "data"), "--out", str(out),
            "--no-taskwarrior", "--no-tui", "--no-import", "--ops", "tasks --dept",
        ]
    )
    assert code == 0
    results = json.loads(out.read_text(encoding="utf-8"))
    [entry] = results["sizes"].values()
    measured = {k: v for k, v in entry["ops"].items() if v["median_s"] is not None}
    assert "tasks --dept X --overdue" in measured
    for figure in measured.values():
        assert figure["median_s"] > 0 and figure["peak_mb"] > 0
    assert "tasks --dept X --overdue" in capsys.readouterr().out


def test_queries_per_command_do_not_grow_with_the_data(tmp_path: Path) -> None:
    """No N+1: a command sends as many SQL statements on a plan of 40 tasks as on one of 10."""
    from collections import Counter

    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    from tests.conftest import Cli

    gen = _bench_module("generate")
    statements: Counter[str] = Counter()

    def count(*_args: object) -> None:
        statements["n"] += 1

    per_size = []
    for tasks in (10, 40):
        url = f"sqlite:///{tmp_path / f'n{tasks}.db'}"
        gen.generate(url, gen.custom_size(None, plans=1, tasks=tasks, updates=tasks * 5, departments=6, users=12),
                     seed=5, progress=False)
        cli = Cli(url, today=TODAY, user=gen.ADMIN_LOGIN)
        figures = []
        event.listen(Engine, "before_cursor_execute", count)
        try:
            for args in (["summary"], ["summary", "--by", "department"], ["tasks"], ["show", "3"]):
                statements.clear()
                result = cli(*args)
                assert result.exit_code == 0, result.stderr
                figures.append(statements["n"])
        finally:
            event.remove(Engine, "before_cursor_execute", count)
        per_size.append(figures)
    assert per_size[0] == per_size[1]
