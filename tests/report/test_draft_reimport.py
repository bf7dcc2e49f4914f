"""The draft read back as next year's plan (`tracker import 初稿.docx`): the next-year section's items and tasks,
none of the draft's 【待补充】 notes inside a task, no point swallowed by the one before, and owners the office
assigned this year carried to the tasks that continue (their targets too, where the new text names none)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.report.conftest import Recorded


@pytest.fixture(params=[".docx", ".md"])
def suffix(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def _assign(recorded: Recorded) -> None:
    """This year's decisions: （二） to 党政办公室, （五）一是 led by 司法局 with 综合行政执法局."""
    for code, args in (
        ("（二）", ["--lead", "党政办公室"]),
        ("（五）一是", ["--lead", "司法局", "--support", "综合行政执法局"]),
    ):
        result = recorded.cli("assign", str(recorded.ids[code]), *args)
        assert result.exit_code == 0, result.stderr


def test_reimported_draft_carries_owners_and_keeps_every_point(
    recorded: Recorded, tmp_path: Path, suffix: str
) -> None:
    _assign(recorded)
    out = tmp_path / f"初稿{suffix}"
    made = recorded.cli("draft", "--plan", "2022", "--as-of", "2023-01-10", "--out", str(out))
    assert made.exit_code == 0, made.stderr
    assert "【待补充" in (out.read_text(encoding="utf-8") if suffix == ".md" else _docx_text(out))

    dry = recorded.cli("import", str(out), "--dry-run")
    assert dry.exit_code == 0, dry.stderr
    assert "党政办公室（牵头·沿用上年）" in dry.stdout
    assert recorded.cli("plans", "--json").json()[0]["year"] == 2022  # the dry run wrote nothing

    result = recorded.cli("import", str(out), "--json")
    assert result.exit_code == 0, result.stderr
    parsed = result.json()
    assert any("起草标记" in w for w in parsed["warnings"])
    tasks = [c for item in parsed["items"] for c in (item["children"] or [item])]
    for task in tasks:
        assert "【" not in task["text"] and "待补充" not in task["text"] and "请核对" not in task["text"], task
        assert "来源：" not in task["text"]
        for target in task["targets"]:
            assert isinstance(target["value"], int | float)
            assert not re.search(r"剩余|其余|全部|部分", target["name"]), target

    supervision = next(i for i in parsed["items"] if i["title"] == "加大行政执法监督力度")
    labels = [c["label"] for c in supervision["children"]]
    assert len(labels) == 2 and labels[0] == "一是"  # the 暂缓 note between two points hides neither
    assert "持续推进行政指导工作" in supervision["children"][1]["title"]
    assert "一是" not in supervision["children"][1]["text"]

    stored = {t["title"]: t for t in recorded.cli("tasks", "--plan", "2023", "--json").json()}
    review = stored["完善规范性文件评估清理流程"]
    assert [(o["department"], o["role"], o["source"]) for o in review["owners"]] == [("党政办公室", "lead", "carried")]
    first = stored["持续抓好行政执法“三项制度”落实"]
    assert [(o["department"], o["role"]) for o in first["owners"]] == [("司法局", "lead"), ("综合行政执法与应急管理局", "support")]
    assert {o["source"] for o in first["owners"]} == {"carried"}
    # a task nobody assigned last year keeps a suggestion to confirm, not a "carried" claim
    training = stored["加强依法行政宣传培训力度"]
    assert {o["source"] for o in training["owners"]} == {"suggested"}


def _docx_text(path: Path) -> str:
    import docx

    return "\n".join(p.text for p in docx.Document(str(path)).paragraphs)
