"""Every sentence of a draft of the real sample, with a planned mix of records, read as the office writer would:
each task once per section and in plan order; nothing said of a task without records (no 0%, no 尚未启动, no
default date); no result heading its records do not support; a 已完成 or a "全部" that a target's figure
contradicts goes to 【请核对】 with both facts; no paragraph twice."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import Cli

FOOTNOTE = re.compile(r"\[\^\d+\]")


@dataclass
class Drafted:
    paragraphs: list[str]
    sections: dict[str, list[str]]  # 一/二/三/四 → its paragraphs (headings included)
    records: list[str]  # every recorded text
    source: str


def _record(cli: Cli, target: float) -> list[str]:
    """(一)一是 done; (一)二是 and (四) nothing; (二) in progress with a problem and a next step; (三) done with the
    出庭应诉率 figure ``target`` and a note saying 全部; (五)一是 暂缓, 二是 done with a problem, 三是 in progress;
    (六) done."""
    mix: list[tuple[int, list[str]]] = [
        (1, ["--status", "已完成", "--note", "出台《淄博高新区法治社会建设实施纲要（2021-2025年）》", "--date", "2022-09-30"]),
        (3, ["--status", "推进中", "--percent", "60", "--note", "完成规范性文件制发前评估5件",
             "--problems", "专业评估力量不足", "--next", "引入第三方机构开展后评估", "--date", "2022-11-30"]),
        (4, ["--status", "已完成", "--figure", f"出庭应诉率={target:g}", "--note", "行政机关负责人全部出庭应诉，出庭23件",
             "--date", "2022-12-20"]),
        (6, ["--status", "暂缓", "--reason", "待上级统一部署", "--date", "2022-08-01"]),
        (7, ["--status", "已完成", "--note", "公布免检免扰企业名单，涉及企业52家",
             "--problems", "部分企业对免检政策知晓率不高", "--date", "2022-06-30"]),
        (8, ["--status", "推进中", "--percent", "40", "--note", "推广首次不罚清单，覆盖执法领域6个",
             "--next", "扩大到全部执法领域", "--date", "2022-12-01"]),
        (9, ["--status", "已完成", "--note", "修订法律顾问服务规范，全年提供法律意见86件", "--date", "2022-12-10"]),
    ]  # fmt: skip
    texts = []
    for task_id, args in mix:
        result = cli("update", str(task_id), *args, today=__import__("datetime").date(2022, 12, 30))
        assert result.exit_code == 0, result.stderr
        texts += [a for a in args if not a.startswith("--")]
    return texts


def _draft(cli: Cli, tmp_path: Path, sample_report: Path, target: float) -> Drafted:
    records = _record(cli, target)
    out = tmp_path / "初稿.md"
    result = cli("draft", "--plan", "2022", "--as-of", "2023-01-10", "--out", str(out))
    assert result.exit_code == 0, result.stderr
    body = [b for b in out.read_text(encoding="utf-8").split("\n\n") if b.strip() and not b.startswith("[^")]
    paragraphs = [FOOTNOTE.sub("", b).replace("**", "").lstrip("# ").strip() for b in body]
    sections: dict[str, list[str]] = {}
    current = ""
    for p in paragraphs:
        m = re.match(r"^([一二三四])、", p)
        if m:
            current = m.group(1)
        if p.startswith("特此报告"):
            current = ""  # the sign-off and signature repeat the issuers by design
        if current:
            sections.setdefault(current, []).append(p)
    return Drafted(paragraphs, sections, records, sample_report.read_text(encoding="utf-8"))


@pytest.fixture(params=[95.8, 100.0], ids=["target-short", "target-met"])
def drafted(request: pytest.FixtureRequest, sample_cli: Cli, tmp_path: Path, sample_report: Path) -> Drafted:
    return _draft(sample_cli, tmp_path, sample_report, float(request.param))


def _item(section: list[str], label: str) -> str:
    """The paragraphs of item ``label`` （三） of section 一, joined."""
    start = next(i for i, p in enumerate(section) if p.startswith(label))
    end = next((i for i in range(start + 1, len(section)) if re.match(r"^（[一二三四五六七八九十]+）", section[i])), len(section))
    return "\n".join(section[start + 1 : end])


def test_each_task_once_per_section_in_plan_order(drafted: Drafted) -> None:
    one = drafted.sections["一"]
    supervision = _item(one, "（五）")
    marks = [supervision.index(m) for m in ("一是持续抓好行政执法", "二是公布免检免扰企业名单", "三是推广首次不罚清单")]
    assert marks == sorted(marks)
    for phrase in ("公布免检免扰企业名单", "推广首次不罚清单", "完成规范性文件制发前评估5件", "全年提供法律意见86件"):
        for name, paragraphs in drafted.sections.items():
            assert "\n".join(paragraphs).count(phrase) <= 1, (name, phrase)
    # one point per task: (一) has two tasks, so exactly 一是 and 二是, in plan order
    first = _item(one, "（一）")
    assert first.index("一是") < first.index("二是") and "三是" not in first


def test_nothing_is_said_of_a_task_without_records(drafted: Drafted) -> None:
    text = "\n".join(drafted.paragraphs)
    assert not re.search(r"(?<![\d.])0%", text)
    assert "尚未启动" not in text and "原定" not in text and "2022年12月31日" not in text
    for label in ("（一）", "（四）"):
        assert "【待补充：本项无进展记录】" in _item(drafted.sections["一"], label)


def test_headings_claim_only_what_the_records_show(drafted: Drafted) -> None:
    headings = [p for p in drafted.sections["一"] if re.match(r"^（[一二三四五六七八九十]+）", p)]
    plan_titles = {
        "（一）": "抓好工委全面依法治区工作推进落实",
        "（二）": "完善规范性文件评估清理流程",
        "（三）": "健全行政复议应诉制度体系",
        "（四）": "加强依法行政宣传培训力度",
        "（五）": "加大行政执法监督力度",
    }
    for heading in headings:
        label = heading[:3]
        if label in plan_titles:  # not all done (or a target short): the plan's own heading stays
            if label == "（三）" and "实际为100%" in _item(drafted.sections["一"], "（三）"):
                continue  # done with its target met: a result heading may be written
            assert heading == label + plan_titles[label], heading


def test_contradicted_completion_goes_to_check_note(drafted: Drafted) -> None:
    review = _item(drafted.sections["一"], "（三）")
    if "95.8%" in review:
        assert "该项工作已完成" not in review
        assert "【请核对：" in review and "已完成" in review and "全部出庭应诉" in review
        note = review[review.index("【请核对") :]
        assert "95.8%" in note and "100%" in note
        assert "全部出庭应诉" not in review[: review.index("【请核对")]  # the claim is not stated as a fact
    else:
        assert "【请核对" not in review and "全部出庭应诉" in review


def test_every_figure_comes_from_a_record_or_the_source(drafted: Drafted) -> None:
    known = set(re.findall(r"\d+(?:\.\d+)?", " ".join(drafted.records) + drafted.source))
    known |= {"2022", "2023", "1", "10"}  # the years of the draft and its as-of date (2023年1月10日)
    for p in drafted.paragraphs:
        for figure in re.findall(r"\d+(?:\.\d+)?", p):
            assert figure in known, (figure, p)


def test_no_paragraph_twice(drafted: Drafted) -> None:
    counted = [p for section in drafted.sections.values() for p in section if len(p) > 12]
    assert len(counted) == len(set(counted)), [p for p in counted if counted.count(p) > 1]
    one = set(drafted.sections["一"])
    assert not one & set(drafted.sections["二"]) and not one & set(drafted.sections["三"])
