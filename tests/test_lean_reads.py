"""The everyday read commands take the lean path (tracker.rawdb): no SQLAlchemy, no Alembic script
machinery, no jieba/docx/openpyxl, and the same answers as the full path."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from tests.conftest import ROOT, Cli

TODAY = date(2026, 9, 30)

# What a read command may never load: start-up time (issue 17). Alembic's script machinery is loaded
# only to migrate; SQLAlchemy only for work that writes (and for ``show``, which reads ORM objects).
NEVER = ("alembic.script", "alembic.command", "jieba", "docx", "openpyxl", "textual", "matplotlib")
ORM = ("sqlalchemy", "sqlmodel")

_PROBE = """
import json, sys
from tracker.cli import main
try:
    main(sys.argv[1:])
except SystemExit as exc:
    code = exc.code
print(json.dumps({"code": code, "modules": sorted(sys.modules)}), file=sys.stderr)
"""


def _run(db_url: str, *argv: str) -> tuple[int, set[str], str]:
    env = dict(os.environ, TRACKER_USER="tester", PYTHONPATH=str(ROOT))
    env.pop("TRACKER_DB", None)
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, "--db", db_url, "--today", TODAY.isoformat(), *argv],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
    )
    report = json.loads(done.stderr.strip().splitlines()[-1])
    return report["code"], set(report["modules"]), done.stdout


@pytest.fixture
def demo_db(cli: Cli) -> str:
    result = cli("demo", today=TODAY)
    assert result.exit_code == 0, result.stderr
    return cli.db_url


def _loaded(modules: set[str], names: tuple[str, ...]) -> list[str]:
    return [n for n in names if any(m == n or m.startswith(n + ".") for m in modules)]


@pytest.mark.parametrize(
    "argv",
    [
        ("summary",),
        ("summary", "--all"),
        ("summary", "--by", "department", "--json"),
        ("tasks", "--overdue"),
        ("tasks", "--dept", "司法局", "--json"),
        ("plans",),
        ("whoami",),
        ("depts",),
    ],
    ids=lambda a: " ".join(a),
)
def test_read_commands_load_neither_the_orm_nor_heavy_libraries(demo_db: str, argv: tuple[str, ...]) -> None:
    code, modules, out = _run(demo_db, *argv)
    assert code in (0, None), out
    assert out.strip(), "the command printed nothing"
    assert _loaded(modules, NEVER) == []
    assert _loaded(modules, ORM) == []


def test_show_loads_no_alembic_scripts_nor_heavy_libraries(demo_db: str) -> None:
    code, modules, out = _run(demo_db, "show", "1")
    assert code in (0, None), out
    assert _loaded(modules, NEVER) == []


def test_lean_and_session_paths_give_the_same_figures(demo_db: str) -> None:
    from tracker.services.catalog import list_departments, list_plans
    from tracker.services.overview import summarize
    from tracker.services.task_list import list_tasks
    from tracker.services.workspace import Workspace

    def everything(db: object) -> str:
        out = {
            "item": summarize(db, today=TODAY).to_json(),
            "dept": summarize(db, today=TODAY, by="department").to_json(),
            "all": summarize(db, today=TODAY, all_plans=True).to_json(),
            "tasks": [t.to_json() for t in list_tasks(db, today=TODAY)],
            "overdue": [t.id for t in list_tasks(db, today=TODAY, overdue=True)],
            "soon": [t.id for t in list_tasks(db, today=TODAY, due_within=30)],
            "plans": [p.__dict__ for p in list_plans(db)],
            "depts": [d.__dict__ for d in list_departments(db)],
        }
        return json.dumps(out, ensure_ascii=False, sort_keys=True, default=str)

    ws = Workspace(demo_db, as_user=None)
    lean = ws.read(lambda rows, _a: everything(rows))
    full = ws.run(lambda session, _a: everything(session))
    ws.dispose()
    assert lean == full
    figures = json.loads(lean)
    assert figures["item"]["total"]["total"] == len(figures["tasks"]) > 0
    assert figures["overdue"], "the demo on 2026-09-30 has overdue tasks"


def test_a_database_behind_head_is_migrated_then_read(tmp_path: Path) -> None:
    from tracker.db import current_revision, downgrade, head_revision, make_engine, open_database

    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = open_database(url)
    downgrade(engine, "-1")
    assert current_revision(engine) != head_revision()
    engine.dispose()
    code, modules, out = _run(url, "plans")
    assert code in (0, None)
    assert "还没有计划" in out
    assert "alembic.command" in modules  # this once, the full path ran to migrate
    engine = make_engine(url)
    assert current_revision(engine) == head_revision()
    engine.dispose()


_TUI_PROBE = """
import asyncio, json, sys
from datetime import date
from tracker.tui.app import make_app

async def main():
    app = make_app(sys.argv[1], today=date.fromisoformat(sys.argv[2]), login="tester", poll=False)
    async with app.run_test(size=(80, 24)):
        while app.first_screen_at is None:
            await asyncio.sleep(0.002)
        loaded = sorted(sys.modules)
        app.exit()
    return loaded

print(json.dumps(asyncio.run(main())))
"""


def test_tui_first_screen_is_drawn_without_the_orm(demo_db: str) -> None:
    """The workbench's first list comes through the lean path; SQLAlchemy loads later, in the background."""
    env = dict(os.environ, TRACKER_USER="tester", PYTHONPATH=str(ROOT))
    done = subprocess.run(
        [sys.executable, "-c", _TUI_PROBE, demo_db, TODAY.isoformat()],
        capture_output=True, text=True, env=env, cwd=ROOT, timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    modules = set(json.loads(done.stdout.strip().splitlines()[-1]))
    assert "textual" in modules
    assert _loaded(modules, ("alembic.script", "alembic.command", "docx", "openpyxl", "matplotlib")) == []
    assert _loaded(modules, ORM) == []


def test_update_date_is_the_day_the_record_speaks_for(cli: Cli) -> None:
    """tracker update --date: the record's day, kept apart from when it was typed; no day in the future."""
    assert cli("demo", today=TODAY).exit_code == 0
    task = cli("tasks", "--json", today=TODAY).json()[0]["id"]
    done = cli("update", str(task), "--percent", "55", "--note", "补录6月底进展", "--date", "2026-06-30", today=TODAY)
    assert done.exit_code == 0, done.stderr
    assert "进展（2026-06-30）" in done.stdout
    shown = cli("show", str(task), "--json", today=TODAY).json()
    newest = next(u for u in shown["updates"] if u["note"] == "补录6月底进展")
    assert newest["as_of"] == "2026-06-30" and not newest["recorded_at"].startswith("2026-06-30")
    late = cli("update", str(task), "--percent", "60", "--date", "2026-10-01", today=TODAY)
    assert late.exit_code == 1 and "晚于今天" in late.stderr
    bad = cli("update", str(task), "--percent", "60", "--date", "30/06/2026", today=TODAY)
    assert bad.exit_code != 0 and "日期格式不正确" in bad.stderr
    assert cli("show", str(task), "--json", today=TODAY).json()["percent"] == 55
