"""The ``tracker`` command on a real database: the everyday flow, and every bad input of issue 2."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from datetime import date
from pathlib import Path

import click
import pytest

from tests.conftest import Cli
from tracker.cli import COMMANDS
from tracker.cli import cli as root_group

SAMPLE_ITEM_TITLES = [
    "抓好工委全面依法治区工作推进落实",
    "完善规范性文件评估清理流程",
    "健全行政复议应诉制度体系",
    "加强依法行政宣传培训力度",
    "加大行政执法监督力度",
    "加强对法律顾问团的管理",
]


def test_every_command_has_chinese_help(cli: Cli) -> None:
    ctx = click.Context(root_group)
    for name in COMMANDS:
        command = root_group.get_command(ctx, name)
        assert command is not None
        assert command.help and any("\u4e00" <= ch <= "\u9fff" for ch in command.help), name
        result = cli(name, "--help")
        assert result.exit_code == 0, (name, result.stderr)
        assert "用法：" in result.stdout
        for param in command.params:
            if isinstance(param, click.Option) and param.name != "help":
                assert param.help, f"{name} {param.opts} has no help"


def test_import_sample_as_json(cli: Cli, sample_report: Path) -> None:
    result = cli("import", str(sample_report), "--json")
    assert result.exit_code == 0, result.stderr
    data = result.json()
    plan = data["plan"]
    assert plan["year"] == 2022
    assert plan["issuers"] == ["中共淄博市委淄博高新区工作委员会", "淄博高新技术产业开发区管理委员会"]
    assert plan["addressee"] == "市委、市政府"
    assert plan["report_date"] == "2022-01-29"
    assert plan["section_heading"] == "四、2022年推进法治政府建设的主要安排"
    items = data["items"]
    assert [i["title"] for i in items] == SAMPLE_ITEM_TITLES
    assert [i["label"] for i in items] == ["（一）", "（二）", "（三）", "（四）", "（五）", "（六）"]
    assert len(items[0]["children"]) == 2
    assert len(items[4]["children"]) == 3
    assert {"name": "出庭应诉率", "value": 100, "unit": "%"}.items() <= items[2]["targets"][0].items()
    assert items[3]["recurrence"]["rrule"] == "FREQ=YEARLY"
    tasks = [c for item in items for c in (item["children"] or [item])]
    for task in tasks:
        assert task["deadline"]["date"] == "2022-12-31"
        assert task["deadline"]["source"] == "default"
        leads = [o for o in task["owners"] if o["role"] == "lead"]
        label = task["label"]
        if leads:
            assert all(o["source"] == "suggested" for o in leads)
        else:
            assert any(u.endswith(label) for u in data["unassigned"]), label
    values = {(b["value"], b["unit"]) for b in data["baseline"]}
    assert len(data["baseline"]) >= 10
    assert {(1268, "件"), (1157, "项"), (3330, "个")} <= values


def test_dry_run_prints_tree_and_writes_nothing(cli: Cli, sample_report: Path) -> None:
    result = cli("import", str(sample_report), "--dry-run")
    assert result.exit_code == 0, result.stderr
    assert "四、2022年推进法治政府建设的主要安排" in result.stdout
    assert "（三）健全行政复议应诉制度体系" in result.stdout
    assert cli("plans").stdout.startswith("还没有计划")


def test_reimport_says_it_is_already_there(sample_cli: Cli, sample_report: Path) -> None:
    again = sample_cli("import", str(sample_report))
    assert again.exit_code == 1
    assert "已导入过" in again.stderr
    assert len(sample_cli("plans", "--json").json()) == 1


def test_demo_then_update_then_show(cli: Cli) -> None:
    demo = cli("demo", today=date(2026, 6, 30))
    assert demo.exit_code == 0, demo.stderr
    assert "演示数据" in demo.stdout
    plans = cli("plans", "--json").json()
    assert plans[0]["is_demo"] is True
    tasks = cli("tasks", "--json", today=date(2026, 6, 30)).json()
    assert len(tasks) >= 8
    assert {t["status"] for t in tasks} >= {"done", "in_progress"}  # a believable spread
    task_id = str(tasks[0]["id"])
    before = len(cli("show", task_id, "--json").json()["updates"])
    upd = cli(
        "update",
        task_id,
        "--status",
        "推进中",
        "--percent",
        "55",
        "--note",
        "完成第二轮专项检查",
        today=date(2026, 7, 1),
    )
    assert upd.exit_code == 0, upd.stderr
    shown = cli("show", task_id, "--json").json()
    assert len(shown["updates"]) == before + 1
    newest = shown["updates"][0]
    assert (newest["note"], newest["percent"], newest["status"], newest["author"]) == (
        "完成第二轮专项检查",
        55,
        "in_progress",
        "tester",
    )
    text = cli("show", task_id).stdout
    assert "完成第二轮专项检查" in text


def test_update_with_figure_and_filters(sample_cli: Cli) -> None:
    tasks = sample_cli("tasks", "--json").json()
    trial = next(t for t in tasks if t["item"]["label"] == "（三）")
    ok = sample_cli(
        "update", str(trial["id"]), "--percent", "50", "--note", "出庭应诉28件", "--figure", "出庭应诉率=100"
    )
    assert ok.exit_code == 0, ok.stderr
    shown = sample_cli("show", str(trial["id"]), "--json").json()
    assert shown["targets"][0]["latest"] == 100
    assert shown["updates"][0]["figures"] == {"出庭应诉率": 100}
    overdue = sample_cli("tasks", "--overdue", "--json", today=date(2023, 1, 15)).json()
    assert trial["id"] in {t["id"] for t in overdue}
    assert sample_cli("tasks", "--overdue", "--json", today=date(2022, 3, 1)).json() == []
    assert {t["status"] for t in sample_cli("tasks", "--status", "推进中", "--json").json()} == {
        "in_progress"
    }


def test_assign_then_filter_by_department(sample_cli: Cli) -> None:
    task_id = str(sample_cli("tasks", "--json").json()[0]["id"])
    depts = sample_cli("depts", "--json").json()
    assert len(depts) >= 5
    lead, support = depts[0]["name"], depts[1]["name"]
    result = sample_cli("assign", task_id, "--lead", lead, "--support", support)
    assert result.exit_code == 0, result.stderr
    owners = sample_cli("show", task_id, "--json").json()["owners"]
    assert owners == [
        {"department": lead, "role": "lead", "source": "assigned"},
        {"department": support, "role": "support", "source": "assigned"},
    ]
    mine = sample_cli("tasks", "--dept", lead, "--json").json()
    assert int(task_id) in {t["id"] for t in mine}


# --- bad input: one Chinese line on stderr, exit 1 (2 for usage), nothing written ---------------------


def _one_error_line(result: object) -> str:
    stderr = result.stderr.strip().splitlines()  # type: ignore[attr-defined]
    assert stderr and stderr[-1].startswith("错误："), stderr
    assert "Traceback" not in result.stderr  # type: ignore[attr-defined]
    return stderr[-1]


def test_missing_file(cli: Cli, tmp_path: Path) -> None:
    result = cli("import", str(tmp_path / "没有这个文件.txt"))
    assert result.exit_code == 1
    assert "文件不存在" in _one_error_line(result)


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("empty.txt", b"", "空"),
        ("binary.txt", bytes(range(256)) * 20, "编码"),
        ("nosection.txt", "关于2021年度工作的报告\n\n今年我们做了很多工作。\n特此报告。\n".encode(), "安排"),
        ("picture.docx", b"\x89PNG\r\n\x1a\n" + b"\x00" * 200, "Word"),
    ],
    ids=["empty", "binary", "no-section", "image-as-docx"],
)
def test_bad_files_write_nothing(cli: Cli, tmp_path: Path, name: str, content: bytes, words: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    result = cli("import", str(path))
    assert result.exit_code == 1
    assert words in _one_error_line(result)
    assert cli("plans", "--json").json() == []


def test_unknown_task_department_and_bad_values(sample_cli: Cli) -> None:
    task_id = str(sample_cli("tasks", "--json").json()[0]["id"])
    before = sample_cli("show", task_id, "--json").json()
    cases = [
        (("show", "9999"), 1, "没有编号为 9999 的任务"),
        (("tasks", "--dept", "不存在局"), 1, "未知的部门"),
        (("assign", task_id, "--lead", "不存在局"), 1, "未知的部门"),
        (("update", task_id, "--percent", "120", "--note", "x"), 1, "0–100"),
        (("update", task_id, "--status", "差不多"), 1, "未知的状态"),
        (("update", task_id, "--status", "已完成"), 1, "完成情况"),
        (("update", task_id, "--deadline", "2022/13/45", "--reason", "x"), 1, "日期格式不正确"),
        (("update", task_id, "--figure", "abc"), 2, "名称=数值"),
        (("tasks", "--plan", "1999"), 1, "没有 1999 年的计划"),
        (("tasks", "--bogus"), 2, "没有这个选项"),
    ]
    for args, code, words in cases:
        result = sample_cli(*args)
        assert result.exit_code == code, (args, result.stderr)
        assert words in _one_error_line(result), (args, result.stderr)
    after = sample_cli("show", task_id, "--json").json()
    assert after == before


def test_locked_database_gives_one_line_and_changes_nothing(
    sqlite_url: str, sample_report: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """File locking is SQLite's: this runs on a SQLite file in either backend's run."""
    import tracker.db

    sample_cli = Cli(sqlite_url)
    assert sample_cli("import", str(sample_report)).exit_code == 0
    monkeypatch.setattr(tracker.db, "SQLITE_BUSY_TIMEOUT_MS", 200)
    task_id = str(sample_cli("tasks", "--json").json()[0]["id"])
    path = sample_cli.db_url.removeprefix("sqlite:///")
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        result = sample_cli("update", task_id, "--percent", "30", "--note", "被锁住时的记录")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert result.exit_code == 1
    assert "锁定" in _one_error_line(result)
    assert sample_cli("show", task_id, "--json").json()["updates"] == []


def test_newer_schema_is_refused(cli: Cli) -> None:
    import sqlalchemy as sa

    assert cli("plans").exit_code == 0
    engine = sa.create_engine(cli.db_url)
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE alembic_version SET version_num = 'ffffffffffff'"))
    engine.dispose()
    result = cli("plans")
    assert result.exit_code == 1
    assert "比本程序新" in _one_error_line(result)


def test_not_a_database(tmp_path: Path) -> None:
    bogus = tmp_path / "notes.db"
    bogus.write_text("这不是数据库" * 100, encoding="utf-8")
    result = Cli(f"sqlite:///{bogus}")("plans")
    assert result.exit_code == 1
    assert "不是" in _one_error_line(result)


def test_import_of_a_plan_naming_no_year_follows_today(cli: Cli, tmp_path: Path) -> None:
    """A plan document that names no year at all is for the year of --today, and the user is told so."""
    path = tmp_path / "实施方案.txt"
    path.write_text(
        "示范区依法行政实施方案\n为推进依法行政，制定本方案。\n一、主要任务\n"
        "1.修订行政规范性文件管理办法。6月底前完成。（责任单位：区司法局）\n"
        "2.开展执法案卷评查。每季度开展一次。（责任单位：区司法局）\n",
        encoding="utf-8",
    )
    result = cli("import", str(path), "--dry-run", "--json", today=date(2031, 3, 1))
    assert result.exit_code == 0, result.stderr
    data = result.json()
    assert data["plan"]["year"] == 2031
    assert [i["deadline"]["date"] for i in data["items"]] == ["2031-06-30", "2031-12-31"]
    assert any("没有写明年份" in w for w in data["warnings"])


def test_every_date_and_cadence_of_a_task_is_shown(cli: Cli, tmp_path: Path) -> None:
    """ "3月底前开工，6月底前完成" and "周调度、月通报、季观摩": the user sees the milestone and all three cadences."""
    path = tmp_path / "报告.txt"
    path.write_text(
        "示范区司法局关于2025年度法治政府建设情况的报告\n一、2025年主要工作\n（一）依法履职。办理案件48件。\n"
        "二、2026年工作安排\n（一）推进重点项目。3月底前全部开工，6月底前完成主体工程，实行周调度、月通报、季观摩。\n"
        "（二）加强普法宣传。全年开展活动不少于120场。\n特此报告。\n示范区司法局\n2026年1月8日\n",
        encoding="utf-8",
    )
    shown = cli("import", str(path), "--dry-run")
    assert shown.exit_code == 0, shown.stderr
    assert "时限：2026-06-30（原文，6月底前）" in shown.stdout
    assert "节点：2026-03-31（3月底前）" in shown.stdout
    assert "周期：周调度、月通报、季观摩" in shown.stdout
    data = cli("import", str(path), "--dry-run", "--json").json()
    first = data["items"][0]
    assert [r["text"] for r in first["recurrences"]] == ["周调度", "月通报", "季观摩"]
    assert [d["date"] for d in first["deadlines"]] == ["2026-03-31", "2026-06-30"]
    assert "recurrences" not in data["items"][1]  # one cadence or none: the key is left out
    assert cli("import", str(path)).exit_code == 0
    task_id = cli("tasks", "--json").json()[0]["id"]
    assert "周调度、月通报、季观摩" in cli("show", str(task_id)).stdout


def _chinese_as_is(stdout: str) -> None:
    json.loads(stdout)  # still valid JSON
    assert "\\u" not in stdout, stdout[:300]
    assert any("\u4e00" <= ch <= "\u9fff" for ch in stdout), stdout[:300]


def test_every_json_output_prints_chinese_as_is(sample_cli: Cli, sample_report: Path) -> None:
    """``--json`` is read by people too (and by tools that expect UTF-8): 司法局, never \\u53f8\\u6cd5\\u5c40."""
    cli = sample_cli
    assert cli("update", "1", "--percent", "30", "--note", "已召开专题会议").exit_code == 0
    assert cli("instruct", "1", "请抓紧推进").exit_code == 0
    for args in (
        ("show", "1", "--json"),
        ("tasks", "--json"),
        ("summary", "--json"),
        ("remind", "--json"),
        ("depts", "--json"),
        ("plans", "--json"),
        ("log", "--json"),
        ("whoami", "--json"),
        ("import", str(sample_report), "--dry-run", "--json"),
    ):
        result = cli(*args)
        assert result.exit_code == 0, (args, result.stderr)
        _chinese_as_is(result.stdout)
    shown = json.loads(cli("show", "1", "--json").stdout)
    assert shown["instructions"][0]["text"] == "请抓紧推进"
    assert shown["updates"][0]["author_name"] == "tester"  # no display name set: the login


def test_show_json_in_a_real_process_with_a_plain_locale(sample_cli: Cli) -> None:
    env = {**os.environ, "LANG": "C", "LC_ALL": "C", "TRACKER_USER": "tester"}
    env.pop("PYTHONIOENCODING", None)
    done = subprocess.run(
        [sys.executable, "-m", "tracker", "--db", sample_cli.db_url, "show", "1", "--json"],
        capture_output=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    stdout = done.stdout.decode("utf-8")
    _chinese_as_is(stdout)
    assert "全面贯彻落实" in stdout
