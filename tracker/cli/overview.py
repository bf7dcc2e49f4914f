"""tracker summary / remind: what a leader reads."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import click
from click.core import ParameterSource

from tracker.cli.output import emit_json, is_terminal, json_option, parse_date_value, plan_option, table

SUMMARY_JSON_DOC = """\b
--json 输出一个对象：
  plan            {id, year, title}；--all 时为 null
  all_plans       是否汇总全部计划
  today           计算所依据的日期（YYYY-MM-DD）
  by              "item" 或 "department"
  weighting       "tasks"：完成率按任务个数计，每项任务权重相同
  weighting_note  上述口径的中文说明
  light_rule      序时进度灯的规则（中文）
  due_soon_days   “即将到期”的天数（15）
  records_as_of   true：按 --as-of 日期及以前的进展记录（所属日期）统计；false：按任务当前状态统计
  groups          每个事项或部门一项：
    key             事项（序号+标题）或部门名称
    item_id         按事项时：事项编号
    department_id   按部门时：部门编号（未指定牵头单位一组为 null）
    supporting      按部门时：该部门配合的任务数
    total           任务数（按部门时为其牵头的任务数）
    by_status       {not_started, in_progress, done, suspended} 各状态任务数
    done, done_rate 已完成任务数；完成率（%，一位小数）
    average_percent 各任务填报进度的简单平均（%）
    overdue         已逾期未完成的任务数
    due_soon        15 天内到期（未完成）的任务数
    lights          {green, yellow, red, grey} 序时进度灯各色任务数（逾期计为红）
    behind          黄灯 + 红灯任务数
    last_update     最近一次进展记录的日期，或 null
  total           全计划合计（同上字段，按任务去重）
  not_reported_this_month
    since           本月 1 日（或 --since 指定的日期）
    departments     [{department_id, name, open_tasks, last_update}]：
                    牵头有未完成任务、本月其牵头任务均无进展记录的部门"""


STATUS_HEADERS = ("未开始", "推进中", "已完成", "暂缓")
NARROW = 110  # below this many columns the four status counts share one column, headers shorten
SHORT_HEADERS = {"平均进度": "平均", "15天内到期": "15天内", "黄灯": "黄", "红灯": "红"}


def _rich_summary(headers: list[str], rows: list[list[Any]], title: str) -> None:
    """A terminal table with light rules. Figures keep their width, headers and names fold to fit."""
    from rich import box
    from rich.cells import cell_len
    from rich.console import Console
    from rich.table import Table

    console = Console()
    cells = [["" if v is None else str(v) for v in row] for row in rows]
    if console.width < NARROW:
        first = headers.index(STATUS_HEADERS[0])
        span = slice(first, first + len(STATUS_HEADERS))
        headers = [*headers[:first], "/".join(STATUS_HEADERS), *headers[span.stop :]]
        headers = [SHORT_HEADERS.get(h, h) for h in headers]
        cells = [[*row[:first], "/".join(row[span]), *row[span.stop :]] for row in cells]
    tab = Table(title=title, box=box.SIMPLE_HEAD, header_style="bold", pad_edge=False, collapse_padding=True)
    for n, head in enumerate(headers):
        if n == 0:
            tab.add_column(head, overflow="fold", ratio=1, min_width=8)
        else:
            widest = max((cell_len(row[n]) for row in cells), default=1)
            tab.add_column(head, justify="right", overflow="fold", min_width=widest)
    for n, row in enumerate(cells):
        tab.add_row(*row, style="bold" if n == len(cells) - 1 else None)
    console.print(tab)


def _pct(value: float) -> str:
    return f"{value:.1f}%"


@click.command(
    "summary",
    help=(
        "按事项或部门汇总进展：各状态任务数、完成率（按任务个数计）、逾期、15 天内到期、落后序时进度、"
        "最近更新，以及本月尚未报送进展的部门。\n\n"
        "示例：tracker summary --by department；tracker summary --chart；"
        "tracker summary --plan 2022 --as-of 2022-06-30 --json\n\n" + SUMMARY_JSON_DOC
    ),
)
@plan_option
@click.option(
    "--by",
    type=click.Choice(["item", "department"]),
    default="item",
    show_default=True,
    help="item 按事项，department 按牵头部门",
)
@click.option("--all", "all_plans", is_flag=True, help="汇总数据库中的全部计划")
@click.option(
    "--as-of",
    "as_of",
    callback=parse_date_value,
    metavar="YYYY-MM-DD",
    help="按进展所属日期统计到该日（与 tracker bulletin 口径相同）：每项任务取该日及以前最新一条进展的状态和进度",
)
@click.option(
    "--since", callback=parse_date_value, metavar="YYYY-MM-DD", help="“尚未报送进展”自该日起统计（默认本月 1 日）"
)
@click.option("--chart", is_flag=True, help="以字符条形图显示各部门的序时进度灯和完成率（--by item 时为各事项）")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出（字段见上）")
@click.pass_context
def summary_cmd(
    ctx: click.Context,
    plan: str | None,
    by: str,
    all_plans: bool,
    as_of: date | None,
    since: date | None,
    chart: bool,
    as_json: bool,
) -> None:
    from tracker.errors import UsageError
    from tracker.services.overview import GroupBy, summarize

    if chart and as_json:
        raise UsageError("--chart 与 --json 不能同时使用")
    if chart and ctx.get_parameter_source("by") is ParameterSource.DEFAULT:
        by = "department"  # the chart's bars are departments unless items are asked for
    ws = ctx.obj.workspace
    group: GroupBy = "department" if by == "department" else "item"
    result = ws.read(
        lambda r, _a: summarize(
            r, today=ws.today(), plan=plan, by=group, all_plans=all_plans, as_of=as_of, since=since
        )
    )
    if as_json:
        emit_json(result.to_json())
        return
    if chart:
        _chart(result)
        _silent_lines(result)
        return
    from tracker.domain.schedule import RULE_TEXT
    from tracker.services.overview import DEPARTMENT_TEXT, STATUS_ORDER, WEIGHTING_TEXT

    what = "按事项" if by == "item" else "按牵头部门"
    which = "全部计划" if result.all_plans else f"{result.plan_year}年《{result.plan_title}》"
    basis = "，按进展所属日期" if result.records_as_of else ""
    title = f"{which}进展汇总（{what}，截至 {result.today.isoformat()}{basis}）"
    headers = ["事项" if by == "item" else "部门", "任务", *[label for _, label in STATUS_ORDER]]
    headers += ["完成率", "平均进度", "逾期", f"{result.due_soon_days}天内到期", "黄灯", "红灯", "最近更新"]
    if by == "department":
        headers.insert(2, "配合")
    rows = []
    for g in [*result.groups, result.total]:
        cells: list[Any] = [g.key, g.total, *[g.by_status.get(code, 0) for code, _ in STATUS_ORDER]]
        cells += [
            _pct(g.done_rate),
            _pct(g.average_percent),
            g.overdue,
            g.due_soon,
            g.lights["yellow"],
            g.lights["red"],
            g.last_update.isoformat() if g.last_update else "无",
        ]
        if by == "department":
            cells.insert(2, g.supporting if g is not result.total else "")
        rows.append(cells)
    if is_terminal():
        _rich_summary(headers, rows, title)
    else:
        table(headers, rows, title=title)
    click.echo("")
    click.echo(f"说明：{WEIGHTING_TEXT}")
    if by == "department":
        click.echo(f"      {DEPARTMENT_TEXT}")
    click.echo(f"      {RULE_TEXT}")
    click.echo("")
    _silent_lines(result)


def _chart(result: Any) -> None:
    """Bars with block characters: departments best first (as the bulletin ranks them), or items in plan order."""
    from tracker.cli.chart import chart
    from tracker.services.bulletin import rank_departments

    which = "全部计划" if result.all_plans else f"{result.plan_year}年计划"
    if result.by == "department":
        groups = [r.group for r in rank_departments(result.groups)]
        title = f"{which}各部门序时进度（截至 {result.today.isoformat()}，按牵头任务计）"
    else:
        groups = result.groups
        title = f"{which}各事项序时进度（截至 {result.today.isoformat()}）"
    lines = chart(title, groups)
    if is_terminal():
        from rich.console import Console

        console = Console()
        for line in lines:
            console.print(line, soft_wrap=True)
    else:
        for line in lines:
            click.echo(line.plain)
    click.echo("")


def _silent_lines(result: Any) -> None:
    since = result.month_start
    when = f"{since.month}月{since.day}日以来" if result.since else f"本月（{since.month}月{since.day}日起）"
    if result.silent:
        click.echo(f"{when}尚未报送进展的部门（{len(result.silent)} 个）：")
        for d in result.silent:
            last = f"最近一次 {d.last_update.isoformat()}" if d.last_update else "从未报送"
            click.echo(f"  {d.name}：牵头未完成任务 {d.open_tasks} 项，{last}")
    else:
        click.echo(f"{when}各牵头部门均已报送进展。")


@click.command(
    "remind",
    help=(
        "生成催办清单：按牵头部门列出已逾期、N 天内到期、超过 30 天没有进展记录的任务。"
        "不带 --out 时在终端显示；带 --out 时每个部门写一个 Markdown 文件，可直接发送。\n\n"
        "示例：tracker remind --days 10；tracker remind --out 催办单/"
    ),
)
@plan_option
@click.option(
    "--days",
    type=click.IntRange(min=0),
    default=15,
    show_default=True,
    metavar="天数",
    help="列出多少天内到期的任务",
)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    metavar="目录",
    help="把各部门的催办单写入该目录",
)
@json_option
@click.pass_obj
def remind_cmd(state: Any, plan: str | None, days: int, out_dir: Path | None, as_json: bool) -> None:
    from tracker.services.reminders import build_reminders, write_reminders

    ws = state.workspace
    result = ws.run(lambda s, _a: build_reminders(s, today=ws.today(), plan=plan, days=days))
    if as_json:
        emit_json(
            {
                "plan": {"year": result.plan_year, "title": result.plan_title},
                "today": result.today.isoformat(),
                "days": result.days,
                "departments": [r.to_json() for r in result.departments],
            }
        )
        return
    if not result.departments:
        click.echo(f"截至 {result.today.isoformat()}，没有需要催办的任务。")
        return
    if out_dir is not None:
        from tracker.errors import ValidationError

        try:
            paths = write_reminders(result, out_dir=out_dir)
        except OSError as exc:
            raise ValidationError(f"无法写入目录 {out_dir}：{exc.strerror or exc}", field="out") from None
        click.echo(f"已为 {len(paths)} 个部门生成催办单，保存在 {out_dir}：")
        for reminder, path in zip(result.departments, paths, strict=True):
            click.echo(f"  {path.name}（{reminder.count} 项）")
        return
    for n, reminder in enumerate(result.departments):
        if n:
            click.echo("")
        click.echo(result.markdown(reminder).rstrip())
