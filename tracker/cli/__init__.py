"""The ``tracker`` command. Chinese help and messages; subcommands load lazily so a quick command
does not pay for jieba, python-docx, openpyxl or Textual.

Errors a user can cause (``TrackerError``) print one line on stderr and exit 1 (2 for usage errors).
"""

from __future__ import annotations

import importlib
import sys
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import click

from tracker.errors import TrackerError

# name → "module:function"; each module owns one area of the CLI.
COMMANDS: dict[str, str] = {
    "import": "tracker.cli.plans:import_cmd",
    "plans": "tracker.cli.plans:plans_cmd",
    "demo": "tracker.cli.plans:demo_cmd",
    "tasks": "tracker.cli.tasks:tasks_cmd",
    "show": "tracker.cli.tasks:show_cmd",
    "update": "tracker.cli.tasks:update_cmd",
    "assign": "tracker.cli.tasks:assign_cmd",
    "depts": "tracker.cli.tasks:depts_cmd",
    "tui": "tracker.cli.tui:tui_cmd",
    "user": "tracker.cli.users:user_group",
    "whoami": "tracker.cli.users:whoami_cmd",
    "log": "tracker.cli.users:log_cmd",
    "instruct": "tracker.cli.users:instruct_cmd",
    "backup": "tracker.cli.admin:backup_cmd",
    "restore": "tracker.cli.admin:restore_cmd",
    "dump": "tracker.cli.admin:dump_cmd",
    "load": "tracker.cli.admin:load_cmd",
    "summary": "tracker.cli.overview:summary_cmd",
    "remind": "tracker.cli.overview:remind_cmd",
    "export": "tracker.cli.ledger:export_cmd",
    "ingest": "tracker.cli.ledger:ingest_cmd",
    "draft": "tracker.cli.draft:draft_cmd",
    "bulletin": "tracker.cli.bulletin:bulletin_cmd",
}

_HEADINGS = {
    "Usage:": "用法：",
    "Options": "选项",
    "Commands": "命令",
    "Arguments": "参数",
}

_CLICK_MESSAGES = [
    ("No such option", "没有这个选项"),
    ("No such command", "没有这个命令"),
    ("Missing argument", "缺少参数"),
    ("Missing option", "缺少选项"),
    ("Invalid value for", "参数值无效："),
    ("requires an argument", "需要一个值"),
    ("Got unexpected extra argument", "多余的参数"),
    ("is not a valid integer", "不是有效的整数"),
    ("is not a valid float", "不是有效的数字"),
    ("is not one of", "不在可选值中："),
    ("does not exist", "不存在"),
    ("Did you mean", "是否指"),
]


class ChineseFormatter(click.HelpFormatter):
    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, prefix="用法：")

    def write_heading(self, heading: str) -> None:
        super().write_heading(_HEADINGS.get(heading, heading))


class ChineseContext(click.Context):
    formatter_class = ChineseFormatter


_english_help_option = click.Command.get_help_option


def _chinese_help_option(self: click.Command, ctx: click.Context) -> click.Option | None:
    option = _english_help_option(self, ctx)
    if option is not None:
        option.help = "显示帮助并退出"
    return option


click.Command.get_help_option = _chinese_help_option  # type: ignore[method-assign]


def translate_click_message(message: str) -> str:
    for english, chinese in _CLICK_MESSAGES:
        message = message.replace(english, chinese)
    return message


class LazyGroup(click.Group):
    context_class = ChineseContext

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module_name, attr = target.split(":")
        command: click.Command = getattr(importlib.import_module(module_name), attr)
        command.context_class = ChineseContext
        return command


@dataclass
class CliState:
    db: str | None
    as_user: str | None
    today: date | None
    login: str | None = None  # --user: password login on a shared terminal
    _workspace: Any = field(default=None, repr=False)

    @property
    def workspace(self) -> Any:
        """The Workspace (imported here, not at start-up: ``tracker --help`` needs no database)."""
        if self._workspace is None:
            from tracker.services.workspace import Workspace

            ws = Workspace(self.db, as_user=self.as_user, today=self.today, login=self.login)
            if self.login:
                _password_login(ws, self.login)
            self._workspace = ws
        return self._workspace


def _password_login(ws: Any, login: str) -> None:
    """Shared terminals: the password (prompted, or TRACKER_PASSWORD for scripts) proves who is typing."""
    import os

    from tracker.services.users import authenticate

    password = os.environ.get("TRACKER_PASSWORD")
    if password is None:
        password = click.prompt(f"{login} 的密码", hide_input=True, err=True)
    ws.run_anonymous(lambda s: authenticate(s, login=login, password=password))


def _parse_today(_ctx: click.Context, _param: click.Parameter, value: str | None) -> date | None:
    if not value:
        return None
    from tracker.services.workspace import parse_date

    return parse_date(value, field="today")


CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


@click.group(
    cls=LazyGroup,
    context_settings=CONTEXT_SETTINGS,
    invoke_without_command=True,
    help=(
        "tracker：把法治政府建设报告中的下一年度工作安排变成可跟踪的任务，记录进展、汇总督办、起草新一年报告。\n\n"
        "不带命令运行时打开终端界面。"
    ),
    epilog="示例：tracker import 报告.txt；tracker tasks --dept 区司法局 --overdue；tracker update 12 --percent 60 --note 已完成初稿",
)
@click.option("--db", "db", metavar="URL", help="数据库：SQLite 文件路径或 postgresql+psycopg:// 地址（也可用环境变量 TRACKER_DB）")
@click.option("--as", "as_user", metavar="用户", help="以其他用户身份操作（仅限管理员）")
@click.option("--user", "login", metavar="用户", help="在共用终端上以该用户身份登录（需输入密码）")
@click.option(
    "--today",
    callback=_parse_today,
    metavar="YYYY-MM-DD",
    help="按指定日期计算逾期与序时进度（核对历史情况时使用；也可用环境变量 TRACKER_TODAY）",
)
@click.version_option(package_name="tracker", message="tracker %(version)s", help="显示版本并退出")
@click.help_option("-h", "--help", help="显示帮助并退出")
@click.pass_context
def cli(ctx: click.Context, db: str | None, as_user: str | None, login: str | None, today: date | None) -> None:
    ctx.obj = CliState(db=db, as_user=as_user, today=today, login=login)
    if ctx.invoked_subcommand is None:
        if "tui" in COMMANDS:
            ctx.invoke(LazyGroup.get_command(cli, ctx, "tui"))  # type: ignore[arg-type]
        else:
            click.echo(ctx.get_help())


def fail(message: str, code: int = 1) -> None:
    click.echo(f"错误：{message}", err=True)
    sys.exit(code)


def main(argv: list[str] | None = None) -> None:
    """Console entry point: one Chinese line on stderr for every user mistake, never a traceback."""
    try:
        code = cli.main(args=argv, prog_name="tracker", standalone_mode=False)
        if isinstance(code, int) and code:
            sys.exit(code)
    except TrackerError as err:
        fail(err.message, err.exit_code)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.Abort:
        fail("已取消", 1)
    except click.ClickException as exc:
        message = translate_click_message(exc.format_message())
        code = exc.exit_code
        if isinstance(exc, click.UsageError):
            usage = exc.ctx.get_usage() if exc.ctx else ""
            if usage:
                click.echo(usage, err=True)
            click.echo(f"提示：用 {exc.ctx.command_path if exc.ctx else 'tracker'} --help 查看帮助", err=True)
        fail(message, code)
    except KeyboardInterrupt:
        fail("已中断", 130)
    except BrokenPipeError:
        sys.exit(0)
    sys.exit(0)
