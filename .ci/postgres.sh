#!/usr/bin/env bash
# A PostgreSQL server for the test suite. Prints one line on stdout: the admin URL to export as
# TRACKER_TEST_PG_URL (postgresql+psycopg://postgres@127.0.0.1:PORT/postgres). Progress goes to stderr.
#
#   export TRACKER_TEST_PG_URL="$(bash .ci/postgres.sh)"     # start (or reuse) a server
#   bash .ci/postgres.sh stop                                # stop the server this script started
#
# Order: a URL already in TRACKER_TEST_PG_URL that answers is used as is; else a server this script
# started earlier (state file) is reused; else PostgreSQL is installed from the OS packages when its
# binaries are missing, a throw-away cluster is initialised in a temp dir as a non-root user (postgres
# refuses to run as root), and started on 127.0.0.1 on a free port. The cluster is for tests only:
# trust authentication, fsync off, listening on loopback only.
set -euo pipefail

STATE="${TRACKER_PG_STATE:-${TMPDIR:-/tmp}/tracker-ci-postgres.state}"
log() { echo "postgres.sh: $*" >&2; }

answers() {  # answers URL: a server accepts connections there
  python3 - "$1" <<'PY' >/dev/null 2>&1
import sys
import psycopg
url = sys.argv[1].replace("postgresql+psycopg://", "postgresql://", 1)
psycopg.connect(url, connect_timeout=3).close()
PY
}

find_bindir() {
  local dir
  if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
    dirname "$(readlink -f "$(command -v initdb)")"
    return 0
  fi
  dir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
  [ -n "$dir" ] && [ -x "$dir/initdb" ] && echo "$dir"
}

run_as() {  # run_as USER CMD...: postgres will not start as root
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u "$1" -- "${@:2}"
  else
    "${@:2}"
  fi
}

if [ "${1:-}" = "stop" ]; then
  if [ -f "$STATE" ]; then
    # shellcheck disable=SC1090
    . "$STATE"
    run_as "$PG_USER" "$PG_BINDIR/pg_ctl" -D "$PG_DATA" -m fast stop >&2 || true
    rm -rf "$PG_DATA" "$STATE"
    log "已停止并删除测试用 PostgreSQL（$PG_DATA）"
  fi
  exit 0
fi

if [ -n "${TRACKER_TEST_PG_URL:-}" ] && answers "$TRACKER_TEST_PG_URL"; then
  log "使用已有的 PostgreSQL 服务器"
  echo "$TRACKER_TEST_PG_URL"
  exit 0
fi

if [ -f "$STATE" ]; then
  # shellcheck disable=SC1090
  . "$STATE"
  if answers "$PG_URL"; then
    log "复用本脚本先前启动的 PostgreSQL（$PG_DATA）"
    echo "$PG_URL"
    exit 0
  fi
fi

BINDIR="$(find_bindir || true)"
if [ -z "$BINDIR" ]; then
  log "未找到 PostgreSQL，从系统软件包安装"
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq >&2
  $SUDO apt-get install -y -qq --no-install-recommends postgresql >&2
  BINDIR="$(find_bindir)"
fi

PG_USER="$(id -un)"
if [ "$(id -u)" -eq 0 ]; then
  if id postgres >/dev/null 2>&1; then
    PG_USER=postgres
  else
    PG_USER=trackerpg
    id "$PG_USER" >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin "$PG_USER"
  fi
fi

PG_DATA="$(mktemp -d "${TMPDIR:-/tmp}/tracker-pg.XXXXXX")"
chmod 700 "$PG_DATA"
[ "$(id -u)" -eq 0 ] && chown "$PG_USER" "$PG_DATA"
PORT="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"

log "初始化测试用 PostgreSQL：$BINDIR，数据目录 $PG_DATA，端口 $PORT，用户 $PG_USER"
run_as "$PG_USER" "$BINDIR/initdb" -D "$PG_DATA" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
run_as "$PG_USER" "$BINDIR/pg_ctl" -D "$PG_DATA" -l "$PG_DATA/server.log" -w -t 60 \
  -o "-p $PORT -k $PG_DATA -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off \
      -c full_page_writes=off -c max_connections=200" start >&2

PG_URL="postgresql+psycopg://postgres@127.0.0.1:$PORT/postgres"
if ! answers "$PG_URL"; then
  log "PostgreSQL 未能启动，日志如下："
  cat "$PG_DATA/server.log" >&2
  exit 1
fi
cat >"$STATE" <<EOF
PG_URL='$PG_URL'
PG_DATA='$PG_DATA'
PG_BINDIR='$BINDIR'
PG_USER='$PG_USER'
EOF
echo "$PG_URL"
