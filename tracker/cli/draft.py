"""tracker draft: next year's report drafted from what was recorded (.docx in the official layout, or Markdown)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import click

from tracker.cli.output import plan_option
from tracker.errors import UsageError


def _parse_as_of(_ctx: click.Context, _param: click.Parameter, value: str | None) -> date | None:
    if not value:
        return None
    from tracker.services.workspace import parse_date

    return parse_date(value, field="as_of")


@click.command(
    "draft",
    help=(
        "根据全年记录起草新一年度的法治政府建设工作报告：结构沿用原报告，每段注明来源（任务、进展编号），"
        "记录中没有的内容以【待补充】标出，并把未完成的任务列入下一年度安排。\n\n"
        "输出 .docx（公文格式，来源写在批注中）或 .md（来源写在脚注中）。\n\n"
        "示例：tracker draft --plan 2022 --as-of 2023-01-20 --out 2022年度报告初稿.docx"
    ),
)
@plan_option
@click.option(
    "--as-of",
    "as_of",
    callback=_parse_as_of,
    metavar="YYYY-MM-DD",
    help="按该日的记录起草（之后的进展不计入），并作为成文日期；不指定时按今天计算，成文日期留作【待补充】",
)
@click.option(
    "--out",
    "out",
    type=click.Path(path_type=Path, dir_okay=False),
    metavar="文件.docx|文件.md",
    help="输出文件（按扩展名选择格式）；默认“<年份>年度报告初稿.docx”",
)
@click.option("--trace", is_flag=True, help="在文末附来源追溯表（Markdown 不再使用脚注）")
@click.pass_obj
def draft_cmd(state: Any, plan: str | None, as_of: date | None, out: Path | None, trace: bool) -> None:
    from tracker.report.compose import compose_draft, later_records_note
    from tracker.services.drafting import gather_draft_data

    if out is not None and out.suffix.lower() not in (".docx", ".md", ".markdown"):
        raise UsageError(f"输出文件应以 .docx 或 .md 结尾，而不是“{out.name}”")
    if out is not None and not out.parent.exists():
        raise UsageError(f"输出目录不存在：{out.parent}")
    ws = state.workspace
    day = as_of or ws.today()
    data = ws.run(lambda s, _actor: gather_draft_data(s, plan=plan, as_of=day, date_given=as_of is not None))
    draft = compose_draft(data)
    if data.later_records:
        click.echo(later_records_note(data) + "。", err=True)
    target = out or Path(f"{draft.year}年度报告初稿.docx")
    if target.suffix.lower() == ".docx":
        from tracker.report.docx_writer import write_docx

        write_docx(draft, target, trace=trace)
    else:
        from tracker.report.markdown_writer import write_markdown

        write_markdown(draft, target, trace=trace)
    paragraphs = draft.paragraphs()
    todos = sum(1 for p in paragraphs if p.has_todo)
    click.echo(
        f"已起草：{target}（{draft.title}，{len(paragraphs)} 段，其中 {todos} 段含【待补充】，请逐项核改）"
    )
