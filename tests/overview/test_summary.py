"""tracker summary on the sample plan: figures by item and by department against hand-computed values."""

from __future__ import annotations

from datetime import date
from typing import Any

from tests.conftest import Cli
from tests.overview.conftest import Scenario


def _by_key(groups: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {g["key"]: g for g in groups}


def _figures(group: dict[str, Any]) -> tuple[Any, ...]:
    s = group["by_status"]
    return (
        group["total"],
        (s["not_started"], s["in_progress"], s["done"], s["suspended"]),
        group["done_rate"],
        group["average_percent"],
        group["overdue"],
        group["due_soon"],
        (
            group["lights"]["green"],
            group["lights"]["yellow"],
            group["lights"]["red"],
            group["lights"]["grey"],
        ),
        group["behind"],
        group["last_update"],
    )


def test_summary_by_item_matches_hand_computed_figures(scenario: Scenario) -> None:
    result = scenario.cli("summary", "--json")
    assert result.exit_code == 0, result.stderr
    data = result.json()
    assert data["by"] == "item" and data["weighting"] == "tasks" and data["today"] == "2022-06-15"
    groups = data["groups"]
    assert [g["key"][:3] for g in groups] == ["（一）", "（二）", "（三）", "（四）", "（五）", "（六）"]
    got = [_figures(g) for g in groups]
    # (total, (未开始, 推进中, 已完成, 暂缓), 完成率, 平均进度, 逾期, 15天内, (绿, 黄, 红, 灰), 落后, 最近更新)
    assert got == [
        (2, (0, 1, 1, 0), 50.0, 70.0, 0, 0, (2, 0, 0, 0), 0, "2022-06-01"),  # t1 done, t2 40%
        (1, (0, 1, 0, 0), 0.0, 50.0, 1, 0, (0, 0, 1, 0), 1, "2022-04-20"),  # t3 overdue
        (1, (0, 1, 0, 0), 0.0, 80.0, 0, 1, (0, 1, 0, 0), 1, "2022-06-10"),  # t4 due in 10 days, 14.3 behind
        (1, (1, 0, 0, 0), 0.0, 0.0, 0, 0, (0, 0, 1, 0), 1, None),  # t5 never reported, 45.3 behind
        (3, (0, 2, 0, 1), 0.0, 16.7, 0, 0, (0, 2, 0, 1), 2, "2022-05-20"),  # (30+20+0)/3
        (1, (0, 1, 0, 0), 0.0, 36.0, 0, 0, (1, 0, 0, 0), 0, "2022-06-12"),
    ]
    # 356/9 = 39.6 average; 1 of 9 done = 11.1%
    assert _figures(data["total"]) == (9, (1, 6, 1, 1), 11.1, 39.6, 1, 1, (3, 3, 2, 1), 5, "2022-06-12")


def test_summary_by_department_matches_hand_computed_figures(scenario: Scenario) -> None:
    data = scenario.cli("summary", "--by", "department", "--json").json()
    groups = _by_key(data["groups"])
    assert set(groups) == {"司法局", "市场监管局", "党政办公室"}
    # 司法局 leads t1–t6 and t8: (100+40+50+80+0+30+0)/7 = 42.9; 1/7 done = 14.3%
    assert _figures(groups["司法局"]) == (7, (1, 4, 1, 1), 14.3, 42.9, 1, 1, (2, 2, 2, 1), 4, "2022-06-10")
    assert groups["司法局"]["supporting"] == 1
    assert _figures(groups["市场监管局"]) == (1, (0, 1, 0, 0), 0.0, 20.0, 0, 0, (0, 1, 0, 0), 1, "2022-05-05")
    assert groups["市场监管局"]["supporting"] == 0
    assert _figures(groups["党政办公室"]) == (1, (0, 1, 0, 0), 0.0, 36.0, 0, 0, (1, 0, 0, 0), 0, "2022-06-12")
    assert data["total"]["total"] == 9


def test_department_without_update_this_month_is_listed(scenario: Scenario) -> None:
    data = scenario.cli("summary", "--json").json()
    silent = data["not_reported_this_month"]
    assert silent["since"] == "2022-06-01"
    assert [(d["name"], d["open_tasks"], d["last_update"]) for d in silent["departments"]] == [
        ("市场监管局", 1, "2022-05-05")
    ]
    text = scenario.cli("summary").stdout
    assert "本月（6月1日起）尚未报送进展的部门（1 个）" in text
    assert "市场监管局：牵头未完成任务 1 项，最近一次 2022-05-05" in text
    # A month later nobody has reported in July: every lead department with open tasks is listed.
    july = scenario.cli("summary", "--json", today=date(2022, 7, 3)).json()
    names = [d["name"] for d in july["not_reported_this_month"]["departments"]]
    assert sorted(names) == sorted(["市场监管局", "司法局", "党政办公室"])


def test_text_output_states_weighting_and_is_plain_when_piped(scenario: Scenario) -> None:
    text = scenario.cli("summary").stdout
    assert "完成率按任务个数计算" in text
    assert "序时进度灯" in text
    assert "┃" not in text and "│" not in text  # CliRunner is not a terminal: plain columns
    lines = text.splitlines()
    header = next(line for line in lines if line.startswith("事项"))
    assert header.split() == [
        "事项",
        "任务",
        "未开始",
        "推进中",
        "已完成",
        "暂缓",
        "完成率",
        "平均进度",
        "逾期",
        "15天内到期",
        "黄灯",
        "红灯",
        "最近更新",
    ]
    total = next(line for line in lines if line.startswith("合计")).split()
    assert total == ["合计", "9", "1", "6", "1", "1", "11.1%", "39.6%", "1", "1", "3", "2", "2022-06-12"]


def test_json_shape_is_documented_in_help(cli: Cli) -> None:
    help_text = cli("summary", "--help").stdout
    for name in (
        "weighting",
        "groups",
        "by_status",
        "done_rate",
        "lights",
        "behind",
        "not_reported_this_month",
    ):
        assert name in help_text


def _light_of(cli: Cli, task_id: int, today: date) -> str:
    [row] = [t for t in cli("tasks", "--json", today=today).json() if t["id"] == task_id]
    return str(row["light"])


def test_light_at_10_20_40_points_behind(sample_cli: Cli) -> None:
    """Deadline 200 days after 1 January, today 100 days in: 50% expected."""
    from tracker.services.tasks import record_progress, set_deadline
    from tracker.services.workspace import Workspace

    today = date(2022, 4, 11)  # 1 January + 100 days
    task_id = sample_cli("tasks", "--json").json()[1]["id"]
    ws = Workspace(sample_cli.db_url, today=today)
    ws.run(lambda s, a: set_deadline(s, actor=a, task_id=task_id, deadline=date(2022, 7, 20), reason="测试"))
    seen = {}
    for percent, behind in ((40, 10), (30, 20), (10, 40), (45, 5)):
        ws.run(
            lambda s, a, p=percent: record_progress(
                s, actor=a, task_id=task_id, today=today, percent=p, note=f"{p}%"
            )
        )
        seen[behind] = _light_of(sample_cli, task_id, today)
        summary = sample_cli("summary", "--json", today=today).json()
        item = next(g for g in summary["groups"] if g["key"].startswith("（一）"))
        assert item["lights"][seen[behind]] >= 1
    ws.dispose()
    assert seen == {10: "yellow", 20: "yellow", 40: "red", 5: "green"}


def test_unknown_plan_is_one_chinese_line(sample_cli: Cli) -> None:
    result = sample_cli("summary", "--plan", "1999")
    assert result.exit_code == 1
    assert result.stderr.strip() == "错误：没有 1999 年的计划（用 tracker plans 查看已有计划）"


def test_summary_all_plans_counts_every_task(scenario: Scenario) -> None:
    assert scenario.cli("demo").exit_code == 0
    tasks = len(scenario.cli("tasks", "--plan", "2022", "--json").json())
    every = sum(p["tasks"] for p in scenario.cli("plans", "--json").json())
    data = scenario.cli("summary", "--all", "--json").json()
    assert data["all_plans"] is True and data["plan"] is None
    assert data["total"]["total"] == every > tasks
    assert sum(g["total"] for g in data["groups"]) == every
