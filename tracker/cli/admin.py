"""tracker backup / restore / dump / load (admins)."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click


@contextmanager
def _progress(label: str) -> Iterator[Callable[[str, int, int], None] | None]:
    """A progress bar on stderr in a terminal (one line per table); nothing when piped or in tests."""
    if not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    bars: dict[str, Any] = {}
    with Progress(
        TextColumn(f"{label} {{task.description}}"),
        BarColumn(),
        MofNCompleteColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as progress:

        def update(table: str, done: int, total: int) -> None:
            if table not in bars:
                bars[table] = progress.add_task(table, total=total or 1)
            progress.update(bars[table], completed=done if total else 1, total=total or 1)

        yield update


def _summary(tables: dict[str, int]) -> str:
    return "、".join(f"{name} {count}" for name, count in tables.items() if count) or "无数据"


@click.command(
    "backup",
    help=(
        "备份 SQLite 数据库到文件（在线备份：他人可同时继续写入，备份是同一时刻的完整快照）。\n\n"
        "示例：tracker backup /备份/tracker-2022-06-30.db"
    ),
)
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--force", is_flag=True, help="覆盖已存在的备份文件")
@click.pass_obj
def backup_cmd(state: Any, file: Path, force: bool) -> None:
    from tracker.services.backup import backup_sqlite

    ws = state.workspace
    result = backup_sqlite(ws.engine, actor=ws.actor(), target=file, overwrite=force)
    click.echo(f"已备份到 {result.path}（{result.size / 1024:.0f} KB；{_summary(result.tables)}）")


@click.command(
    "restore",
    help="用备份文件覆盖当前 SQLite 数据库的全部内容（恢复后补记一条审计记录）。\n\n示例：tracker restore 备份.db --yes",
)
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--yes", is_flag=True, help="不再询问，直接恢复")
@click.pass_obj
def restore_cmd(state: Any, file: Path, yes: bool) -> None:
    from tracker.services.backup import restore_sqlite

    ws = state.workspace
    actor = ws.actor()
    if not yes:
        click.confirm(f"将用 {file} 覆盖当前数据库的全部内容，确定吗？", abort=True, err=True)
    result = restore_sqlite(ws.engine, actor=actor, source=file)
    click.echo(f"已从 {result.path} 恢复数据库（{_summary(result.tables)}）")


@click.command(
    "dump",
    help=(
        "把整个数据库（含审计日志）导出为 JSON，可载入另一种数据库（SQLite ↔ PostgreSQL）。\n\n"
        "示例：tracker dump 全部数据.json"
    ),
)
@click.argument("file", type=click.Path(path_type=Path))
@click.pass_obj
def dump_cmd(state: Any, file: Path) -> None:
    from tracker.services.backup import dump

    with _progress("导出") as progress:
        result = state.workspace.run(lambda s, actor: dump(s, actor=actor, target=file, progress=progress))
    click.echo(f"已导出 {result.rows} 行到 {result.path}（{_summary(result.tables)}）")


@click.command(
    "load",
    help=(
        "把 tracker dump 导出的 JSON 载入一个空数据库（全部成功或全部不写入）。\n\n"
        "示例：tracker --db postgresql+psycopg://用户@主机/tracker load 全部数据.json"
    ),
)
@click.argument("file", type=click.Path(path_type=Path))
@click.pass_obj
def load_cmd(state: Any, file: Path) -> None:
    from tracker.services.backup import load

    with _progress("载入") as progress:
        result = state.workspace.run(lambda s, actor: load(s, actor=actor, source=file, progress=progress))
    state.workspace.forget_actor()
    click.echo(f"已载入 {result.rows} 行（{_summary(result.tables)}）")
