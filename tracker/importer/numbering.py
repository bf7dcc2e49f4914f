"""Numbering markers of Chinese official documents (GB/T 9704 levels and the 一是 style).

Levels, outermost first: 第一部分/第一章 → 一、 → （一） → 1. → （1） → ①. Inside a paragraph: 一是…二是…, 一要…二要…,
第一，….
"""

from __future__ import annotations

import re
from dataclasses import dataclass

CN_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
CN_NUM = "一二三四五六七八九十百零〇两"
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"

# Marker kinds, in hierarchy order. "SHI" (一是), "YAO" (一要) and "DI" (第一，) are paragraph-level points, ranked
# below all; they run on inside a paragraph as often as they start one.
PART, L1, L2, L3, L4, L5, SHI, YAO, DI = "PART", "L1", "L2", "L3", "L4", "L5", "SHI", "YAO", "DI"
RANK = {PART: 0, L1: 1, L2: 2, L3: 3, L4: 4, L5: 5, SHI: 6, YAO: 6, DI: 6}
POINT_KINDS = (SHI, YAO, DI)


def cn_to_int(s: str) -> int | None:
    """一 → 1, 十六 → 16, 二十三 → 23, 一百零二 → 102; None for anything else."""
    if not s or any(c not in CN_NUM for c in s):
        return None
    if s.isdigit():
        return int(s)
    total, current = 0, 0
    for ch in s:
        if ch == "百":
            total += (current or 1) * 100
            current = 0
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        else:
            d = CN_DIGITS[ch]
            # 一〇二 style (digits without 十): shift
            current = current * 10 + d if current else d
    return total + current or None


# How the title of a report or plan document ends (工作要点, 实施方案, …的报告): finding the title, and cutting it off
# the text when a web copy ran them together.
TITLE_ENDINGS = (
    r"工作报告|情况报告|的报告|述法报告|年度报告|工作要点|实施方案|工作方案|行动方案|实施意见|工作计划|行动计划|"
    r"责任清单|任务清单|分工方案|推进计划|工作总结|工作思路|工作打算|任务台账|工作台账|分解方案|分解表|分工表|任务表|责任分解|"
    r"整改方案|整改清单|问题清单|整改台账|推进方案|督办清单|指导意见|若干意见|的意见"
)


_CN = f"[{CN_NUM}]{{1,4}}"
# Each pattern matches at the start of a paragraph; group "n" is the number, the rest of the text follows.
_START_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (PART, re.compile(rf"^第(?P<n>{_CN})(?:部分|章|篇)[\s、：:，,]*")),
    (L1, re.compile(rf"^(?P<n>{_CN})(?:、|[．.](?!\d))\s*")),
    (L2, re.compile(rf"^（(?P<n>{_CN})）\s*")),
    # "1.3月底前…" is point 1 due in March: no decimal is followed by 月
    (L3, re.compile(r"^(?P<n>\d{1,3})(?:[.．](?!\d)|[.．](?=\d{1,2}月)|、)\s*")),
    (L4, re.compile(r"^（(?P<n>\d{1,3})）\s*")),
    (L5, re.compile(rf"^(?P<n>[{CIRCLED}])\s*")),
    (SHI, re.compile(rf"^(?P<n>{_CN})是(?=\S)")),
    (YAO, re.compile(rf"^(?P<n>{_CN})要(?=[\u4e00-\u9fff“《])")),
    (DI, re.compile(rf"^第(?P<n>{_CN})[，,、：:]\s*")),
]


@dataclass(frozen=True)
class Marker:
    kind: str
    number: int
    label: str  # as written, normalised: （三）, 1., 二是
    end: int  # index in the paragraph where the text after the marker starts


def marker_number(kind: str, raw: str) -> int | None:
    if kind in (L3, L4):
        return int(raw)
    if kind == L5:
        return CIRCLED.index(raw) + 1
    return cn_to_int(raw)


def _label(kind: str, raw: str) -> str:
    return {
        PART: f"第{raw}部分",
        L1: f"{raw}、",
        L2: f"（{raw}）",
        L3: f"{raw}.",
        L4: f"（{raw}）",
        L5: raw,
        SHI: f"{raw}是",
        YAO: f"{raw}要",
        DI: f"第{raw}",
    }[kind]


def start_marker(text: str) -> Marker | None:
    """The numbering marker a paragraph starts with, if any."""
    for kind, pat in _START_PATTERNS:
        m = pat.match(text)
        if not m:
            continue
        n = marker_number(kind, m.group("n"))
        if n is None or n > 200:
            continue
        label = f"第{m.group('n')}章" if kind == PART and "章" in m.group(0) else _label(kind, m.group("n"))
        if kind == L3 and _looks_like_year_or_figure(text, m):
            continue
        return Marker(kind, n, label, m.end())
    return None


def _looks_like_year_or_figure(text: str, m: re.Match[str]) -> bool:
    # "2022、2023年" or "100、200个" are figures, not a list number; "1、3月底前…" is point 1 due in March.
    return int(m.group("n")) > 120 or bool(re.match(r"\d{1,3}、\d(?!\d?月)", text))


# Inline point markers: 一是 / 第一， preceded by the start of the text or a sentence or clause break.
_INLINE_SHI = re.compile(rf"(?:(?<=^)|(?<=[。；;：:！？!?，,）)\n”]))(?P<n>{_CN})是(?=\S)")
_INLINE_YAO = re.compile(rf"(?:(?<=^)|(?<=[。；;：:！？!?）)\n”]))(?P<n>{_CN})要(?=[\u4e00-\u9fff“《])")
_INLINE_DI = re.compile(rf"(?:(?<=^)|(?<=[。；;：:！？!?\n]))第(?P<n>{_CN})[，,、：:]")
_INLINE_L4 = re.compile(r"(?:(?<=^)|(?<=[。；;：:！？!?\n]))（(?P<n>\d{1,2})）")
_INLINE_L5 = re.compile(rf"(?:(?<=^)|(?<=[。；;：:！？!?，,\n]))(?P<n>[{CIRCLED}])")


def inline_points(text: str) -> list[tuple[int, int, str]]:
    """Positions of a run of inline points 一是…二是… (or 第一，第二，/ （1）（2）/ ①②) numbered from one.

    Returns (start, text_start, label) for each point, or [] when there is no run of at least two.
    Only a consecutive sequence counts: "统一是" or a lone "一是" are not points.
    """
    best: list[tuple[int, int, str]] = []
    for pat, kind in ((_INLINE_SHI, SHI), (_INLINE_YAO, YAO), (_INLINE_DI, DI), (_INLINE_L4, L4), (_INLINE_L5, L5)):
        found: list[tuple[int, int, str]] = []
        expected = 1
        for m in pat.finditer(text):
            n = marker_number(kind, m.group("n"))
            if n == expected:
                found.append((m.start(), m.end(), _label(kind, m.group("n"))))
                expected += 1
        if len(found) >= 2 and (not best or found[0][0] < best[0][0]):
            best = found
    return best


def restarting_runs(text: str) -> list[list[tuple[int, int, str]]]:
    """Runs of 一是…二是… that each start again at 一是, in order, as inline_points gives them; [] unless there are
    two or more runs of at least two points ("在…上持续发力。一是…；二是…。在…上持续发力。一是…")."""
    runs: list[list[tuple[int, int, str]]] = []
    for m in _INLINE_SHI.finditer(text):
        n = marker_number(SHI, m.group("n"))
        point = (m.start(), m.end(), _label(SHI, m.group("n")))
        if n == 1:
            runs.append([point])
        elif runs and n == len(runs[-1]) + 1:
            runs[-1].append(point)
    runs = [r for r in runs if len(r) >= 2]
    return runs if len(runs) >= 2 else []


def inline_run(text: str, kind: str, first: int = 1, count: int | None = None) -> list[tuple[int, int, str]]:
    """Inline markers of ``kind`` (一是/第一，/（1）) numbered first, first+1, … in order, as (start, text_start,
    label); with ``count``, exactly that many or []. Used where paragraph breaks were lost: the first points of
    a run whose later points start paragraphs ("…（一）…。一是…" then "二是…"), or a paragraph "二是…；三是…"."""
    pattern = {SHI: _INLINE_SHI, YAO: _INLINE_YAO, DI: _INLINE_DI, L4: _INLINE_L4, L5: _INLINE_L5}.get(kind)
    if pattern is None or (count is not None and count < 1):
        return []
    found: list[tuple[int, int, str]] = []
    for m in pattern.finditer(text):
        if marker_number(kind, m.group("n")) == first + len(found):
            found.append((m.start(), m.end(), _label(kind, m.group("n"))))
            if count is not None and len(found) == count:
                return found
    return [] if count is not None else found
