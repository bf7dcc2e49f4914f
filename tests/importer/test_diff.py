"""Re-import of an edited source: items and points added, removed and reworded; matches carry progress over."""

from __future__ import annotations

from tracker.importer.diff import diff_plans
from tracker.importer.directory import DepartmentDirectory
from tracker.importer.model import ParsedPlan
from tracker.importer.parse import parse_report


def test_same_text_has_no_changes(
    sample_plan: ParsedPlan, sample_text: str, directory: DepartmentDirectory
) -> None:
    again = parse_report(sample_text, directory=directory)
    diff = diff_plans(sample_plan, again)
    assert not diff.changed
    assert diff.describe() == "与已导入的计划相比没有变化。"
    assert len(diff.matches()) == len(sample_plan.items) + sum(len(i.children) for i in sample_plan.items)


def test_edited_report(sample_plan: ParsedPlan, sample_text: str, directory: DepartmentDirectory) -> None:
    edited = (
        sample_text
        # reworded title of （二）
        .replace("（二）完善规范性文件评估清理流程。", "（二）完善行政规范性文件评估和清理流程。")
        # （五） loses its third point
        .replace("三是持续推进行政指导工作。", "")
        # a new item at the end
        .replace(
            "（六）加强对法律顾问团的管理。",
            "（七）推进法治宣传教育。每年开展宪法宣传周活动，落实谁执法谁普法责任制。\n（六）加强对法律顾问团的管理。",
        )
    )
    new = parse_report(edited, directory=directory)
    diff = diff_plans(sample_plan, new)
    assert diff.changed
    assert [c.new_key for c in diff.added] == ["（七）"]
    assert [c.old_key for c in diff.reworded if c.level == "item"][:1] == ["（二）"]
    assert any(c.old_key == "（五）三是" for c in diff.reworded + diff.removed)
    # every old task that still exists is matched to its new version
    pairs = {(o.label, o.title) for o, _ in diff.matches()}
    assert ("（六）", "加强对法律顾问团的管理") in pairs
    text = diff.describe()
    assert text.startswith("与已导入的计划相比：新增 1 项")
    assert "（七）" in text and "改写" in text
    assert "\n" in text  # one line per change


def test_renumbered_items_keep_identity(
    sample_plan: ParsedPlan, sample_text: str, directory: DepartmentDirectory
) -> None:
    # a new item inserted first: every old item moves down one number but is still the same task
    head, tail = sample_text.split("四、2022年推进法治政府建设的主要安排\n")
    for n_old, n_new in zip("六五四三二一", "七六五四三二", strict=True):
        tail = tail.replace(f"（{n_old}）", f"（{n_new}）")
    tail = "（一）加强党对法治政府建设的领导。召开工委会专题研究法治建设。\n" + tail
    new = parse_report(head + "四、2022年推进法治政府建设的主要安排\n" + tail, directory=directory)
    assert [i.label for i in new.items][-1] == "（七）"
    diff = diff_plans(sample_plan, new)
    matched = {o.label: n.label for o, n in diff.matches() if o in sample_plan.items}
    assert matched == {
        "（一）": "（二）",
        "（二）": "（三）",
        "（三）": "（四）",
        "（四）": "（五）",
        "（五）": "（六）",
        "（六）": "（七）",
    }
    assert {c.kind for c in diff.changes if c.level == "item" and c.old is not None} == {"renumbered"}
    assert "编号变化：（一） → （二） 抓好工委全面依法治区工作推进落实" in diff.describe()
    assert [c.new.title for c in diff.added if c.new] == ["加强党对法治政府建设的领导"]
    assert not diff.removed
