"""Plain text and Markdown. Encodings are detected from the bytes, never from the file name.

Order of trials: a BOM (UTF-8, UTF-16, UTF-32), UTF-16 without BOM (many NULs in alternate bytes), strict UTF-8,
strict GB18030 (which covers GBK and GB2312).
"""

from __future__ import annotations

import re
import unicodedata

from tracker.errors import ImportFailed
from tracker.importer.numbering import CIRCLED


def decode_text(data: bytes, name: str) -> str:
    """Bytes of a text file in whatever encoding we detect → str; one clear line when it is not text."""
    boms: list[tuple[bytes, str]] = [
        (b"\xff\xfe\x00\x00", "utf-32-le"),
        (b"\x00\x00\xfe\xff", "utf-32-be"),
        (b"\xef\xbb\xbf", "utf-8-sig"),
        (b"\xff\xfe", "utf-16-le"),
        (b"\xfe\xff", "utf-16-be"),
    ]
    for bom, enc in boms:
        if data.startswith(bom):
            try:
                return _plausible(data[len(bom) :].decode(enc.replace("-sig", "")), name)
            except UnicodeDecodeError:
                break
    try:
        text = data.decode("utf-8")
        if _is_plausible(text):
            return text
    except UnicodeDecodeError:
        pass
    # GB18030 decodes almost any bytes, and UTF-16 without a BOM has no marker: decode both ways and keep the
    # reading that looks most like Chinese prose (punctuation, line breaks, CJK characters).
    best: tuple[float, str] | None = None
    encodings = ["gb18030"] + (["utf-16-le", "utf-16-be"] if len(data) % 2 == 0 else [])
    for enc in encodings:
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        if not _is_plausible(text):
            continue
        score = _prose_score(text)
        if best is None or score > best[0]:
            best = (score, text)
    if best is not None:
        return best[1]
    raise ImportFailed(f"无法识别文件编码或不是文本文件：{name}")


def _prose_score(text: str) -> float:
    sample = text[:20000]
    if not sample:
        return 0.0
    punct = sum(1 for ch in sample if ch in "，。、；：！？（）“”《》\n")
    cjk = sum(1 for ch in sample if "\u4e00" <= ch <= "\u9fff")
    return (5 * punct + cjk) / len(sample)


def _plausible(text: str, name: str) -> str:
    if not _is_plausible(text):
        raise ImportFailed(f"无法识别文件编码或不是文本文件：{name}")
    return text


def _is_plausible(text: str) -> bool:
    """Text, not a binary decoded by luck: few control characters, mostly common CJK, ASCII and punctuation."""
    if not text:
        return False
    sample = text[:20000]
    bad = 0
    for ch in sample:
        if ch in "\n\r\t\x0c":
            continue
        cat = unicodedata.category(ch)
        if cat in ("Cc", "Cs", "Co", "Cn"):
            bad += 1
    if bad > max(2, len(sample) // 200):
        return False
    common = sum(
        1
        for ch in sample
        if ch.isascii()
        or "\u4e00" <= ch <= "\u9fff"
        or "\u3000" <= ch <= "\u303f"
        or "\uff00" <= ch <= "\uffef"
        or ch in "“”‘’—…·─━"
    )
    return common >= 0.9 * len(sample)



_MD_LINE = re.compile(r"^\s{0,3}(?:#{1,6}\s*|>\s?|[-*+]\s+(?=\S))")
_MD_BULLET = re.compile(r"^\s*[-*+]\s+(?=\S)")


def looks_like_markdown(text: str) -> bool:
    lines = [ln for ln in text.splitlines()[:200] if ln.strip()]
    return sum(1 for ln in lines if re.match(r"^\s{0,3}#{1,6}\s", ln)) >= 2


_MD_FOOTNOTE_DEF = re.compile(r"^\s*\[\^[^\]]+\]:")
_MD_FOOTNOTE_REF = re.compile(r"\[\^[^\]]+\]")


def strip_markdown(text: str) -> str:
    """Remove Markdown markers (#, >, *, emphasis) and keep the words. A bulleted list of two or more items
    becomes ①②③…: its items are points of the line above them ("1. 深入学习…" then "   - 全年专题学法…")."""
    lines = [ln for ln in text.splitlines() if not _MD_FOOTNOTE_DEF.match(ln)]  # "[^3]: 来源：…" is a note
    numbers = _bullet_numbers(lines)
    out: list[str] = []
    for k, line in enumerate(lines):
        line = _MD_FOOTNOTE_REF.sub("", line)
        bullet = _MD_BULLET.match(line)
        if bullet is not None and k in numbers:
            line = CIRCLED[numbers[k] - 1] + line[bullet.end() :]
        prev = None
        while prev != line:  # "> ## 标题" has two markers
            prev = line
            line = _MD_LINE.sub("", line, count=1)
        line = re.sub(r"(\*\*|__|\*|`)(.+?)\1", r"\2", line)
        line = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", line)  # [text](url)
        if re.fullmatch(r"\s*(?:[-*_]\s*){3,}", line):  # horizontal rule
            continue
        out.append(line.replace("**", ""))
    return "\n".join(out)


def _bullet_numbers(lines: list[str]) -> dict[int, int]:
    """The place of each bulleted line in its list (line index → 1, 2, …), for lists of 2 to 20 items."""
    runs: list[list[int]] = []
    open_runs: dict[int, list[int]] = {}  # indentation → the list being read there
    for k, line in enumerate(lines):
        if not line.strip():
            continue
        indent = len(line) - len(line.lstrip(" \t"))
        bullet = _MD_BULLET.match(line) is not None and not re.fullmatch(r"\s*(?:[-*_]\s*){3,}", line)
        # a list ends at a line less indented than it, or as indented and not itself an item
        open_runs = {i: r for i, r in open_runs.items() if i < indent or (bullet and i == indent)}
        if bullet:
            if indent not in open_runs:
                open_runs[indent] = []
                runs.append(open_runs[indent])
            open_runs[indent].append(k)
    return {k: n for run in runs if 2 <= len(run) <= len(CIRCLED) for n, k in enumerate(run, 1)}
