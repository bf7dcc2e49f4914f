"""tracker tasks / show / update / assign / depts."""

from __future__ import annotations

from typing import Any

import click

from tracker.cli.output import LIGHT_MARKS, emit_json, fmt_date, json_option, plan_option, table
from tracker.errors import UsageError


def _owners_text(row: Any) -> str:
    parts = []
    for o in row.owners:
        mark = "（建议）" if o.source == "suggested" else ""
        parts.append(f"{o.name}{'' if o.role == 'lead' else '[配合]'}{mark}")
    if row.collective_owner:
        parts.append(row.collective_owner)
    return "、".join(parts) or "未指定"


@click.command(
    "tasks",
    help="列出任务，可按计划、部门、状态、逾期筛选。\n\n示例：tracker tasks --dept 区司法局 --overdue",
)
@plan_option
@click.option("--dept", metavar="部门", help="只看该部门牵头或配合的任务")
@click.option("--status", metavar="状态", help="未开始、推进中、已完成、暂缓")
@click.option("--overdue", is_flag=True, help="只看已逾期未完成的任务")
@click.option("--due-within", type=int, metavar="天数", help="只看 N 天内到期的任务")
@json_option
@click.pass_obj
def tasks_cmd(
    state: Any,
    plan: str | None,
    dept: str | None,
    status: str | None,
    overdue: bool,
    due_within: int | None,
    as_json: bool,
) -> None:
    from tracker.services.task_list import list_tasks

    ws = state.workspace
    rows = ws.read(
        lambda s, _a: list_tasks(
            s, today=ws.today(), plan=plan, department=dept, status=status, overdue=overdue, due_within=due_within
        )
    )
    if as_json:
        emit_json([r.to_json() for r in rows])
        return
    if not rows:
        click.echo("没有符合条件的任务")
        return
    table(
        ["编号", "序号", "任务", "责任单位", "状态", "进度", "时限", "序时"],
        [
            [
                r.id,
                r.code,
                r.title,
                _owners_text(r),
                r.status_label + ("·逾期" if r.overdue else ""),
                f"{r.percent}%",
                fmt_date(r.deadline),
                LIGHT_MARKS[r.light.value],
            ]
            for r in rows
        ],
    )


@click.command("show", help="显示一个任务的全文、责任单位、时限、指标和进展记录。\n\n示例：tracker show 3")
@click.argument("task")
@json_option
@click.pass_obj
def show_cmd(state: Any, task: str, as_json: bool) -> None:
    from tracker.domain.status import status_label
    from tracker.services.tasks import (
        DEADLINE_SOURCE_LABELS,
        OWNER_SOURCE_LABELS,
        ROLE_LABELS,
        get_task_detail,
    )

    ws = state.workspace
    detail = ws.run(lambda s, _a: get_task_detail(s, task_id=task, today=ws.today()))
    if as_json:
        emit_json(detail.to_json())
        return
    row = detail.row
    echo = click.echo
    echo(f"[{row.id}] {row.plan_year}年 {row.item_label}{row.item_title}")
    if row.label != row.item_label:
        echo(f"     {row.label} {row.title}")
    echo("")
    echo(detail.text)
    echo("")
    owners = "、".join(
        f"{o.name}（{ROLE_LABELS[o.role]}，{OWNER_SOURCE_LABELS[o.source]}）" for o in row.owners
    )
    if row.collective_owner:
        owners = "、".join(x for x in (owners, f"{row.collective_owner}（集体责任）") if x)
    echo(f"责任单位：{owners or '未指定（待管理员指定）'}")
    deadline = fmt_date(row.deadline)
    how = DEADLINE_SOURCE_LABELS.get(row.deadline_source, row.deadline_source)
    words = f"，原文“{detail.deadline_text}”" if detail.deadline_text else ""
    echo(f"完成时限：{deadline}（{how}{words}）" + ("，已逾期" if row.overdue else ""))
    if row.recurrence or detail.recurrence_text:
        flagged = "（周期待设定）" if detail.recurrence_flagged else ""
        echo(f"周期：{detail.recurrence_text or ''} {row.recurrence or ''}{flagged}".strip())
    echo(
        f"状态：{status_label(row.status)}，进度 {row.percent}%，序时进度应达 {detail.expected_percent:.0f}%，"
        f"{LIGHT_MARKS[row.light.value]}（{row.light.label}）"
    )
    for t in detail.targets:
        latest = "无数据" if t.latest is None else f"最新 {t.latest:g}{t.unit}（{t.met_label}）"
        echo(f"指标：{t.name} {t.goal}，{latest}")
    for ins in detail.instructions:
        echo(f"领导批示：{ins.text}（{detail.name_of(ins.author)}，{fmt_date(ins.created_at)}）")
    echo("")
    if not detail.updates:
        echo("进展记录：暂无")
        return
    echo(f"进展记录（{len(detail.updates)} 条，最新在前）：")
    for view in detail.updates:
        u = view.update
        echo(
            f"- {fmt_date(u.as_of)}（{fmt_date(u.recorded_at)} 填写） {detail.name_of(u.author)}："
            f"{status_label(u.status)} {u.percent}%"
        )
        for label, value in (
            ("进展情况", u.note),
            ("存在问题", u.problems),
            ("下一步措施", u.next_steps),
            ("原因", u.reason),
            ("佐证材料", u.evidence),
        ):
            if value:
                echo(f"    {label}：{value}")
        if u.new_deadline:
            echo(f"    调整时限至：{fmt_date(u.new_deadline)}")
        for name, value in view.figures.items():
            echo(f"    指标 {name}：{value:g}")


def _parse_figures(values: tuple[str, ...]) -> dict[str, str]:
    figures: dict[str, str] = {}
    for item in values:
        if "=" not in item:
            raise UsageError(f"指标应写成 名称=数值，例如 出庭应诉率=100，而不是“{item}”")
        name, value = item.split("=", 1)
        figures[name.strip()] = value.strip()
    return figures


@click.command(
    "update",
    help=(
        "记录任务进展（追加一条进展记录）。\n\n"
        "示例：tracker update 12 --status 推进中 --percent 60 --note 已形成初稿 --figure 出庭应诉率=100"
    ),
)
@click.argument("task")
@click.option("--status", metavar="状态", help="未开始、推进中、已完成、暂缓")
@click.option("--percent", type=int, metavar="0-100", help="完成进度（百分比）")
@click.option("--note", default="", metavar="文字", help="进展情况（标记已完成时必填）")
@click.option("--problems", default="", metavar="文字", help="存在问题")
@click.option("--next", "next_steps", default="", metavar="文字", help="下一步措施")
@click.option("--evidence", default="", metavar="路径或说明", help="佐证材料")
@click.option("--figure", "figures", multiple=True, metavar="名称=数值", help="指标数值，可多次使用")
@click.option("--deadline", "new_deadline", metavar="YYYY-MM-DD", help="调整完成时限（需同时说明原因，仅牵头单位）")
@click.option("--reason", default="", metavar="文字", help="暂缓或调整时限的原因")
@click.option("--version", "expected_version", type=int, help="按此版本号保存；期间他人修改过则拒绝保存")
@click.option(
    "--date", "as_of", metavar="YYYY-MM-DD", help="这条记录所反映情况的日期（填报日期，默认今天或 --today）"
)
@click.pass_obj
def update_cmd(
    state: Any,
    task: str,
    status: str | None,
    percent: int | None,
    note: str,
    problems: str,
    next_steps: str,
    evidence: str,
    figures: tuple[str, ...],
    new_deadline: str | None,
    reason: str,
    expected_version: int | None,
    as_of: str | None,
) -> None:
    from tracker.domain.status import status_label
    from tracker.errors import ConflictError
    from tracker.services.workspace import parse_date

    ws = state.workspace
    deadline = parse_date(new_deadline, field="deadline") if new_deadline else None
    record_date = parse_date(as_of, field="date") if as_of else None
    parsed_figures = _parse_figures(figures)
    try:
        update = _record(ws, task, status, percent, note, problems, next_steps, evidence, parsed_figures,
                         reason, deadline, expected_version, record_date)
    except ConflictError as err:
        for line in err.changes:
            click.echo(f"  期间的修改：{line}", err=True)
        click.echo(f"  当前版本：{err.current_version}（用 --version {err.current_version} 重新保存）", err=True)
        raise
    click.echo(
        f"已记录任务 {update.task_id} 的进展（{fmt_date(update.as_of)}）：{status_label(update.status)} {update.percent}%"
    )


def _record(ws: Any, task: str, status: str | None, percent: int | None, note: str, problems: str,
            next_steps: str, evidence: str, parsed_figures: dict[str, str], reason: str, deadline: Any,
            expected_version: int | None, as_of: Any = None) -> Any:
    from tracker.services.tasks import record_progress

    return ws.run(
        lambda s, actor: record_progress(
            s,
            actor=actor,
            task_id=task,
            today=ws.today(),
            status=status,
            percent=percent,
            note=note,
            problems=problems,
            next_steps=next_steps,
            evidence=evidence,
            figures=parsed_figures,
            reason=reason,
            new_deadline=deadline,
            expected_version=expected_version,
            source="cli",
            as_of=as_of,
        )
    )


@click.command(
    "assign",
    help="指定任务的牵头单位和配合单位（管理员）。\n\n示例：tracker assign 7 --lead 区司法局 --support 区市场监管局",
)
@click.argument("task")
@click.option("--lead", multiple=True, required=True, metavar="部门", help="牵头单位，可多次使用")
@click.option("--support", multiple=True, metavar="部门", help="配合单位，可多次使用")
@click.pass_obj
def assign_cmd(state: Any, task: str, lead: tuple[str, ...], support: tuple[str, ...]) -> None:
    from tracker.services.tasks import ROLE_LABELS, assign_owners

    owners = state.workspace.run(
        lambda s, actor: assign_owners(s, actor=actor, task_id=task, lead=lead, support=support)
    )
    click.echo(f"任务 {task} 的责任单位：" + "、".join(f"{o.name}（{ROLE_LABELS[o.role]}）" for o in owners))


@click.command("depts", help="列出部门及其牵头、配合的任务数。")
@json_option
@click.pass_obj
def depts_cmd(state: Any, as_json: bool) -> None:
    from tracker.services.catalog import list_departments

    rows = state.workspace.read(lambda r, _a: list_departments(r))
    if as_json:
        emit_json([r.__dict__ for r in rows])
        return
    if not rows:
        click.echo("还没有部门。导入报告时会按内置目录建立部门。")
        return
    table(
        ["编号", "部门", "简称", "牵头任务", "配合任务"],
        [[r.id, r.name, "、".join(r.aliases), r.lead_tasks, r.support_tasks] for r in rows],
    )
