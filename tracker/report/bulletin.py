"""The 进展通报 as a document: what a leader receives each month or quarter.

``compose_bulletin`` turns ``services.bulletin.BulletinData`` into blocks (paragraphs of the draft's model, tables,
figures); ``bulletin_writers`` renders the same blocks as .docx (the draft's GB/T 9704 styles) or Markdown. Every
figure is one of BulletinData's summaries (``tracker summary --as-of`` for the same day); what only the office
can write (文号, 主送, 下一步要求, 发文机关, 成文日期) is left 【待补充】.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from tracker.domain.numerals import cn_number
from tracker.domain.schedule import RULE_TEXT, Light
from tracker.report.charts import CjkFont, burn_up_chart, department_chart, png
from tracker.report.model import Kind, Paragraph, Span, Style, plain
from tracker.services.bulletin import BulletinData
from tracker.services.history import EXPECTED_TEXT, LaggingTask
from tracker.services.overview import WEIGHTING_TEXT, GroupSummary

Align = Literal["left", "center", "right"]
LIGHTS = (Light.GREEN, Light.YELLOW, Light.RED, Light.GREY)


@dataclass(frozen=True)
class Table:
    caption: str  # 表2 各单位进展排名
    headers: list[str]
    rows: list[list[str]]
    align: list[Align]


@dataclass(frozen=True)
class Figure:
    caption: str  # 图1 …
    name: str  # 图1: the file name stem of its PNG beside a Markdown bulletin
    png: bytes | None  # None: no CJK font on this machine, ``table`` stands in for the chart
    table: Table  # the chart's figures


Block = Paragraph | Table | Figure


@dataclass
class Bulletin:
    title: str
    period_label: str
    as_of: date
    blocks: list[Block] = field(default_factory=list)
    charts_drawn: bool = True

    def paragraphs(self) -> list[Paragraph]:
        return [b for b in self.blocks if isinstance(b, Paragraph)]

    def tables(self) -> list[Table]:
        return [b for b in self.blocks if isinstance(b, Table)]

    def figures(self) -> list[Figure]:
        return [b for b in self.blocks if isinstance(b, Figure)]


def cn_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def pct(value: float) -> str:
    return f"{value:.1f}%"


def todo(what: str) -> Span:
    return Span(f"【待补充：{what}】", Style.TODO)


def plan_name(data: BulletinData) -> str:
    """The plan as a 通报 names it: the arrangements' heading without its number (2022年推进法治政府建设的主要安排),
    or a plan document's own title."""
    if data.plan_kind == "plan":
        name = data.plan_title
    else:
        name = data.section_heading or f"{data.plan_year}年法治政府建设工作安排"
    name = re.sub(r"^\s*[一二三四五六七八九十]+\s*[、.．]\s*", "", name).strip("《》 ")
    return name or f"{data.plan_year}年工作安排"


def bulletin_title(data: BulletinData) -> str:
    subject = re.sub(r"^\d{4}\s*年度?", "", plan_name(data))
    return f"关于{data.period.label}{subject}落实情况的通报"


def _h1(n: int, text: str) -> Paragraph:
    return Paragraph(Kind.HEADING1, [plain(f"{cn_number(n)}、{text}")])


def _h2(n: int, text: str) -> Paragraph:
    return Paragraph(Kind.HEADING2, [plain(f"（{cn_number(n)}）{text}")])


def _body(*spans: Span | str) -> Paragraph:
    return Paragraph(Kind.BODY, [plain(s) if isinstance(s, str) else s for s in spans])


def _signed(value: float, *, unit: str = "", decimals: int = 0) -> str:
    text = f"{value:+.{decimals}f}"
    return "0" if float(text) == 0 else text + unit


def _change(now: float, before: float, *, noun: str, unit: str, decimals: int = 0) -> str:
    delta = round(now - before, decimals)
    if delta == 0:
        return f"{noun}持平"
    word = "增加" if unit == "项" else "提高"
    if delta < 0:
        word = "减少" if unit == "项" else "下降"
    figure = f"{abs(delta):.{decimals}f}"
    return f"{noun}{word}{figure}{unit}"


def _overall(data: BulletinData) -> list[Block]:
    total = data.current.total
    lights = total.lights
    blocks: list[Block] = [
        _body(
            f"截至{cn_date(data.as_of)}，{plan_name(data)}共{total.total}项任务，已完成{total.done}项，"
            f"完成率{pct(total.done_rate)}；各项任务平均进度{pct(total.average_percent)}。按序时进度，"
            f"绿灯{lights['green']}项、黄灯{lights['yellow']}项、红灯{lights['red']}项、灰灯{lights['grey']}项，"
            f"落后于序时进度{total.behind}项，其中已逾期未完成{total.overdue}项；"
            f"{data.current.due_soon_days}天内到期未完成{total.due_soon}项。"
        )
    ]
    previous = data.previous.total if data.previous else None
    if previous is not None:
        before = data.previous_period
        parts = [
            _change(total.done, previous.done, noun="已完成任务", unit="项"),
            _change(round(total.done_rate, 1), round(previous.done_rate, 1), noun="完成率", unit="个百分点", decimals=1),
            _change(
                round(total.average_percent, 1), round(previous.average_percent, 1),
                noun="平均进度", unit="个百分点", decimals=1,
            ),
            _change(total.behind, previous.behind, noun="落后于序时进度的任务", unit="项"),
            _change(total.overdue, previous.overdue, noun="逾期任务", unit="项"),
        ]
        blocks.append(_body(f"与上期（{before.label}，截至{cn_date(before.end)}）相比，" + "，".join(parts) + "。"))
    else:
        blocks.append(_body(f"本期为{data.plan_year}年计划执行以来的第一期通报，不作环比。"))
    blocks.append(_summary_table(data, previous))
    blocks.append(_body(f"说明：{WEIGHTING_TEXT}{RULE_TEXT}"))
    return blocks


def _summary_table(data: BulletinData, previous: GroupSummary | None) -> Table:
    total = data.current.total
    rows_spec: list[tuple[str, float, float | None, bool]] = []

    def add(name: str, now: float, before: float | None, percent: bool = False) -> None:
        rows_spec.append((name, now, before, percent))

    p = previous
    add("任务总数", total.total, p.total if p else None)
    for code, label in (("done", "已完成"), ("in_progress", "推进中"), ("not_started", "未开始"), ("suspended", "暂缓")):
        add(label, total.by_status[code], p.by_status[code] if p else None)
    add("完成率", total.done_rate, p.done_rate if p else None, True)
    add("平均进度", total.average_percent, p.average_percent if p else None, True)
    for light in LIGHTS:
        add(f"{light.colour_name}灯", total.lights[light.value], p.lights[light.value] if p else None)
    add("落后于序时进度", total.behind, p.behind if p else None)
    add("已逾期", total.overdue, p.overdue if p else None)
    add(f"{data.current.due_soon_days}天内到期", total.due_soon, p.due_soon if p else None)
    rows = []
    for name, now, before, percent in rows_spec:
        if percent:
            cells = [name, pct(now), pct(before) if before is not None else "—"]
            change = _signed(round(now, 1) - round(before, 1), unit="个百分点", decimals=1) if before is not None else "—"
        else:
            cells = [name, f"{int(now)}项", f"{int(before)}项" if before is not None else "—"]
            change = _signed(now - before, unit="项") if before is not None else "—"
        rows.append([*cells, change])
    before_head = f"上期（截至{_short(data.previous_period.end)}）" if p else "上期"
    return Table(
        "表1 总体情况",
        ["指标", f"本期（截至{_short(data.as_of)}）", before_head, "变化"],
        rows,
        ["left", "right", "right", "right"],
    )


def _short(day: date) -> str:
    return f"{day.month}月{day.day}日"


def _departments(data: BulletinData, font: CjkFont | None) -> list[Block]:
    ranking = data.ranking
    blocks: list[Block] = []
    if not ranking:
        blocks.append(_body("本计划的任务尚未指定牵头单位，暂不按单位统计。"))
        return blocks
    led = sum(r.group.total for r in ranking)
    text = (
        f"按牵头单位统计，{len(ranking)}个单位共牵头任务{led}项（一项任务有多个牵头单位时分别计入）。"
        "各单位牵头任务的序时进度灯和完成率见图1，排名见表2。"
    )
    if data.unled:
        text += f"另有{data.unled}项任务未指定牵头单位，计入总体情况，未计入排名。"
    blocks.append(_body(text))
    chart_table = Table(
        "图1数据 各单位牵头任务序时进度灯和完成率",
        ["牵头单位", "绿灯", "黄灯", "红灯", "灰灯", "完成率"],
        [
            [r.group.key, *(str(r.group.lights[light.value]) for light in LIGHTS), pct(r.group.done_rate)]
            for r in ranking
        ],
        ["left", "right", "right", "right", "right", "right"],
    )
    picture = png(department_chart(ranking, font)) if font else None
    blocks.append(
        Figure(f"图1 各单位牵头任务序时进度灯和完成率（截至{cn_date(data.as_of)}）", "图1", picture, chart_table)
    )
    blocks.append(
        Table(
            "表2 各单位进展排名",
            ["排名", "牵头单位", "牵头任务", "已完成", "完成率", "平均进度", "绿灯", "黄灯", "红灯", "灰灯", "逾期"],
            [
                [
                    str(r.rank),
                    r.group.key,
                    str(r.group.total),
                    str(r.group.done),
                    pct(r.group.done_rate),
                    pct(r.group.average_percent),
                    *(str(r.group.lights[light.value]) for light in LIGHTS),
                    str(r.group.overdue),
                ]
                for r in ranking
            ],
            ["center", "left", "right", "right", "right", "right", "right", "right", "right", "right", "right"],
        )
    )
    blocks.append(_body("排名依次按完成率、平均进度从高到低，红灯任务数从少到多排列；完成率和平均进度相同的单位名次并列。"))
    return blocks


def _trend(data: BulletinData, font: CjkFont | None) -> list[Block]:
    series = data.series
    if not series:
        return [_body("本期尚无进度记录。")]
    last = series[-1]
    gap = round(last.average_percent, 1) - round(last.expected_percent, 1)
    relation = "持平" if gap == 0 else f"{'高于' if gap > 0 else '低于'}序时进度{abs(gap):.1f}个百分点"
    blocks: list[Block] = [
        _body(
            f"{data.plan_year}年1月以来各月末已完成任务数、平均进度和序时进度见图2。截至{cn_date(last.day)}，"
            f"已完成任务{last.done}项，平均进度{pct(last.average_percent)}，序时进度{pct(last.expected_percent)}，"
            f"平均进度{relation}。"
        )
    ]
    table = Table(
        "图2数据 各月末完成情况和进度",
        ["月份", "截至", "已完成任务", "完成率", "平均进度", "序时进度"],
        [
            [
                f"{p.day.year}年{p.day.month}月",
                _short(p.day),
                str(p.done),
                pct(p.done_rate),
                pct(p.average_percent),
                pct(p.expected_percent),
            ]
            for p in series
        ],
        ["left", "right", "right", "right", "right", "right"],
    )
    picture = png(burn_up_chart(series, font)) if font else None
    blocks.append(Figure(f"图2 {data.plan_year}年各月末已完成任务和平均进度", "图2", picture, table))
    blocks.append(_body(f"说明：{EXPECTED_TEXT}"))
    return blocks


def _deadline(day: date, year: int) -> str:
    return _short(day) if day.year == year else cn_date(day)


def _lagging_table(caption: str, tasks: list[LaggingTask], data_year: int) -> Table:
    return Table(
        caption,
        ["序号", "任务", "牵头单位", "完成时限", "滞后情况"],
        [
            [
                str(n),
                f"{t.code}{t.title}",
                "、".join(t.leads) or "（未指定）",
                _deadline(t.deadline, data_year) if t.deadline else "",
                t.behind_text,
            ]
            for n, t in enumerate(tasks, start=1)
        ],
        ["center", "left", "left", "center", "left"],
    )


def _lists(data: BulletinData) -> list[Block]:
    red, yellow = data.red, data.yellow
    blocks: list[Block] = [
        _body(
            f"按序时进度，红灯任务{len(red)}项（其中已逾期{sum(t.overdue for t in red)}项），列入红色清单；"
            f"黄灯任务{len(yellow)}项，列入黄色清单。请各牵头单位对照清单加快推进。"
        ),
        _h2(1, f"红色清单（{len(red)}项）"),
    ]
    blocks.append(_lagging_table("表3 红色清单", red, data.as_of.year) if red else _body("本期无红灯任务。"))
    blocks.append(_h2(2, f"黄色清单（{len(yellow)}项）"))
    blocks.append(_lagging_table("表4 黄色清单", yellow, data.as_of.year) if yellow else _body("本期无黄灯任务。"))
    return blocks


def _silent(data: BulletinData) -> list[Block]:
    silent = data.current.silent
    since = data.current.month_start
    if not silent:
        return [_body(f"{data.period.label}（{_short(since)}至{_short(data.as_of)}），各牵头单位均已报送进展。")]
    return [
        _body(
            f"{data.period.label}（{_short(since)}至{_short(data.as_of)}），以下{len(silent)}个单位牵头的未完成任务"
            "均无进展记录，请及时报送："
        ),
        Table(
            "表5 未按时报送进展的单位",
            ["序号", "单位", "牵头未完成任务", "最近一次报送"],
            [
                [
                    str(n),
                    d.name,
                    f"{d.open_tasks}项",
                    d.last_update.isoformat() if d.last_update else "从未报送",
                ]
                for n, d in enumerate(silent, start=1)
            ],
            ["center", "left", "right", "center"],
        ),
    ]


def _instructions(data: BulletinData) -> list[Block]:
    if not data.instructions:
        return [_body("本期无领导批示。")]
    blocks: list[Block] = []
    for entry in data.instructions:
        text = entry.text if entry.text[-1] in "。！？；" else entry.text + "。"
        blocks.append(
            _body(f"{_short(entry.day)}，{entry.author_name}对“{entry.task_code}{entry.task_title}”作出批示：“{text}”")
        )
    blocks.append(_body("请相关牵头单位认真抓好落实，并在下期报送进展时一并报告落实情况。"))
    return blocks


def compose_bulletin(data: BulletinData, *, font: CjkFont | None) -> Bulletin:
    """The whole 通报; charts drawn in ``font``, or given as tables when it is None."""
    title = bulletin_title(data)
    blocks: list[Block] = [
        Paragraph(Kind.ISSUER, [todo("发文机关代字"), plain(f"〔{data.as_of.year}〕"), todo("序号"), plain("号")]),
        Paragraph(Kind.TITLE, [plain(title)]),
        Paragraph(Kind.ADDRESSEE, [todo("主送单位"), plain("：")]),
        _body(
            f"现将{plan_name(data)}截至{cn_date(data.as_of)}的落实情况通报如下（{data.period.label}通报，"
            "按各单位报送的进展记录所属日期统计）。"
        ),
    ]
    sections: list[tuple[str, list[Block]]] = [
        ("总体情况", _overall(data)),
        ("各单位进展情况", _departments(data, font)),
        ("进度走势", _trend(data, font)),
        ("红色清单和黄色清单", _lists(data)),
        ("未按时报送情况", _silent(data)),
        ("领导批示", _instructions(data)),
        ("下一步要求", [_body(todo("下一步工作要求，如对红色清单任务的督办措施、对未报送单位的催办要求"))]),
    ]
    for n, (heading, content) in enumerate(sections, start=1):
        blocks.append(_h1(n, heading))
        blocks.extend(content)
    blocks.append(Paragraph(Kind.SIGNATURE, [todo("发文机关")]))
    blocks.append(Paragraph(Kind.DATE, [todo("成文日期")]))
    return Bulletin(title, data.period.label, data.as_of, blocks, charts_drawn=font is not None)
