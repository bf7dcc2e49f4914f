"""Task search (tracker.services.search) on the sample plan: jieba words as substrings, AND, pinyin initials,
and notes recorded later."""

from __future__ import annotations

from tests.tui.conftest import TODAY
from tracker.services import search
from tracker.services.tasks import list_tasks, record_progress
from tracker.services.workspace import Workspace


def _titles(ws: Workspace, query: str) -> list[str]:
    return [r.title for r in ws.run(lambda s, _a: search.search_tasks(s, query=query, today=TODAY))]


def test_query_terms_segment_chinese_and_split_spaces() -> None:
    assert search.query_terms("行政复议应诉") == ["行政复议", "应诉"]
    assert search.query_terms("  复议   XZFY ") == ["复议", "xzfy"]
    assert search.query_terms("的、") == []


def test_a_word_inside_a_longer_word_is_found(sample_db: str) -> None:
    ws = Workspace(sample_db, today=TODAY)
    titles = _titles(ws, "复议")
    assert "健全行政复议应诉制度体系" in titles
    everything = ws.run(lambda s, _a: list_tasks(s, today=TODAY))
    assert 0 < len(titles) < len(everything)


def test_every_word_must_match(sample_db: str) -> None:
    ws = Workspace(sample_db, today=TODAY)
    assert set(_titles(ws, "复议 律师")) <= set(_titles(ws, "复议")) & set(_titles(ws, "律师"))
    assert _titles(ws, "行政复议应诉") == ["健全行政复议应诉制度体系"]
    assert _titles(ws, "复议 火星基地") == []


def test_pinyin_initials_find_titles(sample_db: str) -> None:
    ws = Workspace(sample_db, today=TODAY)
    assert "健全行政复议应诉制度体系" in _titles(ws, "xzfy")
    assert "加强对法律顾问团的管理" in _titles(ws, "flgw")


def test_owner_and_notes_are_searchable(sample_db: str) -> None:
    ws = Workspace(sample_db, today=TODAY)
    rows = ws.run(lambda s, _a: list_tasks(s, today=TODAY))
    market = [r.title for r in rows if "市场监管局" in r.leads]
    assert market and set(market) <= set(_titles(ws, "市场监管局"))
    target = rows[-1]
    assert _titles(ws, "无人机巡查") == []
    ws.run(lambda s, a: record_progress(s, actor=a, task_id=target.id, today=TODAY, note="试点无人机巡查"))
    assert _titles(ws, "无人机巡查") == [target.title]


def test_empty_query_lists_everything(sample_db: str) -> None:
    ws = Workspace(sample_db, today=TODAY)
    assert len(_titles(ws, "  ")) == len(ws.run(lambda s, _a: list_tasks(s, today=TODAY)))
