"""Shared fixtures: real databases (SQLite in tmp_path, or PostgreSQL when TRACKER_TEST_PG_URL is set),
the real sample report from ../shared, and an in-process runner for the ``tracker`` command.

Backends: the suite runs once per backend. ``TRACKER_TEST_BACKEND=postgres`` with ``TRACKER_TEST_PG_URL``
(an admin URL such as postgresql+psycopg://postgres@127.0.0.1:5432/postgres) gives each test its own
fresh PostgreSQL database; otherwise each test gets a fresh SQLite file.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SAMPLE_NAME = "2021-zibo-gaoxin-fazhi-report.txt"
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
# Set from --backend (default: TRACKER_TEST_BACKEND, else sqlite) in pytest_configure, before collection.
BACKEND = os.environ.get("TRACKER_TEST_BACKEND", "sqlite")
PG_ADMIN_URL = os.environ.get("TRACKER_TEST_PG_URL", "")


def _start_local_postgres() -> str:
    """A throw-away server from .ci/postgres.sh (reused across runs); '' where none can be had."""
    import subprocess

    if os.environ.get("PYTEST_XDIST_WORKER"):
        return ""  # the controller already tried and exported the URL
    try:
        done = subprocess.run(
            ["bash", str(ROOT / ".ci" / "postgres.sh")], capture_output=True, text=True, timeout=600, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return ""
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        print(f"无法启动测试用 PostgreSQL：{done.stderr.strip()[-500:]}")
        return ""
    return lines[-1]


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--backend",
        choices=["sqlite", "postgres"],
        default=None,
        help="database backend for the suite (default: TRACKER_TEST_BACKEND or sqlite)",
    )


def pytest_configure(config: pytest.Config) -> None:
    global BACKEND, PG_ADMIN_URL
    BACKEND = config.getoption("backend") or BACKEND
    os.environ["TRACKER_TEST_BACKEND"] = BACKEND  # subprocesses started by tests see the same backend
    # No server given: on the postgres run (and in CI, for the PostgreSQL-only tests) start a local one.
    if not PG_ADMIN_URL and (BACKEND == "postgres" or IN_CI):
        PG_ADMIN_URL = _start_local_postgres()
    if PG_ADMIN_URL:
        os.environ["TRACKER_TEST_PG_URL"] = PG_ADMIN_URL  # xdist workers and subprocesses use the same server


def pytest_report_header(config: pytest.Config) -> str:
    server = sa_url_without_password(PG_ADMIN_URL) if PG_ADMIN_URL else "none"
    return f"tracker backend: {BACKEND}; PostgreSQL server: {server}"


def sa_url_without_password(url: str) -> str:
    import sqlalchemy as sa

    return sa.engine.make_url(url).render_as_string(hide_password=True)


def require_shared() -> Path:
    """../shared holds the real reports; CI always has it, a bare checkout may not."""
    if not SHARED.is_dir():
        if IN_CI:
            pytest.fail(f"CI 环境中缺少 {SHARED}（真实报告样本）")
        pytest.skip("../shared 不存在：真实报告样本只在 CI 和开发机上提供")
    return SHARED


@pytest.fixture
def shared_dir() -> Path:
    return require_shared()


@pytest.fixture
def sample_report(shared_dir: Path) -> Path:
    return shared_dir / "reports" / SAMPLE_NAME


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No test touches the user's real database or identity."""
    monkeypatch.setenv("TRACKER_USER", "tester")
    monkeypatch.delenv("TRACKER_DB", raising=False)
    monkeypatch.delenv("TRACKER_TODAY", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))


def _pg_database() -> Iterator[str]:
    import sqlalchemy as sa

    if not PG_ADMIN_URL:
        if IN_CI:
            pytest.fail("TRACKER_TEST_BACKEND=postgres 但没有设置 TRACKER_TEST_PG_URL")
        pytest.skip("没有 PostgreSQL 服务器（设置 TRACKER_TEST_PG_URL）")
    name = f"tracker_test_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = sa.engine.make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    try:
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def db_url(tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database for this test on the backend under test."""
    if BACKEND == "postgres":
        yield from _pg_database()
    else:
        yield f"sqlite:///{tmp_path / 'tracker.db'}"


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """Always SQLite (backup API, file locking): for tests about SQLite itself."""
    return f"sqlite:///{tmp_path / 'tracker-sqlite.db'}"


@pytest.fixture
def pg_url() -> Iterator[str]:
    """Always PostgreSQL, whatever the backend run: skipped where no server is configured."""
    yield from _pg_database()


@dataclass
class CliResult:
    exit_code: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        import json

        return json.loads(self.stdout)


class _Entry:
    """Lets CliRunner call our ``main`` (with its error handling) instead of the bare click group."""

    name = "tracker"

    def main(self, args: Any = None, prog_name: str | None = None, **_: Any) -> None:
        from tracker.cli import main

        main(list(args or []))


class Cli:
    def __init__(self, db_url: str, today: date | None = None, user: str = "tester") -> None:
        self.db_url = db_url
        self.today = today
        self.user = user

    def __call__(self, *args: str, user: str | None = None, today: date | None = None, input: str | None = None) -> CliResult:
        argv = ["--db", self.db_url]
        day = today or self.today
        if day:
            argv += ["--today", day.isoformat()]
        runner = CliRunner()
        result = runner.invoke(
            _Entry(),  # type: ignore[arg-type]
            argv + list(args),
            input=input,
            env={"TRACKER_USER": user or self.user},
            catch_exceptions=False,
        )
        return CliResult(result.exit_code, result.stdout, result.stderr)


@pytest.fixture
def cli(db_url: str) -> Cli:
    """Run ``tracker`` in-process on this test's database: ``cli("tasks", "--json")``."""
    return Cli(db_url)


@pytest.fixture
def sample_cli(cli: Cli, sample_report: Path) -> Cli:
    """A database holding the plan imported from the real sample report."""
    result = cli("import", str(sample_report))
    assert result.exit_code == 0, result.stderr
    return cli
