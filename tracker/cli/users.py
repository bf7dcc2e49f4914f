"""tracker user add|list|disable|passwd / whoami / log / instruct."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

import click

from tracker.cli import ChineseContext
from tracker.cli.output import emit_json, fmt_date, json_option, table


class _Command(click.Command):
    context_class = ChineseContext


class _Group(click.Group):
    context_class = ChineseContext
    command_class = _Command  # subcommands get the Chinese headings too


@click.group(
    "user",
    cls=_Group,
    help=(
        "管理用户（管理员）：角色分为管理员、领导、工作人员；工作人员属于一个或多个部门。\n\n"
        "身份即操作系统登录名。数据库还没有用户时为单用户模式（本机用户即管理员），第一个用户须是管理员。"
    ),
)
def user_group() -> None:
    pass


def _ask_password() -> str:
    return str(click.prompt("密码", hide_input=True, confirmation_prompt="再次输入密码", err=True))


@user_group.command(
    "add",
    help=(
        "添加用户。\n\n示例：tracker user add zhangsan --role staff --dept 区司法局 --name 张三；"
        "tracker user add wang --role leader"
    ),
)
@click.argument("login")
@click.option("--role", required=True, metavar="角色", help="admin（管理员）、leader（领导）、staff（工作人员）")
@click.option("--dept", "departments", multiple=True, metavar="部门", help="所属部门，可多次使用（工作人员必填）")
@click.option("--name", "display_name", default="", metavar="姓名", help="显示的姓名")
@click.option("--password", "with_password", is_flag=True, help="为共用终端设置登录密码（将提示输入，不回显）")
@click.pass_obj
def user_add_cmd(
    state: Any, login: str, role: str, departments: tuple[str, ...], display_name: str, with_password: bool
) -> None:
    from tracker.services.users import add_user

    ws = state.workspace
    ws.actor()  # refuse a non-admin before asking for a password
    password = _ask_password() if with_password else None
    row = ws.run(
        lambda s, actor: add_user(
            s,
            actor=actor,
            login=login,
            role=role,
            departments=departments,
            display_name=display_name,
            password=password,
        )
    )
    ws.forget_actor()
    depts = f"，部门：{'、'.join(row.departments)}" if row.departments else ""
    click.echo(f"已添加用户 {row.login}（{row.role_label}{depts}）")


@user_group.command("list", help="列出用户及其角色、部门、状态。")
@json_option
@click.pass_obj
def user_list_cmd(state: Any, as_json: bool) -> None:
    from tracker.services.users import list_users

    rows = state.workspace.run(lambda s, _a: list_users(s))
    if as_json:
        emit_json([r.to_json() for r in rows])
        return
    if not rows:
        click.echo("还没有用户（单用户模式：本机用户以管理员身份操作）。用 tracker user add 添加。")
        return
    table(
        ["登录名", "姓名", "角色", "部门", "状态", "密码"],
        [
            [
                r.login,
                r.display_name,
                r.role_label,
                "、".join(r.departments),
                "启用" if r.active else "已停用",
                "已设置" if r.has_password else "",
            ]
            for r in rows
        ],
    )


@user_group.command("disable", help="停用用户（其记录和审计日志保留）。\n\n示例：tracker user disable zhangsan")
@click.argument("login")
@click.pass_obj
def user_disable_cmd(state: Any, login: str) -> None:
    from tracker.services.users import disable_user

    ws = state.workspace
    row = ws.run(lambda s, actor: disable_user(s, actor=actor, login=login))
    ws.forget_actor()
    click.echo(f"已停用用户 {row.login}")


@user_group.command("passwd", help="设置或清除登录密码（管理员可为任何人设置，其他人只能设置自己的）。")
@click.argument("login")
@click.option("--clear", is_flag=True, help="清除密码")
@click.pass_obj
def user_passwd_cmd(state: Any, login: str, clear: bool) -> None:
    from tracker.services.users import set_password

    ws = state.workspace
    ws.actor()
    password = None if clear else _ask_password()
    row = ws.run(lambda s, actor: set_password(s, actor=actor, login=login, password=password))
    click.echo(f"已{'清除' if clear else '设置'}用户 {row.login} 的密码")


@click.command("whoami", help="显示当前身份：登录名、角色和所属部门。")
@json_option
@click.pass_obj
def whoami_cmd(state: Any, as_json: bool) -> None:
    from tracker.services.auth import whoami

    me = state.workspace.read(lambda r, actor: whoami(r, actor=actor))
    if as_json:
        emit_json(me.to_json())
        return
    click.echo(f"登录名：{me.login}")
    click.echo(f"角色：{me.role_label}")
    if me.departments:
        click.echo(f"部门：{'、'.join(me.departments)}")
    if me.via:
        click.echo(f"（由管理员 {me.via} 代为操作）")
    if me.single_user:
        click.echo("单用户模式：数据库还没有用户，本机用户以管理员身份操作（用 tracker user add 添加用户）")


@click.command(
    "log",
    help=(
        "查看审计日志：谁在何时做了什么（旧值 → 新值）。审计记录只能追加，不能修改或删除。\n\n"
        "示例：tracker log 12；tracker log --user zhangsan --since 2022-06-01"
    ),
)
@click.argument("task", required=False)
@click.option("--user", "user", metavar="登录名", help="只看该用户的操作")
@click.option("--since", metavar="YYYY-MM-DD", help="只看该日期（含）以后的操作")
@click.option("--limit", type=int, default=None, metavar="条数", help="最多显示的条数（最新在前）")
@json_option
@click.pass_obj
def log_cmd(state: Any, task: str | None, user: str | None, since: str | None, limit: int | None, as_json: bool) -> None:
    from tracker.services.audit import ACTION_LABELS, ENTITY_LABELS, describe_change, list_entries
    from tracker.services.tasks import get_task
    from tracker.services.workspace import parse_date

    since_at = datetime.combine(parse_date(since, field="since"), time.min).astimezone() if since else None

    def work(s: Any, _actor: Any) -> list[Any]:
        task_id = get_task(s, task_id=task).id if task else None
        return list_entries(s, task_id=task_id, actor_login=user, since=since_at, limit=limit)

    entries = state.workspace.run(work)
    if as_json:
        emit_json(
            [
                {
                    "id": e.id,
                    "at": e.at.isoformat(),
                    "actor": e.actor,
                    "action": e.action,
                    "entity": e.entity,
                    "entity_id": e.entity_id,
                    "task_id": e.task_id,
                    "old": e.old,
                    "new": e.new,
                    "detail": e.detail,
                }
                for e in entries
            ]
        )
        return
    if not entries:
        click.echo("没有符合条件的审计记录")
        return
    table(
        ["时间", "操作人", "操作", "对象", "变化", "说明"],
        [
            [
                fmt_date(e.at),
                e.actor,
                ACTION_LABELS.get(e.action, e.action),
                f"任务 {e.task_id}" if e.task_id else f"{ENTITY_LABELS.get(e.entity, e.entity)} {e.entity_id or ''}".strip(),
                describe_change(e.old, e.new),
                e.detail,
            ]
            for e in entries
        ],
    )


@click.command("instruct", help="领导对任务作出批示。\n\n示例：tracker instruct 12 请于月底前报送进展")
@click.argument("task")
@click.argument("text", nargs=-1, required=True)
@click.pass_obj
def instruct_cmd(state: Any, task: str, text: tuple[str, ...]) -> None:
    from tracker.services.tasks import add_instruction

    words = " ".join(text)
    entry = state.workspace.run(lambda s, actor: add_instruction(s, actor=actor, task_id=task, text=words))
    click.echo(f"已记录对任务 {entry.task_id} 的批示")
