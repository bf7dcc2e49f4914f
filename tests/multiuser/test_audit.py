"""The audit trail: every write path appends who, when, what, old → new; nothing can change a row."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from tests.conftest import Cli
from tests.multiuser.conftest import (
    ADMIN,
    LEAD_STAFF,
    LEADER,
    OUTSIDER,
    SUPPORT_STAFF,
    TODAY,
    Office,
    office_plan,
)
from tracker.services import audit, backup, plans, tasks, users


def newest(office: Office, n: int = 1) -> list[Any]:
    return office.ws(ADMIN).run(lambda s, _a: audit.list_entries(s, limit=n))


def audit_count(office: Office) -> int:
    return office.ws(ADMIN).run_anonymous(backup.table_counts)["audit_log"]


def test_every_write_path_leaves_an_audit_row(office: Office, tmp_path: Path) -> None:
    o = office
    t = o.lead_task
    # (who, work, expected rows: [(action, part of old, part of new)])
    walk: list[tuple[str, Any, list[tuple[str, dict[str, Any], dict[str, Any]]]]] = [
        (ADMIN, lambda s, a: plans.import_plan(s, actor=a, parsed=_plan_2023()),
         [("import", {}, {"year": 2023})]),
        (SUPPORT_STAFF, lambda s, a: tasks.record_progress(s, actor=a, task_id=t, today=TODAY, percent=30, note="配合"),
         [("progress", {"percent": 0, "status": "not_started"}, {"percent": 30, "status": "in_progress"})]),
        (LEAD_STAFF, lambda s, a: tasks.record_progress(s, actor=a, task_id=t, today=TODAY, figures={"出庭应诉率": 100},
                                                        note="出庭率达标"),
         [("progress", {"percent": 30}, {"note": "出庭率达标"})]),
        (LEAD_STAFF, lambda s, a: tasks.record_progress(s, actor=a, task_id=t, today=TODAY, status="暂缓",
                                                        reason="等待上级文件"),
         [("progress", {"status": "in_progress"}, {"status": "suspended"})]),
        (LEAD_STAFF, lambda s, a: tasks.record_progress(s, actor=a, task_id=t, today=TODAY, status="推进中",
                                                        new_deadline=date(2023, 3, 31), reason="跨年度"),
         [("progress", {"status": "suspended"}, {"status": "in_progress"}),
          ("deadline", {"deadline": "2022-12-31"}, {"deadline": "2023-03-31"})]),
        (LEAD_STAFF, lambda s, a: tasks.record_progress(s, actor=a, task_id=t, today=TODAY, status="已完成",
                                                        note="全部完成"),
         [("progress", {"status": "in_progress"}, {"status": "done", "percent": 100})]),
        (ADMIN, lambda s, a: tasks.set_deadline(s, actor=a, task_id=o.other_task, deadline=date(2022, 9, 30)),
         [("deadline", {"deadline": "2022-12-31"}, {"deadline": "2022-09-30"})]),
        (ADMIN, lambda s, a: tasks.assign_owners(s, actor=a, task_id=o.other_task, lead=["区市场监管局"],
                                                 support=["区司法局"]),
         [("assign", {"owners": ["区市场监管局（牵头）"]}, {"owners": ["区市场监管局（牵头）", "区司法局（配合）"]})]),
        (ADMIN, lambda s, a: tasks.confirm_owners(s, actor=a, task_id=o.extra_task), [("assign", {}, {})]),
        (ADMIN, lambda s, a: tasks.set_recurrence(s, actor=a, task_id=o.extra_task, rule="每季度"),
         [("recurrence", {"recurrence": None}, {"recurrence": "FREQ=MONTHLY;INTERVAL=3"})]),
        (LEADER, lambda s, a: tasks.add_instruction(s, actor=a, task_id=t, text="做得好"),
         [("instruction", {}, {"text": "做得好"})]),
        (ADMIN, lambda s, a: users.add_user(s, actor=a, login="xin", role="leader"),
         [("user.add", {}, {"login": "xin", "role": "leader"})]),
        (ADMIN, lambda s, a: users.disable_user(s, actor=a, login=OUTSIDER),
         [("user.disable", {"active": True}, {"active": False})]),
        (ADMIN, lambda s, a: users.set_password(s, actor=a, login="xin", password="secret-1"),
         [("user.password", {"password": "未设置"}, {"password": "已设置"})]),
    ]
    for who, work, expected in walk:
        before = audit_count(o)
        o.ws(who).run(work)
        rows = list(reversed(newest(o, len(expected))))
        assert audit_count(o) == before + len(expected), f"{expected[0][0]} by {who}"
        for row, (action, old, new) in zip(rows, expected, strict=True):
            assert row.action == action and row.actor == who
            assert row.at is not None
            for key, value in old.items():
                assert (row.old or {}).get(key) == value, (action, key, row.old)
            for key, value in new.items():
                assert (row.new or {}).get(key) == value, (action, key, row.new)
    assert "secret-1" not in str([(e.old, e.new, e.detail) for e in newest(o, 100)])


def test_load_and_restore_leave_an_audit_row(office: Office, tmp_path: Path, sqlite_url: str) -> None:
    dumped = tmp_path / "office.json"
    office.ws(ADMIN).run(lambda s, a: backup.dump(s, actor=a, target=dumped))
    from tracker.services.workspace import Workspace

    target = Workspace(sqlite_url, login="newadmin")
    target.run(lambda s, a: backup.load(s, actor=a, source=dumped))
    [entry] = target.run(lambda s, _a: audit.list_entries(s, limit=1))
    assert entry.action == "load" and entry.actor == "newadmin" and "office.json" in entry.detail
    copy = tmp_path / "copy.db"
    admin = Workspace(sqlite_url, login=ADMIN)
    backup.backup_sqlite(admin.engine, actor=admin.actor(), target=copy)
    backup.restore_sqlite(admin.engine, actor=admin.actor(), source=copy)
    [entry] = admin.run(lambda s, _a: audit.list_entries(s, limit=1))
    assert entry.action == "restore" and entry.actor == ADMIN
    target.dispose()
    admin.dispose()


def test_cli_import_is_audited(cli: Cli, sample_report: Path) -> None:
    assert cli("import", str(sample_report)).exit_code == 0
    [entry] = cli("log", "--json").json()
    assert entry["action"] == "import" and entry["actor"] == "tester" and entry["new"]["tasks"] > 0


def _plan_2023() -> Any:
    parsed = office_plan()
    parsed.year, parsed.source_hash, parsed.source_name = 2023, "h-2023", "2023.txt"
    return parsed


def test_log_command_filters_by_task_user_and_date(office: Office) -> None:
    t = str(office.lead_task)
    assert office.cli(SUPPORT_STAFF)("update", t, "--percent", "20", "--note", "配合推进").exit_code == 0
    assert office.cli(LEAD_STAFF)("update", t, "--percent", "40", "--note", "牵头推进").exit_code == 0
    assert office.cli(LEADER)("instruct", t, "请抓紧").exit_code == 0
    cli = office.cli(LEADER)
    on_task = cli("log", t, "--json").json()
    assert [e["actor"] for e in on_task] == [LEADER, LEAD_STAFF, SUPPORT_STAFF]  # newest first
    assert [e["actor"] for e in cli("log", t, "--user", LEAD_STAFF, "--json").json()] == [LEAD_STAFF]
    assert cli("log", "--since", (date.today() + timedelta(days=1)).isoformat(), "--json").json() == []
    assert len(cli("log", "--since", date.today().isoformat(), "--json").json()) >= 3
    text = cli("log", t).stdout
    assert "进度 20% → 40%" in text and "领导批示" in text and "记录进展" in text
    bad = cli("log", "--since", "昨天")
    assert bad.exit_code == 1 and "日期格式不正确" in bad.stderr
    assert cli("log", "999").exit_code == 1


def test_audit_rows_cannot_be_updated_or_deleted(office: Office) -> None:
    """A trigger in the database itself (PostgreSQL and SQLite) refuses, whoever connects."""
    office.ws(LEAD_STAFF).run(
        lambda s, a: tasks.record_progress(s, actor=a, task_id=office.lead_task, today=TODAY, percent=10, note="x")
    )
    before = [(e.id, e.actor, e.action, e.new) for e in newest(office, 1000)]
    engine = sa.create_engine(office.url)
    statements = [
        "UPDATE audit_log SET actor = 'someone-else'",
        "UPDATE audit_log SET new = NULL WHERE action = 'progress'",
        "DELETE FROM audit_log",
        "DELETE FROM audit_log WHERE action = 'import'",
    ]
    if engine.dialect.name == "postgresql":
        statements.append("TRUNCATE audit_log")
    for sql in statements:
        with pytest.raises(sa.exc.DatabaseError) as err, engine.begin() as conn:
            conn.execute(sa.text(sql))
        assert "审计记录只能追加" in str(err.value)
    with engine.begin() as conn:  # appending stays possible
        conn.execute(
            sa.text("INSERT INTO audit_log (at, actor, action, entity, detail) VALUES (:at, 'x', 'note', 'db', '')"),
            {"at": "2022-06-30 00:00:00+00:00"},
        )
    engine.dispose()
    after = [(e.id, e.actor, e.action, e.new) for e in newest(office, 1000)]
    assert [row for row in after if row[1] != "x"] == before and len(after) == len(before) + 1


def test_application_offers_no_way_to_edit_audit_rows() -> None:
    public = [name for name in dir(audit) if not name.startswith("_")]
    assert not [n for n in public if any(w in n.lower() for w in ("update", "delete", "edit", "remove"))]
