"""Text of a report → ParsedPlan. Pure: no files, no database.

Steps: normalise → title block → find the next-year section (or the plan body of a plan document) → split it into
items and points → read each task's owners, deadline, cadence, targets and documents → baseline figures of the
review section → signature. What could not be decided goes into ``missing`` (per task) and ``warnings``.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, replace
from datetime import date

from tracker.errors import ImportFailed
from tracker.importer import extract as ex
from tracker.importer import numbering as nb
from tracker.importer import sections as sx
from tracker.importer.counts import count_entries
from tracker.importer.directory import DepartmentDirectory, load_directory
from tracker.importer.model import ParsedBaseline, ParsedOwner, ParsedPlan, ParsedTask
from tracker.importer.normalize import normalise_text
from tracker.importer.splitting import Node, Para, make_paras, split_section

MISSING_OWNER = "未找到责任单位"
INTERNAL_ERROR = "解析报告时出现内部错误"

_DEFAULT_DIRECTORY: DepartmentDirectory | None = None


def default_directory() -> DepartmentDirectory:
    global _DEFAULT_DIRECTORY
    if _DEFAULT_DIRECTORY is None:
        _DEFAULT_DIRECTORY = load_directory()
    return _DEFAULT_DIRECTORY


def parse_report(
    text: str,
    *,
    source_name: str = "",
    section: str | None = None,
    directory: DepartmentDirectory | None = None,
    today_year: int | None = None,
) -> ParsedPlan:
    """Parse a report (or a plan document) into a ParsedPlan; raise ImportFailed with a Chinese message when
    there is no plan in it. ``section`` names the heading when detection fails; ``directory`` suggests owners
    (the default directory when None)."""
    if not isinstance(text, str):
        raise ImportFailed("报告内容不是文本")
    section = section.strip() if isinstance(section, str) and section.strip() else None
    try:
        return _parse(text, source_name, section, directory, today_year)
    except ImportFailed as err:
        if "\n" in err.message or "\r" in err.message:  # messages are one line (a heading or name may not be)
            raise ImportFailed(re.sub(r"\s+", " ", err.message), headings=err.headings) from err
        raise
    except Exception as err:  # a safety net: the user gets one line, never a traceback
        # Not expected (the property tests look for exactly this message); the cause stays chained for debugging.
        raise ImportFailed(
            f"{INTERNAL_ERROR}（{type(err).__name__}），请把文件发给维护者：{source_name or '输入文本'}"
        ) from err


_DRAFT_MARK = re.compile(r"【(?:待补充|请核对)[^】\n]{0,200}】")


def _may_hold_unnumbered_points(item: ParsedTask) -> bool:
    """A long item without points whose sentences include several short lead phrases ("推动消费持续恢复。"):
    points that only paragraph breaks told apart, which the text no longer has or never had."""
    if item.children or len(item.text) < 600:
        return False
    sentences = [s for s in re.split(r"(?<=[。！？])", item.text) if s.strip()]
    leads = [s for s in sentences[1:] if len(s) <= 20 and not re.search(r"[，,；;：:、]", s)]
    return len(sentences) >= 6 and len(leads) >= 2


def _parse(
    text: str,
    source_name: str,
    section: str | None,
    directory: DepartmentDirectory | None,
    today_year: int | None,
) -> ParsedPlan:
    norm = normalise_text(text)
    # a draft tracker wrote, read back as next year's plan: its 【待补充：…】/【请核对：…】 slots are notes to the
    # writer, not words of the plan (nor do they hide the 二是 that follows one)
    draft_marks = len(_DRAFT_MARK.findall(norm))
    if draft_marks:
        norm = _DRAFT_MARK.sub("", norm)
    if not norm.strip():
        raise ImportFailed(f"文件为空：{source_name}" if source_name else "报告内容为空")
    if not re.search(r"[\u4e00-\u9fff]", norm):
        raise ImportFailed(f"文中没有中文内容，不像是一份报告：{source_name or '输入文本'}")
    lines = norm.split("\n")
    warnings: list[str] = []
    if draft_marks:
        warnings.append(f"文中有 {draft_marks} 处起草标记（【待补充】或【请核对】），已略去，未计入任务")
    header = sx.find_header(lines)
    headings = sx.list_headings(lines)

    report_year, title_plan_year = _years(header, lines)
    kind = "report"
    doc_start = None if section else sx.plan_document_start(lines, header)
    if doc_start is not None:
        sec = sx.plan_document_section(lines, doc_start)
        kind = "plan"
        inner = sx.plan_document_title(lines, header, doc_start)
        if inner:  # 关于印发《X》的通知: the plan is X
            header.title = inner
    else:
        sec = sx.find_section(lines, report_year=report_year, user_section=section, header=header)
    warnings += sec.warnings
    if report_year is None:
        # a report signed early in the year looks back on the year before
        _, signed, _ = sx.find_signature(lines, sec.start)
        if signed is not None:
            report_year = signed.year - 1 if signed.month <= 6 else signed.year
    plan_year = sec.year or title_plan_year or (report_year + 1 if report_year else None)
    if plan_year is None and kind == "plan":
        # "实施方案" without a year in its title: the year its text is about ("2024年，全县…", "2024年11月30日前")
        plan_year = _year_written_most(lines[header.body_start : sec.end])
    if plan_year is None:
        plan_year = today_year or date.today().year
        warnings.append(f"报告中没有写明年份，计划年度按{plan_year}年处理")
    if report_year is None and kind == "report":
        report_year = plan_year - 1

    pairs: list[tuple[int, str]] = []
    if sec.run_in.strip():
        pairs.append((sec.start + 1, sec.run_in.strip()))
    pairs += [(i + 1, lines[i]) for i in range(sec.body_start, sec.end)]
    body = make_paras(pairs)
    directory = directory if directory is not None else default_directory()
    sig_orgs, sig_date, _ = sx.find_signature(lines, sec.start)
    issuing = _joint_split([*header.issuers, *sig_orgs])
    local = directory.covers("".join([*issuing, header.title or "", *lines[:3]]))
    above = not local and _above_county(issuing, header.title or "")
    own = None if above else _issuing_unit(issuing, header.title or "", directory, local)
    doc = Document(own, local, ex.first_listed_leads(norm), above)
    # "具体任务、责任股室和完成时限详见附表": the section names no task itself, the appendix table is the plan
    annexed = _annexed_plan(lines, sec, body, plan_year, directory, doc, warnings)
    if annexed:
        nodes: list[Node] = []
    else:
        nodes, split_warnings = split_section(body, sec.heading_kind)
        warnings += split_warnings
    if not nodes and not annexed:
        where = f"“{sec.heading}”" if sec.heading else "安排部分"
        raise ImportFailed(f"找到了{where}，但其中没有可以跟踪的任务", headings=headings)
    if sec.how == "paragraph":
        warnings.append(f"没有找到安排部分的标题，按结尾的“{sec.heading}……”段落导入，请核对")
    elif sec.how == "document":
        warnings.append("这是一份计划类文件（工作要点/方案），正文即为计划")

    items = annexed or [_task(n, plan_year, directory, None, doc) for n in nodes]
    if not annexed:
        items += _appendix_items(lines, sec.end, plan_year, directory, warnings, doc)
    unsplit = [i.label for i in items if _may_hold_unnumbered_points(i)]
    if unsplit:
        warnings.append(
            f"{'、'.join(unsplit)}各是一整段长文，其中可能有未编号的分项（如原文分段在复制时丢失），"
            "未拆成单独任务，请核对；有分段的原文件可拆分得更准确"
        )

    issuers = _joint_split([*header.issuers, *sig_orgs])
    report_date = sig_date or _date_near_top(lines[: max(6, min(sec.start, 12))])
    title = header.title or ""
    if not title:
        title = _fallback_title(source_name, sec.heading, plan_year)
        warnings.append("未找到报告标题")
    if report_date is None and kind == "report":
        warnings.append("未找到落款日期")

    baseline = _baseline(lines, sec.start, report_year) if kind == "report" else []
    plan = ParsedPlan(
        year=plan_year,
        title=title,
        issuers=issuers,
        addressee=header.addressee,
        report_date=report_date,
        section_heading=sec.heading,
        section_start_line=sec.start + 1,
        section_end_line=max(sec.start + 1, sec.end),
        items=items,
        baseline=baseline,
        kind="plan" if kind == "plan" else "report",
        opening=header.opening,
        source_name=source_name,
        source_hash=hashlib.sha256(norm.encode("utf-8")).hexdigest(),
        source_text=norm,
        warnings=warnings,
        report_year=report_year,
        headings=headings,
    )
    for c in count_entries(sec.heading, lines[sec.body_start : sec.end], items):
        plan.entry_counts.append((c.label, c.seen, c.made))
        if c.seen > c.made:
            plan.warnings.append(f"{c.label}：原文有 {c.seen} 个编号条目，只生成了 {c.made} 个任务，请核对")
    unassigned = plan.unassigned_labels()
    if unassigned:
        plan.warnings.append(f"{len(unassigned)} 项任务未找到责任单位：{'、'.join(unassigned[:20])}")
    return plan


def _joint_split(orgs: list[str]) -> list[str]:
    """Issuers once each, in order; a line that glues two of the others ("中共青石县委青石县人民政府" above the
    title, the two signing separately) gives way to them."""
    names = list(dict.fromkeys(o for org in orgs for o in sx.split_joint_issuer(org)))
    out: list[str] = []
    for name in names:
        others = [o for o in names if o != name and o in name]
        if len(others) >= 2 and _glued_from(name, others):
            continue
        # "青石县白沙镇人民政府" above the title, "白沙镇人民政府" at the signature: one issuer, named in full
        if any(o != name and o.endswith(name) and len(o) - len(name) >= 2 for o in names):
            continue
        out.append(name)
    return out


def _glued_from(name: str, parts: list[str]) -> bool:
    if not name:
        return True
    return any(name.startswith(p) and _glued_from(name[len(p) :], parts) for p in parts)


def _years(header: sx.Header, lines: list[str]) -> tuple[int | None, int | None]:
    """(year the report looks back on, plan year written in the title)."""
    title = header.title or ""
    y = sx.year_in(title)
    years = [int(m.group(1)) for m in re.finditer(r"(?<![\d—\-－～~至到])((?:19|20)\d{2})年(?!\s*[—\-－～~至])", title)]
    if len(years) >= 2 and years[-1] == years[0] + 1 and re.search(r"报告|总结", title):
        # "关于2023年工作总结和2024年工作计划的报告": the year it looks back on, then the year it plans
        return years[0], years[-1]
    if y is not None:
        if re.search(r"政府工作报告|要点|方案|计划|意见|清单|安排|台账|分解|分工", title) and not re.search(
            r"年度.*(?:情况|工作)的?报告", title
        ):
            return None, y
        return y, None
    for ln in lines[:400]:
        m = sx.nb.start_marker(ln)
        if m is not None and m.kind == sx.nb.L1 and sx.is_heading_line(ln):
            head = sx.heading_text(ln)
            hy = sx.year_in(head)
            if hy is not None and sx._REVIEW_WORDS.search(head):
                return hy, None
    return None, None


def _year_written_most(lines: list[str]) -> int | None:
    """The year a text names most often; years of a span ("2021—2025年") and far years do not count."""
    counts: dict[int, int] = {}
    for ln in lines:
        for m in re.finditer(r"(?<![\d—\-－～~至到])((?:19|20)\d{2})年(?!\s*[—\-－～~至])", ln):
            year = int(m.group(1))
            counts[year] = counts.get(year, 0) + 1
    if not counts:
        return None
    best = max(counts.values())
    return min(y for y, c in counts.items() if c == best)


# A dated line at the top ("2024年3月5日", "——2024年1月9日在…会议上"); not a task's "完成时限：2024年11月30日前"
_TOP_DATE = re.compile(r"^[（(—－\s]*\d{4}年\d{1,2}月\d{1,2}日(?![前之以])")


def _date_near_top(lines: list[str]) -> date | None:
    for ln in lines:
        if len(ln) <= 60 and _TOP_DATE.match(ln):
            return sx.parse_cn_date(ln)
    return None


def _fallback_title(source_name: str, heading: str | None, year: int) -> str:
    stem = re.sub(r"\.[A-Za-z0-9]{1,5}$", "", source_name.rsplit("/", 1)[-1]) if source_name else ""
    return stem or heading or f"{year}年度工作安排"


# ---------------------------------------------------------------------------------------------------------------
# Tasks


# A bureau, a street office or a town: a plan it issues is its own work, whatever the words of a task suggest
_OWN_UNIT = re.compile(r"(?:局|厅|分局|街道办事处|街道|镇人民政府|乡人民政府|镇|乡|(?<!管理|工作)委员会)$")
_NOT_OWN_UNIT = re.compile(r"中共|党委|依法治|人民代表大会|政协|领导小组")
# A unit's own sections and offices (办公室, 政策法规科, 执法大队): inside a bureau's plan they are the bureau's,
# not the district's departments of the same name
_INTERNAL_UNIT = re.compile(r"^[\u4e00-\u9fff]{0,10}(?:科|股|处|室|所|队|站)$")
_UNIT_IN_TITLE = re.compile(r"^(?:中共)?([\u4e00-\u9fff（）]{2,24}?(?:局|厅|街道办事处|镇人民政府|乡人民政府))(?=关于|\d{4}年)")


def _issuing_unit(issuers: list[str], title: str, directory: DepartmentDirectory, local: bool) -> str | None:
    """The one department (or town) that issued the document, as the directory names it; None for a
    government, a committee or several issuers, whose plans are shared out among departments."""
    names = list(dict.fromkeys(issuers))
    if not names:
        m = _UNIT_IN_TITLE.match(title)
        names = [m.group(1)] if m else []
    if len(names) != 1 or not _OWN_UNIT.search(names[0]) or _NOT_OWN_UNIT.search(names[0]):
        return None
    if "人民政府" in names[0][:-5]:
        return None
    entry = directory.find(names[0], aliases=local)
    return entry.name if entry is not None else names[0]


# Issuers above a county: the State Council and its ministries, the Party centre, a province or autonomous region
_ABOVE_COUNTY = re.compile(
    r"^(?:中共中央|国务院|全国|国家|中央|[\u4e00-\u9fff]{2,3}省(?![\u4e00-\u9fff]{1,6}[市县区])|"
    r"[\u4e00-\u9fff]{2,8}自治区(?![\u4e00-\u9fff]{1,6}[市县区盟])|(?:中共)?[\u4e00-\u9fff]{2,3}省委)"
)


def _above_county(issuers: list[str], title: str) -> bool:
    """Whether a document comes from a ministry, the State Council or a province, by its issuers or title."""
    names = issuers or [title]
    return bool(names) and all(_ABOVE_COUNTY.match(n) for n in names)


@dataclass(frozen=True)
class Document:
    """What the whole document says about owners, for every task in it."""

    own: str | None = None  # the unit whose own plan it is (a bureau's, a town's): the lead where none is written
    local: bool = True  # from the district the department directory describes: its aliases apply
    first_leads: bool = False  # "责任单位排在首位的为牵头单位": in each list, the first unit leads
    # a national or provincial document: its owners are ministries and provincial departments, which a county's
    # directory neither suggests nor renames (省市场监管局 is not the county's 市场监管局)
    above: bool = False


ANY_DOCUMENT = Document()


def _with_context(node: Node) -> str:
    lead = node.context.split("\n", 1)[0].strip() if node.context else ""
    if not lead or _OWNER_ONLY.fullmatch(lead):
        return node.text
    return f"{lead}\n{node.text}"


# a context line that is only an owner or deadline annotation, not words of the task
_OWNER_ONLY = re.compile(r"[（(][^（）()]*[）)]")


def _task(
    node: Node,
    plan_year: int,
    directory: DepartmentDirectory,
    parent: ParsedTask | None,
    doc: Document = ANY_DOCUMENT,
) -> ParsedTask:
    lead = node.lead if node.children else node.text
    # a rectification plan's "问题表现：…" describes the problem: its text stays, its figures, dates and units
    # are not the task's targets, deadline and owners
    fields = _PROBLEM_DESCRIPTION.sub("", lead) if _PROBLEM_DESCRIPTION.search(lead) else lead
    found = ex.find_owners(fields, first_listed_leads=doc.first_leads)
    # a flattened sub-point has no words of its own about owners: its enclosing point's hold
    owners = found.owners or (ex.find_owners(node.context, first_listed_leads=doc.first_leads).owners if node.context else [])
    for o in owners:
        internal = doc.own is not None and _INTERNAL_UNIT.match(o.department) is not None
        mapped = not o.collective and not internal and not doc.above
        entry = directory.find(o.department, aliases=doc.local) if mapped else None
        if entry is not None and entry.name != o.department:
            o.written, o.department = o.department, entry.name
    title = ex.make_title(ex.cut_spans(fields, found.spans)) or ex.make_title(lead) or node.label
    deadlines = ex.find_deadlines(fields, plan_year) or (
        ex.find_deadlines(node.context, plan_year) if node.context else []
    )
    recurrences = ex.find_recurrences(fields)
    task = ParsedTask(
        label=node.label,
        title=title,
        # a flattened sub-point keeps the enclosing point's lead sentence, which names what it is part of
        # ("1.完善行政复议工作机制" above "（1）开展复议案件评查"); annotations already went into owners/deadline
        text=_with_context(node),
        owners=owners,
        deadline=ex.choose_deadline(deadlines, plan_year),
        recurrence=ex.choose_recurrence(recurrences),
        targets=ex.find_targets(fields),
        documents=ex.find_documents(fields),
        line=node.line,
        recurrences=recurrences,
        deadlines=deadlines,
    )
    if parent is not None:
        # a point inherits what its item wrote about owners and deadline, unless it says otherwise
        if not task.owners:
            task.owners = [
                ParsedOwner(o.department, o.role, o.source, o.collective, o.written)
                for o in parent.owners
                if o.source == "text"
            ]
        own_default = (
            task.deadline is not None and task.deadline.source == "default" and not task.deadline.vague
        )
        if (
            own_default
            and parent.deadline is not None
            and (parent.deadline.source == "text" or (parent.deadline.vague and parent.deadline.text))
        ):
            task.deadline = parent.deadline  # "整改时限：立行立改" of a problem is each measure's, to be set
        # "①春节前开展…" under an item whose time limit is written ("完成时限：2026年12月"): the item's date holds
        own_vague = task.deadline is not None and task.deadline.source == "default" and task.deadline.vague
        written = parent.deadline is not None and parent.deadline.source == "text" and not parent.deadline.vague
        if own_vague and written:
            task.deadline = parent.deadline
    task.children = [_task(c, plan_year, directory, task, doc) for c in node.children]
    if not task.owners and task.children and all(c.owners for c in task.children):
        pass  # an item is tracked through its points: each has its owner
    elif not task.owners and doc.own is not None:
        task.owners = [ParsedOwner(doc.own, "lead", "suggested", keywords=[])]  # the issuer's own plan
    elif not task.owners and not doc.above:
        context = parent.title if parent is not None else ""
        suggestion = directory.best(fields, title=title)
        if suggestion is None and context:
            suggestion = directory.best(context)
        if suggestion is not None:
            task.owners = [
                ParsedOwner(suggestion.department, "lead", "suggested", keywords=list(suggestion.keywords))
            ]
    _fill_missing(task)
    return task


_PROBLEM_DESCRIPTION = re.compile(
    r"(?:^|(?<=\n))(?:问题表现|问题描述|问题情况|具体问题|存在问题|反馈问题|主要问题|问题)[：:][^\n]*(?:\n|$)"
)


def _fill_missing(task: ParsedTask) -> None:
    if not task.owners and not task.children:  # an item with points is not itself tracked
        task.missing.append(MISSING_OWNER)
    elif task.owners and not any(o.role == "lead" for o in task.owners):
        task.missing.append("只写明了配合单位，未写明牵头单位")
    for o in task.owners:
        if o.collective:
            task.missing.append(f"责任单位为泛指（{o.department}），需指定具体单位")
    if task.deadline is not None and task.deadline.vague:
        task.missing.append(f"完成时限不明确（{task.deadline.text}），请设定日期")
    for r in task.recurrences:
        if r.flagged:
            task.missing.append(f"写有“{r.text}”但未写明周期，请设定")
            break


# ---------------------------------------------------------------------------------------------------------------
# Appendices that are task lists (附件2 民生实事 with 牵头单位 on every entry)

# "具体任务、目标、责任股室和完成时限详见附表", "重点任务见附件1"
_POINTS_TO_ANNEX = re.compile(r"(?:详见|见|参见|列入|列于|附后|如)\s*附(?:表|件)|附(?:表|件)\s*\d{0,2}\s*(?:所列|中列)")


def _annexed_plan(
    lines: list[str],
    sec: sx.Section,
    body: list[Para],
    plan_year: int,
    directory: DepartmentDirectory,
    doc: Document,
    warnings: list[str],
) -> list[ParsedTask]:
    """The entries of the appendix a section points to when the section itself numbers no task: the plan's
    tasks, owners or not (a missing owner is reported per task)."""
    text = "".join(p.text for p in body)
    if not body or len(body) > 2 or len(text) > 300 or any(p.marker is not None for p in body):
        return []
    if not _POINTS_TO_ANNEX.search(text) or nb.inline_points(text):
        return []
    for label, title, start, end in sx.annex_blocks(lines, sec.end):
        paras = make_paras([(i + 1, lines[i]) for i in range(start, end)])
        numbered = [p.marker for p in paras if p.marker is not None]
        if len(numbered) < 2:
            continue
        nodes, _ = split_section(paras, None)
        items = [_task(n, plan_year, directory, None, doc) for n in nodes if n.kind == numbered[0].kind]
        if not items:
            continue
        where = f"“{sec.heading}”" if sec.heading else "安排部分"
        warnings.append(f"{where}的任务详见{label}：{label}（{title or label}）的 {len(items)} 项作为计划任务导入")
        return items
    return []


def _appendix_items(
    lines: list[str],
    after: int,
    plan_year: int,
    directory: DepartmentDirectory,
    warnings: list[str],
    doc: Document,
) -> list[ParsedTask]:
    out: list[ParsedTask] = []
    for label, title, start, end in sx.annex_blocks(lines, after):
        paras = make_paras([(i + 1, lines[i]) for i in range(start, end)])
        numbered = [p for p in paras if p.marker is not None]
        if not numbered:
            continue
        with_owner = sum(1 for p in numbered if ex.find_owners(p.text).owners)
        if with_owner * 2 < len(numbered):
            if re.search(r"民生实事|任务|清单|分工", title):
                warnings.append(f"{label}（{title}）未写明责任单位，未作为任务导入")
            continue
        kind = numbered[0].marker.kind if numbered[0].marker else None
        head_line = start
        nodes, _ = split_section(paras, None)
        item = ParsedTask(label=label, title=title or label, text="", line=head_line, appendix=True)
        item.deadline = ex.choose_deadline([], plan_year)
        item.children = [
            _task(n, plan_year, directory, item, replace(doc, own=None))
            for n in nodes
            if n.kind == kind or kind is None
        ]
        item.text = "\n".join(c.text for c in item.children)
        _fill_missing(item)
        if item.missing == [MISSING_OWNER]:
            item.missing = []  # the entries carry the owners, not the appendix heading
        out.append(item)
        warnings.append(f"{label}（{title}）的 {len(item.children)} 项作为附件任务导入")
    return out


# ---------------------------------------------------------------------------------------------------------------
# Baseline: the figures of the review section


def _baseline(lines: list[str], before: int, report_year: int | None) -> list[ParsedBaseline]:
    out: list[ParsedBaseline] = []
    for i in (i for start, end in sx.review_section(lines, before, report_year) for i in range(start, end)):
        ln = lines[i]
        for f in ex.find_figures(ln):
            out.append(
                ParsedBaseline(
                    value=f.value, unit=f.unit, sentence=ex.sentence_around(ln, f.start, f.end), name=f.name
                )
            )
    return out
