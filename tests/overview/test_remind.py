"""tracker remind: per lead department, what is overdue, due soon, or quiet for 30 days."""

from __future__ import annotations

from pathlib import Path

from tests.overview.conftest import Scenario


def test_remind_lists_each_department_under_the_right_headings(scenario: Scenario) -> None:
    t3, t4, t5, t7 = (scenario.ids[i] for i in (2, 3, 4, 6))
    data = scenario.cli("remind", "--json").json()
    by_dept = {d["department"]: d for d in data["departments"]}
    # in name order; 党政办公室 reported three days ago and has nothing due
    assert list(by_dept) == ["司法局", "市场监管局"]
    justice = by_dept["司法局"]
    assert [e["task_id"] for e in justice["overdue"]] == [t3]
    assert [e["task_id"] for e in justice["due_soon"]] == [t4]
    assert [e["task_id"] for e in justice["quiet"]] == [t5]  # never reported since 1 January
    market = by_dept["市场监管局"]
    assert (market["overdue"], market["due_soon"]) == ([], [])
    assert [e["task_id"] for e in market["quiet"]] == [t7]  # last update 2022-05-05, 41 days ago
    assert market["quiet"][0]["supports"] == ["司法局"]


def test_remind_text_reads_as_a_reminder(scenario: Scenario) -> None:
    t3, t4, t5 = scenario.ids[2], scenario.ids[3], scenario.ids[4]
    result = scenario.cli("remind")
    assert result.exit_code == 0, result.stderr
    text = result.stdout
    assert "# 催办单：司法局" in text and "# 催办单：市场监管局" in text
    assert "## 已逾期未完成（1 项）" in text
    assert (
        f"[{t3}] （二） 完善规范性文件评估清理流程（完成时限 2022-05-31，已逾期 15 天；推进中 50%；最近进展 2022-04-20（56 天前））"
        in text
    )
    assert "## 15 天内到期（1 项）" in text
    assert f"[{t4}] （三） 健全行政复议应诉制度体系（完成时限 2022-06-25，还剩 10 天" in text
    assert "## 超过 30 天没有进展记录（1 项）" in text
    assert (
        f"[{t5}] （四） 加强依法行政宣传培训力度（完成时限 2022-12-31，还剩 199 天；未开始 0%；从未记录进展）"
        in text
    )
    assert "党政办公室" not in text


def test_remind_days_narrows_due_soon(scenario: Scenario) -> None:
    data = scenario.cli("remind", "--days", "5", "--json").json()
    justice = next(d for d in data["departments"] if d["department"] == "司法局")
    assert justice["due_soon"] == []  # 10 days away is beyond 5


def test_remind_out_writes_one_markdown_file_per_department(scenario: Scenario, tmp_path: Path) -> None:
    out = tmp_path / "催办"
    result = scenario.cli("remind", "--out", str(out))
    assert result.exit_code == 0, result.stderr
    files = sorted(p.name for p in out.iterdir())
    assert files == sorted(["催办单-司法局-2022-06-15.md", "催办单-市场监管局-2022-06-15.md"])
    text = (out / "催办单-市场监管局-2022-06-15.md").read_text(encoding="utf-8")
    assert text.startswith("# 催办单：市场监管局\n")
    assert "截至 2022年6月15日，请贵单位对以下 1 项任务抓紧推进" in text
    assert "严格执行企业免检免扰制度和涉企执法检查制度" in text
    assert "最近进展 2022-05-05（41 天前）；配合单位：司法局" in text
    assert (
        "已为 2 个部门生成催办单" in result.stdout and "催办单-司法局-2022-06-15.md（3 项）" in result.stdout
    )


def test_remind_negative_days_is_a_usage_error(scenario: Scenario) -> None:
    result = scenario.cli("remind", "--days", "-1")
    assert result.exit_code == 2
