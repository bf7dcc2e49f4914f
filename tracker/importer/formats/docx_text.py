"""The text a reader sees in a Word paragraph: its words, and the number Word draws before it.

python-docx's ``Paragraph.text`` reads only the paragraph's direct runs and hyperlinks, so words inside a tracked
insertion, a content control or a smart tag (all common in files that went round an office) are lost; here every
run is read, except deleted text and the fallback copy of a text box.

Word's automatic list numbering:

Offices often let Word or WPS number the headings and items ("四、", "（一）", "1.") instead of typing them, and
python-docx gives a paragraph's text without those numbers. Without them the section heading and the items cannot
be found, so the labels are rebuilt here from numbering.xml: each paragraph's numbering (its own or its style's),
the level's format and text pattern ("%1、", "（%1）", "%2."), counted in document order.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tracker.domain.numerals import cn_number
from tracker.importer.numbering import CIRCLED

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_LEGAL = "零壹贰叁肆伍陆柒捌玖"
_STEMS = "甲乙丙丁戊己庚辛壬癸"


@dataclass(frozen=True)
class _Level:
    start: int
    fmt: str
    text: str
    legal: bool  # w:isLgl: every %N in decimal


@dataclass
class _Instance:
    abstract: str
    start_overrides: dict[int, int] = field(default_factory=dict)


def _val(el: Any, tag: str) -> str | None:
    child = el.find(_W + tag) if el is not None else None
    return child.get(_W + "val") if child is not None else None


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


def _roman(n: int) -> str:
    out = ""
    for value, sym in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"),
                       (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):  # fmt: skip
        while n >= value:
            out += sym
            n -= value
    return out


def format_number(n: int, fmt: str) -> str:
    """One counter in a level's format (ST_NumberFormat); unknown formats fall back to decimal."""
    if fmt in ("chineseCounting", "chineseCountingThousand", "ideographDigital", "japaneseCounting",
               "taiwaneseCounting", "taiwaneseCountingThousand", "japaneseDigitalTenThousand"):  # fmt: skip
        return cn_number(n)
    if fmt == "chineseLegalSimplified":
        return "".join(_LEGAL[int(d)] for d in str(n)) if n < 10 else cn_number(n)
    if fmt in ("ideographTraditional",) and 1 <= n <= len(_STEMS):
        return _STEMS[n - 1]
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese") and 1 <= n <= len(CIRCLED):
        return CIRCLED[n - 1]
    if fmt == "decimalEnclosedParen":
        return f"（{n}）"
    if fmt == "decimalEnclosedFullstop":
        return f"{n}."
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt in ("lowerLetter", "upperLetter"):
        letter = chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)
        return letter.upper() if fmt == "upperLetter" else letter
    if fmt in ("lowerRoman", "upperRoman"):
        return _roman(n).lower() if fmt == "lowerRoman" else _roman(n)
    return str(n)


class ListNumbering:
    """Labels of numbered paragraphs of one document; call ``label`` on every paragraph in document order."""

    def __init__(self, document: Any) -> None:
        self._abstract: dict[str, dict[int, _Level]] = {}
        self._instances: dict[str, _Instance] = {}
        self._styles: dict[str, tuple[str | None, str | None, str | None]] = {}  # id → numId, ilvl, basedOn
        self._style_levels: dict[tuple[str, str], int] = {}  # (abstract, style) → ilvl via w:lvl/w:pStyle
        self._counts: dict[str, dict[int, int]] = {}
        try:
            root = document.part.numbering_part.element
        except (NotImplementedError, KeyError, AttributeError):
            root = None
        if root is not None:
            self._read_numbering(root)
        try:
            styles = document.styles.element
        except (KeyError, AttributeError, NotImplementedError):
            styles = None
        if styles is not None:
            for st in styles.iterfind(_W + "style"):
                ppr = st.find(_W + "pPr")
                num_pr = ppr.find(_W + "numPr") if ppr is not None else None
                based = _val(st, "basedOn")
                self._styles[st.get(_W + "styleId") or ""] = (
                    _val(num_pr, "numId"),
                    _val(num_pr, "ilvl"),
                    based,
                )

    @property
    def empty(self) -> bool:
        return not self._instances

    def _read_numbering(self, root: Any) -> None:
        for ab in root.iterfind(_W + "abstractNum"):
            aid = ab.get(_W + "abstractNumId") or ""
            levels: dict[int, _Level] = {}
            for lvl in ab.iterfind(_W + "lvl"):
                ilvl = _int(lvl.get(_W + "ilvl"), 0)
                levels[ilvl] = _Level(
                    start=_int(_val(lvl, "start"), 1),
                    fmt=_val(lvl, "numFmt") or "decimal",
                    text=_val(lvl, "lvlText") or "",
                    legal=lvl.find(_W + "isLgl") is not None,
                )
                style = _val(lvl, "pStyle")
                if style:
                    self._style_levels[(aid, style)] = ilvl
            self._abstract[aid] = levels
        for num in root.iterfind(_W + "num"):
            inst = _Instance(_val(num, "abstractNumId") or "")
            for ov in num.iterfind(_W + "lvlOverride"):
                start = _val(ov, "startOverride")
                if start is not None:
                    inst.start_overrides[_int(ov.get(_W + "ilvl"), 0)] = _int(start, 1)
            self._instances[num.get(_W + "numId") or ""] = inst

    def _num_pr(self, p: Any) -> tuple[str | None, int | None]:
        ppr = p.find(_W + "pPr")
        num_pr = ppr.find(_W + "numPr") if ppr is not None else None
        num_id, ilvl = _val(num_pr, "numId"), _val(num_pr, "ilvl")
        style = _val(ppr, "pStyle") if ppr is not None else None
        seen: set[str] = set()
        while (num_id is None or ilvl is None) and style and style not in seen:
            seen.add(style)
            s_num, s_lvl, based = self._styles.get(style, (None, None, None))
            if num_id is None and s_num is not None:
                num_id = s_num
                inst = self._instances.get(s_num)
                if ilvl is None and s_lvl is None and inst is not None:
                    linked = self._style_levels.get((inst.abstract, style))
                    ilvl = str(linked) if linked is not None else None
            if ilvl is None and s_lvl is not None:
                ilvl = s_lvl
            style = based
        return num_id, _int(ilvl, 0) if num_id is not None else None

    def label(self, p: Any) -> str:
        """The number Word shows before paragraph element ``p`` ("" for none or a bullet); counts it."""
        if self.empty:
            return ""
        num_id, ilvl = self._num_pr(p)
        if num_id is None or ilvl is None or num_id == "0":
            return ""
        inst = self._instances.get(num_id)
        levels = self._abstract.get(inst.abstract, {}) if inst is not None else {}
        level = levels.get(ilvl)
        if inst is None or level is None or level.fmt in ("bullet", "none"):
            return ""
        counts = self._counts.setdefault(num_id, {})
        start = inst.start_overrides.get(ilvl, level.start)
        counts[ilvl] = counts[ilvl] + 1 if ilvl in counts else start
        for deeper in [k for k in counts if k > ilvl]:
            del counts[deeper]
        text = level.text
        for k in range(ilvl, -1, -1):  # %10 is not a thing: levels are 0-8, written %1-%9
            lv = levels.get(k)
            value = counts.get(k, lv.start if lv is not None else 1)
            fmt = "decimal" if level.legal or lv is None else lv.fmt
            text = text.replace(f"%{k + 1}", format_number(value, fmt))
        return text


# Subtrees whose text a reader does not see in the paragraph (or sees elsewhere): deletions, moved-away text,
# paragraph and run properties (tab stops are w:tab too), text boxes and the fallback copy of drawings.
_HIDDEN = {"del", "moveFrom", "pPr", "rPr", "txbxContent", "Fallback", "instrText", "delText"}


def paragraph_text(p: Any) -> str:
    """All visible text of paragraph element ``p`` in order: runs inside insertions, hyperlinks, content
    controls, smart tags and fields included; tabs and line breaks kept."""
    out: list[str] = []

    def walk(el: Any) -> None:
        for child in el:
            tag = child.tag.rsplit("}", 1)[-1] if isinstance(child.tag, str) else ""
            if tag in _HIDDEN:
                continue
            if tag == "t":
                out.append(child.text or "")
            elif tag in ("tab", "ptab"):
                out.append("\t")
            elif tag in ("br", "cr"):
                out.append("\n")
            elif tag == "noBreakHyphen":
                out.append("-")
            else:
                walk(child)

    walk(p)
    return "".join(out)


def text_box_paragraphs(p: Any) -> list[Any]:
    """Paragraphs of the text boxes anchored in paragraph element ``p`` (a signature set over the seal is often
    one), each box once: Word stores a drawing twice, and the fallback copy is skipped."""
    out: list[Any] = []

    def walk(el: Any) -> None:
        for child in el:
            tag = child.tag.rsplit("}", 1)[-1] if isinstance(child.tag, str) else ""
            if tag == "Fallback":
                continue
            if tag == "txbxContent":
                out.extend(c for c in child if isinstance(c.tag, str) and c.tag.endswith("}p"))
            else:
                walk(child)

    walk(p)
    return out
