"""Printing: Rich tables in a terminal, plain aligned text when piped, JSON when asked."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

import click


def _default(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def emit_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=_default))


def is_terminal() -> bool:
    return sys.stdout.isatty()


def table(headers: Sequence[str], rows: Sequence[Sequence[Any]], *, title: str | None = None) -> None:
    """A table: Rich with borders in a terminal; CJK-aligned plain columns when piped."""
    cells = [["" if v is None else str(v) for v in row] for row in rows]
    if is_terminal():
        from rich.console import Console
        from rich.table import Table

        tab = Table(title=title, show_lines=False, header_style="bold")
        for head in headers:
            tab.add_column(head, overflow="fold")
        for row in cells:
            tab.add_row(*row)
        Console().print(tab)
        return
    from rich.cells import cell_len

    if title:
        click.echo(title)
    widths = [cell_len(h) for h in headers]
    for row in cells:
        for i, value in enumerate(row):
            widths[i] = max(widths[i], cell_len(value))

    def line(values: Sequence[str]) -> str:
        padded = [v + " " * (widths[i] - cell_len(v)) for i, v in enumerate(values)]
        return "  ".join(padded).rstrip()

    click.echo(line(list(headers)))
    for row in cells:
        click.echo(line(row))


def fmt_date(value: date | datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.astimezone().strftime("%Y-%m-%d %H:%M")
    return value.isoformat()


# Options many commands share, written once so their wording stays the same everywhere.
json_option = click.option("--json", "as_json", is_flag=True, help="以 JSON 输出")
plan_option = click.option("--plan", metavar="年度", help="计划年度（如 2022）或编号（如 #3）；默认最新计划")

LIGHT_MARKS = {"green": "●绿", "yellow": "●黄", "red": "●红", "grey": "○灰"}


def parse_date_value(_ctx: click.Context, param: click.Parameter, value: str | None) -> date | None:
    """A click callback for a date option (YYYY-MM-DD and the usual Chinese ways of writing one)."""
    if not value:
        return None
    from tracker.services.workspace import parse_date

    return parse_date(value, field=param.name or "date")
