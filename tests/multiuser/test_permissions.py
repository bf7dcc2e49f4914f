"""Every permission rule, allowed and refused, through the services and through the ``tracker`` command.

A refusal is a PermissionDenied with one Chinese line and leaves the database exactly as it was.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from tests.multiuser.conftest import (
    ADMIN,
    DISABLED,
    LEAD_STAFF,
    LEADER,
    OUTSIDER,
    SUPPORT_STAFF,
    TODAY,
    Office,
    office_plan,
)
from tracker.errors import PermissionDenied
from tracker.services import backup, plans, tasks, users

Work = Callable[[Any, Any], Any]


def snapshot(office: Office) -> tuple[dict[str, int], list[tuple[int, int, str, int]]]:
    """Row counts of every table and every task's version/status/percent: what 'nothing written' means."""
    ws = office.ws(ADMIN)
    counts = ws.run_anonymous(backup.table_counts)
    rows = ws.run(lambda s, _a: tasks.list_tasks(s, today=TODAY, all_plans=True))
    return counts, [(r.id, r.version, r.status, r.percent) for r in rows]


def progress(task: int, **kw: Any) -> Work:
    kw.setdefault("percent", 30)
    kw.setdefault("note", "召开推进会")
    return lambda s, a: tasks.record_progress(s, actor=a, task_id=task, today=TODAY, **kw)


# (rule, who may, work) — each case is run by an allowed user and by every refused user.
def cases(o: Office) -> list[tuple[str, Work, list[str], list[str]]]:
    done = {"status": "已完成", "note": "已全部完成", "percent": None}
    return [
        ("staff record progress on a task their department leads", progress(o.lead_task), [LEAD_STAFF, ADMIN],
         [LEADER, OUTSIDER, DISABLED]),
        ("staff record progress on a task their department supports", progress(o.lead_task), [SUPPORT_STAFF],
         []),
        ("staff may not record progress on another department's task", progress(o.other_task),
         [SUPPORT_STAFF], [LEAD_STAFF, OUTSIDER, LEADER]),
        ("only the lead department marks a task done", progress(o.lead_task, **done), [LEAD_STAFF, ADMIN],
         [SUPPORT_STAFF, LEADER]),
        ("only the lead department asks to defer (暂缓)",
         progress(o.lead_task, status="暂缓", reason="上级政策调整"), [LEAD_STAFF], [SUPPORT_STAFF, LEADER]),
        ("only the lead department moves the deadline",
         progress(o.lead_task, new_deadline=date(2023, 3, 31), reason="需跨年度推进"), [LEAD_STAFF],
         [SUPPORT_STAFF, OUTSIDER]),
        ("leaders add an instruction (批示)",
         lambda s, a: tasks.add_instruction(s, actor=a, task_id=o.lead_task, text="请加快进度"), [LEADER, ADMIN],
         [LEAD_STAFF, SUPPORT_STAFF]),
        ("only admins import plans",
         lambda s, a: plans.import_plan(s, actor=a, parsed=_another_plan()), [ADMIN],
         [LEADER, LEAD_STAFF]),
        ("only admins assign owners",
         lambda s, a: tasks.assign_owners(s, actor=a, task_id=o.other_task, lead=["区教育局"]), [ADMIN],
         [LEADER, SUPPORT_STAFF]),
        ("only admins confirm suggested owners",
         lambda s, a: tasks.confirm_owners(s, actor=a, task_id=o.lead_task), [ADMIN], [LEADER, LEAD_STAFF]),
        ("only admins change deadlines",
         lambda s, a: tasks.set_deadline(s, actor=a, task_id=o.lead_task, deadline=date(2022, 9, 30)), [ADMIN],
         [LEADER, LEAD_STAFF]),
        ("only admins set a recurrence",
         lambda s, a: tasks.set_recurrence(s, actor=a, task_id=o.lead_task, rule="每季度"), [ADMIN],
         [LEADER, LEAD_STAFF]),
        ("only admins add users",
         lambda s, a: users.add_user(s, actor=a, login="xin", role="staff", departments=["区司法局"]), [ADMIN],
         [LEADER, LEAD_STAFF]),
        ("only admins disable users",
         lambda s, a: users.disable_user(s, actor=a, login=OUTSIDER), [ADMIN], [LEADER, SUPPORT_STAFF]),
    ]


def _another_plan() -> Any:
    parsed = office_plan()
    parsed.source_hash = "h-another"
    parsed.year = 2023
    return parsed


CASE_NAMES = [c[0] for c in cases(Office("", 1, 2, 3))]


@pytest.mark.parametrize("rule", CASE_NAMES)
def test_rule_refuses_then_allows(office: Office, rule: str) -> None:
    [(_, work, allowed, refused)] = [c for c in cases(office) if c[0] == rule]
    before = snapshot(office)
    for login in refused:
        with pytest.raises(PermissionDenied) as err:
            office.ws(login).run(work)
        assert "\n" not in err.value.message and err.value.message
        assert snapshot(office) == before, f"{login} was refused but something was written"
    for login in allowed[:1]:
        counts_before = before[0]["audit_log"]
        office.ws(login).run(work)
        after = snapshot(office)
        assert after != before
        assert after[0]["audit_log"] > counts_before, "an allowed write left no audit row"


def test_every_allowed_user_of_a_rule_succeeds(office: Office) -> None:
    """The allowed lists beyond the first user, each on a fresh office state where needed."""
    office.ws(ADMIN).run(progress(office.lead_task))
    office.ws(LEAD_STAFF).run(progress(office.lead_task, percent=40))
    office.ws(SUPPORT_STAFF).run(progress(office.lead_task, percent=50))
    office.ws(ADMIN).run(lambda s, a: tasks.add_instruction(s, actor=a, task_id=office.lead_task, text="代领导批示"))


def test_disabled_and_unknown_users_cannot_even_read(office: Office) -> None:
    for login, words in ((DISABLED, "已停用"), ("stranger", "不是 tracker 用户")):
        with pytest.raises(PermissionDenied, match=words):
            office.ws(login).run(lambda s, _a: tasks.list_tasks(s, today=TODAY))


def test_leader_reads_everything(office: Office) -> None:
    rows = office.ws(LEADER).run(lambda s, _a: tasks.list_tasks(s, today=TODAY))
    assert {office.lead_task, office.other_task, office.extra_task} <= {r.id for r in rows}
    detail = office.ws(LEADER).run(lambda s, _a: tasks.get_task_detail(s, task_id=office.other_task, today=TODAY))
    assert detail.row.id == office.other_task


def test_as_is_only_for_admins_and_is_named_in_the_audit(office: Office) -> None:
    with pytest.raises(PermissionDenied, match="只有管理员"):
        office.ws(LEAD_STAFF, as_user=SUPPORT_STAFF).actor()
    ws = office.ws(ADMIN, as_user=LEAD_STAFF)
    update = ws.run(progress(office.lead_task, note="代为录入"))
    assert update.author == LEAD_STAFF
    from tracker.services.audit import describe as audit_line
    from tracker.services.audit import list_entries

    [entry] = ws.run(lambda s, _a: list_entries(s, task_id=office.lead_task))
    assert entry.actor == LEAD_STAFF and f"由 {ADMIN} 代为操作" in entry.detail
    assert audit_line(entry).endswith(f"（由 {ADMIN} 代为操作）") and "进度 0% → 30%" in audit_line(entry)
    # acting as a leader, the admin has only the leader's rights
    with pytest.raises(PermissionDenied):
        office.ws(ADMIN, as_user=LEADER).run(progress(office.lead_task))


def test_backup_dump_and_load_are_for_admins(office: Office, tmp_path: Path) -> None:
    ws = office.ws(LEADER)
    with pytest.raises(PermissionDenied):
        ws.run(lambda s, a: backup.dump(s, actor=a, target=tmp_path / "x.json"))
    with pytest.raises(PermissionDenied):
        ws.run(lambda s, a: backup.load(s, actor=a, source=tmp_path / "x.json"))
    assert not (tmp_path / "x.json").exists()
    if office.url.startswith("sqlite"):
        with pytest.raises(PermissionDenied):
            backup.backup_sqlite(ws.engine, actor=ws.actor(), target=tmp_path / "b.db")
        with pytest.raises(PermissionDenied):
            backup.restore_sqlite(ws.engine, actor=ws.actor(), source=tmp_path / "b.db")


def test_single_user_mode_until_the_first_user(db_url: str) -> None:
    from tracker.services.workspace import Workspace

    ws = Workspace(db_url, login="laozhang", today=TODAY)
    me = ws.run(lambda s, a: users.whoami(s, actor=a))
    assert me.single_user and me.role == "admin"
    from tracker.errors import ValidationError

    with pytest.raises(ValidationError, match="第一个用户必须是管理员"):
        ws.run(lambda s, a: users.add_user(s, actor=a, login="xiaoli", role="leader"))
    ws.run(lambda s, a: users.add_user(s, actor=a, login="laozhang", role="admin"))
    ws.forget_actor()
    assert not ws.run(lambda s, a: users.whoami(s, actor=a)).single_user
    with pytest.raises(PermissionDenied, match="不是 tracker 用户"):
        Workspace(db_url, login="xiaoli").actor()
    ws.dispose()


def test_the_last_admin_cannot_be_disabled(office: Office) -> None:
    from tracker.errors import ValidationError

    with pytest.raises(ValidationError, match="唯一的管理员"):
        office.ws(ADMIN).run(lambda s, a: users.disable_user(s, actor=a, login=ADMIN))


def test_passwords_are_salted_scrypt_and_verified(office: Office) -> None:
    ws = office.ws(ADMIN)
    ws.run(lambda s, a: users.set_password(s, actor=a, login=LEAD_STAFF, password="s3cret-口令"))
    # a user sets their own; nobody else but an admin may
    office.ws(SUPPORT_STAFF).run(lambda s, a: users.set_password(s, actor=a, login=SUPPORT_STAFF, password="abcdef"))
    with pytest.raises(PermissionDenied):
        office.ws(SUPPORT_STAFF).run(lambda s, a: users.set_password(s, actor=a, login=LEAD_STAFF, password="xxxxxx"))
    stored = ws.run(lambda s, _a: users.get_user(s, login=LEAD_STAFF).password_hash)
    assert stored and stored.startswith("scrypt$") and "s3cret" not in stored
    assert users.hash_password("s3cret-口令") != users.hash_password("s3cret-口令")  # salted
    assert ws.run(lambda s, _a: users.authenticate(s, login=LEAD_STAFF, password="s3cret-口令")).login == LEAD_STAFF
    for login, password in ((LEAD_STAFF, "wrong-one"), (LEADER, "anything"), ("nobody", "s3cret-口令")):
        with pytest.raises(PermissionDenied, match="用户名或密码不正确"):
            ws.run(lambda s, _a, who=login, p=password: users.authenticate(s, login=who, password=p))


# ---------------------------------------------------------------- the same rules through the CLI

CLI_CASES = [
    # (what, argv built from the office, allowed user, refused user, refusal words)
    ("progress", lambda o: ["update", str(o.lead_task), "--percent", "30", "--note", "推进"], SUPPORT_STAFF, OUTSIDER,
     "不由您所在的部门"),
    ("done", lambda o: ["update", str(o.lead_task), "--status", "已完成", "--note", "完成"], LEAD_STAFF, SUPPORT_STAFF,
     "只有牵头单位"),
    ("defer", lambda o: ["update", str(o.lead_task), "--status", "暂缓", "--reason", "政策调整"], LEAD_STAFF,
     SUPPORT_STAFF, "只有牵头单位"),
    ("leader writes", lambda o: ["update", str(o.lead_task), "--percent", "30", "--note", "推进"], LEAD_STAFF, LEADER,
     "领导账号只能查阅和批示"),
    ("instruction", lambda o: ["instruct", str(o.lead_task), "请加快进度"], LEADER, LEAD_STAFF, "只有领导"),
    ("assign", lambda o: ["assign", str(o.other_task), "--lead", "区教育局"], ADMIN, LEADER, "只有管理员"),
    ("user add", lambda o: ["user", "add", "xin", "--role", "staff", "--dept", "区司法局"], ADMIN, LEAD_STAFF,
     "只有管理员"),
    ("user disable", lambda o: ["user", "disable", OUTSIDER], ADMIN, LEADER, "只有管理员"),
    ("as", lambda o: ["--as", LEAD_STAFF, "update", str(o.lead_task), "--percent", "30", "--note", "代录"], ADMIN,
     SUPPORT_STAFF, "只有管理员可以使用 --as"),
]


@pytest.mark.parametrize("what", [c[0] for c in CLI_CASES])
def test_cli_refuses_with_one_line_then_allows(office: Office, what: str) -> None:
    [(_, argv, allowed, refused, words)] = [c for c in CLI_CASES if c[0] == what]
    args = argv(office)
    before = snapshot(office)
    result = office.cli(refused)(*args)
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("错误：") and words in lines[0], result.stderr
    assert snapshot(office) == before
    result = office.cli(allowed)(*args)
    assert result.exit_code == 0, result.stderr
    assert snapshot(office) != before


def test_cli_whoami_and_user_list(office: Office) -> None:
    me = office.cli(SUPPORT_STAFF)("whoami", "--json").json()
    assert me == {
        "login": SUPPORT_STAFF, "role": "staff", "role_label": "工作人员", "departments": ["区市场监管局"],
        "single_user": False, "via": None,
    }
    listed = {u["login"]: u for u in office.cli(LEADER)("user", "list", "--json").json()}
    assert listed[DISABLED]["active"] is False and listed[LEAD_STAFF]["departments"] == ["区司法局"]
    text = office.cli(LEADER)("user", "list").stdout
    assert "已停用" in text and "工作人员" in text


def test_cli_password_is_prompted_never_echoed(office: Office) -> None:
    result = office.cli(ADMIN)("user", "add", "mima", "--role", "leader", "--password", input="pass-1234\npass-1234\n")
    assert result.exit_code == 0, result.stderr
    assert "pass-1234" not in result.stdout + result.stderr
    listed = {u["login"]: u for u in office.cli(ADMIN)("user", "list", "--json").json()}
    assert listed["mima"]["has_password"] is True
