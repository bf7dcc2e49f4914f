"""Fixtures for the importer tests: the real reports in ../shared (never copied into the project).

A bare checkout without ../shared skips these tests; under CI (CI=true) a missing ../shared fails them.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tracker.importer.directory import DepartmentDirectory, load_directory
from tracker.importer.model import ParsedPlan
from tracker.importer.parse import parse_report
from tracker.importer.reading import read_document

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
SAMPLE_NAME = "2021-zibo-gaoxin-fazhi-report.txt"
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def shared_or_skip() -> Path:
    if not SHARED.is_dir():
        if IN_CI:
            pytest.fail(f"CI 环境中缺少 {SHARED}（真实报告样本），不能跳过")
        pytest.skip("../shared 不存在（仅在CI或开发机上有）")
    return SHARED


@pytest.fixture(scope="session")
def shared() -> Path:
    return shared_or_skip()


@pytest.fixture(scope="session")
def directory() -> DepartmentDirectory:
    directory = load_directory()
    directory.suggest("司法")  # build the keyword tokenizer once, outside any timed test
    return directory


@pytest.fixture(scope="session")
def sample_path(shared: Path) -> Path:
    return shared / "reports" / SAMPLE_NAME


@pytest.fixture(scope="session")
def sample_text(sample_path: Path) -> str:
    return read_document(sample_path)


@pytest.fixture(scope="session")
def sample_plan(sample_text: str, directory: DepartmentDirectory) -> ParsedPlan:
    return parse_report(sample_text, source_name=SAMPLE_NAME, directory=directory)


@pytest.fixture(scope="session")
def corpus_dir(shared: Path) -> Path:
    path = shared / "corpus"
    if not path.is_dir():
        if IN_CI:
            pytest.fail(f"CI 环境中缺少 {path}")
        pytest.skip("../shared/corpus 不存在（仅在CI或开发机上有）")
    return path
