"""Text clean-up shared by reading and parsing: one paragraph per line, numbering in one spelling.

``normalise_text`` is idempotent, so ``parse_report`` can call it on text that ``read_document`` already cleaned
and the content hash stays the same.
"""

from __future__ import annotations

import itertools
import re
import unicodedata

from tracker.importer import numbering as nb

_ZERO_WIDTH = dict.fromkeys(map(ord, "\ufeff\u200b\u200c\u200d\u2060\u00ad"), None)

# Web page residue: whole lines, or fragments glued into run-together text (the page's byline between the title
# and the text, the buttons at the end). A fragment marks a break: the title stays apart from the text.
_RESIDUE_FRAGMENTS = re.compile(
    r"【(?:我要纠错|打印|关闭|关闭窗口|打印本页|字体[：:].{0,8}?|收藏|分享|返回顶部|纠错)】"
    r"|扫一扫在手机(?:上)?打开当前页|扫一扫在手机打开|用手机扫描二维码|在手机上浏览|\[?(?:打印本页|关闭窗口)\]?"
    r"|责任编辑[：:]\s*[\u4e00-\u9fff·]{2,5}?(?=$|\s|扫|【|[（(])"
    r"|(?:发布|发表|更新)(?:时间|日期)[：:]\s*\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?(?:\s*\d{1,2}:\d{2}(?::\d{2})?)?"
    r"|(?:信息|文章)?来源[：:]\s*[\u4e00-\u9fff]{2,30}?(?=\s|发布|发表|更新|浏览|阅读|访问|点击|作者|字号|【|$)"
    r"|(?:浏览|阅读|访问|点击)(?:次数|量|数)?[：:]\s*(?:\d+(?![\d年月]))?"  # not the year that opens the text
    r"|字号[：:]\s*(?:[大中小]\s*){0,3}"
)
_RESIDUE_LINE = re.compile(
    r"^(?:"
    r"(?:来源|发布时间|发布日期|发布机构|浏览次数|访问量|点击数|阅读次数|字号|字体|分享到|分享|信息来源|"
    r"文章来源|作者|编辑|责任编辑|校对|审核)[：:].{0,60}"
    r"|(?:打印|关闭|打印本页|关闭窗口|返回顶部|上一篇|下一篇|相关链接|相关文章|相关阅读|我要纠错|纠错|"
    r"大|中|小|默认|\s)+"
    r"|[-—－―─\s]*\d{1,3}[-—－―─\s]*"  # page numbers — 1 —
    r"|第\s*\d+\s*页(?:\s*[/／共]\s*\d+\s*页?)?"
    r"|(?:当前位置|您的位置|您现在的位置)[：:].*|(?:网站)?首页\s*[>＞»›].*"  # the page's breadcrumb
    r")$"
)

_SPACE_RUN = re.compile(r"[ \t\u00a0\u3000\u2002-\u200a\u202f\u205f]+")
_CJK = r"\u3400-\u9fff\uf900-\ufaff"

# Half-width punctuation beside Chinese text becomes full-width: sentence splitting looks for 。，；：！？.
_HALF_TO_FULL = {",": "，", ";": "；", ":": "：", "!": "！", "?": "？"}
_HALF_PUNCT = re.compile(rf"(?<=[{_CJK}”）])\s*([,;:!?])(?!\d)|([,;:!?])\s*(?=[{_CJK}“（])")


def _fold_width(ch: str) -> str:
    """Full-width digits, Latin letters and a few signs to ASCII; Chinese punctuation stays."""
    code = ord(ch)
    if 0xFF10 <= code <= 0xFF19 or 0xFF21 <= code <= 0xFF3A or 0xFF41 <= code <= 0xFF5A:
        return chr(code - 0xFEE0)
    return {
        "％": "%",
        "＋": "+",
        "－": "-",
        "＝": "=",
        "／": "/",
        "＆": "&",
        "＜": "<",
        "＞": ">",
        "．": "．",
        "\u2236": "：",
        "﹕": "：",
        "︰": "：",
        "﹔": "；",
        "﹐": "，",
        "﹑": "、",
    }.get(ch, ch)


def _fix_numbering(line: str) -> str:
    """Stray spaces and half-width brackets in numbering: "4 ." → "4.", "(一)" → "（一）", "一 、" → "一、"."""
    line = re.sub(rf"^([{nb.CN_NUM}]{{1,4}})\s+、\s*", r"\1、", line)
    line = re.sub(r"^(\d{1,3})\s+([.．、])(?!\d)", r"\1\2", line)
    line = re.sub(r"^(\d{1,3})．(?!\d)", r"\1.", line)
    line = re.sub(rf"[(（]\s*([{nb.CN_NUM}]{{1,4}}|\d{{1,3}})\s*[)）]", r"（\1）", line)
    return line


def _clean_line(line: str) -> str:
    line = _SPACE_RUN.sub(" ", line).strip()
    line = _fix_numbering(line)
    # spaces between Chinese characters come from justified layouts; a single one carries no meaning
    line = re.sub(rf"(?<=[{_CJK}，。；：、（）《》“”！？])\s(?=[{_CJK}，。；：、（）《》“”！？])", "", line)
    line = re.sub(r"(?<=[。！？；])\s+|\s+(?=[。！？；，、])", "", line)
    # and around figures: "2024 年 3 月底前", "100 %", "3000 条"; not "第三部分 2026年" nor a leading "1 总体要求"
    line = re.sub(
        rf"(?<=[{_CJK}“”（）])(?<!部分)(?<![章篇])\s(?=\d)|(?<=[\d%‰])(?<!^\d)(?<!^\d\d)\s(?=[{_CJK}%‰“”（）])", "", line
    )
    line = _HALF_PUNCT.sub(lambda m: _HALF_TO_FULL[m.group(1) or m.group(2)], line)
    # inline numbers written "4 ." inside run-together text
    line = re.sub(
        r"(?<=[。；！？\u4e00-\u9fff])\s?(\d{1,3})\s+[.．](?=\s*[\u4e00-\u9fff“《（])", r"\1.", line
    )
    line = re.sub(r"(?<=[。；！？\u4e00-\u9fff])(\d{1,3})．(?=\s*[\u4e00-\u9fff“《（])", r"\1.", line)
    return line


# Paragraph indentation (two full-width spaces, &emsp;, &nbsp;&nbsp;) kept inside a run-together line: where a
# web page lost its line breaks but not its indents, each indent starts a paragraph.
_INDENT = re.compile(r"(?<=\S)(?:\u3000{2,}|\u2003{2,}|\u00a0{2,})(?=\S)")
_GLUED_HEADING = re.compile(
    rf"(?<=[。！？”])\s*(?:[{nb.CN_NUM}]{{1,3}}、|（[{nb.CN_NUM}]{{1,3}}）|第[{nb.CN_NUM}]{{1,3}}部分)[^。！？；]{{2,40}}$"
)


def _split_at_indents(raw: str) -> list[str]:
    # a normal paragraph may hold one odd double space; a run of paragraphs holds many indents
    if len(raw) < 200 or len(_INDENT.findall(raw)) < 2:
        return [raw]
    out: list[str] = []
    for piece in _INDENT.split(raw):
        # a heading written without indent ends up glued to the paragraph before it: "…。二、2019年主要工作任务"
        m = _GLUED_HEADING.search(piece)
        out += [piece[: m.start()], piece[m.start() :]] if m else [piece]
    return out


def normalise_text(text: str) -> str:
    """Clean text to one paragraph per line; idempotent."""
    out = _normalise_once(text)
    # a line cut out of run-together text can itself start a numbered run ("一、…二、…" of an appendix) that only
    # a second pass sees; repeat until nothing changes (two passes in practice)
    for _ in range(3):
        again = _normalise_once(out)
        if again == out:
            break
        out = again
    return out


def _normalise_once(text: str) -> str:
    text = text.translate(_ZERO_WIDTH).replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u2028", "\n").replace("\u2029", "\n").replace("\x0c", "\n").replace("\x0b", "\n")
    text = "\n".join(unwrap_hard_breaks(text.split("\n")))
    text = "".join(_fold_width(c) for c in text)
    text = unicodedata.normalize("NFC", text)
    # control characters other than newline and tab are noise from binary-ish sources
    text = "".join(c for c in text if c in "\n\t" or unicodedata.category(c) != "Cc")
    out: list[str] = []
    for raw in (piece for whole in text.split("\n") for piece in _split_at_indents(whole)):
        for piece in _RESIDUE_FRAGMENTS.sub("\n", raw).split("\n"):
            line = _clean_line(piece)
            if not line or _RESIDUE_LINE.match(line):
                continue
            if not out:  # the document's first line: a web copy may run its title into the text
                *head, line = split_opening(line)
                out.extend(head)
            out.extend(rebreak(line))
    return "\n".join(out)


# ---------------------------------------------------------------------------------------------------------------
# Re-breaking run-together text: text copied from a web page often loses every line break. Put a break back
# before numbering markers that continue a sequence, before sign-offs, appendices and the closing date.

_SENT_END = "。！？；!?;"
_BREAK_CANDIDATES = re.compile(
    rf"(?P<part>第[{nb.CN_NUM}]{{1,3}}(?:部分|章|篇)(?![，,、的中]))"
    rf"|(?P<l1>[{nb.CN_NUM}]{{1,3}}、(?![{nb.CN_NUM}]))"
    rf"|(?P<l2>（[{nb.CN_NUM}]{{1,3}}）)"
    r"|(?P<l3>(?<![\d.．%A-Za-z])\d{1,3}(?:[.、](?!\d)(?=\s*[\u4e00-\u9fff“《（]|\s+\d)|[.、](?=\d{1,2}月)))"
    r"|(?P<l4>（\d{1,2}）(?=[\u4e00-\u9fff“《]))"
    r"|(?P<shi>一是(?=[\u4e00-\u9fff“《]))"
    r"|(?P<annex>附件\s*\d{0,2}(?=\s*(?:[：:]|\d{4}年|《|[\u4e00-\u9fff])))"
    r"|(?P<signoff>(?:特此|专此)(?:报告|请示|函告|通知)[。！]?|[（(]此件(?:公开发布|主动公开|依申请公开|不予公开|不公开)[）)])"
    r"|(?P<closing>(?<=[。！？”])(?:(?:各位代表|同志们)[，！!：:]|团结就是力量[，！]|让我们(?:更加)?(?:紧密|携手|团结)))"
    r"|(?P<field>(?<=[\u4e00-\u9fff”）])(?:整改措施|整改时限|整改目标|问题表现|责任领导|牵头领导|分管领导|责任单位|牵头单位|"
    r"配合单位|责任科室|责任处室|责任股室|完成时限)[：:])"
    r"|(?P<closing_req>(?<=[。）)])(?:请)?各[\u4e00-\u9fff、]{1,24}?(?:要|务必|应当|须)(?:按照|对照|根据)本(?:要点|方案|计划|意见|通知|清单))"
    r"|(?P<nextstep>(?<=[。！？；”])(?:下一步|下步|下一阶段)(?:工作)?(?:打算|计划|安排)?[，,：:])"
    r"|(?P<signature>(?<=[。！）)])[\u4e00-\u9fff（）]{4,40}?(?:委员会|人民政府|办公室|办公厅|局|政府)"
    r"(?=\d{4}年\d{1,2}月\d{1,2}日(?![前之以起])))"
    r"|(?P<glossary>(?<=[。！？”])(?:《[^《》]{2,20}》)?(?:有关)?名词解释(?=\s*1\.))"
)
_PLAN_HEADING_THEN_TEXT = re.compile(
    r"[^。；！？，：、]{0,24}?(?:工作安排|重点工作|主要工作|工作计划|工作打算|工作思路|主要任务|工作任务|主要安排|工作重点)"
    r"(?=\d{4}年[，,是]|今年|明年|下一步|新的一年)"
)
_TRAILING_DATE = re.compile(r"(?<=[\u4e00-\u9fff。）])(\d{4}年\d{1,2}月\d{1,2}日)$")
_TITLE_BLOCK = re.compile(
    # issuers, title and addressee hold no sentence punctuation; the title runs to its last word ("…情况的报告")
    r"^([^，。；：！？]{4,60}?(?:委员会|人民政府|管理委员会|办公室|办公厅|政府|局))"
    r"(关于[^，。；：！？]{4,80}?(?:报告|情况|通知|意见|请示)(?!的|报告|通知))([^，。；！？]{2,30}?：)"
)
_PLAN_TITLE_AHEAD = re.compile(
    r"[^。！？；，]{4,50}?(?:工作要点|实施方案|工作方案|行动方案|实施意见|工作计划|责任清单|任务清单|分工方案|推进计划)"
    r"(?:[（(]\d{4}年[）)])?"
)


def rebreak(line: str) -> list[str]:
    """Split a long run-together line at markers; short lines pass through unchanged."""
    if len(line) < 20:
        return [line]
    cuts: list[int] = []
    levels = ("l1", "l2", "l3", "l4")
    last = dict.fromkeys(levels, 0)
    head = nb.start_marker(line)
    if head is not None:
        key = {nb.L1: "l1", nb.L2: "l2", nb.L3: "l3", nb.L4: "l4"}.get(head.kind)
        if key:
            last[key] = head.number
    # "二、…4.…": a 工作要点 numbers its entries on across chapters, so 4. may follow 3. of the chapter before
    total = dict(last)
    annexes = 0
    segment_start = 0  # where the piece being built starts (the last accepted marker)
    for m in _BREAK_CANDIDATES.finditer(line):
        if m.start() == 0:
            continue
        kind = m.lastgroup or ""
        prev = line[m.start() - 1]
        if kind == "shi":
            # "（三）持之以恒优环境…营商环境一是深化…": a heading line without a full stop, then its first point
            if _heading_before(line, segment_start, m.start()):
                cuts.append(m.start())
                segment_start = m.start()
            continue
        if kind == "part":
            # "…报告如下：第一部分 2023年…情况一、…": a part heading starts after a sentence
            if prev in _SENT_END + "：:”）)":
                cuts.append(m.start())
                segment_start = m.start()
                last = dict.fromkeys(levels, 0)
                total = dict(last)
            continue
        if kind in levels:
            raw = m.group(kind)
            digits = re.sub(r"[^\d" + nb.CN_NUM + "]", "", raw)
            n = int(digits) if digits.isdigit() else nb.cn_to_int(digits)
            if n is None:
                continue
            heading_piece = _heading_before(line, segment_start, m.start())  # "第三部分 2024年工作安排一、…"
            after_heading = heading_piece or _heading_like_before(line, m.start())
            # "…（责任处室：办公室）二、…": an entry's annotation closes it like a full stop
            closes = _SENT_END + "：:”" + ("）)" if n == last[kind] + 1 and n > 1 else "")
            if (
                kind == "l1"
                and prev not in closes
                and not _heading_follows(line, m.end())
                and not (heading_piece and n == 1)
            ):
                continue
            if kind in ("l2", "l4") and n == 1 and prev not in _SENT_END + "：:”" and not after_heading:
                continue
            if kind == "l3" and n == 1 and prev.isdigit():
                continue
            ok = n == last[kind] + 1 or (n == 1 and kind != "l1")
            if not ok and kind != "l1" and n == total[kind] + 1 and (prev in _SENT_END + "）”" or after_heading):
                ok = True
            # "…。（四）提升…" after （二）: a number skipped in the source still starts an entry after a full stop
            # (the parser warns of the gap); a reference ("第（四）项") never follows a full stop
            if not ok and kind in ("l1", "l2") and 0 < last[kind] < n <= last[kind] + 3 and prev in "。！？”）":
                ok = True
            if not ok:
                continue
            if kind == "l1" and n == 1 and prev not in _SENT_END + "：:”" and last["l1"] > 0 and not heading_piece:
                continue
            last[kind] = n
            total[kind] = max(total[kind], n)
            for deeper in levels[levels.index(kind) + 1 :]:
                last[deeper] = 0
            cuts.append(m.start())
            segment_start = m.start()
            hm = _PLAN_HEADING_THEN_TEXT.match(line, m.end()) if kind in ("l1", "l2") else None
            if hm is not None:  # "二、2025年重点工作2025年是…收官之年，…": the heading ends at its words
                cuts.append(hm.end())
        elif kind == "annex":
            number = re.sub(r"\D", "", m.group(kind))
            # after a sentence, or a later appendix after an entry that ends without a full stop ("…牵头单位：
            # 县残联附件2名词解释"); not a reference in the text ("详见附件2要求")
            later = number.isdigit() and (int(number) == annexes + 1 or int(number) >= 2)
            just_cut = bool(cuts) and cuts[-1] == m.start()  # right after "（此件主动公开）" or a date line
            if prev not in _SENT_END + "”" and not just_cut and not (later and prev not in "见按照据如附依、和及与"):
                continue
            annexes = int(number) if number else annexes
            cuts.append(m.start())
            last = dict.fromkeys(levels, 0)  # an appendix numbers its entries afresh
            total = dict(last)
            segment_start = m.start()
            # "附件12023年省十件民生实事一、…": the title runs until the first entry marker
            tm = re.compile(rf"(?:[{nb.CN_NUM}]{{1,3}}、|（[{nb.CN_NUM}]{{1,3}}）|1\.(?!\d))").search(
                line, m.end(), m.end() + 80
            )
            if tm and not re.search(r"[。；！？]", line[m.end() : tm.start()]):
                cuts.append(tm.start())
            am = re.match(r"附件\s*(\d{1,2})\s*(?=\d{4}年)", line[m.start() :])
            if am:  # "附件22019年…": the appendix number then the title
                cuts.append(m.start() + am.end())
            else:
                am2 = re.match(r"附件\s*\d{0,2}[：:]?", line[m.start() :])
                if am2:
                    cuts.append(m.start() + am2.end())
        elif kind == "field":
            # "…的问题整改措施：…县委宣传部牵头整改时限：…": own-line fields of an entry, glued on; not the
            # labels inside a bracketed annotation "（牵头单位：…；配合单位：…）"
            before = line[segment_start : m.start()]
            if before.count("（") + before.count("(") <= before.count("）") + before.count(")"):
                cuts.append(m.start())
        elif kind in ("closing", "nextstep", "closing_req"):
            cuts.append(m.start())
        elif kind == "signature":
            # a notice's issuer and date inside run-together text, then the plan's own title
            cuts.append(m.start())
            dm = re.match(r"\d{4}年\d{1,2}月\d{1,2}日", line[m.end() :])
            if dm:
                cuts += [m.end(), m.end() + dm.end()]
                tm = _PLAN_TITLE_AHEAD.match(line, m.end() + dm.end())
                if tm:
                    cuts.append(tm.end())
        elif kind == "glossary":
            cuts.append(m.start())
            cuts.append(m.end())
            last = dict.fromkeys(levels, 0)
            total = dict(last)
        elif kind == "signoff":
            cuts.append(m.start())
            cuts.append(m.end())
    pieces = _cut(line, cuts)
    out: list[str] = []
    for piece in pieces:
        out.extend(_split_title_block(piece))
    if out:
        tail = out.pop()
        dm = _TRAILING_DATE.search(tail)
        if dm and len(tail) - len(dm.group(1)) <= 120:
            out += [
                p
                for p in (_split_orgs(tail[: dm.start()]) if len(tail) <= 140 else [tail[: dm.start()]])
                if p
            ]
            out.append(dm.group(1))
        else:
            out.append(tail)
    # issuers glued together just above a date line: one per line
    final: list[str] = []
    for i, piece in enumerate(out):
        if i + 1 < len(out) and re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日", out[i + 1].strip()):
            final.extend(_split_orgs(piece))
        else:
            final.append(piece)
    return [p for p in (s.strip() for s in final) if p]


# The chapters of a plan document: "…县人社局配合三、整改要求各单位要…" starts one even without a full stop
_CHAPTER_WORDS = re.compile(
    r"(?:整改要求|整改目标|整改任务|工作要求|工作目标|主要目标|保障措施|组织领导|组织保障|指导思想|基本原则|实施步骤|"
    r"主要任务|重点任务|工作任务|问题清单|总体要求)"
)


def _heading_follows(line: str, pos: int) -> bool:
    """ "…提出意见一、2022年工作回顾（一）…": without a full stop before it, a top-level number only counts when
    a year or the first sub-item follows closely."""
    ahead = line[pos : pos + 60]
    if re.match(r"\d{4}年", ahead) or _CHAPTER_WORDS.match(ahead):
        return True
    sub = re.search(rf"（[{nb.CN_NUM}]{{1,3}}）|\d{{1,2}}\.(?:(?!\d)|(?=\d{{1,2}}月))", ahead)  # 3.12月4日前…
    return sub is not None and not re.search(r"[。；！？]", ahead[: sub.start()])


def _heading_before(line: str, start: int, pos: int) -> bool:
    """ "一、加强党的领导（一）…": the piece so far is a short numbered heading with no sentence in it."""
    piece = line[start:pos]
    return 0 < len(piece) <= 50 and nb.start_marker(piece) is not None and not re.search(r"[。！？；]", piece)


def _heading_like_before(line: str, pos: int) -> bool:
    # "…主要安排（一）抓好…": a heading without punctuation runs into the first item
    back = line[max(0, pos - 40) : pos]
    return bool(re.search(r"(?:安排|计划|任务|打算|工作|要点|措施|重点|思路|目标|举措|成效|情况)$", back))


def _cut(line: str, cuts: list[int]) -> list[str]:
    points = sorted({c for c in cuts if 0 < c < len(line)})
    pieces, prev = [], 0
    for c in points:
        pieces.append(line[prev:c])
        prev = c
    pieces.append(line[prev:])
    return pieces


def _split_title_block(piece: str) -> list[str]:
    """ "中共…委员会…管理委员会关于2021年度…的报告市委、市政府：2021年，…" → issuers, title, addressee, text."""
    m = _TITLE_BLOCK.match(piece)
    if not m:
        return [piece]
    return [*_split_orgs(m.group(1)), m.group(2), m.group(3), piece[m.end() :]]


_ORG_END = re.compile(r"(?:委员会|人民政府|管理委员会|办公厅|办公室)(?!办公室|办公厅|关于|[，、）)])")


def _split_orgs(text: str) -> list[str]:
    """Glued issuer names → one per line, split after 委员会 / 人民政府 / 办公室 endings."""
    text = text.strip()
    if not text or len(text) > 140 or re.search(r"[。；，]", text):
        return [text]
    out, prev = [], 0
    for m in _ORG_END.finditer(text):
        if m.end() < len(text):
            out.append(text[prev : m.end()])
            prev = m.end()
    out.append(text[prev:])
    return [o for o in out if o]


# ---------------------------------------------------------------------------------------------------------------
# Hard-wrapped text: words copied out of a PDF (or a print layout) break at every printed line, 28 characters a
# line in the official layout, so a paragraph arrives as several lines. Put each paragraph back on one line.

_PAGE_NUMBER = re.compile(r"^\s*(?:[-—－―─]\s*\d{1,3}\s*[-—－―─]|第\s*\d+\s*页(?:\s*[/／共]\s*\d+\s*页?)?)\s*$")
_LEAD_SPACE = re.compile(r"^[ \t\u00a0\u3000\u2002-\u200a]+(?=\S)")
_CLOSED = "。！？；：”」）!?;:"


def _width(line: str) -> float:
    """Printed width in Chinese characters, indentation included: a half-width digit or letter takes half."""
    return sum(1.0 if unicodedata.east_asian_width(c) in "WF" else 0.5 for c in line.rstrip())


def unwrap_hard_breaks(lines: list[str]) -> list[str]:
    """Join the printed lines of each paragraph when the text is hard-wrapped; other text passes unchanged.

    Hard-wrapped means: many lines are as wide as the widest ones (the layout's measure) and most of those end
    in the middle of a sentence. A paragraph then starts after a line that is not full, at an indented line
    (when the text indents its paragraphs), or at a numbered heading after a full stop."""
    body = [ln for ln in lines if ln.strip() and not _PAGE_NUMBER.match(ln)]
    if len(body) < 8:
        return lines
    widths = sorted(_width(ln) for ln in body)
    measure = widths[int(len(widths) * 0.9)]
    if measure < 12 or measure > 60:
        return lines

    # the text indents its paragraphs when most lines that evidently start one (after a short line) are indented
    starts = [cur for prev, cur in itertools.pairwise(body) if _width(prev) < measure - 3]
    indents = len(starts) >= 3 and sum(1 for ln in starts if _LEAD_SPACE.match(ln)) >= 0.5 * len(starts)
    # where indents mark paragraphs a line only has to look full; without them a paragraph's last line that
    # happens to be nearly full is all that tells it from a wrapped one, so "full" is stricter
    slack = 2.0 if indents else 1.0

    def full(line: str) -> bool:
        return _width(line) >= measure - slack

    fulls = [ln.strip() for ln in body if full(ln)]
    open_ended = [ln for ln in fulls if ln[-1] not in _CLOSED]
    if len(fulls) < 0.3 * len(body) or len(open_ended) < 0.6 * len(fulls):
        return lines
    out: list[str] = []
    prev_full = False
    last: dict[str, int] = {}  # the number of the last paragraph that started with each kind of marker
    for ln in lines:
        if _PAGE_NUMBER.match(ln):  # a page number between two halves of a paragraph
            continue
        text = ln.strip()
        if not text:
            out.append(ln)
            prev_full = False
            continue
        marker = nb.start_marker(text)
        starts_paragraph = (
            not out
            or not prev_full
            or (indents and _LEAD_SPACE.match(ln) is not None)
            or (out[-1].rstrip()[-1:] in _CLOSED and marker is not None and marker.kind not in nb.POINT_KINDS)
            # the next number of a run of numbered paragraphs ("12." after "11."), whatever ended the line
            or (marker is not None and last.get(marker.kind, -1) + 1 == marker.number)
        )
        if starts_paragraph:
            out.append(ln.rstrip())
            if marker is not None:
                # numbering below this level starts afresh under it
                last = {k: n for k, n in last.items() if nb.RANK[k] <= nb.RANK[marker.kind]}
                last[marker.kind] = marker.number
        else:
            # a number cut by the line end joins up ("2" + "5条"); English words had a space there
            glue = " " if _latin(out[-1][-1:]) and _latin(text[0]) else ""
            out[-1] = out[-1].rstrip() + glue + text
        prev_full = full(ln)
    return out


def _latin(ch: str) -> bool:
    return ch.isascii() and ch.isalpha()


# The opening of a run-together document: title, subtitle (——2024年1月9日在…会议上), speaker, document number,
# addressees, then the text. Each is cut off only when it stands at the start and what follows begins anew.
_TITLE_END = re.compile(rf"(?:{nb.TITLE_ENDINGS}|的通知)(?:[（(](?:\d{{4}}年?|征求意见稿|试行|草案|送审稿|摘要)[）)])?")
_TITLE_JOIN = re.compile(rf"(?:和|及|暨|与)[^。；！？，：]{{0,30}}?(?:{nb.TITLE_ENDINGS})")
# An issuer before a title that names its own place and year: "青石县白沙镇人民政府" + "白沙镇2023年工作总结…"; not
# "云溪县市场监督管理局2023年工作总结", a title that starts with its issuer
_ISSUER_THEN_TITLE = re.compile(
    r"([\u4e00-\u9fff（）]{4,30}?(?:人民政府|管理委员会|委员会|管委会|办公室|办公厅|街道办事处|局))"
    r"(?=[\u4e00-\u9fff]{1,10}?(?:省|市|县|区|镇|乡|街道|旗)\d{4}年)"
)
_OPENING_PARTS = [
    re.compile(r"^——\s*\d{4}年\d{1,2}月\d{1,2}日在[^。；！？]{2,80}?(?:会议|大会)上(?:的讲话|的报告)?"),
    re.compile(r"^[\u4e00-\u9fff（）]{2,30}?(?:代理|代)?(?:县长|区长|市长|省长|州长|旗长|镇长|乡长|主任)\s?[\u4e00-\u9fff·]{2,4}(?=各位|$)"),
    re.compile(r"^[\u4e00-\u9fff]{2,12}〔\d{4}〕\d{1,4}号"),
    re.compile(r"^各位代表[：:！!]"),
    # a notice's "附件" label standing above the plan it carries
    re.compile(r"^附件\s*\d{0,2}(?=\d{4}年|[\u4e00-\u9fff《])"),
]


def split_opening(line: str) -> list[str]:
    """ "汝阳县…实施方案为深入贯彻…" → title and text; "政府工作报告——2024年1月9日在…会议上…县长 林振华各位代表：现在…"
    → title, subtitle, speaker, salutation, text. A line that is itself a title, or too short to hold more than
    one, comes back whole."""
    if len(line) < 20:
        return [line]
    block = _split_title_block(line)  # issuers, 关于…的报告, addressee: cut where the issuers end too
    if len(block) > 1:
        return block
    out: list[str] = []
    for m in _TITLE_END.finditer(line, 2, 100):
        longer = _TITLE_END.search(line, m.start() + 1, 100)
        while longer is not None and longer.start() < m.end() < longer.end():  # 责任分解 → 责任分解方案
            m, longer = longer, _TITLE_END.search(line, longer.start() + 1, 100)
        title = line[: m.end()]
        if re.search(r"[。；！？，：]", title):
            break  # a sentence has begun: no title at the start
        if title.count("《") != title.count("》") or line[m.end() : m.end() + 1] in "，。、；：）》”":
            continue  # "关于印发《…工作要点》的通知": the title goes on
        joined = _TITLE_JOIN.match(line, m.end())  # "2023年工作总结和2024年工作思路"
        end = joined.end() if joined is not None else m.end()
        if line[end : end + 1] == "的":
            continue  # "…和2024年工作计划的报告": the title goes on to its 的报告
        if end < len(line):
            issuer = _ISSUER_THEN_TITLE.match(line, 0, end)
            if issuer is not None:  # "青石县白沙镇人民政府白沙镇2023年工作总结…": the issuer's line, then the title
                out.append(issuer.group(1))
            out.append(line[issuer.end(1) if issuer else 0 : end])
            line = line[end:]
        break
    while True:
        for part in _OPENING_PARTS:
            pm = part.match(line)
            if pm is not None and pm.end() < len(line):
                out.append(line[: pm.end()])
                line = line[pm.end() :].lstrip()
                break
        else:
            break
    if out and re.search(r"(?:的通知|〔\d{4}〕\d{1,4}号)$", out[-1]):
        # the notice's addressees "各镇人民政府、街道办事处，区政府各部门：" (commas allowed) before the text
        am = re.match(r"^[^。；！？]{2,80}?[：:]", line)
        if am is not None and am.end() < len(line):
            out.append(line[: am.end()])
            line = line[am.end() :]
    return [*out, line]
