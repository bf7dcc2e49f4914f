"""Section body → items → points. Two levels are kept; deeper numbering stays in the point's text, and a point
that itself lists 一是…二是… is replaced by those sub-points (they are what gets tracked).

Works the same whether paragraphs are on their own lines or run into one line: numbered markers are found at
paragraph starts (re-broken by normalisation) and inline (一是, 第一，, （1）).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from tracker.importer import numbering as nb


@dataclass
class Para:
    line: int  # 1-based
    text: str
    marker: nb.Marker | None


@dataclass
class Node:
    label: str
    written: bool  # the label is in the text (（三）, 二是) rather than made up (第2段)
    line: int
    lead: str  # the node's own words before any children
    text: str  # everything under the node
    children: list[Node] = field(default_factory=list)
    kind: str | None = None
    # words around a flattened point that are not its own but hold for it: the enclosing point's lead sentence
    # and the annotation after its last sub-point ("1.规范重大行政决策。（1）…（3）…（责任单位：…）")
    context: str = ""


def make_paras(pairs: list[tuple[int, str]]) -> list[Para]:
    return [Para(n, t, nb.start_marker(t)) for n, t in pairs if t.strip()]


def _is_lead_phrase(text: str) -> bool:
    """ "促进民营经济发展壮大。坚持…": a short first sentence without commas, followed by more text."""
    m = re.match(r"^([^。！？!?]{3,40})[。！？!?](.+)", text)
    if not m:
        return False
    first = m.group(1)
    return not re.search(r"[，,；;：:]", first) and len(m.group(2)) >= 4


def _choose_kind(paras: list[Para], above_rank: int) -> str | None:
    """The marker kind of the next level: the highest level that numbers at least two paragraphs."""
    counts: dict[str, int] = {}
    for p in paras:
        if p.marker is not None and nb.RANK[p.marker.kind] > above_rank:
            counts[p.marker.kind] = counts.get(p.marker.kind, 0) + 1
    if not counts:
        return None
    several = [k for k, c in counts.items() if c >= 2] or list(counts)
    return min(several, key=lambda k: nb.RANK[k])


def _body(p: Para) -> str:
    return p.text[p.marker.end :].strip() if p.marker is not None else p.text.strip()


def split_section(paras: list[Para], heading_kind: str | None) -> tuple[list[Node], list[str]]:
    """Items of a section body, and warnings about what looked odd."""
    warnings: list[str] = []
    above = nb.RANK[heading_kind] if heading_kind else -1
    kind = _choose_kind(paras, above)
    if kind in nb.POINT_KINDS and sum(1 for p in paras if p.marker is not None and p.marker.kind == kind) < 2:
        # one paragraph that starts "一是…" and goes on "；二是…；三是…": inline points, not one item
        kind = None
    if heading_kind is not None:
        # "四、下一步" followed by "一、…二、…" restarting at one (a chapter row of a task table, or a report that
        # numbers its plan like its own sections): the same kind as the heading, and the items above the rest
        same = [p.marker for p in paras if p.marker is not None and p.marker.kind == heading_kind]
        if same and same[0].number == 1 and [m.number for m in same] == list(range(1, len(same) + 1)):
            kind = heading_kind
    if kind is not None:
        starts = [i for i, p in enumerate(paras) if p.marker is not None and p.marker.kind == kind]
        if kind == nb.YAO:
            # "一要…四要…" then "要强化…。" "要加强…。": the run goes on without its numbers, each still an item
            starts = sorted(
                {*starts, *(i for i, p in enumerate(paras) if i > starts[0] and _UNNUMBERED_YAO.match(p.text))}
            )
        items = []
        for n, i in enumerate(starts):
            j = starts[n + 1] if n + 1 < len(starts) else len(paras)
            item = _build_item(paras[i], paras[i + 1 : j], kind)
            if paras[i].marker is None:
                item.label, item.written = f"第{n + 1}段", False
            items.append(item)
        _check_sequence([p.marker for p in (paras[i] for i in starts) if p.marker is not None], warnings)
        return items, warnings
    # no numbered paragraphs: heading lines, inline points, lead-phrase paragraphs, or each paragraph
    headed = _heading_items(paras)
    if headed:
        return headed, warnings
    whole = "\n".join(p.text for p in paras)
    first_line = paras[0].line if paras else 0
    led = _lead_sentence_items(whole, first_line)
    if led:
        return led, warnings
    inline = nb.inline_points(whole)
    if inline:
        return _inline_nodes(whole, inline, first_line, paras), warnings
    leads = [p for p in paras if _is_lead_phrase(p.text)]
    chosen = leads if len(leads) >= 2 else paras
    items = []
    for n, p in enumerate(chosen, 1):
        items.append(Node(f"第{n}段", False, p.line, p.text, p.text))
    if len(leads) < 2 and len(paras) == 1:
        items = _sentences_as_items(paras[0])
    if items:
        warnings.append("安排部分没有编号，已按段落或句子拆分，请核对")
    return items, warnings


_SIGN_OFF_TAIL = re.compile(r"[。；]?\s*(?:特此报告|专此报告|以上报告|特此汇报)[。！]?\s*$")


def _lead_sentence_items(whole: str, first_line: int) -> list[Node]:
    """Unnumbered items, each a lead sentence with its own 一是…三是… ("在提升依法决策水平上持续发力。一是…"): the
    points restarting at 一是 mark the next item, with or without paragraph breaks. The item's lead is what follows
    the last paragraph break before its 一是, or, in run-together text, the last sentence before it."""
    runs = nb.restarting_runs(whole)
    if not runs:
        return []
    starts: list[int] = []
    for n, run in enumerate(runs):
        floor = runs[n - 1][-1][1] if n else 0
        before = whole[floor : run[0][0]].rstrip()
        if "\n" in before:
            cut = before.rindex("\n") + 1
        else:
            ends = [i for i, ch in enumerate(before[:-1]) if ch in "。！？"]
            cut = ends[-1] + 1 if ends else 0
            if n and not ends:
                return []  # no sentence of its own before the restart: a point listing sub-points, not an item
        starts.append(floor + cut)
    items: list[Node] = []
    for n, (start, run) in enumerate(zip(starts, runs, strict=True)):
        end = starts[n + 1] if n + 1 < len(starts) else len(whole)
        text = whole[start:end].strip()
        offset = start + (len(whole[start:end]) - len(whole[start:end].lstrip()))
        points = [(a - offset, b - offset, label) for a, b, label in run]
        if n + 1 == len(runs):
            text = _SIGN_OFF_TAIL.sub("。", text).rstrip()
        line = first_line + whole[:start].count("\n")
        item = Node(f"第{n + 1}项", False, line, "", text, kind="lead")
        item.children = _inline_nodes(text, points, line, [])
        item.lead = text[: points[0][0]].strip()
        if not item.lead:
            return []
        items.append(item)
    return items


_UNNUMBERED_YAO = re.compile(r"^要(?!求|点|素|害|闻|件|是|按|以)[\u4e00-\u9fff“《]{2,30}[。；]")


def _is_heading_para(p: Para) -> bool:
    # "加强党的领导": a short line without sentence punctuation (a Word heading, or a bold line on its own)
    return len(p.text) <= 30 and not re.search(r"[。；;！？!?，,：:]", p.text)


def _heading_items(paras: list[Para]) -> list[Node]:
    """Unnumbered items that are heading lines, each followed by its paragraphs ("加强党的领导" then "坚持把…"):
    one item a heading, titled by it; what stands before the first heading is the section's introduction."""
    heads = [i for i, p in enumerate(paras) if _is_heading_para(p)]
    with_body = [i for n, i in enumerate(heads) if (heads[n + 1] if n + 1 < len(heads) else len(paras)) > i + 1]
    if len(with_body) < 2 or len(with_body) != len(heads):
        return []
    items: list[Node] = []
    for n, i in enumerate(heads, 1):
        j = heads[n] if n < len(heads) else len(paras)
        item = _build_item(paras[i], paras[i + 1 : j], nb.L1)
        item.label, item.written, item.kind = f"第{n}项", False, "heading"
        items.append(item)
    return items


def _sentences_as_items(p: Para) -> list[Node]:
    """One unnumbered paragraph ("下一步，我们将…。…。"): each sentence after the opening clause is a task."""
    sentences = [s for s in re.split(r"(?<=[。！？])", p.text) if s.strip()]
    if (
        len(sentences) > 1
        and re.match(r"^(?:下一步|下步|今后|明年|\d{4}年)", sentences[0])
        and len(sentences[0]) < 60
    ):
        sentences = sentences[1:]
    return [Node(f"第{n}句", False, p.line, s.strip(), s.strip()) for n, s in enumerate(sentences, 1)]


def _check_sequence(markers: list[nb.Marker], warnings: list[str]) -> None:
    numbers = [m.number for m in markers]
    if not numbers:
        return
    expected = list(range(numbers[0], numbers[0] + len(numbers)))
    if numbers != expected:
        labels = "、".join(m.label for m in markers)
        warnings.append(f"编号不连续或有重复：{labels}")


def _build_item(head: Para, rest: list[Para], kind: str) -> Node:
    lead_parts = [_body(head)]
    item = Node(head.marker.label if head.marker else "", True, head.line, "", "", kind=kind)
    all_text = [_body(head)] + [p.text for p in rest]
    item.text = "\n".join(t for t in all_text if t)
    child_kind = _choose_kind(rest, nb.RANK[kind])
    children: list[Node] = []
    if child_kind is not None:
        current: Node | None = None
        for p in rest:
            if p.marker is not None and p.marker.kind == child_kind:
                run = nb.inline_run(p.text, child_kind, p.marker.number)
                if len(run) >= 2 and run[0][0] == 0:  # "一是…；二是…；三是…" in one paragraph: each a point
                    children += _inline_nodes(p.text, run, p.line, [p])
                    current = children[-1]
                    continue
                current = Node(p.marker.label, True, p.line, _body(p), _body(p), kind=child_kind)
                children.append(current)
            elif current is None:
                lead_parts.append(p.text)
            else:  # deeper numbering or a continuation paragraph: part of the current point
                current.text += "\n" + p.text
                current.lead = current.text
        shared = _shared_fields(children)
        if shared:
            lead_parts.append(shared)
    else:
        own = "\n".join(lead_parts)
        inline = nb.inline_points(own)
        leads = [p for p in rest if _is_lead_phrase(p.text)]
        if inline:
            children = _inline_nodes(own, inline, head.line, [head])
            lead_parts = [own[: inline[0][0]]]
            for p in rest:  # paragraphs after inline points continue the last one
                children[-1].text += "\n" + p.text
                children[-1].lead = children[-1].text
        elif len(leads) >= 2:
            current = None
            n = 0
            for p in rest:
                if _is_lead_phrase(p.text):
                    n += 1
                    current = Node(f"第{n}段", False, p.line, p.text, p.text)
                    children.append(current)
                elif current is None:
                    lead_parts.append(p.text)
                else:
                    current.text += "\n" + p.text
                    current.lead = current.text
        else:
            lead_parts += [p.text for p in rest]
            whole = "\n".join(lead_parts)
            # "（一）heading" then "坚持把稳增长摆在突出位置。一是…；二是…": the points are in the paragraph below
            inline = nb.inline_points(whole)
            if inline:
                children = _inline_nodes(whole, inline, head.line, [head, *rest])
                lead_parts = [whole[: inline[0][0]]]
            else:
                children = _parallel_phrases(own, head.line)
    if children and all(c.kind == "inline" for c in children) and len(children) >= 2:
        tail = _SHARED_TAIL.search(children[-1].text)
        if tail is not None:  # "…；三是…。（县司法局负责）": the annotation closes the item, not its last point
            children[-1].text = children[-1].text[: tail.start("tail")].rstrip()
            children[-1].lead = children[-1].text
            lead_parts.append(tail.group("tail"))
    if child_kind is not None and children:
        first = next(p.marker for p in rest if p.marker is not None and p.marker.kind == child_kind)
        own = "\n".join(lead_parts)
        before = nb.inline_run(own, child_kind, 1, first.number - 1) if first.number > 1 else []
        if before:
            lead_parts = [own[: before[0][0]]]
            children = _inline_nodes(own, before, head.line, [head]) + children
    item.lead = "\n".join(t for t in lead_parts if t).strip()
    item.children = _flatten(children)
    return item


# "责任单位：…" / "配合单位：…" / "整改时限：…" on lines of their own after an entry
_FIELD_LINE = re.compile(
    r"^(?:责任领导|分管领导|牵头领导|责任单位|牵头单位|责任部门|牵头部门|配合单位|协办单位|责任股室|责任科室|"
    r"责任人|整改时限|完成时限|完成时间|时间节点)[：:]"
)


def _field_block(node: Node) -> int | None:
    """Index of the first line of the field lines that close a point (every line after it is one), or None."""
    lines = node.text.split("\n")
    for n in range(1, len(lines)):
        if all(_FIELD_LINE.match(x) for x in lines[n:]):
            return n
    return None


def _shared_fields(children: list[Node]) -> str | None:
    """ "1.…" "2.…" "3.…" then "责任单位：…" / "整改时限：…": a block after the last point, when no other point
    has one, applies to every point (a rectification plan's measures for one problem). Cut from the last point
    and returned for the item's lead, whose owners and deadline the points inherit."""
    if len(children) < 2 or children[-1].kind == "inline":
        return None
    if any(_FIELD_LINE.match(x) for c in children[:-1] for x in c.text.split("\n")):
        return None
    last = children[-1]
    n = _field_block(last)
    if n is None:
        return None
    lines = last.text.split("\n")
    last.text = "\n".join(lines[:n])
    last.lead = last.text
    return "\n".join(lines[n:])


_PARALLEL = re.compile(
    r"(?P<v>[\u4e00-\u9fff]{2})[^、，,。；;：:]{2,24}?(?:、(?P=v)[^、，,。；;：:]{2,24}?){2,}(?=等(?:方面|领域|工作|任务|环节|重点))"
)


def _parallel_phrases(text: str, line: int) -> list[Node]:
    """ "重点在深化综合执法改革、深化执法协作机制、深化执法数字化应用等方面取得突破": three tasks, one a phrase.
    Only a run of at least three phrases that start with the same verb and end in 等方面/等领域… counts."""
    m = _PARALLEL.search(text)
    if m is None:
        return []
    # only when the run is what the item asks for: other work written beside it ("…等方面，春节前完成工资清欠，
    # 汛期前完成…") would be lost from the tasks, so the item then stays whole
    end = re.search(r"[。！？；]|$", text[m.end() :])
    tail = text[m.end() : m.end() + (end.start() if end else 0)]
    tail = re.sub(r"^等(?:方面|领域|工作|任务|环节|重点)", "", tail)
    sentences = [x for x in re.split(r"(?<=[。！？；])", text) if len(x.strip()) >= 8]
    others = [x for x in sentences[1:] if m.group(0) not in x]
    if len(tail) > 12 or others:
        return []
    verb = m.group("v")
    phrases = [p for p in re.split(rf"、(?={verb})", m.group(0)) if p]
    return [Node(f"第{n}项", False, line, p, p, kind="phrase") for n, p in enumerate(phrases, 1)]


# After the last inline point's full stop: a bracketed annotation, or a sentence naming who leads
_SHARED_TAIL = re.compile(
    r"[。！？]\s*(?P<tail>[（(][^（）()]{2,80}[）)]|(?:由)?[\u4e00-\u9fff、]{2,40}?(?:牵头|负责)[^。；]{0,60}[。]?)\s*$"
)


def _inline_nodes(text: str, points: list[tuple[int, int, str]], line: int, paras: list[Para]) -> list[Node]:
    nodes: list[Node] = []
    for n, (start, body_start, label) in enumerate(points):
        end = points[n + 1][0] if n + 1 < len(points) else len(text)
        body = text[body_start:end].strip().rstrip("；;，,").strip()
        nodes.append(Node(label, True, line + text[:start].count("\n"), body, body, kind="inline"))
    return nodes


def _flatten(children: list[Node]) -> list[Node]:
    """A point that lists its own 一是…二是… gives way to those sub-points (labelled 1.一是 when the point had a
    written label): two levels are kept, the third is flattened into the second."""
    out: list[Node] = []
    for c in children:
        inline = nb.inline_points(c.text)
        if inline and c.kind != "inline":
            subs = _inline_nodes(c.text, inline, c.line, [])
            context = [c.text[: inline[0][0]].strip()]
            tail = _SHARED_TAIL.search(subs[-1].text)
            if tail is not None:  # the annotation closing the point holds for each of its sub-points
                subs[-1].text = subs[-1].lead = subs[-1].text[: tail.start("tail")].rstrip()
                context.append(tail.group("tail"))
            for s in subs:
                if c.written:
                    s.label = f"{c.label}{s.label}"
                s.context = "\n".join(t for t in context if t)
            out.extend(subs)
        else:
            out.append(c)
    return out
