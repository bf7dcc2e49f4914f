"""tracker export / ingest: the Excel 工作台账 that departments fill in."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from tracker.cli.output import emit_json


@click.command(
    "export",
    help=(
        "导出工作台账（.xlsx）：序号、工作任务、具体措施、牵头单位、配合单位、完成时限、完成情况/进展、存在问题、"
        "下一步措施、状态、填报日期，每个计划一个工作表，另有隐藏的任务编号列（导入时使用，请勿删除）。\n\n"
        "示例：tracker export --plan 2022 --out 台账.xlsx"
    ),
)
@click.option(
    "--plan", "plans", multiple=True, metavar="年度", help="计划年度或编号，可多次使用；默认最新计划"
)
@click.option(
    "--out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="文件",
    help="输出的 .xlsx 文件",
)
@click.pass_obj
def export_cmd(state: Any, plans: tuple[str, ...], out: Path) -> None:
    from tracker.errors import UsageError
    from tracker.services.ledger import export_ledger

    if out.suffix.lower() != ".xlsx":
        raise UsageError(f"台账文件应以 .xlsx 结尾：{out}")
    ws = state.workspace
    refs: list[str | None] = list(plans) or [None]
    sheets = ws.run(lambda s, _a: export_ledger(s, today=ws.today(), out=out, plans=refs))
    parts = "、".join(f"“{name}” {n} 行" for name, n in sheets)
    click.echo(f"已导出台账 {out}：{parts}")


def _describe_change(change: Any) -> list[str]:
    lines = [f"第 {change.row} 行 · 任务 {change.task_id} {change.title}"]
    for header, (old, new) in change.fields.items():
        before = old if old else "（空）"
        after = new if new else "（空）"
        lines.append(f"    {header}：{before} → {after}")
    if change.reported_on:
        lines.append(f"    填报日期：{change.reported_on.isoformat()}")
    return lines


@click.command(
    "ingest",
    help=(
        "导入各部门填好的工作台账：读取“完成情况/进展、存在问题、下一步措施、状态、填报日期”各列，"
        "内容有变化的行记为一条新的进展记录（记在当前用户名下，可用 --as 代部门录入）。"
        "先列出将要作出的更改；有错误的行（任务编号不存在、状态词无法识别、日期格式不正确等）按行号列出，"
        "此时不作任何更改，除非使用 --skip-bad。\n\n"
        "示例：tracker ingest 台账.xlsx --dry-run；tracker ingest 台账.xlsx --as zhangsan"
    ),
)
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="只显示将要作出的更改，不写入")
@click.option("--skip-bad", is_flag=True, help="跳过有错误的行，导入其余无误的行")
@click.option("--as", "as_user", metavar="用户", help="以该用户身份录入（仅限管理员；同全局 --as）")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出结果")
@click.pass_obj
def ingest_cmd(
    state: Any, file: Path, dry_run: bool, skip_bad: bool, as_user: str | None, as_json: bool
) -> None:
    from tracker.services.ledger import LedgerRejected, ingest_ledger

    if as_user:
        if state.as_user and state.as_user != as_user:
            from tracker.errors import UsageError

            raise UsageError(f"--as 指定了两个不同的用户：{state.as_user}、{as_user}")
        state.as_user = as_user  # before the workspace exists, so it resolves this actor
    ws = state.workspace
    try:
        result = ws.run(
            lambda s, actor: ingest_ledger(
                s, actor=actor, path=file, today=ws.today(), dry_run=dry_run, skip_bad=skip_bad
            )
        )
    except LedgerRejected as rejected:
        if as_json:
            emit_json(rejected.result.to_json())
        else:
            _print_result(rejected.result)
        raise
    if as_json:
        emit_json(result.to_json())
        return
    _print_result(result)


def _print_result(result: Any) -> None:
    echo = click.echo
    echo(
        f"读取 {result.path}：{result.rows_read} 行，其中有变化 {len(result.changes)} 行，有误 {len(result.bad)} 行"
    )
    if result.changes:
        echo("")
        echo("将记录的进展：" if not result.applied else "已记录的进展：")
        for change in result.changes:
            for line in _describe_change(change):
                echo(f"  {line}")
    if result.bad:
        echo("")
        echo("有误的行：")
        for line in result.bad_lines():
            echo(f"  {line}")
    echo("")
    if result.dry_run:
        echo("试运行：未写入任何内容。")
        if result.bad:
            echo("正式导入时，有误的行会使整个台账不被导入；修正后再导入，或使用 --skip-bad 跳过这些行。")
    elif result.applied:
        skipped = f"，跳过有误的 {len(result.bad)} 行" if result.bad else ""
        echo(f"已导入 {len(result.changes)} 条进展记录{skipped}。")
