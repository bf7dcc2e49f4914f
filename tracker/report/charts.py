"""The 进展通报's charts: PNG at print resolution (matplotlib, Agg, no pyplot state), Chinese labels set in a
CJK font found on the system.

No tofu boxes, ever: a font is used only when it has a glyph for every character the charts write (checked
on the very face matplotlib will pick). Where none is found, ``find_cjk_font`` returns None and the caller
prints ``NO_FONT_TEXT`` and gives the charts' figures as tables. ``TRACKER_FONT_DIRS`` (directories separated
by ``os.pathsep``) limits the search to those directories: for fonts kept outside the system's font folders.

matplotlib is imported inside the functions: it costs about 0.3 s, and only a bulletin pays for it.
"""

from __future__ import annotations

import io
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tracker.domain.schedule import Light
from tracker.services.bulletin import RankedDepartment
from tracker.services.history import ProgressPoint

FONT_PACKAGE = "fonts-noto-cjk"
FONT_DIRS_ENV = "TRACKER_FONT_DIRS"
NO_FONT_TEXT = (
    f"未找到可显示中文的字体，图表改为以表格列出数据；安装中文字体后可生成图表"
    f"（Debian/Ubuntu：apt-get install {FONT_PACKAGE}）"
)
DPI = 220  # print resolution: a 150 mm wide chart is 1,300 pixels across

# Faces that carry Simplified Chinese, best first: sans faces read best at chart sizes.
PREFERRED_FAMILIES = (
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "Noto Sans SC",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "Microsoft YaHei",
    "SimHei",
    "Noto Serif CJK SC",
    "Source Han Serif SC",
    "Source Han Serif CN",
    "Noto Serif SC",
    "SimSun",
    "NSimSun",
    "FangSong",
    "FangSong_GB2312",
    "KaiTi",
    "AR PL UMing CN",
    "AR PL UKai CN",
    "Droid Sans Fallback",
    "Noto Sans CJK JP",
    "Noto Sans CJK TC",
)
# Every character the chart code itself writes (department names are checked when drawn).
_LABEL_TEXT = (
    "绿黄红灰正常已完成落后至个百分点或逾期未启动暂缓完成率牵头任务中各色灯所占比例项月日进度平均序时总数左右轴"
    "（），：%0123456789.+-/"
)

LIGHT_COLOURS = {
    Light.GREEN: "#2e7d32",
    Light.YELLOW: "#f9a825",
    Light.RED: "#c62828",
    Light.GREY: "#9e9e9e",
}
_TEXT_ON = {Light.GREEN: "white", Light.YELLOW: "black", Light.RED: "white", Light.GREY: "black"}
LIGHT_LEGEND = {
    Light.GREEN: "绿（正常、已完成）",
    Light.YELLOW: "黄（落后10至30个百分点）",
    Light.RED: "红（落后超过30个百分点或逾期）",
    Light.GREY: "灰（未启动、暂缓）",
}
LIGHT_ORDER = (Light.GREEN, Light.YELLOW, Light.RED, Light.GREY)


@dataclass(frozen=True)
class CjkFont:
    family: str
    path: str


def font_dirs_from_env() -> list[Path] | None:
    raw = os.environ.get(FONT_DIRS_ENV, "").strip()
    if not raw:
        return None
    return [Path(part).expanduser() for part in raw.split(os.pathsep) if part.strip()]


def find_cjk_font(font_dirs: Sequence[Path] | None = None, *, text: str = "") -> CjkFont | None:
    """A font matplotlib can use that has every glyph of the charts' labels (and of ``text``), or None.

    ``font_dirs`` None: the fonts matplotlib knows on this system; otherwise only the fonts in those
    directories (added to matplotlib's list for this process).
    """
    from matplotlib import font_manager

    manager = font_manager.fontManager
    allowed: set[str] | None = None  # real paths of the font files a search is limited to
    if font_dirs is not None:
        allowed = {
            os.path.realpath(f)
            for f in font_manager.findSystemFonts(fontpaths=[str(d) for d in font_dirs if Path(d).is_dir()])
        }
        known = {os.path.realpath(e.fname) for e in manager.ttflist}
        for new_file in sorted(allowed - known):
            try:
                manager.addfont(new_file)
            except (OSError, RuntimeError, ValueError):
                continue  # not a font after all
    entries = [e for e in manager.ttflist if allowed is None or os.path.realpath(e.fname) in allowed]
    rank = {name: n for n, name in enumerate(PREFERRED_FAMILIES)}
    entries.sort(
        key=lambda e: (rank.get(e.name, len(rank)), e.style != "normal", abs(_weight(e.weight) - 400), e.name)
    )
    wanted = set(_LABEL_TEXT + text)
    tried: set[str] = set()
    for entry in entries:
        if entry.name in tried:
            continue
        tried.add(entry.name)
        face = _face(entry.name)
        if face is None or (allowed is not None and os.path.realpath(str(face)) not in allowed):
            continue  # the name resolves to a file elsewhere
        if covers(face, wanted):
            return CjkFont(entry.name, str(face))
    return None


def _weight(value: Any) -> int:
    if isinstance(value, int):
        return value
    return {"light": 300, "normal": 400, "regular": 400, "medium": 500, "bold": 700}.get(str(value), 400)


def _face(family: str) -> Any:
    """The face matplotlib picks for a family at normal weight (the one the charts are drawn in): a path,
    or for a face inside a .ttc collection a FontPath that also names its index."""
    from matplotlib import font_manager

    try:
        found = font_manager.findfont(
            font_manager.FontProperties(family=[family], weight="normal"), fallback_to_default=False
        )
    except ValueError:
        return None
    return found


def covers(path: Any, characters: set[str] | str) -> bool:
    """Has the face at ``path`` (a path, or the FontPath findfont returns for a face of a .ttc) a glyph for
    each character? (Spaces and line breaks need none.)"""
    from matplotlib import font_manager

    try:
        font = font_manager.get_font(path)
    except (OSError, RuntimeError, ValueError):
        return False
    return all(font.get_char_index(ord(c)) for c in set(characters) if not c.isspace())


def _rc(font: CjkFont) -> Any:  # matplotlib types the keys as literals
    return {
        "font.family": [font.family],
        "font.size": 8,
        "axes.unicode_minus": False,  # the ASCII hyphen: not every CJK face has U+2212
        "svg.fonttype": "none",
    }


def department_chart(ranking: Sequence[RankedDepartment], font: CjkFont) -> Any:
    """A bar per lead department (best ranked on top): its led tasks split by 序时进度 light, each part in the
    light's colour with its name and count written in it, the done rate at the bar's end."""
    import matplotlib
    from matplotlib.figure import Figure

    rows = list(ranking)
    height = min(8.6, 0.95 + 0.24 * len(rows))
    with matplotlib.rc_context(_rc(font)):
        fig = Figure(figsize=(6.1, height), dpi=DPI)
        ax = fig.subplots()
        ys = list(range(len(rows)))[::-1]
        drawn: set[Light] = set()
        for y, ranked in zip(ys, rows, strict=True):
            group = ranked.group
            left = 0.0
            for light in LIGHT_ORDER:
                count = group.lights[light.value]
                if not count:
                    continue
                share = 100.0 * count / group.total
                ax.barh(
                    y,
                    share,
                    left=left,
                    height=0.68,
                    color=LIGHT_COLOURS[light],
                    edgecolor="white",
                    linewidth=0.6,
                    label=LIGHT_LEGEND[light] if light not in drawn else None,
                )
                drawn.add(light)
                if share >= 9:
                    ax.text(
                        left + share / 2, y, f"{light.colour_name}{count}", ha="center", va="center",
                        fontsize=6.5, color=_TEXT_ON[light],
                    )
                left += share
            ax.text(
                101.5, y, f"完成率{group.done_rate:.1f}%（{group.done}/{group.total}）", va="center",
                fontsize=6.5, clip_on=False,
            )
        ax.set_yticks(ys, [f"{r.rank}. {r.group.key}" for r in rows], fontsize=7)
        ax.set_xlim(0, 100)
        ax.set_ylim(-0.6, len(rows) - 0.4)
        ax.set_xticks([0, 20, 40, 60, 80, 100])
        ax.set_xlabel("牵头任务中各色灯所占比例（%）", fontsize=7)
        ax.tick_params(axis="x", labelsize=7)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        handles, labels = ax.get_legend_handles_labels()
        order = [labels.index(LIGHT_LEGEND[light]) for light in LIGHT_ORDER if LIGHT_LEGEND[light] in labels]
        ax.legend(
            [handles[i] for i in order], [labels[i] for i in order], loc="lower center",
            bbox_to_anchor=(0.5, 1.0), ncol=2, fontsize=6.5, frameon=False,
        )
    return fig


def burn_up_chart(series: Sequence[ProgressPoint], font: CjkFont) -> Any:
    """Month by month: done tasks as bars (left axis, against the number of tasks), average percent and the
    序时进度 line (right axis)."""
    import matplotlib
    from matplotlib.figure import Figure

    points = list(series)
    with matplotlib.rc_context(_rc(font)):
        fig = Figure(figsize=(6.1, 3.1), dpi=DPI)
        ax = fig.subplots()
        xs = list(range(len(points)))
        total = points[-1].total if points else 0
        ax.bar(xs, [p.done for p in points], width=0.6, color=LIGHT_COLOURS[Light.GREEN], label="已完成任务（项，左轴）")
        top = max(total, 1) * 1.18
        for x, p in zip(xs, points, strict=True):
            inside = p.done >= 0.14 * top  # tall bars carry their count inside, clear of the lines
            ax.text(
                x, p.done - 0.02 * top if inside else p.done + 0.01 * top, str(p.done), ha="center",
                va="top" if inside else "bottom", fontsize=6.5, color="white" if inside else "black",
            )
        ax.axhline(total, color="#616161", linestyle=":", linewidth=0.8)
        # At the left end: the right end carries the last month's percentages.
        ax.text(-0.45, total, f"任务总数{total}项", ha="left", va="bottom", fontsize=6.5, color="#424242")
        ax.set_ylim(0, top)
        ax.set_ylabel("已完成任务（项）", fontsize=7)
        ax.set_xticks(xs, [_point_label(p, last=n == len(points) - 1) for n, p in enumerate(points)], fontsize=7)
        ax.tick_params(axis="y", labelsize=7)
        right = ax.twinx()
        right.plot(xs, [p.average_percent for p in points], color="#1565c0", marker="o", markersize=3,
                   linewidth=1.4, label="平均进度（%，右轴）")
        right.plot(xs, [p.expected_percent for p in points], color="#616161", linestyle="--", linewidth=1.2,
                   label="序时进度（%，右轴）")
        if points:
            last = points[-1]
            # The higher of the two end values is labelled above its line, the lower below: never one on the other.
            average_on_top = last.average_percent >= last.expected_percent
            right.annotate(f"{last.average_percent:.1f}%", (xs[-1], last.average_percent),
                           xytext=(4, 4 if average_on_top else -10), textcoords="offset points", fontsize=6.5,
                           color="#1565c0")
            right.annotate(f"{last.expected_percent:.1f}%", (xs[-1], last.expected_percent),
                           xytext=(4, -10 if average_on_top else 4), textcoords="offset points", fontsize=6.5,
                           color="#424242")
        right.set_ylim(0, 105)
        right.set_ylabel("进度（%）", fontsize=7)
        right.tick_params(axis="y", labelsize=7)
        for axis in (ax, right):
            axis.spines["top"].set_visible(False)
        handles, labels = ax.get_legend_handles_labels()
        more, more_labels = right.get_legend_handles_labels()
        ax.legend(
            handles + more, labels + more_labels, loc="upper center", bbox_to_anchor=(0.5, -0.1), ncol=3,
            fontsize=6.5, frameon=False,
        )
    return fig


def _point_label(point: ProgressPoint, *, last: bool) -> str:
    from dateutil.relativedelta import relativedelta

    if last and point.day != point.day + relativedelta(day=31):
        return f"{point.day.month}月{point.day.day}日"
    return f"{point.day.month}月"


def png(figure: Any) -> bytes:
    """The figure as PNG bytes at print resolution, cropped to what is drawn."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI, bbox_inches="tight", pad_inches=0.05)
    return buffer.getvalue()


def texts_of(figure: Any) -> list[Any]:
    """Every piece of text the figure draws (labels, ticks, legend, annotations)."""
    from matplotlib.text import Text

    figure.draw_without_rendering()  # tick labels exist once the figure is laid out
    return [t for t in figure.findobj(Text) if t.get_text().strip() and t.get_visible()]
