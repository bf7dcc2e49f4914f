"""tracker bulletin: the leader's monthly or quarterly 进展通报 (.docx in the official layout, .pdf, or .md)."""

from __future__ import annotations

import shutil
import sys
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

import click

from tracker.cli.output import parse_date_value, plan_option
from tracker.errors import UsageError

FORMATS = (".docx", ".pdf", ".md", ".markdown")


def _note(message: str) -> None:
    click.echo(f"提示：{message}", err=True)


@click.command(
    "bulletin",
    help=(
        "生成工作进展情况通报（督办通报）：总体情况（与上期比较）、各单位完成率和序时进度灯（图）、"
        "进度走势（图）、排名表、红色清单和黄色清单、未按时报送的单位、本期领导批示，"
        "下一步要求留作【待补充】。所有数字与 tracker summary --by department --as-of 截至日期 --json 一致。\n\n"
        "进展按其所属日期（填报日期）计入通报期。图表需要中文字体（如 fonts-noto-cjk），"
        "没有时改为表格；.pdf 需要 LibreOffice，没有时改写 .docx。\n\n"
        "示例：tracker bulletin --plan 2022 --period 2022-06 --out 6月通报.docx；"
        "tracker bulletin --quarter 2022Q2 --out 二季度通报.pdf"
    ),
)
@plan_option
@click.option("--period", metavar="YYYY-MM", help="通报月份；与 --quarter 都不指定时为截至日期所在月份")
@click.option("--quarter", metavar="YYYYQn", help="通报季度，如 2022Q2")
@click.option(
    "--as-of",
    "as_of",
    callback=parse_date_value,
    metavar="YYYY-MM-DD",
    help="数据截至日期（须在通报期内）；默认为通报期最后一天，通报期未结束时为今天",
)
@click.option(
    "--out",
    "out",
    type=click.Path(path_type=Path, dir_okay=False),
    metavar="文件.docx|文件.pdf|文件.md",
    help="输出文件（按扩展名选择格式）；默认“<通报期>进展通报.docx”",
)
@click.pass_obj
def bulletin_cmd(
    state: Any, plan: str | None, period: str | None, quarter: str | None, as_of: date | None, out: Path | None
) -> None:
    from tracker.domain.periods import parse_month, parse_quarter
    from tracker.services.bulletin import gather_bulletin_data

    if period and quarter:
        raise UsageError("--period 与 --quarter 只能指定一个")
    if out is not None and out.suffix.lower() not in FORMATS:
        raise UsageError(f"输出文件应以 .docx、.pdf 或 .md 结尾，而不是“{out.name}”")
    if out is not None and not out.parent.exists():
        raise UsageError(f"输出目录不存在：{out.parent}")
    chosen = parse_quarter(quarter) if quarter else parse_month(period) if period else None
    ws = state.workspace
    data = ws.run(
        lambda s, _a: gather_bulletin_data(s, today=ws.today(), plan=plan, period=chosen, as_of=as_of)
    )

    from tracker.report.bulletin import compose_bulletin
    from tracker.report.charts import NO_FONT_TEXT, find_cjk_font, font_dirs_from_env

    names = "".join(r.group.key for r in data.ranking)
    font = find_cjk_font(font_dirs_from_env(), text=names)
    if font is None:
        _note(NO_FONT_TEXT)
    bulletin = compose_bulletin(data, font=font)
    target = out or Path(f"{data.period.label}进展通报.docx")
    written = _write(bulletin, target)
    total = data.current.total
    click.echo(
        f"已生成通报：{written}（{bulletin.title}；数据截至 {data.as_of.isoformat()}；任务 {total.total} 项，"
        f"完成率 {total.done_rate:.1f}%，红灯 {len(data.red)} 项，黄灯 {len(data.yellow)} 项，"
        f"未报送单位 {len(data.current.silent)} 个，领导批示 {len(data.instructions)} 条）"
    )


def _write(bulletin: Any, target: Path) -> Path:
    """Write the bulletin as the target's extension asks; a PDF without LibreOffice becomes a .docx."""
    from tracker.report.bulletin_writers import write_bulletin_docx, write_bulletin_markdown

    suffix = target.suffix.lower()
    if suffix in (".md", ".markdown"):
        for picture in write_bulletin_markdown(bulletin, target):
            click.echo(f"图表：{picture}")
        return target
    if suffix == ".docx":
        write_bulletin_docx(bulletin, target)
        return target
    from tracker.report.pdf import OFFICE_PACKAGE, docx_to_pdf, find_office

    office = find_office()
    if office is None:
        fallback = target.with_suffix(".docx")
        _note(f"未找到 LibreOffice（soffice），无法生成 PDF，已改为写出 {fallback}（安装 {OFFICE_PACKAGE} 后可生成 PDF）")
        write_bulletin_docx(bulletin, fallback)
        return fallback
    from tracker.report.pdf import PdfFailed

    with tempfile.TemporaryDirectory(prefix="tracker-bulletin-") as tmp:
        source = Path(tmp) / f"{target.stem}.docx"
        write_bulletin_docx(bulletin, source)
        try:
            if sys.stderr.isatty():
                from rich.console import Console

                with Console(stderr=True).status("正在用 LibreOffice 转换为 PDF…"):
                    docx_to_pdf(source, target, office=office)
            else:
                docx_to_pdf(source, target, office=office)
        except PdfFailed as err:
            fallback = target.with_suffix(".docx")
            shutil.copyfile(source, fallback)
            raise PdfFailed(f"{err.message}；已写出 {fallback}") from None
    return target
