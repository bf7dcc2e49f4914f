"""The rules that turn what was recorded into the draft of next year's report. Pure functions of ``DraftData``.

Nothing is invented: every sentence is a recorded fact (进展情况, 存在问题, 下一步措施, reasons, figures), wording from
the source report, or a 【待补充：…】 slot naming what the office must write. Each paragraph lists its sources.

Sections follow the source report's order (the sample puts 第一责任人 second). Inside them:
- 一: one （N） per plan item, its title rewritten as a result (``result_heading``), a verdict sentence, the facts
  as 一是…二是…, and each target marked 已完成/未完成/无数据 beside the actual figure and last year's baseline.
- 二: facts of the leadership tasks, and a slot for what records do not hold.
- 三: by area (plan item), the problems recorded on unfinished tasks and the tasks overdue, behind schedule or
  暂缓, with their recorded reasons; missed targets too.
- 四: per plan item, the unfinished tasks (their wording and 下一步措施), the recurring ones, and one measure per
  problem of 三, written like the source's section （一）…一是… so that importing the draft gives next year's plan.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

from tracker.domain.numerals import cn_number
from tracker.domain.status import Status
from tracker.domain.targets import goal_text, is_met
from tracker.report.model import (
    Draft,
    Kind,
    Paragraph,
    Section,
    Source,
    SourceKind,
    Span,
    Style,
    plain,
    todo,
)
from tracker.services.drafting import DraftBaseline, DraftData, DraftItem, DraftTarget, DraftTask, DraftUpdate

# ---------------------------------------------------------------------------------------------------------------
# Numbers and words

def fmt_number(value: float) -> str:
    """100.0 → 100, 98.5 → 98.5: figures as a person writes them."""
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.2f}".rstrip("0").rstrip(".")


def cn_date(day: date) -> str:
    """2023年1月29日 (GB/T 9704: Arabic figures, no leading zeros)."""
    return f"{day.year}年{day.month}月{day.day}日"


_TRAILING = "。；;，,、.！!：: \u3000\t\n"


def quoted(text: str) -> str:
    """“text”, with quotation marks inside it turned to single ones as Chinese style nests them."""
    return "“" + clause(text).replace("“", "‘").replace("”", "’") + "”"


def clause(text: str) -> str:
    """A recorded text as a clause to join: trimmed, without its closing punctuation."""
    return text.strip().rstrip(_TRAILING).strip()


def points(clauses: Sequence[str]) -> str:
    """一是…；二是…。 — or the single clause alone when there is one."""
    if not clauses:
        return ""
    if len(clauses) == 1:
        return clauses[0] + "。"
    return "；".join(f"{cn_number(i)}是{c}" for i, c in enumerate(clauses, start=1)) + "。"


_YEAR = re.compile(r"(?<!\d)(\d{4})(?=\s*年)")


def advance_years(text: str, year: int) -> str:
    """Move the report one year on: ``year - 1`` → ``year`` and ``year`` → ``year + 1`` (in one pass)."""

    def shift(m: re.Match[str]) -> str:
        y = int(m.group(1))
        return str(y + 1) if y in (year - 1, year) else m.group(1)

    return _YEAR.sub(shift, text)


# ---------------------------------------------------------------------------------------------------------------
# Result-style headings: 完善X → X进一步完善, by jieba's part-of-speech tags

# How a verb reads as a result. Verbs not listed take 进一步. 抓好/做好 describe effort, not a result: 取得实效.
RESULT_VERBS: dict[str, str] = {
    "完善": "进一步完善",
    "健全": "不断健全",
    "加强": "持续加强",
    "推进": "深入推进",
    "推动": "有力推动",
    "加大": "持续加大",
    "强化": "不断强化",
    "深化": "持续深化",
    "优化": "持续优化",
    "提升": "不断提升",
    "提高": "不断提高",
    "规范": "进一步规范",
    "落实": "得到有效落实",
    "严格执行": "得到严格执行",
    "创新": "不断创新",
    "开展": "深入开展",
    "建立": "逐步建立",
    "扩大": "持续扩大",
    "改进": "持续改进",
    "建立健全": "不断健全",
    "抓好": "取得实效",
    "做好": "取得实效",
    "抓实": "取得实效",
}
# Words jieba tags as nouns or adjectives that open a title as verbs do (健全 a, 深化 j, 优化 vn, 严格执行 nr,
# 建立健全 nr).
_AS_VERBS = ("健全", "建立健全", "深化", "优化", "严格执行", "抓好", "做好", "抓实", "规范", "完善")
# Adverbials before the verb, kept in the result (全面提升X → X全面提升); jieba often tags these n or a.
_ADVERBIALS = (
    "全面",
    "依法",
    "有效",
    "持续",
    "深入",
    "严格",
    "切实",
    "大力",
    "积极",
    "不断",
    "进一步",
    "着力",
    "扎实",
)
_VERB_TAGS = ("v",)
_ADVERB_TAGS = ("d", "vd", "ad")


@lru_cache(maxsize=1)
def _jieba() -> tuple[Any, bytes]:
    """jieba's segmenter and its dictionary (word, frequency, part-of-speech tag a line).

    ``jieba.posseg`` would give the same tags for dictionary words, but loads its whole tag table and HMM
    tables first (~0.6 s more); a title's verb and adverbials are dictionary words, so their tags are looked
    up directly. Deferred: commands that draft nothing never load jieba."""
    from tracker.importer.segment import import_jieba

    jieba = import_jieba()
    with jieba.dt.get_dict_file() as handle:
        blob = b"\n" + handle.read()
    return jieba.dt, blob


def pos_tag(word: str) -> str:
    """jieba's part-of-speech tag for a dictionary word; "x" (unknown) for words not in its dictionary."""
    _, blob = _jieba()
    key = b"\n" + word.encode("utf-8") + b" "
    start = blob.find(key)
    if start < 0:
        return "x"
    end = blob.find(b"\n", start + 1)
    fields = blob[start + 1 : end if end >= 0 else None].split()
    return fields[2].decode("ascii") if len(fields) >= 3 else "x"


def tag_words(text: str) -> list[tuple[str, str]]:
    """Words of ``text`` with their jieba part-of-speech tags."""
    tokenizer, _ = _jieba()
    return [(word, pos_tag(word)) for word in tokenizer.lcut(text)]


@lru_cache(maxsize=4096)
def split_title(title: str) -> tuple[str, str, str] | None:
    """A verb–object title as (adverbial, verb, object), e.g. 完善规范性文件评估清理流程 → ('', '完善', '规范性文件评估清理流程').

    None when the title does not open with a verb (依法全面履行政府职能 has one; 优质教育资源 has none)."""
    words = tag_words(title.strip().rstrip("。"))
    adverbial: list[str] = []
    for index, (word, flag) in enumerate(words[:4]):
        if word in _ADVERBIALS:
            adverbial.append(word)
            continue
        if word in _AS_VERBS or (flag.startswith(_VERB_TAGS) and flag not in _ADVERB_TAGS):
            rest = words[index + 1 :]
            if len(rest) > 1 and (rest[0][0] in RESULT_VERBS or rest[0][0] in _AS_VERBS):
                # 组织开展X, 建立健全X: the second verb says what the result is (X深入开展, X不断健全)
                word, rest = rest[0][0], rest[1:]
            while rest and rest[0][0] in ("对", "在"):  # 加强对X的管理 → X的管理
                rest = rest[1:]
            obj = "".join(w for w, _ in rest)
            if len(obj) < 2 or not any(f.startswith(("n", "v", "x", "j", "l", "a")) for _, f in rest):
                return None
            return "".join(adverbial), word, obj
        if flag in _ADVERB_TAGS:
            adverbial.append(word)
            continue
        return None
    return None


def result_heading(title: str) -> str:
    """Plan title → report heading: 完善X → X进一步完善, 加强X → X持续加强, 推进X → X深入推进, 健全X → X不断健全.

    An adverbial in the title replaces the default one (全面提升X → X全面提升). A title that does not open with a
    verb is kept as written."""
    parts = split_title(title)
    if parts is None:
        return title.strip().rstrip("。")
    adverbial, verb, obj = parts
    result = RESULT_VERBS.get(verb)
    if result is not None and verb not in result:  # 抓好X → X取得实效
        return obj + result
    if adverbial and adverbial not in ("进一步",):
        return obj + adverbial + verb
    return obj + (result or "进一步" + verb)


def area_name(title: str) -> str:
    """The area a plan item is about, for 三: the object of its title (完善X → X), else the title."""
    parts = split_title(title)
    return parts[2] if parts else title.strip().rstrip("。")


# ---------------------------------------------------------------------------------------------------------------
# Sources


def task_source(task: DraftTask) -> Source:
    return Source(SourceKind.TASK, task.id, f"任务#{task.id}（{task.code}）")


def update_source(update: DraftUpdate) -> Source:
    who = update.department or update.author
    return Source(
        SourceKind.UPDATE, update.id, f"进展#{update.id}（{update.recorded_on.isoformat()}，{who}）"
    )


def target_source(target: DraftTarget) -> Source:
    return Source(SourceKind.TARGET, target.id, f"指标#{target.id}（{target.name}）")


def baseline_source(baseline: DraftBaseline) -> Source:
    return Source(SourceKind.BASELINE, baseline.id, f"上年基线#{baseline.id}（{baseline.sentence[:30]}）")


def item_source(item: DraftItem) -> Source:
    return Source(SourceKind.ITEM, item.id, f"计划事项#{item.id}（{item.label}{item.title}）")


def report_source(data: DraftData, line: int | None = None, what: str = "") -> Source:
    where = f"第{line}段" if line else what  # lines of the stored text, one paragraph each
    return Source(SourceKind.REPORT, line, f"原报告《{data.plan.source_name}》{where}")


def _unique(sources: Iterable[Source]) -> list[Source]:
    seen: dict[str, Source] = {}
    for source in sources:
        seen.setdefault(source.key, source)
    return list(seen.values())


# ---------------------------------------------------------------------------------------------------------------
# The source report's outline

_L1 = re.compile(r"^\s*([一二三四五六七八九十]{1,3})[、．.]\s*(\S.*)$")
_CLOSING = re.compile(r"^\s*(特此报告|专此报告|以上报告)")


@dataclass
class SourceOutline:
    title: str | None = None
    title_line: int | None = None
    opening: str | None = None
    opening_line: int | None = None
    headings: list[tuple[str, int]] = field(default_factory=list)  # (text without its number, line)


def read_outline(text: str) -> SourceOutline:
    """Title, opening paragraph and top-level headings of the source report (1-based lines)."""
    outline = SourceOutline()
    lines = text.splitlines()
    first_heading = next((i for i, line in enumerate(lines) if _L1.match(line)), len(lines))
    for i, raw in enumerate(lines[:first_heading]):
        line = raw.strip()
        if outline.title is None and re.search(r"(报告|总结|情况)$", line) and len(line) <= 60:
            outline.title, outline.title_line = line, i + 1
        elif outline.title is not None and line and not line.endswith(("：", ":")) and len(line) > 20:
            outline.opening, outline.opening_line = line, i + 1
            break
    for i, raw in enumerate(lines[first_heading:], start=first_heading):
        if _CLOSING.match(raw):
            break
        m = _L1.match(raw)
        if m:
            outline.headings.append((m.group(2).strip(), i + 1))
    return outline


def classify_heading(text: str) -> str:
    if re.search(r"第一责任人|主要负责人", text):
        return "leadership"
    if re.search(r"不足|问题|差距", text):
        return "problems"
    if re.search(r"安排|计划|打算|思路|要点|任务", text):
        return "next"
    if re.search(r"举措|成效|主要工作|做法|进展|完成情况", text):
        return "measures"
    return "other"


def default_headings(year: int) -> dict[str, str]:
    return {
        "measures": f"{year}年推进法治政府建设的主要举措和成效",
        "leadership": f"{year}年度党政主要负责人履行推进法治建设第一责任人职责，加强法治政府建设的有关情况",
        "problems": "存在的不足和原因",
        "next": f"{year + 1}年推进法治政府建设的主要安排",
    }


def section_plan(outline: SourceOutline, year: int) -> list[tuple[str, str, int | None]]:
    """(key, heading text without number, source line) in the source's order; missing ones added."""
    out: list[tuple[str, str, int | None]] = []
    seen: set[str] = set()
    for text, line in outline.headings:
        key = classify_heading(text)
        if key in seen and key != "other":
            continue
        seen.add(key)
        out.append((key, advance_years(text, year), line))
    defaults = default_headings(year)
    for key in ("measures", "leadership", "problems", "next"):
        if key in seen:
            continue
        entry = (key, defaults[key], None)
        nxt = next((i for i, (k, _, _) in enumerate(out) if k == "next"), None)
        if key == "next" or nxt is None:
            out.append(entry)
        else:
            out.insert(nxt, entry)
    return out


# ---------------------------------------------------------------------------------------------------------------
# Facts


def recorded(task: DraftTask) -> bool:
    return bool(task.updates)


def overdue_by_plan(task: DraftTask) -> bool:
    """Past a time limit the plan itself set: the importer's year-end default is nobody's word."""
    return task.overdue and task.deadline_source != "default"


def verdict(tasks: Sequence[DraftTask]) -> str:
    """A short opening sentence on where the item stands, from the tasks' recorded states; "" when a task has
    no record (nothing is said of it)."""
    if not tasks or not all(recorded(t) for t in tasks):
        return ""
    if len(tasks) == 1:
        task = tasks[0]
        state = {
            Status.DONE: "该项工作已完成",
            Status.SUSPENDED: "该项工作已暂缓",
            Status.NOT_STARTED: "该项工作尚未启动",
        }.get(Status(task.status), f"该项工作正在推进，完成进度为{task.percent}%")
        return state + ("，已超过完成时限。" if overdue_by_plan(task) else "。")
    count = {s: sum(1 for t in tasks if t.status == s) for s in Status}
    if count[Status.DONE] == len(tasks):
        return f"本项{len(tasks)}项任务已全部完成。"
    parts = [f"本项共{len(tasks)}项任务"]
    if count[Status.DONE]:
        parts.append(f"已完成{count[Status.DONE]}项")
    if count[Status.IN_PROGRESS]:
        parts.append(f"正在推进{count[Status.IN_PROGRESS]}项")
    if count[Status.NOT_STARTED]:
        parts.append(f"尚未启动{count[Status.NOT_STARTED]}项")
    if count[Status.SUSPENDED]:
        parts.append(f"暂缓{count[Status.SUSPENDED]}项")
    overdue = sum(1 for t in tasks if overdue_by_plan(t))
    if overdue:
        parts.append(f"其中{overdue}项已超过完成时限")
    return "，".join(parts) + "。"


_FIGURE = re.compile(r"\d")


def task_facts(task: DraftTask) -> list[tuple[str, DraftUpdate]]:
    """What a task's records say, from the latest cumulative note: an earlier note only where the latest does
    not repeat it and it holds no figure (a 上半年 2次 beside a 全年 4次 would be added up by a reader)."""
    notes = [(clause(u.note), u) for u in task.updates if clause(u.note)]
    if not notes:
        return []
    latest, latest_update = notes[-1]
    earlier: list[tuple[str, DraftUpdate]] = []
    seen = {latest}
    for text, update in notes[:-1]:
        if text in seen or text in latest or _FIGURE.search(text):
            continue
        seen.add(text)
        earlier.append((text, update))
    return [*earlier, (latest, latest_update)]


def item_supports_result(item: DraftItem, verdicts: dict[int, list[TargetVerdict]]) -> bool:
    """A result-style heading only where the records show the result: every task done, or every target met."""
    if not item.tasks or not all(recorded(t) for t in item.tasks):
        return False
    if all(t.status == Status.DONE for t in item.tasks) and not any(
        v.met is False for t in item.tasks for v in verdicts[t.id]
    ):
        return True
    targets = [v for t in item.tasks for v in verdicts[t.id]]
    return bool(targets) and all(v.met for v in targets)


def matching_baseline(target: DraftTarget, baselines: Sequence[DraftBaseline]) -> DraftBaseline | None:
    """Last year's figure for the same measure: same unit, and one name's characters all within the other's
    (出庭率 ⊂ 出庭应诉率), the closest in length first."""
    if not target.name:
        return None
    found = []
    for base in baselines:
        if not base.name or base.unit != target.unit:
            continue
        a, b = set(base.name), set(target.name)
        if a <= b or b <= a:
            found.append((abs(len(base.name) - len(target.name)), base.id, base))
    return min(found)[2] if found else None


def comparison(before: float, after: float, unit: str) -> str:
    """由A增至B，增长N% (rates: no growth percentage, the points speak); 与上年持平."""
    a, b = fmt_number(before), fmt_number(after)
    if after == before:
        return f"与上年持平（{a}{unit}）"
    word, change = ("增至", "增长") if after > before else ("降至", "下降")
    text = f"由上年的{a}{unit}{word}{b}{unit}"
    if unit != "%" and before:
        text += f"，{change}{fmt_number(round(abs(after - before) / before * 100, 1))}%"
    return text


@dataclass
class TargetVerdict:
    target: DraftTarget
    met: bool | None  # None: no figure recorded
    text: str
    todo: str | None
    sources: list[Source]


def target_verdicts(
    task: DraftTask, updates: dict[int, DraftUpdate], baselines: Sequence[DraftBaseline]
) -> list[TargetVerdict]:
    out = []
    for target in task.targets:
        # 100% for a goal, 不超过10% for an upper limit
        goal = goal_text(f"{fmt_number(target.value)}{target.unit}", at_most=target.at_most)
        sources = [task_source(task), target_source(target)]
        if target.actual is None:
            out.append(
                TargetVerdict(
                    target, None, f"{target.name}目标为{goal}，无数据", f"{target.name}的实际数值", sources
                )
            )
            continue
        if target.actual_update_id in updates:
            sources.append(update_source(updates[target.actual_update_id]))
        met = is_met(target.actual, target.value, at_most=target.at_most)
        text = f"{target.name}目标为{goal}，实际为{fmt_number(target.actual)}{target.unit}，{'已完成' if met else '未完成'}"
        base = matching_baseline(target, baselines)
        if base is not None:
            text += "，" + comparison(base.value, target.actual, target.unit)
            sources.append(baseline_source(base))
        out.append(
            TargetVerdict(target, met, text, None if met else "目标未完成，请说明原因并斟酌表述", sources)
        )
    return out


# ---------------------------------------------------------------------------------------------------------------
# Problems and what carries over


@dataclass
class Problem:
    """One shortfall of 三, with the measure 四 answers it with (the task's 下一步措施), if recorded."""

    task: DraftTask
    text: str
    todo: str | None
    sources: list[Source]
    measure: str | None
    measure_sources: list[Source]


def _latest_text(task: DraftTask, attr: str) -> tuple[str, DraftUpdate] | None:
    for update in reversed(task.updates):
        value = clause(getattr(update, attr))
        if value:
            return value, update
    return None


def _distinct(task: DraftTask, attr: str) -> list[tuple[str, DraftUpdate]]:
    seen: dict[str, DraftUpdate] = {}
    for update in task.updates:
        value = clause(getattr(update, attr))
        if value and value not in seen:
            seen[value] = update
    return list(seen.items())


def problem_of(task: DraftTask, verdicts: Sequence[TargetVerdict], as_of: date) -> Problem | None:
    """What went wrong with a task as of the date: overdue, behind, 暂缓, a missed target, or recorded 存在问题.

    A task with no record has none stated (its status is not known); a completed task keeps the problems its
    records name. A deadline the importer defaulted to is nobody's 原定."""
    if not recorded(task):
        return None
    missed = [v for v in verdicts if v.met is False]
    states: list[str] = []
    if task.status == Status.SUSPENDED:
        states.append("已暂缓")
    elif overdue_by_plan(task):
        due = task.deadline_text or (cn_date(task.deadline) + "前" if task.deadline else "")
        states.append(f"原定{due}完成，截至{cn_date(as_of)}完成进度为{task.percent}%，已超过完成时限")
    elif task.behind and task.deadline_source != "default":
        states.append(f"完成进度为{task.percent}%，落后于序时进度")
    for verdict_ in missed:
        target = verdict_.target
        assert target.actual is not None
        # 未达到100%的目标 for a goal; 未实现不超过10%的目标 for an upper limit
        goal = goal_text(f"{fmt_number(target.value)}{target.unit}", at_most=target.at_most)
        states.append(
            f"{target.name}实际为{fmt_number(target.actual)}{target.unit}，"
            f"{'未实现' if target.at_most else '未达到'}{goal}的目标"
        )
    reasons = _distinct(task, "reason") + _distinct(task, "problems")
    if not states and not reasons:
        return None
    sources = [task_source(task)] + [update_source(u) for _, u in reasons]
    for verdict_ in missed:
        sources += verdict_.sources
    reason_text = "，".join(r for r, _ in reasons)
    title = quoted(task.title)
    if states:
        text = f"{title}{'，'.join(states)}" + (f"，主要原因是{reason_text}" if reason_text else "")
        missing = None if reason_text else f"{title}未按计划推进的原因"
    else:
        text = f"{title}推进中存在的问题：{reason_text}"
        missing = None
    measure = _latest_text(task, "next_steps")
    return Problem(
        task=task,
        text=text,
        todo=missing,
        sources=_unique(sources),
        measure=measure[0] if measure else None,
        measure_sources=[task_source(task), update_source(measure[1])] if measure else [task_source(task)],
    )


def carried_wording(task: DraftTask, item_title: str) -> str:
    """The task as the plan wrote it: title and text; when the item is the task, the item heading already
    carries the title, so only the text follows it."""
    title, text = clause(task.title), task.text.strip()
    if title == clause(item_title):
        rest = clause((text[len(title) :] if text.startswith(title) else text).lstrip(_TRAILING))
        return rest or title
    if text and not text.startswith(title):
        return f"{title}。{clause(text)}"
    return clause(text) or title


# ---------------------------------------------------------------------------------------------------------------
# The draft


def compose_draft(data: DraftData) -> Draft:
    """The whole draft: front matter, the four (or more) sections in the source's order, sign-off."""
    year, next_year = data.plan.year, data.plan.year + 1
    outline = read_outline(data.plan.source_text)
    updates = {u.id: u for t in data.tasks() for u in t.updates}
    verdicts = {t.id: target_verdicts(t, updates, data.baselines) for t in data.tasks()}
    problems: dict[int, list[Problem]] = {}
    for item in data.items:
        found = [problem_of(t, verdicts[t.id], data.as_of) for t in item.tasks]
        problems[item.id] = [p for p in found if p is not None]

    front = _front(data, outline)
    sections: list[Section] = []
    for number, (key, heading, line) in enumerate(section_plan(outline, year), start=1):
        head = Paragraph(
            Kind.HEADING1,
            [plain(f"{cn_number(number)}、{heading}")],
            [report_source(data, line)] if line else [report_source(data, what="的结构（五项法定内容）")],
            note="" if line else "原报告无此部分，按法定内容补充",
        )
        if key == "measures":
            body = _measures(data, verdicts)
        elif key == "leadership":
            body = _leadership(data)
        elif key == "problems":
            body = _problems(data, problems)
        elif key == "next":
            body = _next_year(data, problems)
        else:  # 其他需要报告的情况 and the like: nothing in the records answers them
            body = [Paragraph(Kind.BODY, [todo(f"“{heading}”的内容（记录中未包含）")])]
        sections.append(Section(key, head, body))
    back = [Paragraph(Kind.CLOSING, [plain("特此报告。")], [report_source(data, what="的结束语")])]
    if data.plan.issuers:
        back += [
            Paragraph(Kind.SIGNATURE, [plain(issuer)], [report_source(data, what="的发文单位")])
            for issuer in data.plan.issuers
        ]
    else:
        back.append(Paragraph(Kind.SIGNATURE, [todo("发文单位")]))
    if data.date_given:
        back.append(
            Paragraph(
                Kind.DATE,
                [plain(cn_date(data.as_of))],
                [Source(SourceKind.REPORT, None, "起草时指定的日期（--as-of）")],
            )
        )
    else:
        back.append(Paragraph(Kind.DATE, [todo("成文日期")]))
    title = front[len(data.plan.issuers)].text if front else ""
    notes = [later_records_note(data)] if data.later_records else []
    return Draft(
        year=year, next_year=next_year, title=title, front=front, sections=sections, back=back, trace_notes=notes
    )


def later_records_note(data: DraftData) -> str:
    """What a draft as of a date leaves out: the records dated after it (typed whenever)."""
    return f"另有{data.later_records}条进展记录的填报日期晚于{cn_date(data.as_of)}，未计入本稿"


def _front(data: DraftData, outline: SourceOutline) -> list[Paragraph]:
    year = data.plan.year
    out = [
        Paragraph(Kind.ISSUER, [plain(issuer)], [report_source(data, what="的发文单位")])
        for issuer in data.plan.issuers
    ]
    source_title = outline.title or data.plan.title
    title = advance_years(source_title, year)
    if title == source_title:  # no year to move: name the year plainly
        title = f"关于{year}年度法治政府建设工作的报告"
    out.append(
        Paragraph(
            Kind.TITLE,
            [plain(title)],
            [report_source(data, outline.title_line, "的标题")],
            note=f"原标题：{source_title}",
        )
    )
    if data.plan.addressee:
        addressee = data.plan.addressee.rstrip("：:") + "："
        out.append(Paragraph(Kind.ADDRESSEE, [plain(addressee)], [report_source(data, what="的主送机关")]))
    else:
        out.append(Paragraph(Kind.ADDRESSEE, [todo("主送机关")]))
    if outline.opening:
        out.append(
            Paragraph(
                Kind.BODY,
                [
                    plain(advance_years(outline.opening, year)),
                    todo("开头段落沿用上年报告表述、仅更新年份，请核改"),
                ],
                [report_source(data, outline.opening_line)],
            )
        )
    else:
        out.append(Paragraph(Kind.BODY, [todo(f"开头段落：{year}年法治政府建设总体情况")]))
    return out


def _item_heading(index: int, item: DraftItem, as_result: bool) -> Paragraph:
    title = result_heading(item.title) if as_result else clause(item.title)
    note = f"原标题：{item.label}{item.title}" + ("" if as_result else "（记录未显示全部完成，沿用原标题）")
    return Paragraph(Kind.HEADING2, [plain(f"（{cn_number(index)}）{title}")], [item_source(item)], note=note)


NO_RECORD = "本项无进展记录"


def _task_point(task: DraftTask, item: DraftItem, verdicts: list[TargetVerdict]) -> tuple[list[Span], list[Source]]:
    """One task's facts as one clause list: its records, or its plan wording and a 【待补充】 when it has none;
    a 已完成 status beside a missed target goes to 【请核对】 instead of being said."""
    sources = [task_source(task)]
    facts = task_facts(task)
    if not facts and not recorded(task):
        return [plain(clause(task.title)), todo(NO_RECORD)], sources
    if not facts:  # records without a 进展情况: their status only (a 暂缓's reason goes to 存在问题)
        latest = task.updates[-1]
        state = {Status.SUSPENDED: "已暂缓", Status.DONE: "已完成", Status.NOT_STARTED: "尚未启动"}.get(
            Status(task.status), f"正在推进，完成进度为{task.percent}%"
        )
        return [plain(clause(task.title) + state)], [*sources, update_source(latest)]
    sources += [update_source(u) for _, u in facts]
    missed = [v for v in verdicts if v.met is False]
    said = [part for text, _ in facts for part in re.split(r"[，；]", text) if part]
    # "全部出庭应诉" beside 95.8% of a 100% target: the sentence is not printed as a fact, both go to 【请核对】
    claims = [part for part in said if _CLAIMS_ALL.search(part)] if missed else []
    kept = [part for part in said if part not in claims]
    spans = [plain("，".join(kept))] if kept else [plain(clause(task.title))]
    doubts = [f"记录写“{part}”" for part in claims]
    if task.status == Status.DONE and missed:
        doubts.insert(0, "记录状态为已完成")
    if doubts:
        both = "；".join(v.text for v in missed)
        spans.append(Span(f"【请核对：{'，'.join(doubts)}，但{both}】", Style.TODO))
    return spans, sources


# Words that say a task was done in full: they contradict a target's figure that falls short
_CLAIMS_ALL = re.compile(r"全部|全面完成|全覆盖|均已|均按期|无一遗漏|百分之百|圆满完成")


def disputed(task: DraftTask, verdicts: list[TargetVerdict]) -> bool:
    """A 已完成 status beside a missed target: neither is stated, the 【请核对】 note carries both."""
    return task.status == Status.DONE and any(v.met is False for v in verdicts)


def _measures(data: DraftData, verdicts: dict[int, list[TargetVerdict]]) -> list[Paragraph]:
    out: list[Paragraph] = []
    for index, item in enumerate(data.items, start=1):
        out.append(_item_heading(index, item, item_supports_result(item, verdicts)))
        spans: list[Span] = []
        sources: list[Source] = []
        # no status sentence over a task whose 已完成 its own target's figure contradicts
        opening = "" if any(disputed(t, verdicts[t.id]) for t in item.tasks) else verdict(item.tasks)
        if opening:
            spans.append(plain(opening))
        for number, task in enumerate(item.tasks, start=1):  # one 一是/二是 per plan task, in plan order
            task_spans, task_sources = _task_point(task, item, verdicts[task.id])
            if len(item.tasks) > 1:
                spans.append(plain(f"{cn_number(number)}是"))
            spans.extend(task_spans)
            spans.append(plain("。" if number == len(item.tasks) else "；"))
            sources += task_sources
        if not item.tasks:
            spans.append(todo(f"请补充{quoted(item.title)}的具体举措、数据和成效"))
        out.append(Paragraph(Kind.BODY, spans, _unique(sources)))
        item_verdicts = [v for t in item.tasks for v in verdicts[t.id]]
        if item_verdicts:
            spans = [plain("从指标看，")]
            for i, v in enumerate(item_verdicts):
                spans.append(plain(v.text))
                if v.todo:
                    spans.append(todo(v.todo))
                spans.append(plain("。" if i == len(item_verdicts) - 1 else "；"))
            out.append(Paragraph(Kind.BODY, spans, _unique(s for v in item_verdicts for s in v.sources)))
    out.append(
        Paragraph(
            Kind.BODY,
            [
                todo(
                    "记录中未包含的内容：贯彻上级新部署的情况、获得的表彰奖励和考核排名、突发事件的依法应对等"
                )
            ],
        )
    )
    return out


_LEADERSHIP = re.compile(
    r"第一责任人|主要负责人|工委|党委|党组|理论中心组|依法治区|依法治市|依法治县|依法治省|述法|集体学法"
)


def _leadership(data: DraftData) -> list[Paragraph]:
    """The records' facts are told once, in the measures section; here the slot for what they do not hold."""
    tasks = [
        t
        for item in data.items
        for t in item.tasks
        if _LEADERSHIP.search(item.title) or _LEADERSHIP.search(t.title) or _LEADERSHIP.search(t.text)
    ]
    where = "、".join(dict.fromkeys(t.code for t in tasks if recorded(t)))
    told = f"（{where}的进展已在第一部分写明）" if where else ""
    return [
        Paragraph(
            Kind.BODY,
            [
                todo(
                    "党政主要负责人履行推进法治建设第一责任人职责的情况：专题研究法治建设的次数和议题、"
                    f"集体学法、年终述法、重大行政决策程序执行等（记录中未包含）{told}"
                )
            ],
            [task_source(t) for t in tasks if recorded(t)],
        )
    ]


def _problems(data: DraftData, problems: dict[int, list[Problem]]) -> list[Paragraph]:
    out: list[Paragraph] = []
    for item in data.items:
        found = problems[item.id]
        if not found:
            continue
        spans: list[Span] = [plain(f"在{area_name(item.title)}方面，")]
        for i, problem in enumerate(found, start=1):
            label = f"{cn_number(i)}是" if len(found) > 1 else ""
            spans.append(plain(label + problem.text))
            if problem.todo:
                spans.append(todo(problem.todo))
            spans.append(plain("。" if i == len(found) else "；"))
        out.append(Paragraph(Kind.BODY, spans, _unique(s for p in found for s in p.sources)))
    if not out:
        out.append(
            Paragraph(
                Kind.BODY,
                [todo("记录中没有存在问题、超期、滞后或暂缓的任务，请补充本年度工作存在的不足和原因")],
            )
        )
    return out


def _next_year(data: DraftData, problems: dict[int, list[Problem]]) -> list[Paragraph]:
    out: list[Paragraph] = []
    number = 0
    for item in data.items:
        by_task = {p.task.id: p for p in problems[item.id]}
        entries: list[tuple[list[Span], list[Source]]] = []
        for task in item.tasks:
            problem = by_task.get(task.id)
            sources = [task_source(task)]
            spans: list[Span] = []
            if task.unfinished or task.recurring:
                spans.append(plain(carried_wording(task, item.title) + "。"))
                if task.status == Status.SUSPENDED:
                    spans.append(todo("该任务本年度已暂缓，请确认是否继续列入"))
            if problem is None:
                step = _latest_text(task, "next_steps")
                if step is not None and step[0] not in carried_wording(task, item.title):  # a recorded next step
                    spans.append(plain(step[0] + "。"))
                    sources.append(update_source(step[1]))
            if problem is not None:
                if problem.measure:
                    if problem.measure not in carried_wording(task, item.title):
                        spans.append(plain(problem.measure + "。"))
                    sources += problem.measure_sources
                elif task.status != Status.SUSPENDED:  # 暂缓: the slot above already asks what to do
                    spans.append(todo(f"针对{quoted(task.title)}存在问题的改进措施"))
            if spans:
                entries.append((spans, sources))
        if not entries:
            continue
        number += 1
        spans = [Span(f"（{cn_number(number)}）{clause(item.title)}。", Style.LEAD)]
        for i, (entry, _) in enumerate(entries, start=1):
            if len(entries) > 1:
                spans.append(plain(f"{cn_number(i)}是"))
            spans.extend(entry)
        out.append(
            Paragraph(
                Kind.BODY,
                spans,
                _unique([item_source(item)] + [s for _, src in entries for s in src]),
                note=f"延续{data.plan.year}年计划{item.label}",
            )
        )
    if not out:
        out.append(
            Paragraph(
                Kind.BODY,
                [todo(f"记录中没有未完成或需延续的任务，请根据上级部署补充{data.plan.year + 1}年工作安排")],
            )
        )
    return out
