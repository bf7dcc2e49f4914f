"""Property tests: whatever text or bytes come in, the importer returns a plan or raises ImportFailed — never
anything else. Random text, and corpus text cut, shuffled and mutated."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tracker.errors import ImportFailed
from tracker.importer.directory import DepartmentDirectory
from tracker.importer.model import ParsedPlan
from tracker.importer.normalize import normalise_text
from tracker.importer.parse import INTERNAL_ERROR, parse_report
from tracker.importer.reading import decode_document

# TRACKER_FUZZ_EXAMPLES=2000 for a long run; the default keeps the file under ~20 s
FUZZ = settings(
    max_examples=int(os.environ.get("TRACKER_FUZZ_EXAMPLES", "120")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

PIECES = [
    "一、",
    "二、",
    "三、",
    "四、",
    "（一）",
    "（二）",
    "（十六）",
    "1.",
    "2. ",
    "4 .",
    "（1）",
    "一是",
    "二是",
    "第一，",
    "2022年",
    "工作安排",
    "下一步，",
    "主要安排",
    "工作计划",
    "特此报告。",
    "附件1",
    "附件：",
    "名词解释",
    "各位代表，",
    "牵头单位：",
    "配合单位：",
    "责任处室：",
    "（区司法局牵头，各部门配合）",
    "（",
    "）",
    "《",
    "》",
    "3月底前",
    "每年",
    "定期",
    "100%",
    "3330个",
    "1.2亿元",
    "。",
    "，",
    "；",
    "：",
    "\n",
    "\u3000",
    " ",
    "2022年1月29日",
    "关于",
    "的报告",
    "市委、市政府：",
    "工作要点",
    "关于印发",
    "的通知",
    "（此件公开发布）",
    "发布时间：2024-03-15 09:30",
    "来源：示范区司法局",
    "阅读次数：",
    "各部门要按照本要点要求，",
    "——2024年1月9日在示范区第一届人民代表大会第一次会议上",
    "区长　张三",
    "示范府办〔2024〕6号",
    "— 3 —",
    "实施方案",
    "（2）",
    "责任单位：各有关单位",
    "年底前",
    "第三季度",
    "【我要纠错】",
]

text_strategy = st.one_of(
    st.text(max_size=400),
    st.lists(
        st.sampled_from(PIECES) | st.text(alphabet="法治政府建设推进工作任务单位局委办", max_size=6),
        max_size=80,
    ).map("".join),
)


@pytest.fixture(scope="module")
def corpus_texts(corpus_dir: Path, sample_text: str) -> list[str]:
    texts = [sample_text]
    texts += [p.read_text(encoding="utf-8") for p in sorted(corpus_dir.glob("*.txt"))]
    return texts


def check(plan_or_error: object) -> None:
    if isinstance(plan_or_error, ParsedPlan):
        plan = plan_or_error
        assert plan.items
        json.dumps(plan.to_json(), ensure_ascii=False)
        for task in plan.tasks():
            assert task.deadline is not None
            assert task.title


def run(text: str, directory: DepartmentDirectory, **kw: object) -> object:
    try:
        return parse_report(text, directory=directory, **kw)  # type: ignore[arg-type]
    except ImportFailed as err:
        assert str(err) and "\n" not in str(err)
        assert INTERNAL_ERROR not in str(err), repr(err.__cause__)  # the safety net must never be needed
        return err


@FUZZ
@given(text=text_strategy)
def test_random_text(text: str, directory: DepartmentDirectory) -> None:
    check(run(text, directory))


@FUZZ
@given(text=text_strategy, section=st.text(max_size=20))
def test_random_section_names(text: str, section: str, directory: DepartmentDirectory) -> None:
    check(run(text, directory, section=section or None))


@FUZZ
@given(data=st.binary(max_size=600), name=st.sampled_from(["a.txt", "b.docx", "c.md", "d", "e.bin"]))
def test_random_bytes(data: bytes, name: str) -> None:
    try:
        decode_document(data, name)
    except ImportFailed as err:
        assert "\n" not in str(err)


@FUZZ
@given(data=st.data())
def test_corpus_cut(data: st.DataObject, corpus_texts: list[str], directory: DepartmentDirectory) -> None:
    text = data.draw(st.sampled_from(corpus_texts))
    start = data.draw(st.integers(0, len(text)))
    length = data.draw(st.integers(0, 6000))
    check(run(text[start : start + length], directory))


@FUZZ
@given(data=st.data())
def test_corpus_shuffled(
    data: st.DataObject, corpus_texts: list[str], directory: DepartmentDirectory
) -> None:
    text = data.draw(st.sampled_from(corpus_texts))
    lines = text.split("\n")[:60]
    shuffled = data.draw(st.permutations(lines))
    joiner = data.draw(st.sampled_from(["\n", "", "\r\n"]))
    check(run(joiner.join(shuffled), directory))


@FUZZ
@given(data=st.data())
def test_corpus_mutated(data: st.DataObject, corpus_texts: list[str], directory: DepartmentDirectory) -> None:
    text = data.draw(st.sampled_from(corpus_texts))[:8000]
    for _ in range(data.draw(st.integers(1, 12))):
        pos = data.draw(st.integers(0, len(text)))
        action = data.draw(st.sampled_from(["insert", "delete", "replace"]))
        piece = data.draw(st.sampled_from(PIECES) | st.text(max_size=3))
        if action == "insert":
            text = text[:pos] + piece + text[pos:]
        elif action == "delete":
            text = text[:pos] + text[pos + data.draw(st.integers(1, 200)) :]
        else:
            text = text[:pos] + piece + text[pos + len(piece) :]
    check(run(text, directory))


@FUZZ
@given(text=text_strategy)
def test_normalisation_is_idempotent(text: str) -> None:
    once = normalise_text(text)
    assert normalise_text(once) == once
