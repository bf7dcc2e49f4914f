"""tracker import / plans / demo."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from tracker.cli.output import emit_json, json_option, table
from tracker.domain.targets import goal_text
from tracker.errors import ImportFailed


def _read_and_parse(
    path: Path, section: str | None, directory_file: Path | None, today_year: int | None = None
) -> tuple[Any, Any]:
    # jieba and python-docx load here, only for the commands that read reports.
    from tracker.importer.directory import load_directory
    from tracker.importer.parse import parse_report
    from tracker.importer.reading import read_document

    if not path.exists():
        raise ImportFailed(f"文件不存在：{path}")
    if path.is_dir():
        raise ImportFailed(f"这是一个目录，不是文件：{path}")
    directory = load_directory(directory_file)
    text = read_document(path)
    parsed = parse_report(
        text, source_name=path.name, section=section, directory=directory, today_year=today_year
    )
    return parsed, directory


def describe_task(task: Any, indent: str) -> list[str]:
    lines = [f"{indent}{task.label}{task.title}"]
    facts = []
    owners = [o for o in task.owners]
    if owners:
        marks = {"text": "原文", "suggested": "建议", "assigned": "指定", "carried": "沿用上年"}
        roles = {"lead": "牵头", "support": "配合"}
        facts.append(
            "责任单位："
            + "、".join(
                f"{o.department}（{roles[o.role]}·{'集体' if o.collective else marks[o.source]}）" for o in owners
            )
        )
    if task.deadline:
        source = "原文" if task.deadline.source == "text" else "默认"
        words = f"，{task.deadline.text}" if task.deadline.text else ""
        facts.append(f"时限：{task.deadline.date.isoformat()}（{source}{words}）")
    others = [d for d in task.deadlines if task.deadline is None or d.date != task.deadline.date]
    if others:  # "3月底前…开工，6月底前完成": the earlier dates are milestones on the way
        facts.append("节点：" + "；".join(f"{d.date.isoformat()}（{d.text}）" for d in others))
    if task.recurrence:
        words = "、".join(dict.fromkeys([task.recurrence.text, *(r.text for r in task.recurrences)]))
        facts.append(f"周期：{words}" + ("（待人工设定）" if task.recurrence.flagged else ""))
    if task.targets:
        facts.append(
            "指标：" + "；".join(f"{t.name} {goal_text(f'{t.value:g}{t.unit}', at_most=t.at_most)}" for t in task.targets)
        )
    if task.documents:
        facts.append("文件：" + "".join(f"《{d}》" for d in task.documents))
    for fact in facts:
        lines.append(f"{indent}    {fact}")
    for missing in task.missing:
        lines.append(f"{indent}    ⚠ {missing}")
    return lines


def print_tree(parsed: Any) -> None:
    span = ""
    if parsed.section_start_line:
        span = f"（第 {parsed.section_start_line}–{parsed.section_end_line} 行）"
    click.echo(f"{parsed.year}年计划：{parsed.title}")
    if parsed.issuers:
        click.echo(f"发文单位：{'、'.join(parsed.issuers)}")
    if parsed.addressee:
        click.echo(f"主送：{parsed.addressee}")
    if parsed.report_date:
        click.echo(f"成文日期：{parsed.report_date.isoformat()}")
    click.echo(f"安排部分：{parsed.section_heading or '（整篇为计划）'}{span}")
    click.echo("")
    for item in parsed.items:
        for line in describe_task(item, ""):
            click.echo(line)
        for child in item.children:
            for line in describe_task(child, "    "):
                click.echo(line)
    click.echo("")
    click.echo(f"基线数据：{len(parsed.baseline)} 个")
    for label, seen, made in parsed.entry_counts:
        click.echo(f"条目统计：{label}：编号条目 {seen} 个，生成任务 {made} 个")
    unassigned = parsed.unassigned_labels()
    if unassigned:
        click.echo(f"未找到责任单位：{'、'.join(unassigned)}（导入后用 tracker assign 指定）")
    for warning in parsed.warnings:
        click.echo(f"提示：{warning}")


@click.command(
    "import",
    help=(
        "导入报告（.txt/.docx/.md），把下一年度工作安排变成计划和任务。\n\n"
        "同一报告的修改版：先显示与已导入计划的差异，加 --update 应用（已记录的进展全部保留）。\n\n"
        "示例：tracker import 2021年度法治政府建设报告.txt --dry-run"
    ),
)
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--dry-run", is_flag=True, help="只解析并显示计划结构（或与旧版本的差异），不写入数据库")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出解析结果（格式见 README）")
@click.option("--section", metavar="标题", help="手动指定工作安排部分的标题（自动识别失败时使用）")
@click.option("--update", is_flag=True, help="把修改后的报告应用到已导入的同一计划（保留全部进展记录）")
@click.option("--plan", "plan_ref", metavar="年度", help="与 --update 一起使用：要更新的计划（年度或编号）")
@click.option(
    "--directory", "directory_file", type=click.Path(path_type=Path), help="部门目录 TOML 文件（默认使用内置目录）"
)
@click.pass_obj
def import_cmd(
    state: Any,
    file: Path,
    dry_run: bool,
    as_json: bool,
    section: str | None,
    update: bool,
    plan_ref: str | None,
    directory_file: Path | None,
) -> None:
    if not dry_run or update:
        state.workspace.engine  # noqa: B018  a locked or newer database fails before the slow parse
    today = state.today.year if state.today is not None else None  # --today: the year a plan without one is for
    parsed, directory = _read_and_parse(file, section, directory_file, today)
    if update:
        _update(state, parsed, directory, plan_ref, dry_run)
        return
    from tracker.importer.carry import carry_over
    from tracker.services.carry import previous_tasks

    def last_year(db: Any) -> Any:
        return previous_tasks(db, year=parsed.year, issuers=parsed.issuers)

    if dry_run:
        carry_over(parsed, state.workspace.read_existing(last_year, []))
        emit_json(parsed.to_json()) if as_json else print_tree(parsed)
        return
    from tracker.errors import DuplicateError
    from tracker.services.plans import find_plan_by_hash, import_plan
    from tracker.services.reimport import find_previous_version, preview_reimport

    def work(session: Any, actor: Any) -> Any:
        previous = find_previous_version(session, parsed=parsed)
        if previous is not None and find_plan_by_hash(session, source_hash=parsed.source_hash) is None:
            click.echo(preview_reimport(session, plan=previous, parsed=parsed).describe())
            raise DuplicateError(
                f"已有该计划的旧版本（{previous.year}年，编号 {previous.id}），未重复导入；"
                "上面是差异，加 --update 应用这些变化（已记录的进展全部保留）"
            )
        carry_over(parsed, last_year(session))  # owners and targets of the tasks this plan continues
        return import_plan(session, actor=actor, parsed=parsed, directory=directory.entries)

    result = state.workspace.run(work)
    if as_json:
        data = parsed.to_json()
        data["plan"]["id"] = result.plan_id
        emit_json(data)
        return
    click.echo(
        f"已导入 {result.year} 年计划（编号 {result.plan_id}）：{result.items} 项工作、{result.tasks} 个任务、"
        f"{result.baseline} 个基线数据"
    )
    if result.suggested:
        click.echo(f"系统建议的责任单位 {result.suggested} 个，待管理员确认（tracker assign）")
    if result.unassigned:
        click.echo(f"未找到责任单位：{'、'.join(result.unassigned)}（用 tracker assign 指定）")


def _update(state: Any, parsed: Any, directory: Any, plan_ref: str | None, dry_run: bool) -> None:
    from tracker.errors import NotFoundError
    from tracker.services.plans import resolve_plan
    from tracker.services.reimport import apply_reimport, find_previous_version, preview_reimport

    def find(session: Any) -> Any:
        plan = resolve_plan(session, ref=plan_ref) if plan_ref else find_previous_version(session, parsed=parsed)
        if plan is None:
            raise NotFoundError(
                f"没有找到可更新的 {parsed.year} 年计划（年度、发文单位和标题需一致，或用 --plan 指定）"
            )
        return plan

    if dry_run:
        click.echo(state.workspace.run(lambda s, _a: preview_reimport(s, plan=find(s), parsed=parsed)).describe())
        return
    result = state.workspace.run(
        lambda s, actor: apply_reimport(
            s, actor=actor, plan_id=find(s).id, parsed=parsed, directory=directory.entries
        )
    )
    click.echo(result.diff.describe())
    click.echo(
        f"已更新计划（编号 {result.plan_id}）：新增 {result.added} 个任务，改写 {result.updated} 个，"
        f"删除 {result.deleted} 个（均无进展记录）"
    )
    if result.kept:
        click.echo(f"新版本中已删除、但因有进展记录而保留的任务：{'；'.join(result.kept)}")


@click.command("plans", help="列出已导入的计划。")
@json_option
@click.pass_obj
def plans_cmd(state: Any, as_json: bool) -> None:
    from tracker.services.catalog import list_plans

    rows = state.workspace.read(lambda r, _actor: list_plans(r))
    if as_json:
        emit_json([r.__dict__ for r in rows])
        return
    if not rows:
        click.echo("还没有计划。用 tracker import 报告文件 导入，或用 tracker demo 生成演示数据。")
        return
    table(
        ["编号", "年度", "标题", "事项", "任务", "已完成", "来源"],
        [
            [r.id, r.year, r.title + ("（演示数据）" if r.is_demo else ""), r.items, r.tasks, r.done, r.source_name]
            for r in rows
        ],
    )


@click.command("demo", help="用内置的虚构示范区报告生成演示数据（含模拟进展，均标注为演示数据）。")
@click.pass_obj
def demo_cmd(state: Any) -> None:
    from tracker.services.demo import build_demo

    ws = state.workspace
    result = ws.run(lambda s, actor: build_demo(s, actor=actor, today=ws.today()))
    click.echo(
        f"已生成演示数据：{result.imported.year} 年计划（编号 {result.imported.plan_id}），"
        f"{result.imported.tasks} 个任务，{result.updates} 条模拟进展记录（标注为“演示数据”）"
    )
    click.echo(f"数据库：{ws.url}")
