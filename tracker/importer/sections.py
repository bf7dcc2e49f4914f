"""Where things are in a report: the title block, the next-year section, its end, the review section, the signature.

Works on the normalised lines (one paragraph a line). Indices here are 0-based; ParsedPlan gets 1-based lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from tracker.errors import ImportFailed
from tracker.importer import numbering as nb

_PLAN_WORDS = re.compile(
    r"工作安排|主要安排|重点安排|工作计划|工作打算|工作思路|工作任务|主要任务|重点任务|重点工作|主要工作|工作重点|"
    r"工作要点|工作措施|主要措施|工作举措|下一步|下步|下一阶段|今后|明年|下一年|打算|计划|安排|任务|展望"
)
_REVIEW_WORDS = re.compile(r"回顾|成效|成绩|情况|总结|完成|问题|不足|原因|经验|进展|做法|亮点|举措和|取得")
_MULTI_YEAR = re.compile(
    r"今后[一二三四五六七八九十\d]+年|[一二三四五六七八九十]年(?:的)?(?:目标|规划|任务)|五年|十四五|中长期"
)
_NEXT_WORDS = re.compile(r"下一步|下步|下一阶段|明年|下一年")
_TASK_CHAPTER = re.compile(
    r"工作任务|主要任务|重点任务|重点工作|具体任务|任务分工|工作措施|主要措施|工作内容|主要内容|重点内容|任务清单|"
    r"整改措施|整改任务|整改清单|问题清单|任务分解|责任分解"
)
_FRAME_CHAPTER = re.compile(
    r"指导思想|总体要求|工作目标|主要目标|基本原则|组织领导|保障措施|工作要求|实施步骤|组织保障|工作机制|职责分工|"
    r"目标任务|适用范围|工作原则|进度安排|时间安排|监督考核|考核评估|工作步骤|"
    r"整改目标|整改要求|整改原则|总体目标|组织实施|工作保障|有关要求|相关要求|工作纪律|督查考核|督导检查"
)
_PLAN_DOC = re.compile(
    r"工作要点|责任清单|任务清单|任务分工|分工方案|实施方案|工作方案|行动方案|实施意见|工作计划|推进计划|"
    r"重点工作安排|工作安排|任务安排|工作台账|推进方案|行动计划|督办清单|重点任务|"
    r"任务分解|分解方案|分解表|分工表|任务表|任务台账|台账$|责任分解|整改方案|整改清单|问题清单|整改台账|指导意见|若干意见|的意见$"
)
# Endings a title may have beside numbering.TITLE_ENDINGS, too common inside sentences to cut a run-together
# opening at: "…法治政府建设任务分解", "…2026年重点任务"
_PLAN_TITLE_ENDINGS = r"任务分解|任务分工|重点任务"
# An owner written at a chapter's entries ("责任单位：…", "（县司法局牵头）"): a chapter holding it has tasks
_OWNER_NOTE = re.compile(
    r"(?:牵头|责任|配合|主责)(?:单位|部门|科室|股室|处室)[：:]|[（(][^（）()]{2,40}(?:牵头|负责|配合)[^（）()]{0,20}[）)]"
)
# A web page's breadcrumb ("首页 > 政务公开 > 法治政府建设") is no issuer
_BREADCRUMB = re.compile(r"[>＞»›]|^(?:当前位置|您的位置|所在位置)|^(?:网站)?首页")
# "中共青石县委青石县人民政府": a joint issuer line whose space the normalisation took out
_JOINT_ISSUER = re.compile(
    r"(中共([\u4e00-\u9fff]{2,8}?)(?:省|市|县|区|州|盟|旗|镇|乡)委)(\2[\u4e00-\u9fff]{0,8}?(?:人民政府|政府))"
)
# The speaker of a government work report, under its title: "平源县人民政府县长 孙立平"
_SPEAKER = re.compile(
    r"^(?P<org>[\u4e00-\u9fff]{2,20}?(?:人民政府|管理委员会|管委会))"
    r"(?:代理|代)?(?:省长|市长|县长|区长|州长|盟长|旗长|镇长|乡长|主任|主席)\s*[\u4e00-\u9fff·]{2,4}$"
)
_SIGNOFF = re.compile(r"^(?:特此|专此)(?:报告|请示|汇报|函告|通报)|^以上报告|^此报告|^请审议|^妥否，?请")
_ANNEX = re.compile(r"^附(?:件|表)\s*\d{0,2}\s*(?:[：:.．、]|$|\d|[\u4e00-\u9fff《])|^附[：:]")
_GLOSSARY = re.compile(r"^(?:《[^》]*》)?(?:有关)?名词解释$")
_DATE_LINE = re.compile(
    r"^[（(]?(?:\d{4}|[一二三四五六七八九〇零]{4})年(?:\d{1,2}|[一二三四五六七八九十]{1,3})月"
    r"(?:\d{1,2}|[一二三四五六七八九十]{1,3})日[）)]?$"
)
_ORG_LINE = re.compile(
    r"^[\u4e00-\u9fff（）()“”、·]{4,40}(?:委员会|人民政府|政府|管委会|办公室|办公厅|局|委|厅|部|院|中心|工委|党组|分局|"
    r"办事处|公司|集团|街道|镇|司法所|领导小组|指挥部)$"
)
_CLOSING = re.compile(r"^(?:各位代表|同志们|各位委员)[！!，,：:]")
# the speech's closing call ("让我们更加紧密地团结在…", "团结就是力量，奋斗开创未来！")
_EXHORTATION = re.compile(r"让我们(?:更加)?(?:紧密|携手|团结|一起|共同)|团结就是力量|奋斗开创未来")


@dataclass
class Section:
    start: int  # index of the heading line, or of the first line of the section when it has no heading
    body_start: int  # first line of the section's body
    end: int  # exclusive
    heading: str | None
    heading_kind: str | None  # marker kind of the heading line (L1, L2…) or None
    year: int | None  # year written in the heading
    how: str  # heading / user / paragraph / document / chapter
    run_in: str = ""  # text run into the heading line ("三、2023年工作安排今年是…"): the body's first words
    warnings: list[str] = field(default_factory=list)


@dataclass
class Header:
    title: str | None = None
    title_line: int | None = None
    issuers: list[str] = field(default_factory=list)
    addressee: str | None = None
    opening: str | None = None
    body_start: int = 0


def heading_text(line: str) -> str:
    """A heading without its trailing run-in text: "三、2023年工作安排今年是…" → "三、2023年工作安排"."""
    m = nb.start_marker(line)
    if m is None:
        return line
    rest = line[m.end :]
    stop = re.search(r"[。！？；]", rest)
    if stop is None and len(rest) <= 60:
        return line
    # run-together heading: cut after the plan words if present (下一步 + 工作计划), else at a year that starts
    # the next paragraph, else after the first clause
    pm = _PLAN_WORDS.search(rest[:60])
    if pm is not None and (stop is None or pm.start() < stop.start()):
        cut = pm.end()
        while True:
            more = re.match(r"(?:工作)?(?:安排|计划|打算|任务|要点|重点|思路|措施|举措)", rest[cut:])
            if not more or more.end() == 0:
                break
            cut += more.end()
        return line[: m.end + cut]
    ym = re.search(r"(?<=[\u4e00-\u9fff])(?:\d{4}年|各位代表|今年|一年来)", rest[:60])
    first = re.search(r"[。！？；，]", rest)
    if ym and (first is None or ym.start() < first.start()):
        return line[: m.end + ym.start()]
    return line[: m.end + (first.start() if first else min(len(rest), 40))]


# What may follow a heading when the next paragraph runs into it: the end of the heading's sentence, or a new one
_RUN_IN_START = re.compile(
    rf"^(?:[。：:；;！!]|\d{{4}}年|今年|明年|新的一年|下一步|下步|一年来|过去|各位|我们|我[局县区镇乡市委办厅所院]|"
    rf"全[县区市镇乡省]|为|围绕|坚持|（[{nb.CN_NUM}]{{1,3}}）|[{nb.CN_NUM}]{{1,3}}是|\d{{1,2}}[.、])"
)


def _stands_alone(line: str) -> bool:
    """A heading is a line of its own, or a heading with the next paragraph run into it; never the first words of a
    sentence that goes on ("（二）按照年度工作任务安排，全面规范…" mentions a plan, it is not one)."""
    head = heading_text(line)
    rest = line[len(head) :] if line.startswith(head) else ""
    return not rest or bool(_RUN_IN_START.match(rest))


def is_heading_line(line: str) -> bool:
    """A numbered line that reads as a heading: short, its first sentence short, or a short heading with the
    next paragraph run into it."""
    m = nb.start_marker(line)
    if m is None or m.kind not in (nb.PART, nb.L1, nb.L2):
        return False
    rest = line[m.end :]
    if len(rest) <= 60 or re.match(r"[^。！？]{2,60}[。！？]", rest):
        return True
    head = heading_text(line)
    return head != line and len(head) - m.end <= 40 and not re.search(r"[，。；]", head)


def list_headings(lines: list[str]) -> list[str]:
    """Top-level headings seen (一、…, 第一部分…); the （一） level when there is no top level."""
    top = [heading_text(ln) for ln in lines if (m := nb.start_marker(ln)) and m.kind in (nb.PART, nb.L1)]
    if len(top) >= 2:
        return top[:40]
    second = [heading_text(ln) for ln in lines if (m := nb.start_marker(ln)) and m.kind == nb.L2]
    return (top + second)[:40]


def year_in(text: str) -> int | None:
    m = re.search(r"(?<!\d)((?:19|20)\d{2})(?:年|－|-|—)", text)
    return int(m.group(1)) if m else None


# ---------------------------------------------------------------------------------------------------------------
# Title block


def _is_title(line: str) -> bool:
    if len(line) > 90 or re.search(r"[。！？；]", line):
        return False
    # "实施方案（2026年）", "工作要点（2021—2025年）", "（征求意见稿）": a bracket after the title
    line = re.sub(r"[（(](?:\d{4}(?:[-—－～~]\d{4})?年?(?:度)?|征求意见稿|试行|草案|送审稿)[）)]$", "", line)
    return bool(
        re.match(r"^关于.{2,80}(?:报告|情况|通知|要点|方案|意见|计划|清单|安排|函|请示|决定|总结)$", line)
        # "白石街道关于市法治政府建设督察反馈问题的整改方案": the issuer before 关于
        or re.match(r"^[\u4e00-\u9fff（）()]{2,30}?关于.{2,80}(?:报告|通知|要点|方案|意见|计划|清单|请示|决定)$", line)
        or re.search(rf"(?:{nb.TITLE_ENDINGS}|{_PLAN_TITLE_ENDINGS})$", line)
        or re.fullmatch(r"(?:\d{4}年)?政府工作报告", line)
    )


_ISSUER_MARK = re.compile(r"(?<=[府会委局办厅])文件$")
_ISSUER_BEFORE_TITLE = re.compile(
    r"^((?:中共)?[\u4e00-\u9fff（）]{2,40}?(?:人民政府|管理委员会|委员会|办公室|办公厅|街道办事处|局|委|厅))(?=关于)"
)


def find_header(lines: list[str]) -> Header:
    """Issuers, title, addressee and opening paragraph at the top (before the first numbered heading)."""
    h = Header()
    limit = len(lines)
    for i, ln in enumerate(lines[:40]):
        m = nb.start_marker(ln)
        if m is not None and m.kind in (nb.PART, nb.L1, nb.L2):
            limit = i
            break
    limit = min(limit, 40)
    title_idx = None
    for i in range(min(limit, 25)):
        ln = lines[i]
        if _is_title(ln):
            title_idx = i
            if i + 1 < len(lines) and _title_continues(ln, lines[i + 1]):
                # "…2024年工作计划" + "的报告": the document is a report, whatever words precede 的报告
                h.title, h.title_line = ln + lines[i + 1], i
                title_idx = i + 1
            break
        # a title broken over two lines: "关于2021年度法治政府建设" + "工作的报告", "…2023年工作总结及" + "2024年…"
        if (
            i + 1 < len(lines)
            and (ln.startswith("关于") or re.search(r"(?:及|和|暨|与|的)$", ln))
            and _is_title(ln + lines[i + 1])
        ):
            lines_title = ln + lines[i + 1]
            h.title, h.title_line = lines_title, i
            title_idx = i + 1
            break
    if title_idx is not None and h.title is None:
        h.title, h.title_line = lines[title_idx], title_idx
    start_body = (title_idx + 1) if title_idx is not None else 0
    if title_idx is not None:
        for ln in lines[: h.title_line if h.title_line is not None else title_idx]:
            org_like = _ORG_LINE.match(ln) or (
                len(ln) <= 30
                and not re.search(r"[。，；：]", ln)
                and not _DATE_LINE.match(ln)
                and not ln.startswith("关于")
            )
            ln = _ISSUER_MARK.sub("", ln)  # the red header "云溪县人民政府文件" names 云溪县人民政府
            if (
                org_like
                and ln not in h.issuers
                and not re.fullmatch(r"[\d\W]*", ln)
                and not _is_doc_number(ln)
                and not _ANNEX.match(ln)  # "附件" above an attached plan is no issuer
                and not _BREADCRUMB.search(ln)
            ):
                h.issuers += [org for org in split_joint_issuer(ln) if org not in h.issuers]
    om = _ISSUER_BEFORE_TITLE.match(h.title) if h.title is not None else None
    if h.title is not None and om is not None:
        # "桥南…管理委员会关于2023年度…的报告" on one line: the issuer, then the title (as when on two lines)
        named = split_joint_issuer(om.group(1))
        if not h.issuers or all(org in h.issuers for org in named):
            h.issuers += [org for org in named if org not in h.issuers]
            h.title = h.title[om.end(1) :]
    if title_idx is not None:
        for ln in lines[title_idx + 1 : title_idx + 5]:
            sm = _SPEAKER.match(ln)
            if sm is not None and len(sm.group("org")) > 5 and sm.group("org") not in h.issuers:
                h.issuers.append(sm.group("org"))  # the government whose head gives the report
                break
    # addressee: 市委、市政府：
    for i in range(start_body, min(start_body + 4, len(lines))):
        ln = lines[i]
        if _DATE_LINE.match(ln) or _is_doc_number(ln) or ln.startswith("——") or _SPEAKER.match(ln):
            start_body = i + 1
            continue
        if (
            len(ln) <= 40
            and re.search(r"[：:]$", ln)
            and not re.search(r"如下|是|的|。", ln)
            and not _CLOSING.match(ln)
            and not re.match(r"^各位", ln)
        ):
            h.addressee = ln.rstrip("：:")
            start_body = i + 1
        break
    h.body_start = start_body
    for i in range(start_body, min(limit + 1, len(lines))):
        ln = lines[i]
        m = nb.start_marker(ln)
        if m is not None and m.kind in (nb.PART, nb.L1, nb.L2):
            break
        if len(ln) >= 15 and re.search(r"[。！]", ln) and not _CLOSING.match(ln):
            h.opening = ln
            break
    return h


def _title_continues(title: str, line: str) -> bool:
    """The second line of a title broken before its last words: "的报告", "工作情况的报告", or the plan part of
    "…2023年工作总结" + "及2024年工作思路"."""
    if re.fullmatch(r"的?(?:[\u4e00-\u9fff]{0,8}的)?(?:报告|通知|请示|汇报)", line):
        return True
    return bool(re.match(r"(?:及|和|暨|与|以及)(?=\d{4}年|下一步|明年|今后)", line)) and _is_title(title + line)


def split_joint_issuer(line: str) -> list[str]:
    """ "中共青石县委青石县人民政府" → the two issuers; any other line is one issuer."""
    m = _JOINT_ISSUER.fullmatch(line)
    return [m.group(1), m.group(3)] if m else [line]


def _is_doc_number(line: str) -> bool:
    return bool(re.search(r"〔\d{4}〕\d+号$|\[\d{4}\]\d+号$", line))


# ---------------------------------------------------------------------------------------------------------------
# Signature


def parse_cn_date(text: str) -> date | None:
    m = re.search(r"(\d{4})年(\d{1,2})月(\d{1,2})日", text)
    try:
        if m:
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        m = re.search(
            r"([一二三四五六七八九〇零]{4})年([一二三四五六七八九十]{1,3})月([一二三四五六七八九十]{1,3})日",
            text,
        )
        if m:
            y = int("".join(str(nb.CN_DIGITS[c]) for c in m.group(1)))
            mo, d = nb.cn_to_int(m.group(2)), nb.cn_to_int(m.group(3))
            if mo and d:
                return date(y, mo, d)
    except ValueError:
        return None
    return None


def find_signature(lines: list[str], after: int) -> tuple[list[str], date | None, int | None]:
    """Issuer lines and the date at the end: the last date line after ``after`` and the org lines just above it.
    The end is the document's, or the line before an appendix (附件 and its table follow the signature)."""
    ends = [len(lines)] + [k for k in range(len(lines) - 1, max(after, 0), -1) if _ANNEX.match(lines[k])]
    for end in ends:
        for i in range(end - 1, max(after, 0) - 1, -1):
            ln = lines[i]
            if _DATE_LINE.match(ln):
                when = parse_cn_date(ln)
                orgs: list[str] = []
                j = i - 1
                while j >= after and i - j <= 4 and (_ORG_LINE.match(lines[j]) or _short_org(lines[j])):
                    orgs.insert(0, lines[j])
                    j -= 1
                return orgs, when, j + 1
            if i < end - 6:
                break
    return [], None, None


def _short_org(line: str) -> bool:
    return (
        len(line) <= 30
        and not re.search(r"[。，；：！？、]", line)
        and not _DATE_LINE.match(line)
        and not (_SIGNOFF.match(line) or nb.start_marker(line))
    )


# ---------------------------------------------------------------------------------------------------------------
# The next-year section


def _candidate_score(text: str, report_year: int | None) -> int | None:
    """How much a heading looks like the next-year section; None when it does not."""
    body = text
    m = nb.start_marker(text)
    if m is not None:
        body = text[m.end :]
    if not _PLAN_WORDS.search(body) or _MULTI_YEAR.search(body):
        return None
    review = _REVIEW_WORDS.search(body)
    if review and not _NEXT_WORDS.search(body) and not re.search(r"安排|计划|打算", body):
        return None
    score = 1
    y = year_in(body)
    if y is not None and report_year is not None and y <= report_year:
        return None  # "一、2025年主要工作" of a report on 2025 looks back, whatever its words
    if y is not None:
        score += 2
    if _NEXT_WORDS.search(body):
        score += 2
    if re.search(r"安排|计划|打算|任务|要点", body):
        score += 1
    return score


def find_section(
    lines: list[str],
    *,
    report_year: int | None,
    user_section: str | None = None,
    header: Header | None = None,
) -> Section:
    """Locate the next-year section. Raises ImportFailed listing the headings when nothing fits."""
    body_from = header.body_start if header else 0
    if user_section:
        return _user_section(lines, user_section, body_from)
    best: tuple[int, int] | None = None  # (score, index)
    first_heading = next(
        (k for k, ln in enumerate(lines) if (m := nb.start_marker(ln)) and m.kind in (nb.PART, nb.L1, nb.L2)),
        len(lines),
    )
    for rank_kinds in ((nb.PART, nb.L1), (nb.L2,), (None,)):
        for i in range(body_from, len(lines)):
            ln = lines[i]
            m = nb.start_marker(ln)
            kind = m.kind if m else None
            if kind not in rank_kinds:
                continue
            if kind is None:
                # an unnumbered heading line: short, no sentence punctuation, not the title
                if (
                    len(ln) > 30
                    or re.search(r"[。，；！？：:]", ln)
                    or (header and i == header.title_line)
                    or (i < first_heading and _looks_like_document_title(ln))
                ):
                    continue
            elif not is_heading_line(ln) or not _stands_alone(ln):
                continue
            score = _candidate_score(heading_text(ln), report_year)
            if score is None:
                continue
            if best is None or score >= best[0]:
                best = (score, i)
        if best is not None:
            break
    if best is not None:
        i = best[1]
        m = nb.start_marker(lines[i])
        heading = heading_text(lines[i])
        end = find_end(lines, i, m)
        run_in = lines[i][len(heading) :] if lines[i].startswith(heading) else ""
        sec = Section(i, i + 1, end, heading, m.kind if m else None, year_in(heading), "heading", run_in)
        return _narrow_to_tasks(lines, _narrow_shared_section(lines, sec, report_year))
    para = _next_step_paragraph(lines, body_from, report_year)
    if para is not None:
        end = find_end(lines, para, None)
        first = re.split(r"[，,：:。]", lines[para], maxsplit=1)[0]
        return Section(para, para, end, first[:30], None, year_in(first), "paragraph")
    headings = list_headings(lines)
    seen = "；".join(headings[:15]) if headings else "（没有找到任何编号标题）"
    example = f"四、{report_year + 1}年推进法治政府建设的主要安排" if report_year else "三、下一步工作计划"
    raise ImportFailed(
        f"未找到下一年度工作安排部分（如“{example}”）。文中的标题有：{seen}。"
        "可用 --section 指定标题",
        headings=headings,
    )


def _looks_like_document_title(line: str) -> bool:
    """A title line is never the section: above the first numbered heading, a line that names a kind of
    document ("蓝湖区2024年法治政府建设重点任务分解表") is a title, even one the title block did not take."""
    if year_in(line) is None or re.match(r"^(?:\d{4}年|下一步|下步|下一阶段|明年|今后)", line):
        return False  # "2024年工作计划", "下一步工作计划": the headings of a report's plan
    return _is_title(line) or bool(_PLAN_DOC.search(line))


_PROBLEM_WORDS = re.compile(r"问题|不足|差距|短板|困难|薄弱")
_NEXT_STEP_START = re.compile(r"^(?:下一步|下步|下一阶段|今后|\d{4}年)(?:工作)?(?:中|打算|计划|安排)?[，,：:]")


def _narrow_shared_section(lines: list[str], sec: Section, report_year: int | None) -> Section:
    """ "三、存在的问题和下一步工作打算": the problems come first and are not tasks. The plan is its sub-heading
    "（二）下一步工作打算", or from the paragraph that begins "下一步，…" / "2024年，我局将…"."""
    if not sec.heading or not _PROBLEM_WORDS.search(sec.heading) or sec.run_in.strip():
        return sec
    rank = nb.RANK[sec.heading_kind] if sec.heading_kind else -1
    for j in range(sec.body_start, sec.end):
        ln = lines[j]
        m = nb.start_marker(ln)
        if m is None or nb.RANK[m.kind] <= rank or m.kind in nb.POINT_KINDS or not is_heading_line(ln):
            continue
        sub = heading_text(ln)
        if _PROBLEM_WORDS.search(sub) or _candidate_score(sub, report_year) is None:
            continue
        run_in = ln[len(sub) :] if ln.startswith(sub) else ""
        end = min(find_end(lines, j, m), sec.end)
        return Section(j, j + 1, end, sub, m.kind, year_in(sub) or sec.year, "heading", run_in)
    for j in range(sec.body_start + 1, sec.end):
        if _NEXT_STEP_START.match(lines[j]) and re.search(r"将|要|计划|拟|重点", lines[j][:60]):
            return Section(sec.start, j, sec.end, sec.heading, sec.heading_kind, sec.year, "heading")
    return sec


# Inside a report's next-year section, a part headed only by frame words ("（一）指导思想", "（四）保障措施"), not a
# topic that mentions them ("（四）坚持强化法治建设工作保障")
_FRAME_PART = re.compile(rf"^(?:[\u4e00-\u9fff]{{0,4}}?)(?:{_FRAME_CHAPTER.pattern}|总体思路|工作思路|指导原则)[。：:]?$")


def _frame_only(lines: list[str], start: int, stop: int, *, part: bool = False) -> bool:
    """A chapter (its heading at ``start``) that is frame only: 指导思想, 保障措施… naming no owner anywhere."""
    head = heading_text(lines[start])
    m = nb.start_marker(head)
    frame = _FRAME_PART.search(head[m.end if m else 0 :]) if part else _FRAME_CHAPTER.search(head)
    return bool(
        frame
        and not _TASK_CHAPTER.search(head)
        and not any(_OWNER_NOTE.search(lines[k]) for k in range(start, stop))
    )


def _trim_frame(lines: list[str], heads: list[int], end: int, *, part: bool = False) -> tuple[int, int]:
    """(lo, hi): the chapters heads[lo:hi] left when the frame-only chapters at either end are set aside."""

    def frame(n: int) -> bool:
        return _frame_only(lines, heads[n], heads[n + 1] if n + 1 < len(heads) else end, part=part)

    lo, hi = 0, len(heads)
    while lo < hi and frame(lo):
        lo += 1
    while hi > lo and frame(hi - 1):
        hi -= 1
    return lo, hi


def _narrow_to_tasks(lines: list[str], sec: Section) -> Section:
    """ "三、2024年工作思路" with "（一）指导思想" "（二）主要目标" "（三）重点工作": the frame parts hold no task, so the
    plan is what is left, here the entries of （三）. The parts set aside are named in a warning."""
    rank = nb.RANK[sec.heading_kind] if sec.heading_kind else -1
    subs = [
        (j, m)
        for j in range(sec.body_start, sec.end)
        if (m := nb.start_marker(lines[j])) is not None
        and nb.RANK[m.kind] > rank
        and m.kind not in nb.POINT_KINDS
        and is_heading_line(lines[j])
    ]
    if not subs:
        return sec
    kind = min((m.kind for _, m in subs), key=lambda k: nb.RANK[k])
    heads = [j for j, m in subs if m.kind == kind]
    if len(heads) < 2:
        return sec
    lo, hi = _trim_frame(lines, heads, sec.end, part=True)
    if lo >= hi or (lo, hi) == (0, len(heads)):
        return sec
    dropped = "、".join(heading_text(lines[heads[n]]) for n in range(len(heads)) if n < lo or n >= hi)
    where = f"“{sec.heading}”中的" if sec.heading else ""
    warning = f"{where}{dropped}是总体要求，未作为任务导入"
    last = heads[hi] if hi < len(heads) else sec.end
    if hi - lo == 1:  # one part left: its entries are the items
        j = heads[lo]
        m = nb.start_marker(lines[j])
        sub = heading_text(lines[j])
        run_in = lines[j][len(sub) :] if lines[j].startswith(sub) else ""
        kind_of = m.kind if m is not None else None
        return Section(sec.start, j + 1, last, sec.heading, kind_of, sec.year, sec.how, run_in, [warning])
    return Section(sec.start, heads[lo], last, sec.heading, sec.heading_kind, sec.year, sec.how, "", [warning])


def _user_section(lines: list[str], wanted: str, body_from: int) -> Section:
    def squash(s: str) -> str:
        return re.sub(r"[\s　]", "", s)

    key = squash(wanted)
    key_bare = squash(_strip_marker(wanted))
    hits = [i for i, ln in enumerate(lines) if key and key in squash(ln)]
    if not hits and key_bare:
        hits = [i for i, ln in enumerate(lines) if key_bare in squash(ln)]
    hits = [i for i in hits if i >= body_from] or hits
    if not hits:
        headings = list_headings(lines)
        seen = "；".join(headings[:15]) if headings else "（没有找到任何编号标题）"
        raise ImportFailed(f"文中没有找到指定的标题“{wanted}”。文中的标题有：{seen}", headings=headings)
    # prefer a line that is a heading (numbered, short) over a mention in running text
    i = next((j for j in hits if len(lines[j]) <= 60), hits[0])
    m = nb.start_marker(lines[i])
    heading = heading_text(lines[i]) if m else lines[i]
    run_in = lines[i][len(heading) :] if lines[i].startswith(heading) else ""
    end = find_end(lines, i, m)
    return Section(i, i + 1, end, heading, m.kind if m else None, year_in(heading), "user", run_in)


def _strip_marker(text: str) -> str:
    m = nb.start_marker(text.strip())
    return text.strip()[m.end :] if m else text


def _next_step_paragraph(lines: list[str], body_from: int, report_year: int | None) -> int | None:
    """No heading: a closing paragraph that begins 下一步，… (or 2022年，我们将…)."""
    for i in range(len(lines) - 1, body_from - 1, -1):
        if re.match(r"^(?:下一步|下步|下一阶段|今后|明年)(?:工作)?(?:中|打算|计划|安排)?[，,：:]?", lines[i]):
            return i
    if report_year is not None:
        nxt = str(report_year + 1)
        for i in range(len(lines) - 1, body_from - 1, -1):
            if re.match(rf"^{nxt}年(?:度)?[，,：:]", lines[i]) and re.search(r"将|要|计划|拟", lines[i][:80]):
                return i
    return None


# "各镇街、各部门要按照本要点要求，…于12月15日前将落实情况报送…": how the whole plan is to be carried out and
# reported, written after its last task; not part of that task (its 12月15日前 is not the task's deadline).
_CLOSING_REQUIREMENT = re.compile(
    r"^(?:请)?各[\u4e00-\u9fff、（）]{1,24}?(?:要|务必|应当|须)"
    r"(?=.{0,80}?(?:本要点|本方案|本计划|本意见|本清单|本通知|进展|落实情况|报送|职责|督促|抓好落实))"
)


def _trim_closing(lines: list[str], start: int, end: int) -> int:
    """Move ``end`` back over the unnumbered closing requirements that follow the last task."""
    j = end
    while j - 1 > start + 1 and nb.start_marker(lines[j - 1]) is None and _CLOSING_REQUIREMENT.match(lines[j - 1]):
        j -= 1
    return j


def find_end(lines: list[str], start: int, head: nb.Marker | None) -> int:
    """Exclusive end of the section that starts at ``start``."""
    return _trim_closing(lines, start, _find_end(lines, start, head))


def _find_end(lines: list[str], start: int, head: nb.Marker | None) -> int:
    head_rank = nb.RANK[head.kind] if head is not None else None
    seen_item = False
    for i in range(start + 1, len(lines)):
        ln = lines[i]
        if _SIGNOFF.match(ln) or _ANNEX.match(ln) or _GLOSSARY.match(ln):
            return i
        if _DATE_LINE.match(ln):
            j = i
            while j - 1 > start and i - j < 4 and (_ORG_LINE.match(lines[j - 1]) or _short_org(lines[j - 1])):
                j -= 1
            return j
        if (
            seen_item
            and (_CLOSING.match(ln) or _EXHORTATION.search(ln[:120]))
            and nb.start_marker(ln) is None
        ):
            return i
        m = nb.start_marker(ln)
        if m is not None:
            seen_item = True
            if (
                head is not None
                and head_rank is not None
                and nb.RANK[m.kind] <= head_rank
                and is_heading_line(ln)
            ):
                if nb.RANK[m.kind] < head_rank or m.number > head.number:
                    return i
            elif head is None and m.kind in (nb.PART, nb.L1) and is_heading_line(ln) and i > start + 1:
                return i
    return len(lines)


# ---------------------------------------------------------------------------------------------------------------
# Plan documents (工作要点, 实施方案…): the body is the plan


def plan_document_start(lines: list[str], header: Header) -> int | None:
    """Where the plan starts when the document is itself a plan; None for a report.

    A covering notice (关于印发…的通知 + addressees + 现将…印发给你们 + date) is skipped: the plan starts after the
    document's own title, or after the notice's date line.
    """
    title = header.title or ""
    # "…2023年工作总结及2024年工作计划": a 总结 looks back, so the document is a report with a next-year section
    if title and re.search(r"报告|总结", title) and not re.search(r"印发|转发", title):
        return None
    if title and re.search(r"印发|转发", title):
        inner = re.search(r"《([^》]+)》", title)
        name = inner.group(1) if inner else re.sub(r"^关于(?:印发|转发)|的通知$", "", title)
        start = (header.title_line or 0) + 1
        for i in range(start, min(len(lines), start + 60)):
            if lines[i] == name or (
                len(lines[i]) <= 60 and name and name in lines[i] and "印发" not in lines[i]
            ):
                return i + 1
        for i in range(start, min(len(lines), start + 60)):
            if _DATE_LINE.match(lines[i]):
                return i + 1
        return header.body_start
    if title and _PLAN_DOC.search(title):
        return header.body_start
    return None


def plan_document_title(lines: list[str], header: Header, start: int) -> str | None:
    """The plan's own title when a covering notice sends it (the line just before the plan body)."""
    title = header.title or ""
    if not re.search(r"印发|转发", title):
        return None
    if start > 0 and _is_title(lines[start - 1]) and "印发" not in lines[start - 1]:
        return lines[start - 1]
    inner = re.search(r"《([^》]+)》", title)
    return inner.group(1) if inner else None


def plan_document_section(lines: list[str], start: int) -> Section:
    """The plan part of a plan document: its 工作任务 chapter when it has frame chapters beside it, else all."""
    chapters = [
        (i, ln)
        for i in range(start, len(lines))
        if (m := nb.start_marker(ln := lines[i])) and m.kind == nb.L1 and is_heading_line(ln)
    ]
    task = [(i, ln) for i, ln in chapters if _TASK_CHAPTER.search(heading_text(ln))]
    frame = [(i, ln) for i, ln in chapters if _FRAME_CHAPTER.search(heading_text(ln))]
    if task and frame:
        i, ln = task[0]
        m = nb.start_marker(ln)
        end = find_end(lines, i, m)
        return Section(i, i + 1, end, heading_text(ln), nb.L1, year_in(ln), "chapter")
    end = _plan_doc_end(lines, start)
    # frame chapters before the first and after the last topical chapter (一、指导思想…, 五、工作要求, 六、组织保障)
    # say how the plan is carried out; they hold no task unless they name owners
    heads = [i for i, _ in chapters if i < end]
    lo, hi = _trim_frame(lines, heads, end)
    if lo < hi and (lo, hi) != (0, len(heads)):
        first = heads[lo] if lo > 0 else start
        last = heads[hi] if hi < len(heads) else end
        return Section(first, first, _trim_closing(lines, first, last), None, None, None, "document")
    return Section(start, start, end, None, None, None, "document")


def _plan_doc_end(lines: list[str], start: int) -> int:
    return _trim_closing(lines, start, _plan_doc_body_end(lines, start))


_BARE_ANNEX = re.compile(r"^附件\s*\d{0,2}[：:]?$")


def _plan_doc_body_end(lines: list[str], start: int) -> int:
    for i in range(start, len(lines)):
        ln = lines[i]
        if _SIGNOFF.match(ln) or (_ANNEX.match(ln) and not (i == start and _BARE_ANNEX.match(ln))):
            return i  # a bare "附件" where the plan starts labels the plan a notice carries
        if _DATE_LINE.match(ln) and i > start:
            j = i
            while j - 1 > start and i - j < 4 and (_ORG_LINE.match(lines[j - 1]) or _short_org(lines[j - 1])):
                j -= 1
            return j
    return len(lines)


def review_section(lines: list[str], before: int, report_year: int | None) -> list[tuple[int, int]]:
    """The report's own-year part, as line spans [start, end): section 一 when its heading says so
    (2021年…主要举措和成效 / 工作回顾 / 主要工作情况); when the top-level headings are topics (一、积极统筹…,
    二、深入推进…), every such section before the plan except 存在问题 and 第一责任人."""
    spans: list[tuple[int, int, str]] = []
    for i in range(0, min(before, len(lines))):
        ln = lines[i]
        m = nb.start_marker(ln)
        if m is None or m.kind not in (nb.PART, nb.L1) or not is_heading_line(ln):
            continue
        head = heading_text(ln)
        end = min(find_end(lines, i, m), before)
        spans.append((i, end, head))
    if not spans:
        return []
    first_head = spans[0][2]
    y = year_in(first_head)
    if _REVIEW_WORDS.search(first_head) or (y is not None and report_year is not None and y == report_year):
        return [spans[0][:2]]
    return [
        (s, e)
        for s, e, head in spans
        if not re.search(r"问题|不足|原因|第一责任人|指导思想|总体要求|目标", head)
    ]


def annex_blocks(lines: list[str], start: int) -> list[tuple[str, str, int, int]]:
    """Appendices after ``start``: (label 附件2 / 附表, title, first entry line, end) for each."""
    out: list[tuple[str, str, int, int]] = []
    i = start
    while i < len(lines):
        ln = lines[i]
        m = re.match(r"^附([件表])\s*(\d{0,2})\s*[：:]?\s*(.*)$", ln)
        if m and _ANNEX.match(ln):
            label = f"附{m.group(1)}{m.group(2)}"
            title = m.group(3).strip()
            j = i + 1
            if not title and j < len(lines) and not nb.start_marker(lines[j]):
                title = lines[j]
                j += 1
            k = j
            while k < len(lines) and not (_ANNEX.match(lines[k]) and re.match(r"^附[件表]", lines[k])):
                if _DATE_LINE.match(lines[k]):
                    break
                k += 1
            out.append((label, title, j, k))
            i = k
        else:
            i += 1
    return out
