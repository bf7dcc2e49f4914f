"""What a task's own words say: owners, deadlines, cadence, targets, documents, and its title.

Each function reads one task's text and returns what is written there; nothing is guessed except where the
result says so (vague deadlines and unspecified cadences are flagged for a person).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from tracker.importer.model import ParsedDeadline, ParsedOwner, ParsedRecurrence, ParsedTarget, Role

# ---------------------------------------------------------------------------------------------------------------
# Owners

_HEAD_LABELS = "牵头单位|牵头部门|牵头处室|牵头科室|牵头股室|牵头股"
_LEAD_LABELS = (
    _HEAD_LABELS + "|责任单位|责任部门|责任处室|责任科室|责任股室|责任股|主责单位|主责部门|"
    "主办单位|承办单位|负责单位|负责部门|实施单位|责任主体"
)
_SUPPORT_LABELS = (
    "配合单位|配合部门|配合处室|配合科室|配合股室|协办单位|协助单位|参与单位|协同单位|协作单位|配合"
)
# Labels that name a person, never a department: "牵头领导：张建华", "分管领导：李明", "责任人：王芳". Their value is
# skipped (up to the next label), and a list written after them is not under a 牵头单位.
_PERSON_LABELS = (
    "(?:牵头|责任|分管|联系|包保|包抓|挂钩|督办|协调)(?:[县区市镇乡]级?|局|委)?领导|责任人|联系人|具体责任人"
)
# Labels without 单位: "（牵头：区教育局；配合：区司法局）", "责任：区司法局". Only with their colon, and not the end of a
# longer word ("主体责任：" is not a label).
_BARE_HEAD = "牵头"
_BARE_LEAD = "牵头|责任|主责"
_LABEL_RE = re.compile(
    rf"(?P<person>{_PERSON_LABELS})\s*[：:]\s*"
    rf"|(?P<label>{_LEAD_LABELS}|{_SUPPORT_LABELS}|(?<![\u4e00-\u9fff])(?:{_BARE_LEAD})(?=\s*[：:]))"
    r"(?:（单位）|\(单位\))?\s*[：:]\s*"
)
_STOP_LABEL = re.compile(
    rf"^(?:{_LEAD_LABELS}|{_SUPPORT_LABELS}|{_PERSON_LABELS}|完成时限|完成时间|时间节点|时限|进度安排)"
)
# Inside a list a label only starts when its colon follows: "各承办单位", "各普法责任单位" are names that end in a label.
_STOP_LABEL_COLON = re.compile(
    rf"^(?:{_LEAD_LABELS}|{_SUPPORT_LABELS}|{_PERSON_LABELS}|{_BARE_LEAD}|完成时限|完成时间|时间节点|时限|进度安排|"
    r"整改时限|整改措施|整改目标|整改要求|问题表现|具体措施|工作措施|工作目标)"
    r"(?:（单位）|\(单位\))?\s*[：:]"
)
# The next entry of a run-together list: "2." (not the decimal "2.5"), or "2.3月底前…" where a month follows
_NEXT_NUMBER = re.compile(r"\d{1,3}[.．](?:(?!\d)|\d{1,2}月)")
_COLLECTIVE = re.compile(
    r"^(?:各有关|各相关|有关|相关|各|全区各|全市各|全县各|各级|其他|其余)"
    r"|^(?:[区市县局镇乡]属|[区市县]直|[区市县镇]级)各"  # 局属各医疗机构, 区直各部门
    r"|(?:按职责分工负责|按职责负责|分工负责|成员单位|有关单位|相关单位|有关部门|相关部门|各部门|各单位)$"
)
_ROLE_WORDS = re.compile(
    r"(牵头负责|牵头|按职责分工负责|按职责负责|分工负责|分别负责|负责|配合|协助|协办|参与)$"
)
_SEP = re.compile(r"[、，,；;/／]|(?<=[局委办室处科股厅部队院所会府心站])和(?=[\u4e00-\u9fff]{2})")
_ORGISH = re.compile(
    r"(?:局|委|办|室|处|科|股|厅|部|院|所|会|府|中心|站|队|组|街道|镇|乡|公司|集团|单位|部门|工委|分局|法院|"
    r"检察院|政府|机构|办公室|管委会|社区|团|联|协|行|园|馆|台|署|站|校|社|庭)$"
)


@dataclass
class OwnerFind:
    owners: list[ParsedOwner]
    spans: list[tuple[int, int]]  # where the annotations are, to cut them from the title


def _clean_unit(name: str) -> str:
    name = name.strip(" \t：:，,。；;、")
    name = re.sub(r"^(?:由|请|为)", "", name)
    # "配合单位：各有关单位按职责分工负责": the manner is not part of the name
    name = re.sub(r"(?<=.{2})(?:按职责分工负责|按职责负责|分工负责|按职责分工)$", "", name)
    # "责任单位：县委宣传部牵头，县委网信办配合": the role word is not part of the name (the role is read too)
    name = re.sub(r"(?<=[\u4e00-\u9fff）)]{3})(?:牵头负责|牵头|负责|配合|协助|协办|参与)(?:整改|落实|实施)?$", "", name)
    name = re.sub(r"等(?:单位|部门)?$", "", name) if len(name) > 3 else name
    # "市市场和质量监管委龙岗局（区食药安办" – an alias in brackets cut by the end of the list
    name = re.sub(r"[（(][^）)]*$", "", name)
    # "市市场和质量监管委龙岗局（区食药安办）": the bracket gives another name of the same unit
    bare = re.sub(r"[（(][^（）()]*[）)]$", "", name)
    if bare != name and _ORGISH.search(bare):
        name = bare
    return name.strip()


_OPEN, _CLOSE = "（(〔[【", "）)〕]】"


def _split_raw(text: str) -> list[str]:
    """The pieces of a list between separators; a separator inside brackets does not count: 各县〔市、区〕政府."""
    out: list[str] = []
    depth = 0
    current = ""
    for i, ch in enumerate(text):
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth = max(0, depth - 1)
        if depth == 0 and _SEP.match(text, i):  # at its place: "登记注册股和法规股" splits at 和
            out.append(current)
            current = ""
        else:
            current += ch
    out.append(current)
    return out


def _split_units(text: str) -> list[str]:
    return [n for u in (_clean_unit(x) for x in _split_raw(text)) if u for n in _unglue(u)]


# "县委宣传部　县司法局": two units a full-width space kept apart, which normalisation joins into one word
_GLUE_PREFIX = "县区市"


_AND_OTHERS = re.compile(r"(.{2,30}?[局委办室处科股厅部院所会府心站署社行])等((?:有关|相关|其他|其余)(?:单位|部门|方面))")


def _unglue(name: str) -> list[str]:
    """ "县委宣传部县司法局" → 县委宣传部, 县司法局: two units that both start with the same 县/区/市 and end in a
    unit word. Not "市场监管局市场科" (a section of its bureau), not "区委区政府" (too short to tell)."""
    others = _AND_OTHERS.fullmatch(name)
    if others:  # "商务部等有关部门": 商务部, and the others it stands for, a collective a person names
        return [*_unglue(others.group(1)), others.group(2)]
    spaced = name.split()
    if len(spaced) > 1 and all(len(u) >= 3 and (_ORGISH.search(u) or _COLLECTIVE.search(u)) for u in spaced):
        return [n for u in spaced for n in _unglue(u)]  # the space itself, where it is kept
    if len(name) < 8 or name[0] not in _GLUE_PREFIX or not _ORGISH.search(name):
        return [name]
    for i in range(4, len(name) - 3):
        if name[i] == name[0] and name[i + 1] not in "场民级直属" and _ORGISH.search(name[:i]):
            rest = _unglue(name[i:])
            if all(_ORGISH.search(r) and len(r) >= 4 for r in rest):
                return [name[:i], *rest]
    return [name]


# a unit's own role written after it in a list: "县司法局（牵头）、县委组织部", "县应急管理局(配合)"
_MARKED_ROLE = re.compile(r"[（(](?P<r>牵头(?:单位|负责)?|主责|配合|协助|协办|参与)[）)]\s*$")


_CLAUSE_ROLE = re.compile(r"(?:牵头负责|牵头|配合|协助|协办|参与)$")


def _list_units(text: str) -> list[tuple[str, Role | None]]:
    """The units of a labelled list, each with the role its own clause writes, if any: in
    "责任科室：安全稳定科，区公安分局、区司法局配合" the second clause names the units that support."""
    clauses: list[str] = []
    depth = 0
    current = ""
    for ch in text:
        if ch in "（(":
            depth += 1
        elif ch in "）)":
            depth = max(0, depth - 1)
        if depth == 0 and ch in "，,；;":
            clauses.append(current)
            current = ""
        else:
            current += ch
    clauses.append(current)
    out: list[tuple[str, Role | None]] = []
    marked = False
    for k, clause in enumerate(clauses):
        clause = clause.strip()
        role: Role | None = None
        rm = _CLAUSE_ROLE.search(clause) if k > 0 else None  # the first clause is the label's own
        if rm and rm.start() >= 2:
            role = "lead" if rm.group(0).startswith("牵头") else "support"
            clause = clause[: rm.start()]
        for piece in _split_raw(clause):
            mark = _MARKED_ROLE.search(piece)
            own = role
            if mark:
                own = "lead" if mark.group("r").startswith(("牵头", "主责")) else "support"
                marked = marked or own == "lead"
                piece = piece[: mark.start()]
            out += [(name, own) for u in [_clean_unit(piece)] if u for name in _unglue(u)]
    if marked:
        # "县市场监管局（牵头）、县生态环境分局": the unit marked lead leads, the others listed with it support
        out = [(name, role or "support") for name, role in out]
    return out


def _scan_list(text: str, start: int) -> int:
    """End of an owner list that starts at ``start``: stop at 。；, a closing bracket, a line end or the next label."""
    depth = 0
    i = start
    while i < len(text):
        ch = text[i]
        if ch in "（(":
            depth += 1
        elif ch in "）)":
            if depth == 0:
                return i
            depth -= 1
        elif (
            (ch in "。；;\n" and depth == 0)
            or (ch in "，," and depth == 0 and _STOP_LABEL.match(text[i + 1 :]))
            or (
                depth == 0
                and i > start
                and (
                    _STOP_LABEL_COLON.match(text[i:])
                    or (text[i - 1].isspace() and _STOP_LABEL.match(text[i:]))
                )
            )
        ):
            return i
        elif _NEXT_NUMBER.match(text, i) and i > start and not text[i - 1].isdigit():
            return i  # run-together list: the next entry "2." starts
        i += 1
    return i


def _annotation_end(text: str, end: int) -> int:
    """Where a bracketed annotation that holds an owner list closes: the whole of
    "（牵头单位：区司法局；完成时限：6月底前）" is annotation, not only its owner part."""
    if end < len(text) and text[end] in "）)":
        return end + 1
    rest = text[end:]
    after = rest.lstrip("；;，, ")
    if not (_STOP_LABEL.match(after) or _STOP_LABEL_COLON.match(after)):
        return end
    depth = 0
    for i, ch in enumerate(rest):
        if ch in "（(":
            depth += 1
        elif ch in "）)":
            if depth == 0:
                return end + i + 1
            depth -= 1
        elif ch in "。\n":
            break
    return end


def _owner(name: str, role: Role) -> ParsedOwner:
    return ParsedOwner(department=name, role=role, source="text", collective=bool(_COLLECTIVE.search(name)))


def _unit_names(text: str) -> list[str] | None:
    """The units of "区委编办、区财政局", or None when one of them does not read as a unit."""
    names = _split_units(text)
    if not names or any(len(n) > 25 or not (_ORGISH.search(n) or _COLLECTIVE.search(n)) for n in names):
        return None
    return names


_SUPPORT_WORDS = ("配合", "协助", "协办", "参与")
# A clause of a bracketed annotation that is its time limit, not an owner: （市司法局负责，2024年6月底前完成）
_TIME_CLAUSE = re.compile(
    r"\d{1,2}月|年底|年末|年内|季度|上半年|下半年|[前底]完成|完成时限|完成时间|时限|长期|持续|常态化|按期|按时"
)
# Owners written into running text as a clause of their own: "，由区司法局牵头，区委编办、区财政局配合，"
# and the same without 由. The clause must end at punctuation so that "由X负责组织实施…" is not cut.
_RUN_OWNERS = re.compile(
    r"(?P<by>(?<!自)由)?(?P<lead>(?:自由|[^，,。；;：:（）()\n由]){2,40}?)(?P<lw>牵头负责|牵头|负责)"
    r"(?:[，,、](?P<sup>[^，,。；;：:（）()\n]{2,60}?)(?P<sw>配合|协助|协办|参与))?"
    r"(?=$|[，,。；;\n])"
)
_CLAUSE_START = "，,。；;：:\n"


# A document's note that the first unit of each list leads: "说明：责任单位排在首位的为牵头单位",
# "排名第一的为牵头单位", "列第一位的单位为牵头单位"
_FIRST_LEADS_NOTE = re.compile(
    r"(?:(?:责任单位|牵头单位|单位|部门)[^。；\n]{0,8}?|(?<![\u4e00-\u9fff])|(?<=中))"
    r"(?:排在首位|排首位|排在第一位|排第一位|列首位|列第一位|列在第一位|排名第一|排名首位|居首|第一个)"
    r"[^。；\n，,]{0,6}?为(?:牵头单位|牵头部门|牵头)"
)
# The convention itself, written inside an owner bracket: "（商务部、财政部按职责分工负责，列第一位者为牵头单位，下同）"
_CONVENTION_CLAUSE = re.compile(rf"^(?:{_FIRST_LEADS_NOTE.pattern}|下同|以下同|后同)$")


def first_listed_leads(text: str) -> bool:
    """Whether a document states that the first unit listed for a task is its lead."""
    return bool(_FIRST_LEADS_NOTE.search(text))


def find_owners(text: str, *, first_listed_leads: bool = False) -> OwnerFind:
    """Owners written in the text, as written: 牵头单位：…, 配合单位：…, （X牵头，Y配合）, （X负责）, 由X牵头,
    "由X牵头，Y配合", "各处室按职责分工负责". The parser maps them to directory names afterwards (区司法局 → 司法局).
    With ``first_listed_leads`` (the document says so, see ``first_listed_leads()``), the first unit of a labelled
    list leads and the others listed with it support."""
    owners: list[ParsedOwner] = []
    spans: list[tuple[int, int]] = []

    def add(names: list[str], role: Role) -> None:
        for n in names:
            if not (1 < len(n) <= 30) or re.search(r"[。！？]|\d{4}年", n):
                continue
            if any(o.department == n or o.written == n for o in owners):
                continue
            owners.append(_owner(n, role))

    # 1. labelled lists, bracketed or not. Labels written together form one annotation; in one that names a
    # 牵头单位, its 责任单位 are the units that carry the work out under the lead: support, not more leads.
    groups: list[list[tuple[str, list[tuple[str, Role | None]]]]] = []
    group_end = -1
    for m in _LABEL_RE.finditer(text):
        end = _scan_list(text, m.end())
        adjacent = bool(groups) and bool(re.fullmatch(r"[（(，,；;\s]*", text[group_end : m.start()]))
        if m.group("person"):
            # "牵头领导：张建华": a person, not a unit. The words go from the title; the annotation goes on.
            if adjacent:
                group_end = end
            listed = []
        else:
            listed = _list_units(text[m.end() : end])
            if not listed:
                continue
            label = m.group("label")
            if adjacent:
                groups[-1].append((label, listed))
            else:
                groups.append([(label, listed)])
            group_end = end
        s = m.start()
        # take the opening bracket and a leading separator with it
        while s > 0 and text[s - 1] in "（(，,；; ":
            s -= 1
        e = end
        if s < m.start() and text[s] in "（(":
            e = _annotation_end(text, e)
        spans.append((s, e))
    for group in groups:
        has_head = any(re.fullmatch(f"{_HEAD_LABELS}|{_BARE_HEAD}", label) for label, _ in group)
        for label, units in group:
            support = re.fullmatch(_SUPPORT_LABELS, label) or (
                has_head and not re.fullmatch(f"{_HEAD_LABELS}|{_BARE_HEAD}", label)
            )
            if first_listed_leads and not support and len(units) > 1 and all(r is None for _, r in units):
                # the document's own convention: "责任单位排在首位的为牵头单位"
                units = [(units[0][0], "lead"), *((name, "support") for name, _ in units[1:])]
            for name, own_role in units:
                add([name], own_role or ("support" if support else "lead"))
    # 2. bracketed role clauses: （区司法局牵头，各部门配合） （交通与建设处负责） （区司法局负责，6月底前完成）
    for m in re.finditer(r"[（(]([^（）()]{2,80})[）)]", text):
        inner = m.group(1)
        if _LABEL_RE.search(inner):
            continue
        clauses = [c.strip() for c in re.split(r"[，,；;]", inner) if c.strip()]
        parsed: list[tuple[list[str], Role]] = []
        for clause in clauses:
            if _CONVENTION_CLAUSE.match(clause):
                continue  # the convention beside the owners, not an owner
            rm = _ROLE_WORDS.search(clause)
            if not rm:
                if _TIME_CLAUSE.search(clause) and len(clause) <= 20:
                    continue  # the deadline, read by find_deadlines from the same text
                parsed = []
                break
            unit_names = _unit_names(clause[: rm.start()])
            if unit_names is None:
                parsed = []
                break
            parsed.append((unit_names, "support" if rm.group(1) in _SUPPORT_WORDS else "lead"))
        for names, role in parsed:
            if first_listed_leads and role == "lead" and len(names) > 1 and len(parsed) == 1:
                # "（商务部、发展改革委、财政部按职责分工负责）" under "列第一位者为牵头单位": the first leads
                add(names[:1], "lead")
                add(names[1:], "support")
            else:
                add(names, role)
        if parsed:
            spans.append(m.span())
    # 3. a closing clause naming every unit: "各有关单位按职责分工负责。"
    for m in re.finditer(
        r"(?:(?<=^)|(?<=[，,。；;\n]))((?:各|有关|相关)[^，,。；;\n（）()]{0,14}?)(按职责分工负责|按职责负责|分工负责|抓好落实|负责落实)"
        r"(?=$|[。；;\n])",
        text,
    ):
        add([m.group(1)], "lead")
        s0 = m.start()
        if s0 > 0 and text[s0 - 1] in "，,":
            s0 -= 1
        spans.append((s0, m.end()))
    # 4. running text: "由区司法局牵头，区委编办、区财政局配合，" / "区司法局牵头，区委编办配合。"
    for m in _RUN_OWNERS.finditer(text):
        if any(s <= m.start() < e for s, e in spans):
            continue  # inside a labelled list already read
        at_start = m.start() == 0 or text[m.start() - 1] in _CLAUSE_START
        if not (at_start or (m.group("by") and text[m.start() - 1] == "是")):  # 三是由X牵头
            continue
        # "各处室按职责分工负责": the manner is not part of the name
        leads = _unit_names(re.sub(r"(?:按职责分工|按职责|分工|分别|共同|具体)$", "", m.group("lead")))
        supports = _unit_names(m.group("sup")) if m.group("sup") else []
        if leads is None or supports is None:
            continue
        add(leads, "lead")
        add(supports, "support")
        spans.append(_clause_span(text, m.start(), m.end()))
    # 5. 由区司法局牵头 / 由各街道负责 inside a longer clause: an owner, but the words stay in the title
    for m in re.finditer(r"(?<!自)由([^，,。；;、（）()]{2,20}?)(牵头|负责)", text):
        names = _split_units(m.group(1))
        if names and all(_ORGISH.search(n) or _COLLECTIVE.search(n) for n in names):
            add(names, "lead")
    return OwnerFind(owners, spans)


def _clause_span(text: str, start: int, end: int) -> tuple[int, int]:
    """A clause to cut with one separator, so that what is left reads: "建设，由X牵头，9月底前" → "建设，9月底前"."""
    if end < len(text) and text[end] in "，,":
        return start, end + 1
    if start > 0 and text[start - 1] in "，,":
        return start - 1, end
    if (start == 0 or text[start - 1] in "。；;\n") and end < len(text) and text[end] in "。；;":
        return start, end + 1
    return start, end


# ---------------------------------------------------------------------------------------------------------------
# Deadlines


def _month_end(year: int, month: int) -> date:
    from dateutil.relativedelta import relativedelta

    return date(year, month, 1) + relativedelta(day=31)


_YEAR = r"(?:(?P<y>\d{4})年(?:度)?)?"
# A time limit written as a bare month: "完成时限：2024年9月", "（2024年12月）", a table cell "2024年9月". The whole
# month is allowed, so it is the month's last day. In running text a bare month is only read before a verb
# (month_verb): "9月召开" yes, "2024年9月印发的" is a reference.
_LIMIT_LABEL = r"(?:完成时限|完成时间|完成期限|整改时限|整改期限|办结时限|时间节点|时限)\s*(?:[：:]|为)\s*"
_BARE_MONTH = r"(?P<w>(?:(?P<y>\d{4})年)?(?P<m>\d{1,2})月(?:份)?(?:[至到—~～-]+(?P<m2>\d{1,2})月(?:份)?)?)"
_NOT_MONTH_END = r"(?![\d底末前中上下初日号])"
_DEADLINE_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("day", re.compile(_YEAR + r"(?P<m>\d{1,2})月(?P<d>\d{1,2})日(?:前|之前|以前)(?!后)")),
    # "12月4日前后", "12月4日左右": around that day, not by it. The date is kept, marked vague for a person.
    ("around", re.compile(_YEAR + r"(?P<m>\d{1,2})月(?P<d>\d{1,2})日(?:前后|左右)")),
    # a 旬 is the first, middle or last ten days of a month: by its last day. "5月中下旬" → month end.
    (
        "xun",
        re.compile(
            _YEAR + r"(?P<m>\d{1,2})月(?P<x>上中旬|中下旬|上旬|中旬|下旬|初(?![步稿审见核]))(?:前|之前|以前)?"
        ),
    ),
    # "9月前后", "9月底左右": about then, not by then
    ("around_month", re.compile(_YEAR + r"(?P<m>\d{1,2})月(?:份)?(?:底|末)?(?:前后|左右)")),
    ("month_end", re.compile(_YEAR + r"(?P<m>\d{1,2})月(?:份)?(?:底|末)(?:前|之前|以前)?")),
    ("before_month", re.compile(_YEAR + r"(?P<m>\d{1,2})月(?:份)?(?:前|之前|以前)")),
    # a date in figures: "2024.6.30前", "2024-06-30前", "2024/6/30前"; without 前 only as a time limit
    (
        "day",
        re.compile(
            r"(?P<y>\d{4})(?P<sep>[.．/\-])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})日?(?:前|之前|以前)(?!后)"
        ),
    ),
    # a day as the time limit itself: "完成时限：2024.6.30", "（2024年6月30日）", a table cell "2024-06-30"
    (
        "day",
        re.compile(
            rf"(?:{_LIMIT_LABEL}|[（(])"
            r"(?P<w>(?P<y>\d{4})(?:(?P<sep>[.．/\-])(?P<m>\d{1,2})(?P=sep)|年(?P<m_>\d{1,2})月)(?P<d>\d{1,2})日?)"
            r"(?=[）)，,；;。]|$)"
        ),
    ),
    ("day", re.compile(r"^\s*(?P<w>(?P<y>\d{4})(?P<sep>[.．/\-])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2}))\s*$")),
    # "6月份组织开展…": the month is the time of the work, so by its end. Not 每年6月份, 6月份以来, 6月份起 (a start).
    (
        "month_end",
        re.compile(
            _YEAR
            + r"(?<!每年)(?<![每\d至到—~～\-])(?P<m>\d{1,2})月份(?![\d底末前中上下初以起后至到—~～\-]|开始)"
        ),
    ),
    (
        "year_end",
        re.compile(
            # "2024年底前" is 2024 + 底前; "今年年底前", "本年度内" carry no year of their own
            r"(?:(?:(?P<y>\d{4})|今|本)年(?:度)?(?:年底|年末|年内|底|末|内)|年底|年末|年内|年度内)"
            r"(?:前|之前|以前)?"
        ),
    ),
    # Holidays on a fixed solar date. "国庆节前" resolves like "10月1日前" does here (to that day itself).
    ("festival_around", re.compile(_YEAR + r"(?P<f>国庆节?|劳动节|五一|七一|八一)(?:前后|期间)")),
    ("festival", re.compile(_YEAR + r"(?P<f>国庆节?|劳动节|五一|七一|八一)(?:前夕|前|之前|以前)")),
    ("half", re.compile(_YEAR + r"(?P<h>上半年|下半年)")),
    # 年中, 2024年年中前: the middle of the year, read as 上半年. Not 一年中, 全年中, 年中考核.
    (
        "mid_year",
        re.compile(
            r"(?:(?P<y>\d{4})年年?|今年|本年度?|(?<![一二两三半全每当该近去明今本整\d])年)中(?:前|之前|以前)?"
            r"(?=$|[，,。；;、）)\s]|(?:全面|基本|如期|正式)?(?:完成|建成|实现|投入|出台|上线|启用|投用|召开|举办|开展))"
        ),
    ),
    ("quarter", re.compile(_YEAR + r"(?:第)?(?P<q>[一二三四1-4])季度(?:末|底)?")),
    (
        "month_verb",
        re.compile(
            _YEAR + r"(?P<m>\d{1,2})月(?:份)?(?=(?:全面|正式|全部|基本|如期|按期|初步)?"
            r"(?:投入|建成|完成|开工|开通|启用|投用|运营|出台|上线|印发|召开|举办|实施|竣工|交付|通车))"
        ),
    ),
    ("bare_month", re.compile(_LIMIT_LABEL + _BARE_MONTH + _NOT_MONTH_END)),
    ("year_end", re.compile(_LIMIT_LABEL + r"(?P<w>全年|本年度|年度内)(?=$|[，,。；;）)\s])")),
    ("bare_month", re.compile(r"[（(]" + _BARE_MONTH + _NOT_MONTH_END + r"(?=[）)])")),
    ("bare_month", re.compile(r"^\s*" + _BARE_MONTH + _NOT_MONTH_END + r"\s*$")),
]
# deadlines that give a date but not a hard one: kept, and marked vague for a person to confirm
_APPROXIMATE = {"around", "around_month", "festival_around"}
_QUARTER = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_FESTIVAL = {
    "国庆": (10, 1),
    "国庆节": (10, 1),
    "劳动节": (5, 1),
    "五一": (5, 1),
    "七一": (7, 1),
    "八一": (8, 1),
}
_HOLIDAYS = "春节|元旦|元宵节?|清明节?|端午节?|中秋节?|重阳节?|国庆节?|劳动节|五一|七一|八一|除夕|两会"
_ONGOING = "长期坚持|持续推进|长期推进|长期开展|持续开展|常态化推进|常态化开展|常态化|长期"
_VAGUE = re.compile(
    r"(?:完成时限|完成时间|完成期限|时间节点|时间安排|时限|进度)(?:[：:]\s*|为)"
    r"(?P<v>长期坚持|持续推进|长期|常态化推进|常态化|按期|按时|适时|尽快|立行立改|持续)"
    rf"|[（(](?P<p>{_ONGOING})[）)]"
    r"|(?P<a>按期(?:完成|推进|落实|实施))"
    # a time limit written as a clause of its own: "……全覆盖。长期坚持。" "……，持续推进。" — "持续推进依法行政"
    # is an ordinary verb and is left alone
    rf"|(?:^|(?<=[，,。；;\n：:]))(?P<c>{_ONGOING})(?=$|[。；;\n）)])"
    # "长期坚持开展……": always a standing task, wherever it is written
    r"|(?P<l>长期坚持)"
    # Holidays of the lunar calendar and seasons move from year to year: kept as written for a person to date.
    r"|(?P<h>(?:\d{4}年)?(?:春节|元旦|元宵节?|清明节?|端午节?|中秋节?|重阳节?|(?<!防)汛期|主汛期|入汛|(?<![防入])汛"
    # the farming year and the school year: 秋收前, 三夏前, 秋季学期前, 秋季开学前
    r"|秋收|夏收|麦收|三夏|三秋|春耕|春播|秋播|秋冬种|[春秋]季学期|新学期|[春秋]季开学|入冬|入夏|入秋|入春"
    r"|[春夏秋冬]季|秋冬季|冬春季"
    r"|开学|暑假|寒假|暑期|两会)(?:前后|前夕|之前|以前|前)(?!期|提|列|沿|置|端|景|瞻|移))"
    # a season written as the time of the work, without 前: "暑期开展法治夏令营", "寒暑假期间", "①夏季开展…"
    r"|(?P<s>(?:\d{4}年)?(?:寒暑假|暑假|寒假|暑期|秋收|农忙|汛期|主汛期)期间"
    r"|(?:\d{4}年)?(?:寒暑假|暑假|寒假|暑期)(?![前间])"
    r"|(?:^|(?<=[，,。；;\n：:①②③④⑤⑥⑦⑧⑨⑩于在]))(?:\d{4}年)?(?:秋冬季|冬春季|[春夏秋冬]季)(?!前|度|节|学期|开学|攻|行动|运动会))"
    # holidays as the times of the work: "在春节、国庆等重要节点开展…", "元旦、春节期间走访…"
    rf"|(?P<n>(?:\d{{4}}年)?(?:{_HOLIDAYS})(?:[、和及与](?:{_HOLIDAYS}))*"
    r"(?:等(?:重要|重大|传统|法定)?(?:时间)?(?:节点|节日|节假日)|期间))"
)


# A plan's work may run into the first months of the next year ("2025年1月底前完成年度履职评价"): such a date is
# kept as written. Later dates of the next year ("到2025年底建成") are the goals of longer plans, not this year's.
_NEXT_YEAR_LIMIT = date(2000, 3, 31)


def find_deadlines(text: str, plan_year: int) -> list[ParsedDeadline]:
    """Dates written in the text, resolved in the plan year (an explicit year wins). Past years are references,
    not deadlines, and are skipped, and so are dates of the next year after its first quarter; vague words give a
    flagged entry without a date of their own."""
    found: list[tuple[int, ParsedDeadline]] = []
    taken: list[tuple[int, int]] = []
    for kind, pat in _DEADLINE_PATTERNS:
        for m in pat.finditer(text):
            if any(s <= m.start() < e or s < m.end() <= e for s, e in taken):
                continue
            if m.start() > 0 and text[m.start() - 1].isdigit():
                continue
            # "每月", "2018年6月出台的" (past), "到2025年": not this year's deadlines
            year_s = m.groupdict().get("y")
            year = int(year_s) if year_s else plan_year
            if year not in (plan_year, plan_year + 1):
                continue
            when = _resolve(kind, m, year)
            # "整改时限：2025年6月底前" names the task's own limit, whatever the year
            labelled = re.search(r"(?:时限|时间|期限)[：:]\s*$", text[max(0, m.start() - 8) : m.start()])
            late = year > plan_year and when is not None and when > _NEXT_YEAR_LIMIT.replace(year=year)
            if when is None or (late and not labelled):
                continue
            taken.append(m.span())
            words = m.groupdict().get("w") or m.group(0)
            deadline = ParsedDeadline(
                date=when, source="text", text=words.strip(), vague=kind in _APPROXIMATE
            )
            found.append((m.start(), deadline))
    for m in _VAGUE.finditer(text):
        season = m.group("h") or m.group("s") or m.group("n")
        if season and re.match(r"\d{4}", season) and not season.startswith(str(plan_year)):
            continue  # 2025年春节前: another year's holiday
        if any(s <= m.start() < e for s, e in taken):
            continue
        word = m.group("v") or m.group("p") or m.group("a") or m.group("c") or m.group("l") or season
        found.append(
            (m.start(), ParsedDeadline(date=date(plan_year, 12, 31), source="default", text=word, vague=True))
        )
    return [d for _, d in sorted(found, key=lambda x: x[0])]


def _resolve(kind: str, m: re.Match[str], year: int) -> date | None:
    try:
        if kind in ("day", "around"):
            month = m.groupdict().get("m") or m.groupdict().get("m_")
            return date(year, int(month or 0), int(m.group("d")))
        if kind == "xun":
            month = int(m.group("m"))
            day = {"上旬": 10, "初": 10, "中旬": 20, "上中旬": 20}.get(m.group("x"))
            return date(year, month, day) if day else _month_end(year, month)
        if kind == "bare_month":
            first, last = int(m.group("m")), int(m.group("m2") or m.group("m"))
            return _month_end(year, last) if 1 <= first <= last else None
        if kind == "mid_year":
            return date(year, 6, 30)
        if kind in ("month_end", "month_verb", "around_month"):
            return _month_end(year, int(m.group("m")))
        if kind == "before_month":
            month = int(m.group("m"))
            return date(year, 1, 1) if month == 1 else _month_end(year, month - 1)
        if kind == "year_end":
            return date(year, 12, 31)
        if kind in ("festival", "festival_around"):
            return date(year, *_FESTIVAL[m.group("f")])
        if kind == "half":
            return date(year, 6, 30) if m.group("h") == "上半年" else date(year, 12, 31)
        if kind == "quarter":
            return _month_end(year, _QUARTER[m.group("q")] * 3)
    except ValueError:  # 13月, 2月30日: not a date
        return None
    return None


def choose_deadline(found: list[ParsedDeadline], plan_year: int) -> ParsedDeadline:
    """The task's deadline: the latest date written (several milestones → the last one), else the plan year's end
    (marked default, and vague when the text only says 按期 / 长期坚持)."""
    dated = [d for d in found if d.source == "text"]
    if dated:
        return max(dated, key=lambda d: d.date)
    vague = [d for d in found if d.vague]
    if vague:
        return vague[0]
    return ParsedDeadline(date=date(plan_year, 12, 31), source="default")


# ---------------------------------------------------------------------------------------------------------------
# Recurrence

_CN_NUMBER = {"两": 2, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "2": 2, "3": 3, "4": 4, "5": 5, "6": 6}
# Abbreviated cadences of a working mechanism: 周调度、月通报、季观摩
_ABBR_VERBS = (
    "调度|通报|分析|报告|报送|观摩|点评|讲评|督导|督查|督办|考核|考评|评估|会商|例会|研判|总结|检查|巡查|排名|晾晒|评比|"
    "推进会|调研"
)


# (pattern, rule): the rule may hold {n} (a count written as 两/三/2/3) or {months} (每年6月、12月); None means
# a cadence is written but not its period, and a person sets it.
_CADENCES: list[tuple[re.Pattern[str], str | None]] = [
    # the day is written, so it goes into the rule: 每周五 → Fridays, 每周一至周五 → weekdays, 每月15日 → the 15th.
    # Not "每周一次", "每周一至两次": a count, not Monday.
    (
        re.compile(
            r"每(?:个)?(?:周|星期)(?P<days>[一二三四五六日](?:(?:[、和及]|[至到—~～-])(?:周|星期)?[一二三四五六日])*)"
            r"(?![至到—~～-]?[一二两三四五六七八九十\d]*[次回遍个趟轮场期批])"
        ),
        "FREQ=WEEKLY;BYDAY={days}",
    ),
    (
        re.compile(
            r"每(?:个)?月(?:的)?(?P<mdays>\d{1,2}(?:日|号)?(?:(?:[、和及]|[至到—~～-])\d{1,2}(?:日|号)?)*)(?:日|号)"
        ),
        "FREQ=MONTHLY;BYMONTHDAY={mdays}",
    ),
    # 每月底, 每月上旬: by the month's last day, by the 10th (a 旬 is ten days: 1–10, 11–20, 21–end)
    (re.compile(r"每(?:个)?月(?:月)?(?:底|末)|每(?:个)?月(?:的)?下旬"), "FREQ=MONTHLY;BYMONTHDAY=-1"),
    (re.compile(r"每(?:个)?月(?:的)?上旬"), "FREQ=MONTHLY;BYMONTHDAY=10"),
    (re.compile(r"每(?:个)?月(?:的)?中旬"), "FREQ=MONTHLY;BYMONTHDAY=20"),
    # 每旬 is every ten days by the calendar: the end of each 旬 (10th, 20th, last day). An interval of ten days
    # would drift off the 旬 within a month, so the rule names the days.
    (
        re.compile(r"每(?:一)?旬|按旬|(?<![上中下])旬(?:报|调度|通报|分析|例会)"),
        "FREQ=MONTHLY;BYMONTHDAY=10,20,-1",
    ),
    # the end of each quarter is the last day of March, June, September, December, whatever the start date;
    # 每季度末月25日前 is the 25th of those months
    (
        re.compile(r"每(?:个)?季度?(?:的)?(?:末月|最后一个月|末|底)(?:的)?(?:(?P<mdays>\d{1,2})(?:日|号))?"),
        "FREQ=MONTHLY;BYMONTH=3,6,9,12;BYMONTHDAY={mdays}",
    ),
    (
        re.compile(r"每(?:个)?季度?(?:的)?(?:首月|第一个月)(?:的)?(?:(?P<mdays>\d{1,2})(?:日|号))?"),
        "FREQ=MONTHLY;BYMONTH=1,4,7,10;BYMONTHDAY={mdays}",
    ),
    (re.compile(r"每年(?:的)?(?:年底|年末|底|末)"), "FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=31"),
    # counted periods first: "每两个月" must not be read as "月通报"
    (re.compile(r"每(?P<n>[两二三四五六2-6])个?月"), "FREQ=MONTHLY;INTERVAL={n}"),
    (re.compile(r"每(?P<n>[两二三四2-4])(?:周|个?星期)"), "FREQ=WEEKLY;INTERVAL={n}"),
    (re.compile(r"每(?P<n>[两二三四五2-5])年"), "FREQ=YEARLY;INTERVAL={n}"),
    # "每年6月、12月各开展一次": the months are written, so they go into the rule
    (
        re.compile(r"每年(?:的)?(?P<months>\d{1,2}月(?:[、和及与]\d{1,2}月)*)(?![至到\-—~～])"),
        "FREQ=YEARLY;BYMONTH={months}",
    ),
    # 每半月 is twice a month; every second week is the nearest rule that needs no invented days of the month
    (re.compile(r"每半个?月|半月一次|半月通报|半月调度"), "FREQ=WEEKLY;INTERVAL=2"),
    # Terms do not fall on fixed months (spring term from February or March, autumn from September), so no
    # monthly rule would hit them: flagged for a person, like 定期.
    (re.compile(r"每(?:个)?学期|学期一次"), None),
    (re.compile(r"每(?:个)?工作日|每日|每天|日调度|日报告|日报送|按日"), "FREQ=DAILY"),
    (re.compile(r"每周|每星期|每个星期|周分析|周调度|周例会|周通报|周报告|按周"), "FREQ=WEEKLY"),
    (re.compile(r"每半年|半年一次|每年两次"), "FREQ=MONTHLY;INTERVAL=6"),
    (
        re.compile(
            r"每(?:个)?季度|每季(?!度)|季度有通报|季通报|季调度|季分析|季度通报|季度分析|按季度?|季度考核"
        ),
        "FREQ=MONTHLY;INTERVAL=3",
    ),
    (re.compile(r"每(?:个)?月|月调度|月分析|月通报|月报告|月报送|按月"), "FREQ=MONTHLY"),
    (re.compile(r"两年一次"), "FREQ=YEARLY;INTERVAL=2"),
    (re.compile(r"每(?:一)?年(?:度)?|一年一次|年年"), "FREQ=YEARLY"),
    # the same abbreviations with other verbs; not 春季/第一季度/6月/上周, which are times, not cadences
    (re.compile(rf"(?<![\d一二两三四五六七八九十上下本每当数])周(?:{_ABBR_VERBS})"), "FREQ=WEEKLY"),
    (re.compile(rf"(?<![\d一二两三四五六七八九十上下本每当个岁年])月(?:{_ABBR_VERBS})"), "FREQ=MONTHLY"),
    (
        re.compile(rf"(?<![\d一二三四第春夏秋冬旺淡雨汛当换每本上下])季(?:度)?(?:{_ABBR_VERBS})"),
        "FREQ=MONTHLY;INTERVAL=3",
    ),
    (re.compile(r"定期|不定期|经常性"), None),
]
# "每人每月1100元", "每月每人", "每年500元": a rate inside an amount, not how often the task recurs
_RATE_BEFORE = re.compile(r"每(?:人|户|名|位|家|亩|吨|床)$")
_RATE_AFTER = re.compile(
    r"^(?:每(?:人|户|名|位|家|亩|吨|床)|(?:不低于|不少于|不超过|不高于|为|达到|约)?\d[\d.,]*(?:万|千|百)?元)"
)


_WEEKDAYS = {"一": "MO", "二": "TU", "三": "WE", "四": "TH", "五": "FR", "六": "SA", "日": "SU"}
_WEEKDAY_ORDER = "一二三四五六日"


def _weekdays(words: str) -> list[str]:
    """ "五" → FR, "一、三、五" → MO,WE,FR, "一至周五" → MO…FR."""
    days: list[int] = []
    tokens = re.findall(r"[一二三四五六日]|[至到—~～-]", words)
    for i, tok in enumerate(tokens):
        if tok in _WEEKDAYS:
            if i >= 2 and tokens[i - 1] not in _WEEKDAYS and days:
                days += range(days[-1] + 1, _WEEKDAY_ORDER.index(tok) + 1)
            else:
                days.append(_WEEKDAY_ORDER.index(tok))
    return [_WEEKDAYS[_WEEKDAY_ORDER[d]] for d in dict.fromkeys(days)]


def _month_days(words: str) -> list[int]:
    """ "15" → 15, "5日、20日" → 5, 20, "1日至5日" (a window) → 5, its last day."""
    numbers = [int(x) for x in re.findall(r"\d{1,2}", words)]
    if re.search(r"[至到—~～-]", words):
        numbers = numbers[-1:]
    return sorted({n for n in numbers if 1 <= n <= 31}) if all(1 <= n <= 31 for n in numbers) else []


def _rule(template: str, m: re.Match[str]) -> str | None:
    """The rule with its counts filled in; None when the words hold no usable count (每年13月)."""
    groups = m.groupdict()
    if "{days}" in template:
        days = _weekdays(groups.get("days") or "")
        if not days:
            return None
        template = template.replace("{days}", ",".join(days))
    if "{mdays}" in template:
        # with no day written (每季度末), the month's last day
        mdays = _month_days(groups["mdays"]) if groups.get("mdays") else [-1]
        if not mdays:
            return None
        template = template.replace("{mdays}", ",".join(str(x) for x in mdays))
    if groups.get("n"):
        template = template.replace("{n}", str(_CN_NUMBER[groups["n"]]))
    if groups.get("months"):
        months = sorted({int(x) for x in re.findall(r"\d{1,2}", groups["months"]) if 1 <= int(x) <= 12})
        if not months:
            return None
        template = template.replace("{months}", ",".join(str(x) for x in months))
    return template


def find_recurrences(text: str) -> list[ParsedRecurrence]:
    """Cadence words in text order: 每年 → FREQ=YEARLY, 每季度 → every 3 months, 每两个月 → every 2 months,
    定期 / 每学期 → flagged (no rule). Rates in amounts (每人每月1100元) are not cadences."""
    found: list[tuple[int, ParsedRecurrence]] = []
    taken: list[tuple[int, int]] = []
    for pat, template in _CADENCES:
        for m in pat.finditer(text):
            if any(s <= m.start() < e for s, e in taken):
                continue
            if _RATE_BEFORE.search(text[: m.start()]) or _RATE_AFTER.match(text[m.end() :]):
                taken.append(m.span())
                continue
            rule = _rule(template, m) if template is not None else None
            if template is not None and rule is None:
                continue  # left to the plainer patterns after it (每年13月 → 每年)
            taken.append(m.span())
            if rule is not None:
                _validate_rrule(rule)
            found.append((m.start(), ParsedRecurrence(rrule=rule, text=m.group(0), flagged=rule is None)))
    return [r for _, r in sorted(found, key=lambda x: x[0])]


def choose_recurrence(found: list[ParsedRecurrence]) -> ParsedRecurrence | None:
    for r in found:
        if not r.flagged:
            return r
    return found[0] if found else None


_VALID_RULES: set[str] = set()


def _validate_rrule(rule: str) -> None:
    """Every rule we emit must parse with dateutil (tracker schedules with it)."""
    if rule in _VALID_RULES:
        return
    from dateutil.rrule import rrulestr

    rrulestr(f"RRULE:{rule}", dtstart=datetime(2000, 1, 1))
    _VALID_RULES.add(rule)


# ---------------------------------------------------------------------------------------------------------------
# Figures: targets in the plan, baseline figures in the review

_UNITS = (
    "个百分点|百分点|个工作日|工作日|平方公里|平方米|公里|千米|千瓦时|兆瓦|千瓦|立方米|吨|亩|公顷|米|"
    "人次|户次|家次|件次|条次|批次|课时|学时|场次|万人|"
    "个|件|项|次|人|名|家|户|处|场|张|条|份|宗|起|所|座|套|间|台|辆|栋|批|例|支|株|棵|艘|架|本|册|篇|期|轮|卷|"
    "元|美元|倍|天|小时|分钟|周|种|类|门|班|站|点|路|盏|把|片|块|根|口|只|头|幢|层|张次"
)
_NUMBER = re.compile(
    r"(?<![\d.．A-Za-z])(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?P<approx1>余|多)?(?P<mult>万亿|千万|百万|万|亿|千)?(?P<approx2>余|多)?"
    rf"(?:(?P<pct>%|‰)|(?P<unit>{_UNITS}))"
    # a rate per population or area: 4.5批次/千人, 3名/万人
    r"(?P<per>[/／](?:十万人|万人|千人|百人|人|户|平方公里|公里|年|月))?"
)
_NAME_STOP = re.compile(r"[，,。；;：:、！？!?\n（）()《》\"]")
_VERBS = (
    "提高到|提升到|提升至|提高至|增加到|增加至|下降到|下降至|降低到|降低至|控制在|稳定在|保持在|保持|达到|达|"
    "超过|不少于|不低于|不高于|不超过|低于|高于|增长|下降|降低|提高|提升|增加|减少|压缩|精减|精简|"
    "新增|新建|新改扩建|改扩建|建成|完成|实现|突破|累计|共计|共|约|近|超|为|在|至|到|年均|全年|以上|左右|"
    "发放|开展|举办|投入|建设|打造|培育|引进|筹集|供应|招引|创建|培训|帮助|支持|拨付|处置|处理|办理|审查|"
    "检查|组织|实施|设立|改造|升级|扶持|签约|服务|惠及|发出|公布|梳理|推出|开通|关联|受理|抽查|发布|安排|投资|新开工"
)
_VERB_RE = re.compile(rf"(?:{_VERBS})")
_SUBJECTS = re.compile(r"^.*(?:负责人|人员|单位|机关|群众|企业|我区|全区|全市|本区|今年|明年|力争)(?=.{2,})")
_FIGURE_SKIP = re.compile(r"(?:第|前|近|首|这|那)$")


@dataclass
class Figure:
    value: float
    unit: str
    name: str
    start: int
    end: int


def find_figures(text: str) -> list[Figure]:
    """Numbers with a unit (100%, 3330个, 1.2亿元, 998万余元); years, dates, document numbers and ordinals skipped.
    Measures listed together share a figure ("参考率、合格率均达到100%" → two figures) or take theirs in turn
    ("分别达到95%、90%"); a figure joined to the one before ("每人每月800元和620元") has that one's name."""
    out: list[Figure] = []
    skip = _bracket_spans(text)
    pending: list[str] = []  # names of a 分别 list still waiting for their figures
    prev: Figure | None = None
    for m in _NUMBER.finditer(text):
        if any(s <= m.start() < e for s, e in skip):
            continue
        before = text[max(0, m.start() - 2) : m.start()]
        if _FIGURE_SKIP.search(before) and not m.group("pct"):
            continue
        try:
            value = float(m.group("num").replace(",", ""))
        except ValueError:
            continue
        unit = m.group("pct") or m.group("unit") or ""
        mult = m.group("mult") or ""
        if mult:
            unit = mult + unit
        if m.group("per"):
            unit += "/" + m.group("per")[1:]
        if unit in ("点", "路", "周", "站", "班", "门", "口") and not mult:
            continue  # 5G、3号线、1路: rarely a figure
        joined = prev is not None and bool(_FIGURE_JOIN.fullmatch(text[prev.end : m.start()]))
        if joined and prev is not None:
            names = [pending.pop(0) if pending else prev.name]
        else:
            pending = []
            name = _figure_name(text, m.start())
            if (
                len(name) < 2
                or _VERB_RE.fullmatch(name)
                or _SCOPE.fullmatch(name)
                or _NOT_A_MEASURE.search(name)
            ):
                # "交通运输等10个领域", "在G205等3个重点路段": examples or a code before the figure, the counted
                # thing after it
                name = _following_name(text, m.end()) or re.sub(r"等$", "", name)
            names, respective = _listed_names(text, m.start(), name)
            if respective:
                pending, names = names[1:], names[:1]
        for name in names:
            out.append(Figure(value, unit, name, m.start(), m.end()))
        prev = out[-1]
    return out


# words before a figure that are no measure: examples ending in 等, a bare road or place code (G205, S312)
_NOT_A_MEASURE = re.compile(r"(?<=..)等$|^[A-Za-z]{0,3}\d+[A-Za-z]{0,3}等?$")
# between two figures that belong together: "800元和620元", "不少于3期、480人次"
_FIGURE_JOIN = re.compile(r"[、和及与]|以及")
# a scope, not the thing measured: "完成辖区12处低洼易涝点整治" counts 低洼易涝点
_SCOPE = re.compile(
    rf"(?:{_VERBS}|覆盖|惠及)?(?:全区|全镇|全县|全市|全省|全乡|全街道|全域|辖区|区内|镇内|县内|市内)"
)
# words after a list of measures that share one figure (均, 都) or take one each (分别)
_SHARED = re.compile(r"(?:均|都|全部|皆|分别)")


def _listed_names(text: str, pos: int, name: str) -> tuple[list[str], bool]:
    """ "参考率、合格率均达到100%" → ([参考率, 合格率], False); "报备率、及时率分别达到95%、90%" → (…, True).
    A figure with one name → ([name], False)."""
    start = _clause_start(text, pos)
    if start == 0 or text[start - 1] != "、" or not _SHARED.search(text[start:pos]):
        return [name], False
    respective = "分别" in text[start:pos]
    # the last measure ends where the shared word starts: "LNG加注量分别突破40万吨" → LNG加注量
    shared = _SHARED.search(text, start, pos)
    if shared is not None and shared.start() - start >= 2:
        own, _ = _clean_name(text[start : shared.start()])
        name = own if len(own) >= 2 else name
    items: list[str] = []
    end = start - 1
    while end > 0 and text[end] == "、" and len(items) < 8:
        s = _clause_start(text, end, limit=20)
        item, _ = _clean_name(text[s:end])
        if not (2 <= len(item) <= _NAME_LIMIT):
            return [name], False
        items.insert(0, item)
        end = s - 1
    return [*items, name], respective


def _clause_start(text: str, pos: int, limit: int = 30) -> int:
    start = pos
    while start > 0 and not _NAME_STOP.match(text[start - 1]) and pos - start < limit:
        start -= 1
    return start


def _following_name(text: str, pos: int) -> str:
    """ "对7家严重失信企业实施…" → 严重失信企业: the counted thing written after the figure."""
    follow = re.split(r"[，,。；;：:、！？!?\n（）()《》]", text[pos : pos + 24], maxsplit=1)[0]
    vm = _VERB_RE.search(follow, 2)
    if vm:
        follow = follow[: vm.start()]
    follow = re.sub(r"^(?:以上|左右|余|多|的)+", "", follow)
    if follow[:1].isdigit():
        return ""  # "8宗16万平方米产业用地": another figure, not a name
    # "90间中小学校的电热饮水机": the counted thing is before the 的
    if "的" in follow[2:]:
        follow = follow[: follow.index("的", 2)]
    # "5个项目开工", "4座公园内", "7个社区公园和20个口袋公园": the thing, not what happens to it
    sm = _FOLLOW_STOP.search(follow, 2)
    if sm:
        follow = follow[: sm.start()]
    follow = re.sub(r"(?<=..)(?:[内中里和及与]|以及)$", "", follow)
    return follow[:16]


_FOLLOW_STOP = re.compile(
    r"\d|顺利|如期|陆续|加快|加速|成功|正式|全部|基本|年底|年内|"
    r"开工|竣工|打通|出让|纳入|落地|落户|入驻|启动|投用|上线|修缮|通车|交付"
)


def _bracket_spans(text: str) -> list[tuple[int, int]]:
    spans = [m.span() for m in re.finditer(r"《[^《》]*》|〔[^〔〕]*〕|\[[^\]]*\]", text)]
    return spans


_TRAILING_FILLERS = re.compile(
    r"(?:不少于|不低于|不高于|不超过|不多于|至少|最多|超过|达到|达|为|在|(?<![签合预节制公条契])约|近|超|共|共计|累计|以上|了|"
    # "参考率、合格率均达到", "标准分别提高到", "会前学法全年12次": not part of the name
    r"(?<![人年户亩日月])均|(?<![首成京])都|全部|分别|全年|年内|"
    r"提高到|提升到|提升至|提高至|控制在|保持在|稳定在|维持在|保持|维持|增加到|增加至|下降到|下降至|降低到|降低至|"
    # the words of an upper limit: the name is the measure (败诉率降至3% → 败诉率), the direction is at_most
    r"低于|降到|降至|减少到|减少至|压减到|压减至|压降到|压降至|压缩到|压缩至|至|到)$"
)
_LEADING_FILLERS = re.compile(
    r"^(?:继续|持续|进一步|全面|力争|确保|努力|基本|逐步|将|要|并|和(?!解)|及(?![时格])|其中|其|分别|已|累计|共计|共(?![享建治同性识用商有])|全年|今年|年内|"
    r"等|对|在|向|为|从|届时|实现|同比)+"
)


_NAME_LIMIT = 20
# where a long name may start: after a unit or place (管委会, 办公室, 会议, 区…), a 的 or a joining word; not
# inside 区域, 市场, 市民, 县城
_NAME_BOUNDARY = re.compile(
    r"(?:委员会|委会|政府|办公室|会议|局|委|厅|院|区|市|县|镇|乡|街道|的|和|及|与|等|、)$"
)
_NAME_BAD_START = re.compile(r"[域场民城]")


def _figure_name(text: str, pos: int) -> str:
    """The words before a figure, back to punctuation, without leading subjects or trailing verbs:
    "继续保持行政机关负责人出庭应诉率100%" → 出庭应诉率; "地区生产总值增长6.5%" → 地区生产总值增长."""
    start = _clause_start(text, pos)
    name, clause = _clean_name(text[start:pos])
    if not name and start > 1 and text[start - 1] in "，,":
        # "加强执法人员培训，全年不少于200人次": the measured thing is in the clause before
        name = _LEADING_FILLERS.sub("", _figure_name(text, start - 1))
    elif not name and start > 0 and start == pos and text[start - 1] in "）)":
        # "民主法治示范村（社区）5个": the bracket belongs to the name before it
        opening = _opening_bracket(text, start - 1)
        if opening is not None and opening > 0:
            name, clause = _clean_name(text[_clause_start(text, opening) : pos])
    return _clip_name((name or clause).strip())


def _opening_bracket(text: str, close: int) -> int | None:
    depth = 0
    for i in range(close, max(-1, close - 30), -1):
        if text[i] in "）)":
            depth += 1
        elif text[i] in "（(":
            depth -= 1
            if depth == 0:
                return i
    return None


def _clip_name(name: str) -> str:
    """Up to 20 characters whole. A longer name starts after the word boundary nearest the 20th character from
    the end (up to 4 more are kept for it), not inside a word: "管委会常务会议…" rather than "委会常务会议…";
    with no boundary there, the last 20 characters."""
    if len(name) <= _NAME_LIMIT:
        return name
    cut = len(name) - _NAME_LIMIT
    for i in sorted(range(max(1, cut - 4), len(name) - 4), key=lambda i: (abs(i - cut), -i)):
        if _NAME_BOUNDARY.search(name[:i]) and not _NAME_BAD_START.match(name[i]):
            return name[i:]
    return name[cut:]


def _clean_name(clause: str) -> tuple[str, str]:
    """(name, clause): the measured thing in the words before a figure, and the clause without its fillers."""
    prev = None
    while prev != clause:
        prev = clause
        clause = _TRAILING_FILLERS.sub("", clause)
        clause = re.sub(r"的$", "", clause)
        # "低保标准提高到每人每月1100元": the rate belongs to the amount, the name is 低保标准
        clause = re.sub(r"(?:每(?:人|户|名|位|家|亩|月|年|天|日))+$", "", clause)
        # "补助标准分别再提高30元和5元": the direction shared by a list is not part of the name
        clause = re.sub(r"(?<=..)(?:分别|均|都)再?(?:提高|提升|增加|增长|达到|突破)$", "", clause)
    if "的" in clause and len(clause.rsplit("的", 1)[1]) >= 2:
        clause = clause.rsplit("的", 1)[1]
    whole = clause
    sm = _SUBJECTS.match(clause)
    if sm:
        clause = clause[sm.end() :]
    # the thing measured follows the last action verb (新增学位 → 学位); with nothing after, keep the verb.
    # 以上 before a short word qualifies it (亿元以上项目) and stays; before a longer one it is cut
    # (市级以上专精特新企业 → 专精特新企业).
    start = 0
    for vm in _VERB_RE.finditer(clause):
        word, after = vm.group(0), clause[vm.end() :]
        # one-character verbs (共, 为, 在, 到…) are too often part of a word inside the name (共享数据目录)
        if len(word) < 2 or (word in ("以上", "左右") and len(after) < 3):
            continue
        if re.match(r"[额量率者]", after):
            start = vm.start()  # 投资额, 服务量: a noun made of the verb starts the name
        else:
            start = vm.end() if len(after) >= 3 else vm.start() if after else 0
    name = clause[start:]
    name = _LEADING_FILLERS.sub("", name)
    return _whole_quotes(name, whole), clause


_QUOTES = {"”": "“", "’": "‘", "」": "「", "』": "『"}


def _whole_quotes(name: str, clause: str) -> str:
    """A name that a cut left inside a quotation ("开展“法治交通进企业”活动" cut after 企业 → "”活动") starts at its
    opening quote; punctuation left in front of a name goes."""
    for close, open_ in _QUOTES.items():
        if name.count(close) > name.count(open_) and clause.endswith(name):
            head = clause[: len(clause) - len(name)]
            at = head.rfind(open_)
            if at >= 0:
                name = clause[at:]
    name = name.lstrip("”’」』）)、，,：:；;·. ")
    return "" if re.fullmatch(r"[“”‘’「」『』\"'\s]*", name) else name


# An upper limit rather than a goal to reach: "败诉率控制在10%以内", "不超过3次", "下降到5%以下". A reduction by an
# amount ("下降20%以上", "减少30%") reports the reduction itself, so it is a goal: at least, not at most.
_CEILING_BEFORE = re.compile(
    r"(?:不超过|不高于|不多于|最多|(?<!不)低于|控制在|下降到|下降至|降低到|降低至|降到|降至|减少到|减少至|压减到|压减至|"
    r"压降到|压降至|压缩到|压缩至)$"
)
_CEILING_AFTER = re.compile(r"^(?:以内|之内|以下)")
_FLOOR_AFTER = re.compile(r"^(?:以上|及以上)")


def _is_ceiling(text: str, f: Figure) -> bool:
    after = text[f.end : f.end + 3]
    if _CEILING_AFTER.match(after):
        return True
    return bool(_CEILING_BEFORE.search(text[max(0, f.start - 4) : f.start])) and not _FLOOR_AFTER.match(after)


def find_targets(text: str) -> list[ParsedTarget]:
    """Quantitative goals in a task's text (rates, counts, amounts with units); an upper limit has ``at_most``."""
    targets: list[ParsedTarget] = []
    for f in find_figures(text):
        snippet = _sentence_around(text, f.start, f.end)
        targets.append(
            ParsedTarget(
                name=f.name or f.unit, value=f.value, unit=f.unit, text=snippet, at_most=_is_ceiling(text, f)
            )
        )
    return targets


def _sentence_around(text: str, start: int, end: int, limit: int = 80) -> str:
    s = start
    while s > 0 and text[s - 1] not in "。；;！？\n" and start - s < limit:
        s -= 1
    e = end
    while e < len(text) and text[e] not in "。；;！？\n" and e - end < limit:
        e += 1
    return text[s:e].strip("，, ")


def sentence_around(text: str, start: int, end: int) -> str:
    return _sentence_around(text, start, end, limit=200)


# ---------------------------------------------------------------------------------------------------------------
# Documents named as deliverables

_DELIVER_VERBS = re.compile(
    r"(?:出台|制定|制发|印发|编制|修订|修改|起草|发布|形成|推出|编印|拟定|研究制定|建立|健全|完善|颁布|报送)"
    r"(?:并实施|实施)?$"
)
_REFERENCE_VERBS = re.compile(
    r"(?:按照|根据|依据|参照|对照|贯彻|落实|执行|学习|宣传|遵守|依照|实施|结合|围绕|对标|落细)"
)


def find_documents(text: str) -> list[str]:
    """《…》 the task is to produce (推动出台《…》《…》), not those it follows (按照《…》的要求)."""
    docs: list[str] = []
    chain_ok = False
    last_end = -1
    for m in re.finditer(r"《([^《》]{2,80})》", text):
        name = m.group(1).strip()
        if m.start() == last_end or (m.start() - last_end <= 1 and text[last_end : m.start()] in "、和及与"):
            ok = chain_ok
        else:
            clause_start = m.start()
            while clause_start > 0 and text[clause_start - 1] not in "，,。；;：:！？\n":
                clause_start -= 1
            before = text[clause_start : m.start()]
            ok = bool(_DELIVER_VERBS.search(before.rstrip("新的"))) and not _REFERENCE_VERBS.search(before)
            if re.search(r"的$", before):  # 市司法局印发的《…》: a document someone else issued
                ok = False
        if ok and name not in docs:
            docs.append(name)
        chain_ok = ok
        last_end = m.end()
    return docs


# ---------------------------------------------------------------------------------------------------------------
# Titles


def cut_spans(text: str, spans: list[tuple[int, int]]) -> str:
    out, prev = [], 0
    for s, e in sorted(spans):
        if s < prev:
            s = prev
        out.append(text[prev:s])
        prev = max(prev, e)
    out.append(text[prev:])
    return "".join(out)


def make_title(text: str, limit: int = 120) -> str:
    """The lead sentence (up to the first 。！？), or the whole line when it has none."""
    first_line = text.strip().split("\n", 1)[0]
    m = re.search(r"[。！？!?]", first_line)
    title = first_line[: m.start()] if m else first_line
    title = title.strip(" ：:，,；;")
    if len(title) > limit:
        cut = re.search(r"[；;]", title)
        title = title[: cut.start()] if cut and cut.start() >= 6 else title[:limit] + "…"
    return title
