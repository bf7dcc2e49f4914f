"""Backups and moving an office between databases.

* ``backup_sqlite`` / ``restore_sqlite``: a page-for-page copy through SQLite's online backup API. The
  copy is one consistent snapshot even while others keep writing (WAL: the copy reads, writers go on).
* ``dump`` / ``load``: every table, the audit trail included, as portable JSON, so an office moves from
  SQLite to PostgreSQL and back with the same content. ``load`` wants an empty database at the same
  schema revision, inserts parents before children, and moves PostgreSQL's id sequences past the
  loaded ids.

All of these are for admins; ``restore`` and ``load`` append an audit row saying who did it.
"""

from __future__ import annotations

import json
import os
import sqlite3
import tempfile
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel, func, select

import tracker.models  # noqa: F401  (registers every table on SQLModel.metadata)
from tracker.db import head_revision, is_known_revision, run_in_transaction, upgrade_to_head
from tracker.errors import DatabaseError, ValidationError
from tracker.services import audit
from tracker.services.auth import Actor, require_admin

DUMP_FORMAT = "tracker-dump"
DUMP_FORMAT_VERSION = 1
_CHUNK = 500  # rows per INSERT batch: small enough for SQLite's parameter limit on wide tables

# progress(table, rows_done, rows_total) after each batch, for a progress bar.
Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class BackupResult:
    path: Path
    size: int
    tables: dict[str, int]


@dataclass(frozen=True)
class DumpResult:
    path: Path
    schema_revision: str
    tables: dict[str, int]

    @property
    def rows(self) -> int:
        return sum(self.tables.values())


def tables() -> list[sa.Table]:
    """Every tracker table, parents before children (the order load inserts in)."""
    return list(SQLModel.metadata.sorted_tables)


def table_counts(session: Session) -> dict[str, int]:
    """Rows per table: the summary a backup, a restore, a dump and a load are compared by."""
    return {t.name: session.execute(select(func.count()).select_from(t)).scalar_one() for t in tables()}


# ---------------------------------------------------------------- SQLite online backup


def _sqlite_path(engine: Engine, what: str) -> Path:
    if engine.dialect.name != "sqlite":
        raise ValidationError(
            f"{what}只适用于 SQLite 数据库；PostgreSQL 请用 tracker dump / tracker load（或 pg_dump）"
        )
    name = engine.url.database
    if not name or name == ":memory:":
        raise ValidationError(f"内存数据库无法{what}")
    return Path(name)


def _check_tracker_file(path: Path) -> str:
    """The file is an intact tracker SQLite database this program can open; returns its revision."""
    if not path.is_file():
        raise ValidationError(f"备份文件不存在：{path}")
    try:
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
            if conn.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                raise ValidationError(f"备份文件已损坏，未恢复：{path}")
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError:
        raise ValidationError(f"该文件不是 tracker 的备份（不是 tracker 的 SQLite 数据库）：{path}") from None
    if row is None:
        raise ValidationError(f"该文件不是 tracker 的备份（没有结构版本）：{path}")
    return str(row[0])


def backup_sqlite(engine: Engine, *, actor: Actor, target: Path, overwrite: bool = False) -> BackupResult:
    """Copy the live database to ``target`` as one consistent snapshot, without stopping writers."""
    require_admin(actor, "备份数据库")
    source = _sqlite_path(engine, "备份")
    target = target.expanduser().resolve()
    if target == source.resolve():
        raise ValidationError("备份文件不能是数据库文件本身")
    if target.exists() and not overwrite:
        raise ValidationError(f"备份文件已存在：{target}（如需覆盖请加 --force）")
    if not target.parent.is_dir():
        raise ValidationError(f"备份目录不存在：{target.parent}")
    # Copy to a temp file beside the target and rename: a failed backup never leaves half a file.
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        with closing(sqlite3.connect(source, timeout=30)) as src, closing(sqlite3.connect(tmp)) as dst:
            # pages=-1: the whole database in one step, so it is one snapshot (stepwise copies restart
            # whenever another connection writes, and may never finish in a busy office).
            src.backup(dst, pages=-1)
            dst.execute("PRAGMA journal_mode = DELETE")  # a backup is one self-contained file
            counts = {
                t.name: dst.execute(f'SELECT count(*) FROM "{t.name}"').fetchone()[0] for t in tables()
            }
        os.replace(tmp, target)
    except sqlite3.Error as exc:
        raise DatabaseError(f"备份失败：{exc}") from None
    finally:
        tmp.unlink(missing_ok=True)
    return BackupResult(path=target, size=target.stat().st_size, tables=counts)


def restore_sqlite(engine: Engine, *, actor: Actor, source: Path) -> BackupResult:
    """Replace the database's content with a backup (then bring it to the current schema)."""
    require_admin(actor, "恢复数据库")
    target = _sqlite_path(engine, "恢复")
    source = source.expanduser().resolve()
    if source == target.resolve():
        raise ValidationError("备份文件不能是数据库文件本身")
    revision = _check_tracker_file(source)
    if not is_known_revision(revision):
        raise ValidationError(f"备份来自更新版本的 tracker（结构版本 {revision}），请升级后再恢复") from None
    engine.dispose()  # no pooled connection keeps pages of the old content
    try:
        with closing(sqlite3.connect(source)) as src, closing(sqlite3.connect(target, timeout=30)) as dst:
            src.backup(dst, pages=-1)
    except sqlite3.Error as exc:
        raise DatabaseError(f"恢复失败（数据库未改变）：{exc}") from None
    engine.dispose()
    upgrade_to_head(engine)

    def note(session: Session) -> dict[str, int]:
        counts = table_counts(session)
        audit.record(
            session,
            actor=actor,
            action="restore",
            entity="database",
            entity_id=None,
            new={"source": str(source), "rows": sum(counts.values())},
            detail=f"从备份恢复数据库：{source.name}",
        )
        return counts

    counts = run_in_transaction(engine, note)
    return BackupResult(path=source, size=source.stat().st_size, tables=counts)


# ---------------------------------------------------------------- portable JSON dump


def _to_json(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _decoder(column: sa.Column[Any]) -> Callable[[Any], Any]:
    kind = getattr(column.type, "impl", column.type)  # a TypeDecorator (UTCDateTime) wraps the real type
    if isinstance(kind, sa.DateTime):
        return lambda v: None if v is None else datetime.fromisoformat(v)
    if isinstance(kind, sa.Date):
        return lambda v: None if v is None else date.fromisoformat(v)
    return lambda v: v


def dump(
    session: Session, *, actor: Actor, target: Path, progress: Progress | None = None
) -> DumpResult:
    """Write every table to ``target`` as JSON, from one snapshot (the caller's transaction)."""
    require_admin(actor, "导出数据库")
    target = target.expanduser().resolve()
    if not target.parent.is_dir():
        raise ValidationError(f"导出目录不存在：{target.parent}")
    counts = table_counts(session)
    revision = session.execute(sa.text("SELECT version_num FROM alembic_version")).scalar_one()
    payload: dict[str, Any] = {
        "format": DUMP_FORMAT,
        "format_version": DUMP_FORMAT_VERSION,
        "schema_revision": revision,
        "dialect": session.get_bind().dialect.name,
        "exported_by": actor.login,
        "tables": {},
    }
    for table in tables():
        columns = [c.name for c in table.columns]
        rows: list[list[Any]] = []
        query = sa.select(table).order_by(*table.primary_key.columns)
        for row in session.execute(query):
            rows.append([_to_json(v) for v in row])
            if progress and len(rows) % _CHUNK == 0:
                progress(table.name, len(rows), counts[table.name])
        if progress:
            progress(table.name, len(rows), len(rows))
        payload["tables"][table.name] = {"columns": columns, "rows": rows}
    tmp = target.with_name(f".{target.name}.part")
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump(payload, fh, ensure_ascii=False, separators=(",", ":"))
    os.replace(tmp, target)
    return DumpResult(
        path=target, schema_revision=revision, tables={n: len(t["rows"]) for n, t in payload["tables"].items()}
    )


def read_dump(path: Path) -> dict[str, Any]:
    """The dump at ``path``, checked to be one this program can load."""
    path = path.expanduser()
    if not path.is_file():
        raise ValidationError(f"导出文件不存在：{path}")
    try:
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise ValidationError(f"该文件不是 tracker 导出的 JSON：{path}") from None
    if not isinstance(data, dict) or data.get("format") != DUMP_FORMAT:
        raise ValidationError(f"该文件不是 tracker 导出的 JSON：{path}")
    if data.get("format_version") != DUMP_FORMAT_VERSION:
        raise ValidationError(f"导出文件格式版本 {data.get('format_version')} 不受支持")
    if data.get("schema_revision") != head_revision():
        raise ValidationError(
            f"导出文件的结构版本（{data.get('schema_revision')}）与本程序（{head_revision()}）不同，"
            "请用导出它的 tracker 版本升级后重新导出"
        )
    return data


def load(
    session: Session, *, actor: Actor, source: Path, progress: Progress | None = None
) -> DumpResult:
    """Fill an empty database from a dump; all or nothing (the caller's transaction)."""
    require_admin(actor, "导入数据库")
    data = read_dump(source)
    counts = table_counts(session)
    if any(counts.values()):
        used = "、".join(f"{n}（{c} 行）" for n, c in counts.items() if c)
        raise ValidationError(f"目标数据库不是空的：{used}。请载入到新建的空数据库")
    known = {t.name: t for t in tables()}
    unknown = set(data["tables"]) - set(known)
    if unknown:
        raise ValidationError(f"导出文件含有本程序不认识的表：{'、'.join(sorted(unknown))}")
    loaded: dict[str, int] = {}
    for table in tables():
        block = data["tables"].get(table.name, {"columns": [], "rows": []})
        columns = list(block["columns"])
        missing = {c.name for c in table.columns} - set(columns)
        if block["rows"] and missing:
            raise ValidationError(f"导出文件中表 {table.name} 缺少列：{'、'.join(sorted(missing))}")
        decoders = [_decoder(table.columns[name]) for name in columns]
        rows = block["rows"]
        for start in range(0, len(rows), _CHUNK):
            chunk = [
                {name: decode(value) for name, decode, value in zip(columns, decoders, row, strict=True)}
                for row in rows[start : start + _CHUNK]
            ]
            try:
                session.execute(table.insert(), chunk)
            except (sa.exc.IntegrityError, sa.exc.DataError, sa.exc.StatementError) as exc:
                # A hand-edited or truncated dump: the database's own checks catch it; nothing is kept.
                reason = str(getattr(exc, "orig", exc)).splitlines()[0][:200]
                raise ValidationError(f"导出文件内容有误（表 {table.name}：{reason}），未载入任何数据") from None
            if progress:
                progress(table.name, min(start + _CHUNK, len(rows)), len(rows))
        if progress and not rows:
            progress(table.name, 0, 0)
        loaded[table.name] = len(rows)
    _reset_sequences(session)
    audit.record(
        session,
        actor=actor,
        action="load",
        entity="database",
        entity_id=None,
        new={"source": Path(source).name, "rows": sum(loaded.values()), "from": data.get("dialect")},
        detail=f"从导出文件载入数据库：{Path(source).name}（{sum(loaded.values())} 行）",
    )
    session.flush()
    return DumpResult(path=Path(source), schema_revision=data["schema_revision"], tables=loaded)


def _reset_sequences(session: Session) -> None:
    """PostgreSQL hands out ids from sequences that explicit ids do not move: move them past the data."""
    if session.get_bind().dialect.name != "postgresql":
        return  # SQLite's INTEGER PRIMARY KEY continues after the largest id by itself
    for table in tables():
        for column in table.primary_key.columns:
            if not column.autoincrement or not isinstance(column.type, sa.Integer):
                continue
            if len(table.primary_key.columns) != 1:
                continue
            sequence = session.execute(
                sa.text("SELECT pg_get_serial_sequence(:table, :column)"),
                {"table": f'"{table.name}"', "column": column.name},
            ).scalar()
            if sequence is None:
                continue
            session.execute(
                sa.text(
                    f'SELECT setval(:seq, COALESCE((SELECT MAX("{column.name}") FROM "{table.name}"), 0) + 1, false)'
                ),
                {"seq": sequence},
            )
