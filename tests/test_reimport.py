"""Re-importing an edited version of a plan's source: differences shown, applied with --update, progress kept."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import Cli


def _edited(sample: Path, tmp_path: Path) -> Path:
    text = sample.read_text(encoding="utf-8")
    # reword (六), remove (四), add a (七)
    text = text.replace("（六）加强对法律顾问团的管理。", "（六）规范法律顾问团的管理和考核。")
    start = text.index("（四）加强依法行政宣传培训力度")
    end = text.index("（五）加大行政执法监督力度")
    text = text[:start] + text[end:]
    text = text.replace("（五）加大行政执法监督力度", "（四）加大行政执法监督力度").replace(
        "（六）规范法律顾问团", "（五）规范法律顾问团"
    )
    text = text.replace(
        "\n特此报告。",
        "（六）推进法治乡村建设。年底前培育法治带头人和法律明白人，实现村居全覆盖。\n\n特此报告。",
    )
    path = tmp_path / "2021-report-edited.txt"
    path.write_text(text, encoding="utf-8")
    return path


def test_edited_version_is_shown_then_applied_keeping_progress(
    sample_cli: Cli, sample_report: Path, tmp_path: Path
) -> None:
    tasks = sample_cli("tasks", "--json").json()
    by_item = {t["item"]["label"]: t for t in tasks}
    training = by_item["（四）"]  # will be removed from the text, but has progress
    counsel = by_item["（六）"]  # will be reworded
    assert sample_cli("update", str(training["id"]), "--percent", "40", "--note", "举办培训两期").exit_code == 0
    assert sample_cli("update", str(counsel["id"]), "--percent", "30", "--note", "修订服务规范").exit_code == 0
    edited = _edited(sample_report, tmp_path)

    plain = sample_cli("import", str(edited))
    assert plain.exit_code == 1
    assert "--update" in plain.stderr and "新增 1 项" in plain.stdout and "删除 1 项" in plain.stdout
    assert len(sample_cli("plans", "--json").json()) == 1

    tasks = sample_cli("tasks", "--json").json()
    preview = sample_cli("import", str(edited), "--update", "--dry-run")
    assert preview.exit_code == 0, preview.stderr
    assert "规范法律顾问团的管理和考核" in preview.stdout
    assert sample_cli("tasks", "--json").json() == tasks  # dry run wrote nothing

    applied = sample_cli("import", str(edited), "--update")
    assert applied.exit_code == 0, applied.stderr
    assert "保留的任务" in applied.stdout
    after = sample_cli("tasks", "--json").json()
    titles = {t["id"]: t["title"] for t in after}
    assert titles[counsel["id"]] == "规范法律顾问团的管理和考核"
    assert sample_cli("show", str(counsel["id"]), "--json").json()["updates"][0]["note"] == "修订服务规范"
    assert training["id"] in titles  # removed from the text but kept: it has progress
    assert sample_cli("show", str(training["id"]), "--json").json()["updates"][0]["note"] == "举办培训两期"
    assert "推进法治乡村建设" in {t["item"]["title"] for t in after}
    assert len(sample_cli("plans", "--json").json()) == 1
    log = sample_cli("log", "--json").json()
    assert any(entry["action"] == "reimport" for entry in log)


def test_a_reworded_task_follows_its_new_target_and_deadline(
    sample_cli: Cli, sample_report: Path, tmp_path: Path
) -> None:
    """（三）'s 出庭应诉率 goes from 100% to 98% with a 9月底前 time limit: the task takes both, and the figure
    recorded against the target stays with it; a deadline a person assigned is not overwritten."""
    tasks = sample_cli("tasks", "--json").json()
    appeals = next(t for t in tasks if t["item"]["label"] == "（三）")
    assert sample_cli("update", str(appeals["id"]), "--figure", "出庭应诉率=96", "--note", "上半年统计").exit_code == 0
    text = sample_report.read_text(encoding="utf-8")
    old = next(line for line in text.split("\n") if line.strip().startswith("（三）健全行政复议应诉制度体系"))
    assert "100%" in old
    new = old.replace("100%", "98%").rstrip().rstrip("。") + "，9月底前完成。"
    rules = next(t for t in tasks if t["item"]["label"] == "（二）")
    moved = sample_cli("update", str(rules["id"]), "--deadline", "2022-11-15", "--reason", "与市级清理同步")
    assert moved.exit_code == 0, moved.stderr
    text = text.replace("（二）完善规范性文件评估清理流程。", "（二）完善规范性文件评估清理流程。6月底前完成清理。")
    edited = tmp_path / "2021-report-edited.txt"
    edited.write_text(text.replace(old, new), encoding="utf-8")
    assert sample_cli("import", str(edited), "--update").exit_code == 0
    shown = sample_cli("show", str(appeals["id"]), "--json").json()
    assert [(t["name"], t["value"], t["latest"]) for t in shown["targets"]] == [("出庭应诉率", 98, 96)]
    assert (shown["deadline"], shown["deadline_source"]) == ("2022-09-30", "text")
    kept = sample_cli("show", str(rules["id"]), "--json").json()
    assert "6月底前完成清理" in kept["text"]  # reworded, and still the date a person set
    assert (kept["deadline"], kept["deadline_source"]) == ("2022-11-15", "assigned")
