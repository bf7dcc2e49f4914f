"""Finding tasks by words: jieba splits the query, every word must occur (AND) in a task's search text
(title, text, owner names, notes: ``Task.search_text``); pinyin initials (xzfy → 行政复议) match titles.

Substring matching on the segmented query is what makes 复议 find 行政复议 (jieba keeps 行政复议 as one
word, so token equality would miss it) while 行政复议应诉 still finds a text saying 行政复议、应诉.

The index lives in memory and is built once per refresh, so a keystroke costs a scan of strings already
loaded (a few milliseconds on 10,000 tasks) instead of a query.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from tracker.rawdb import as_rows, in_list

if TYPE_CHECKING:
    from tracker.services.task_list import TaskRow

_ASCII_WORD = re.compile(r"[a-z]+")
# Separators and words that carry no meaning on their own in a query.
_SKIP = set(" \t\r\n,，.。、;；:：!！?？\"'“”‘’()（）《》[]【】-—") | {"的", "和", "与", "及", "等"}
_jieba_lock = threading.Lock()
_jieba_loaded = threading.Event()
# Title → initials survives refreshes (pypinyin costs ~0.1 ms per title; a poll must not redo 10,000).
_initials_cache: dict[str, str] = {}


def warm_up() -> None:
    """Load jieba's dictionary (~0.5 s) ahead of the first keystroke; safe to call from any thread."""
    with _jieba_lock:
        from tracker.importer.segment import import_jieba

        import_jieba().initialize()
        _jieba_loaded.set()


def is_warm() -> bool:
    return _jieba_loaded.is_set()


def query_terms(query: str, *, wait: bool = True) -> list[str]:
    """The words of a query, lower-cased: whitespace splits first, jieba splits each run of Chinese.

    With ``wait=False`` and jieba still loading, the whitespace-separated words are used as they are, so
    a keystroke never waits for the dictionary (the caller searches again once ``is_warm()``).
    """
    segment: Callable[[str], list[str]] = lambda chunk: [chunk]  # noqa: E731
    if wait or is_warm():
        warm_up()
        from tracker.importer.segment import import_jieba

        segment = import_jieba().lcut
    terms: list[str] = []
    for chunk in query.lower().split():
        for word in segment(chunk):
            word = word.strip()
            if word and word not in _SKIP and word not in terms:
                terms.append(word)
    return terms


def initials(text: str) -> str:
    """Pinyin initials of a title (行政复议 → xzfy); other characters kept as they are, lower-cased."""
    cached = _initials_cache.get(text)
    if cached is None:
        from pypinyin import Style, lazy_pinyin

        cached = "".join(lazy_pinyin(text, style=Style.FIRST_LETTER, errors=lambda s: s)).lower()
        _initials_cache[text] = cached
    return cached


@dataclass(frozen=True)
class SearchEntry:
    task_id: int
    text: str  # lower-cased search text
    title: str


class SearchIndex:
    """Tasks' words held in memory; ``search`` answers a query without touching the database."""

    def __init__(self, entries: Iterable[SearchEntry]) -> None:
        self.entries = list(entries)
        self._initials: list[str] | None = None
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self.entries)

    def build_initials(self) -> None:
        """Pinyin initials for every title; done in a worker after the first screen (about 1 s per 10,000)."""
        with self._lock:
            if self._initials is None:
                self._initials = [initials(e.title) for e in self.entries]

    @property
    def ready(self) -> bool:
        """jieba loaded and pinyin built: searching now gives the full answer."""
        return is_warm() and self._initials is not None

    def search(self, query: str, *, wait: bool = True) -> set[int] | None:
        """Ids of the tasks containing every word of ``query``; None for an empty query (no filtering).

        ``wait=False`` (the UI, on each keystroke) never blocks on loading jieba or building pinyin: until
        they are ready it matches the typed words as substrings only.
        """
        terms = query_terms(query, wait=wait)
        if not terms:
            return None
        if wait and any(_ASCII_WORD.fullmatch(t) for t in terms):
            self.build_initials()
        pinyin = self._initials
        found: set[int] = set()
        for n, entry in enumerate(self.entries):
            for term in terms:
                if term in entry.text:
                    continue
                if pinyin is not None and _ASCII_WORD.fullmatch(term) and term in pinyin[n]:
                    continue
                break
            else:
                found.add(entry.task_id)
        return found


def load_search_index(db: Any, *, task_ids: Iterable[int] | None = None) -> SearchIndex:
    """Every task's search text (or those of ``task_ids``), with its item's title so a query on the
    heading (行政复议应诉制度体系) finds the item's points too. ``db``: a session or the lean path's Rows."""
    rows = as_rows(db)
    sql = "SELECT t.id, t.search_text, t.title, i.title FROM task t JOIN planitem i ON i.id = t.item_id"
    ids = list(task_ids) if task_ids is not None else None
    found: list[tuple[Any, ...]] = []
    if ids is None:
        found = rows.all(sql)
    else:
        for start in range(0, len(ids), 5000):  # SQLite caps bound parameters
            clause, params = in_list("t", ids[start : start + 5000])
            found += rows.all(f"{sql} WHERE t.id IN {clause}", params)
    return SearchIndex(
        SearchEntry(task_id or 0, f"{item_title}\n{text}".lower(), title) for task_id, text, title, item_title in found
    )


def search_tasks(
    session: Any, *, query: str, today: date, plan: str | int | None = None, all_plans: bool = True
) -> list[TaskRow]:
    """Tasks matching ``query`` in plan order (for callers that search once, e.g. the CLI)."""
    from tracker.services.task_list import list_tasks

    ids = load_search_index(session).search(query)
    if ids is None:
        return list_tasks(session, today=today, plan=plan, all_plans=all_plans and plan is None)
    if not ids:
        return []
    return list_tasks(session, today=today, plan=plan, all_plans=all_plans and plan is None, task_ids=ids)
