"""The layers stay apart: the core never imports the UI, the callers hold no SQL."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from tests.conftest import ROOT


def test_import_linter_contracts_hold() -> None:
    exe = shutil.which("lint-imports")
    if exe is None:
        pytest.skip("import-linter 未安装（pip install -e '.[test]'）")
    result = subprocess.run([exe], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_core_imports_without_textual_or_heavy_libraries() -> None:
    """Importing the services must not pull in Textual, nor jieba/docx/openpyxl/matplotlib (start-up time)."""
    code = (
        "import sys\n"
        "import tracker.models, tracker.services.tasks, tracker.services.plans, tracker.services.bulletin, tracker.cli\n"
        "import tracker.cli.bulletin, tracker.cli.overview\n"
        "heavy = [m for m in ('textual', 'jieba', 'docx', 'openpyxl', 'matplotlib') if m in sys.modules]\n"
        "print(','.join(heavy))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
