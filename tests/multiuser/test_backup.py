"""Backup and restore (SQLite online backup API) and moving an office SQLite → PostgreSQL → SQLite."""

from __future__ import annotations

import json
import sqlite3
import threading
from contextlib import closing
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Cli
from tests.multiuser.conftest import ADMIN, LEAD_STAFF, LEADER, SUPPORT_STAFF, TODAY, Office, build_office
from tracker.errors import ValidationError
from tracker.services import backup, tasks, users
from tracker.services.workspace import Workspace


def fill(office: Office) -> None:
    """Every kind of row: figures, deferral, new deadline, instruction, recurrence, password, disabled user."""
    t = office.lead_task
    run = lambda who, work: office.ws(who).run(work)  # noqa: E731
    run(SUPPORT_STAFF, lambda s, a: tasks.record_progress(s, actor=a, task_id=t, today=TODAY, percent=35,
                                                          note="配合单位提供数据", problems="数据口径不一"))
    run(LEAD_STAFF, lambda s, a: tasks.record_progress(s, actor=a, task_id=t, today=TODAY, figures={"出庭应诉率": 96.5},
                                                       note="上半年出庭应诉率96.5%", next_steps="下半年力争100%"))
    run(LEAD_STAFF, lambda s, a: tasks.record_progress(s, actor=a, task_id=office.extra_task, today=TODAY,
                                                       new_deadline=date(2023, 6, 30), reason="需跨年度"))
    run(LEADER, lambda s, a: tasks.add_instruction(s, actor=a, task_id=t, text="请司法局牵头抓好落实"))
    run(ADMIN, lambda s, a: tasks.set_recurrence(s, actor=a, task_id=office.other_task, rule="每年"))
    run(ADMIN, lambda s, a: users.set_password(s, actor=a, login=LEAD_STAFF, password="口令-123456"))


def content(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))["tables"]


def without_last_audit(tables: dict[str, Any], action: str) -> dict[str, Any]:
    """The tables minus the one audit row the operation itself appended (checked to be that row)."""
    out = dict(tables)
    audit = dict(tables["audit_log"])
    last = dict(zip(audit["columns"], audit["rows"][-1], strict=True))
    assert last["action"] == action, last
    out["audit_log"] = {"columns": audit["columns"], "rows": audit["rows"][:-1]}
    return out


def test_dump_sqlite_load_postgres_dump_again_is_the_same(sqlite_url: str, pg_url: str, tmp_path: Path) -> None:
    office = build_office(sqlite_url)
    fill(office)
    first, second, third = tmp_path / "1-sqlite.json", tmp_path / "2-pg.json", tmp_path / "3-sqlite.json"
    office.ws(ADMIN).run(lambda s, a: backup.dump(s, actor=a, target=first))

    pg = Workspace(pg_url, login="mover")  # an empty database: single-user mode, the mover is admin
    loaded = pg.run(lambda s, a: backup.load(s, actor=a, source=first))
    assert loaded.rows == sum(len(t["rows"]) for t in content(first).values())
    pg.forget_actor()
    pg_admin = Workspace(pg_url, login=ADMIN)
    pg_admin.run(lambda s, a: backup.dump(s, actor=a, target=second))
    assert without_last_audit(content(second), "load") == content(first)

    back = Workspace(f"sqlite:///{tmp_path / 'back.db'}", login="mover")
    back.run(lambda s, a: backup.load(s, actor=a, source=second))
    back_admin = Workspace(back.url, login=ADMIN)
    back_admin.run(lambda s, a: backup.dump(s, actor=a, target=third))
    assert without_last_audit(content(third), "load") == content(second)

    # the moved office works: passwords, permissions, ids continue after the loaded ones (sequences reset)
    assert pg_admin.run(lambda s, _a: users.authenticate(s, login=LEAD_STAFF, password="口令-123456")).login == LEAD_STAFF
    update = Workspace(pg_url, login=LEAD_STAFF).run(
        lambda s, a: tasks.record_progress(s, actor=a, task_id=office.lead_task, today=TODAY, percent=80, note="迁移后")
    )
    assert update.id == max(r[0] for r in content(second)["progressupdate"]["rows"]) + 1
    for space in (pg, pg_admin, back, back_admin):
        space.dispose()
    office.close()


def test_load_wants_an_empty_database_and_a_tracker_dump(office: Office, tmp_path: Path, sqlite_url: str) -> None:
    dumped = tmp_path / "office.json"
    office.ws(ADMIN).run(lambda s, a: backup.dump(s, actor=a, target=dumped))
    with pytest.raises(ValidationError, match="不是空的"):
        office.ws(ADMIN).run(lambda s, a: backup.load(s, actor=a, source=dumped))
    empty = Workspace(sqlite_url, login="x")
    bogus = tmp_path / "bogus.json"
    for text, words in (("{}", "不是 tracker 导出"), ("not json", "不是 tracker 导出")):
        bogus.write_text(text, encoding="utf-8")
        with pytest.raises(ValidationError, match=words):
            empty.run(lambda s, a: backup.load(s, actor=a, source=bogus))
    data = json.loads(dumped.read_text(encoding="utf-8"))
    data["schema_revision"] = "0123456789ab"
    bogus.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ValidationError, match="结构版本"):
        empty.run(lambda s, a: backup.load(s, actor=a, source=bogus))
    # a load that fails half-way writes nothing
    data = json.loads(dumped.read_text(encoding="utf-8"))
    data["tables"]["task"]["rows"][0][0] = 10_000  # a task whose owners point nowhere: FK violation
    bogus.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ValidationError, match="导出文件内容有误"):
        empty.run(lambda s, a: backup.load(s, actor=a, source=bogus))
    assert not any(empty.run_anonymous(backup.table_counts).values())
    empty.dispose()


def _rows(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    with closing(sqlite3.connect(path)) as conn:
        return {
            t.name: conn.execute(f'SELECT * FROM "{t.name}" ORDER BY 1, 2').fetchall() for t in backup.tables()
        }


def test_backup_while_others_write_then_restore(sqlite_url: str, tmp_path: Path) -> None:
    office = build_office(sqlite_url)
    fill(office)
    writer = office.ws(SUPPORT_STAFF)
    stop = threading.Event()
    written: list[int] = []

    def keep_writing() -> None:
        while not stop.is_set():
            u = writer.run(lambda s, a: tasks.record_progress(s, actor=a, task_id=office.lead_task, today=TODAY,
                                                              percent=len(written) % 100, note=f"写入{len(written)}"))
            written.append(u.id or 0)

    thread = threading.Thread(target=keep_writing)
    thread.start()
    try:
        while len(written) < 20:
            stop.wait(0.01)
        copy = tmp_path / "copy.db"
        admin = office.ws(ADMIN)
        result = backup.backup_sqlite(admin.engine, actor=admin.actor(), target=copy)
        while len(written) < result.tables["progressupdate"] + 20:
            stop.wait(0.01)
    finally:
        stop.set()
        thread.join()
    # the copy is one moment: every update in it has its audit row and its task's version
    snap = _rows(copy)
    assert result.tables == {name: len(rows) for name, rows in snap.items()}
    progress_audits = [r for r in snap["audit_log"] if r[3] == "progress"]
    assert len(progress_audits) == len(snap["progressupdate"]) > 20
    live = Cli(sqlite_url, today=TODAY, user=ADMIN)
    assert live("tasks", "--json").json() != []
    assert len(live("log", "--json").json()) > len(snap["audit_log"])  # the office went on writing

    restored = live("restore", str(copy), "--yes")
    assert restored.exit_code == 0, restored.stderr
    after = _rows(Path(sqlite_url.removeprefix("sqlite:///")))
    assert after["audit_log"][:-1] == snap["audit_log"]
    assert {k: v for k, v in after.items() if k != "audit_log"} == {k: v for k, v in snap.items() if k != "audit_log"}
    assert after["audit_log"][-1][3] == "restore"
    # the same summary as at backup time: tasks, statuses, percents, versions
    at_backup = Cli(f"sqlite:///{tmp_path / 'copy-view.db'}", today=TODAY, user=ADMIN)
    (tmp_path / "copy-view.db").write_bytes(copy.read_bytes())
    assert live("tasks", "--json").json() == at_backup("tasks", "--json").json()
    office.close()


def test_cli_backup_restore_dump_load(sqlite_url: str, tmp_path: Path) -> None:
    office = build_office(sqlite_url)
    fill(office)
    cli = Cli(sqlite_url, today=TODAY, user=ADMIN)
    summary = cli("tasks", "--json").json()
    target = tmp_path / "备份.db"
    result = cli("backup", str(target))
    assert result.exit_code == 0 and "已备份到" in result.stdout, result.stderr
    again = cli("backup", str(target))
    assert again.exit_code == 1 and "已存在" in again.stderr
    assert cli("update", str(office.lead_task), "--percent", "99", "--note", "备份之后").exit_code == 0
    assert cli("restore", str(target), "--yes").exit_code == 0
    assert cli("tasks", "--json").json() == summary
    refused = Cli(sqlite_url, today=TODAY, user=LEAD_STAFF)("backup", str(tmp_path / "b2.db"))
    assert refused.exit_code == 1 and "只有管理员" in refused.stderr
    not_a_backup = tmp_path / "x.db"
    not_a_backup.write_text("不是数据库" * 200, encoding="utf-8")
    bad = cli("restore", str(not_a_backup), "--yes")
    assert bad.exit_code == 1 and "不是 tracker 的备份" in bad.stderr
    assert cli("tasks", "--json").json() == summary

    dumped = tmp_path / "全部.json"
    out = cli("dump", str(dumped))
    assert out.exit_code == 0 and "已导出" in out.stdout, out.stderr
    fresh = Cli(f"sqlite:///{tmp_path / 'fresh.db'}", today=TODAY, user="newcomer")
    loaded = fresh("load", str(dumped))
    assert loaded.exit_code == 0 and "已载入" in loaded.stdout, loaded.stderr
    assert Cli(fresh.db_url, today=TODAY, user=ADMIN)("tasks", "--json").json() == summary
    twice = Cli(fresh.db_url, today=TODAY, user=ADMIN)("load", str(dumped))
    assert twice.exit_code == 1 and "不是空的" in twice.stderr
    office.close()


def test_backup_is_for_sqlite_only(pg_url: str, tmp_path: Path) -> None:
    cli = Cli(pg_url, today=TODAY, user=ADMIN)
    result = cli("backup", str(tmp_path / "pg.db"))
    assert result.exit_code == 1 and "tracker dump" in result.stderr
