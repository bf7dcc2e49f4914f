"""The Markdown draft says what the .docx says; both drafts, imported with `tracker import`, give next year's plan
made of the carried-over items; the command's options and errors."""

from __future__ import annotations

import re
from pathlib import Path

import docx
import pytest

from tests.report.conftest import Recorded


def draft(recorded: Recorded, out: Path, *extra: str) -> Path:
    result = recorded.cli(
        "draft", "--plan", "2022", "--as-of", recorded.as_of.isoformat(), "--out", str(out), *extra
    )
    assert result.exit_code == 0, result.stderr
    return out


def markdown_paragraphs(text: str) -> list[str]:
    """Blocks of the Markdown body as plain text: no #, **, footnote marks; the footnotes themselves dropped."""
    out = []
    for block in text.split("\n\n"):
        block = block.strip()
        if not block or block.startswith("[^"):
            continue
        block = re.sub(r"^#+\s*", "", block)
        block = re.sub(r"\[\^\d+\]$", "", block).replace("**", "")
        out.append(block)
    return out


def expected_carried_items(recorded: Recorded) -> list[str]:
    """Items of the 2022 plan with a task unfinished as of the date, or recurring: what 2023 should continue.

    All records of the scenario are dated before the as-of date, so today's status is the status then."""
    items: dict[str, bool] = {}
    for row in recorded.cli("tasks", "--plan", "2022", "--json").json():
        carried = row["status"] != "done" or bool(row["recurrence"])
        items[row["item"]["title"]] = items.get(row["item"]["title"], False) or carried
    return [title for title, carried in items.items() if carried]


def test_markdown_has_the_same_paragraphs_as_the_docx_with_footnotes(
    recorded: Recorded, tmp_path: Path
) -> None:
    md = draft(recorded, tmp_path / "draft.md").read_text(encoding="utf-8")
    document = docx.Document(str(draft(recorded, tmp_path / "draft.docx")))
    assert markdown_paragraphs(md) == [p.text for p in document.paragraphs if p.text.strip()]
    assert "# 关于2022年度法治政府建设工作的报告[^3]" in md
    assert "## 四、2023年推进法治政府建设的主要安排" in md
    # One footnote per paragraph, each naming its sources.
    marks = re.findall(r"\[\^(\d+)\](?!:)", md)
    notes = dict(re.findall(r"^\[\^(\d+)\]: (.+)$", md, flags=re.M))
    assert marks and sorted(marks, key=int) == sorted(notes, key=int)
    assert all(note.startswith("来源：") for note in notes.values())
    assert any(re.search(r"任务#\d+.*进展#\d+", note) for note in notes.values())


def test_markdown_with_trace_has_an_appendix_instead_of_footnotes(recorded: Recorded, tmp_path: Path) -> None:
    md = draft(recorded, tmp_path / "draft.md", "--trace").read_text(encoding="utf-8")
    assert "[^" not in md
    body, appendix = md.split("## 附：来源追溯")
    assert body.rstrip().endswith("2023年1月10日\n\n---")
    rows = [line for line in appendix.splitlines() if line.startswith("| ") and "---" not in line][1:]
    assert len(rows) == len(markdown_paragraphs(body)) - 1  # every paragraph but the rule line
    assert any("原标题：（二）完善规范性文件评估清理流程" in row for row in rows)


def test_docx_with_trace_has_an_appendix(recorded: Recorded, tmp_path: Path) -> None:
    document = docx.Document(str(draft(recorded, tmp_path / "draft.docx", "--trace")))
    lines = [p.text for p in document.paragraphs if p.text.strip()]
    start = lines.index("附：来源追溯")
    assert lines[start - 1] == "2023年1月10日"
    assert any("进展#" in line for line in lines[start:])


@pytest.mark.parametrize("suffix", [".docx", ".md"])
def test_reimported_draft_gives_next_years_plan_of_the_carried_over_items(
    recorded: Recorded, tmp_path: Path, suffix: str
) -> None:
    path = draft(recorded, tmp_path / f"2022年度报告初稿{suffix}")
    result = recorded.cli("import", str(path), "--json")
    assert result.exit_code == 0, result.stderr
    parsed = result.json()
    assert parsed["plan"]["year"] == 2023
    # The draft's own header, footnotes and signature read back as a report, not as text noise.
    assert parsed["plan"]["title"] == "关于2022年度法治政府建设工作的报告"
    assert parsed["plan"]["issuers"] == ["中共淄博市委淄博高新区工作委员会", "淄博高新技术产业开发区管理委员会"]
    assert parsed["plan"]["section_heading"] == "四、2023年推进法治政府建设的主要安排"
    assert not any("[^" in item["text"] for item in parsed["items"])
    titles = [item["title"] for item in parsed["items"]]
    expected = expected_carried_items(recorded)
    assert titles == expected
    assert titles == [
        "完善规范性文件评估清理流程",
        "加强依法行政宣传培训力度",
        "加大行政执法监督力度",
        "加强对法律顾问团的管理",
    ]
    # The unfinished points of （五） come back as its points, with their 下一步措施 in the text.
    supervision = parsed["items"][2]
    assert [c["title"] for c in supervision["children"]] == [
        "持续抓好行政执法“三项制度”落实",
        "持续推进行政指导工作",
    ]
    assert "年底前完成重点领域专项监督检查" in supervision["children"][0]["text"]
    tasks_2023 = recorded.cli("tasks", "--plan", "2023", "--json").json()
    assert len(tasks_2023) == 5 and {t["plan"] for t in tasks_2023} == {2023}


def test_without_as_of_the_date_is_left_for_the_office(recorded: Recorded, tmp_path: Path) -> None:
    out = tmp_path / "draft.md"
    result = recorded.cli("draft", "--plan", "2022", "--out", str(out))
    assert result.exit_code == 0, result.stderr
    paragraphs = markdown_paragraphs(out.read_text(encoding="utf-8"))
    assert paragraphs[-1] == "【待补充：成文日期】"


def test_default_output_name_and_errors(
    recorded: Recorded, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = recorded.cli("draft", "--as-of", "2023-01-10")  # newest plan, default file name
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "2022年度报告初稿.docx").exists()

    bad = recorded.cli("draft", "--plan", "2022", "--out", "draft.pdf")
    assert bad.exit_code == 2 and "错误：输出文件应以 .docx 或 .md 结尾" in bad.stderr
    missing = recorded.cli("draft", "--plan", "2030")
    assert missing.exit_code == 1 and "错误：没有 2030 年的计划" in missing.stderr
    wrong_date = recorded.cli("draft", "--plan", "2022", "--as-of", "明年")
    assert wrong_date.exit_code != 0 and "日期格式不正确" in wrong_date.stderr
    no_dir = recorded.cli("draft", "--out", str(tmp_path / "nope" / "d.docx"))
    assert no_dir.exit_code == 2 and "输出目录不存在" in no_dir.stderr


def test_as_of_ignores_later_records(recorded: Recorded, tmp_path: Path) -> None:
    """Drafting as of mid-year: only what was recorded by then, and the lights of that day."""
    out = draft_as_of(recorded, tmp_path / "mid.md", "2022-06-01")
    text = out.read_text(encoding="utf-8")
    assert "召开工委全面依法治区委员会会议" in text  # recorded 03-15
    assert "出台《淄博高新区法治政府建设实施纲要" not in text  # recorded 09-30
    assert "已超过完成时限" not in text  # no deadline had passed on 2022-06-01


def draft_as_of(recorded: Recorded, out: Path, day: str) -> Path:
    result = recorded.cli("draft", "--plan", "2022", "--as-of", day, "--out", str(out))
    assert result.exit_code == 0, result.stderr
    return out


def test_draft_help_is_chinese(cli: object) -> None:
    result = cli("draft", "--help")  # type: ignore[operator]
    assert result.exit_code == 0
    assert "起草" in result.stdout and "--as-of" in result.stdout and "--trace" in result.stdout
