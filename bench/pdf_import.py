"""Whole-process time of ``tracker import X.pdf --dry-run`` on long PDFs (issue 12: at most 3 s on 30 pages).

    python bench/pdf_import.py                       # the corpus reports of 30 pages and more
    python bench/pdf_import.py --runs 5 --file ../shared/corpus/13_shenzhen_longgang_gwr_2019.txt

Each report is written as an official-layout Word file (GB/T 9704: 22 lines of 28 characters, 16 pt) and
converted to PDF by LibreOffice once, cached under bench/data; then the ``tracker`` command runs as a user runs
it, one warm-up and the median of N runs.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.importer.documents import convert_all, official_docx, soffice  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus"
DATA = ROOT / "bench" / "data" / "pdf"


def pdf_of(text_file: Path) -> Path:
    pdf = DATA / f"{text_file.stem}.pdf"
    if pdf.is_file() and pdf.stat().st_mtime >= text_file.stat().st_mtime:
        return pdf
    DATA.mkdir(parents=True, exist_ok=True)
    docx = official_docx(text_file.read_text(encoding="utf-8").split("\n"), DATA / f"{text_file.stem}.docx", title_lines=1)
    with tempfile.TemporaryDirectory() as profile:
        convert_all([docx], "pdf", DATA, Path(profile))
    return pdf


def pages(pdf: Path) -> int:
    import pypdfium2

    document = pypdfium2.PdfDocument(str(pdf))
    try:
        return len(document)
    finally:
        document.close()


def time_dry_run(pdf: Path, runs: int) -> tuple[float, int]:
    with tempfile.TemporaryDirectory() as tmp:
        argv = [sys.executable, "-m", "tracker", "--db", f"sqlite:///{tmp}/bench.db", "import", str(pdf), "--dry-run"]
        times = []
        tasks = 0
        for n in range(runs + 1):
            start = time.perf_counter()
            done = subprocess.run(argv, capture_output=True, text=True, check=False)
            elapsed = time.perf_counter() - start
            if done.returncode != 0:
                raise SystemExit(f"导入失败：{done.stderr.strip()}")
            if n:  # the first run warms the disk cache
                times.append(elapsed)
            tasks = sum(1 for ln in done.stdout.splitlines() if ln.startswith(("（", "    ")))
        return statistics.median(times), tasks


def main() -> int:
    parser = argparse.ArgumentParser(description="PDF 导入（--dry-run）整个进程的耗时")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--file", type=Path, action="append", help="要转换为 PDF 的报告文本（默认：语料中30页以上的）")
    parser.add_argument("--min-pages", type=int, default=30)
    args = parser.parse_args()
    if soffice() is None:
        print("需要 LibreOffice（soffice）来生成 PDF", file=sys.stderr)
        return 1
    files = args.file or sorted(CORPUS.glob("*.txt"))
    for text_file in files:
        pdf = pdf_of(text_file)
        n = pages(pdf)
        if not args.file and n < args.min_pages:
            continue
        seconds, lines = time_dry_run(pdf, args.runs)
        print(f"{text_file.name}: {n} 页，树 {lines} 行，import --dry-run 整个进程 {seconds:.2f} s（{args.runs} 次中位数）")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
