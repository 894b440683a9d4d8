#!/usr/bin/env bash
# The project's own PostgreSQL + PostGIS cluster under var/: unix socket only (no TCP),
# so it never touches the system cluster or port 5432.  Usage: pg.sh start|stop|status
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
DATA=${IOC_PG_DATA:-$ROOT/var/pgdata}
RUN=${IOC_PG_SOCKET_DIR:-$ROOT/var/run}
LOG=$(dirname "$DATA")/postgresql.log
PORT=${IOC_PG_PORT:-54329}
PGV=$(ls /usr/lib/postgresql 2>/dev/null | sort -n | tail -1)
BIN=/usr/lib/postgresql/$PGV/bin

die() { printf '\033[1;31m[pg] %s\033[0m\n' "$*" >&2; exit 1; }
[ -n "$PGV" ] && [ -x "$BIN/pg_ctl" ] || die "No PostgreSQL binaries under /usr/lib/postgresql; install PostgreSQL (apt-get install postgresql) or set DATABASE_URL."

# PostgreSQL refuses to run as root: run it as the postgres system user.
if [ "$(id -u)" = 0 ]; then
  id postgres >/dev/null 2>&1 || die "Running as root needs the 'postgres' system user (created by Debian's postgresql package)."
  as_pg() { runuser -u postgres -- "$@"; }
else
  as_pg() { "$@"; }
fi

mkdir -p "$(dirname "$DATA")" "$RUN"
if [ "$(id -u)" = 0 ]; then chown postgres "$RUN"; touch "$LOG"; chown postgres "$LOG"; fi

case "${1:-start}" in
start)
  if [ ! -f "$DATA/PG_VERSION" ]; then
    mkdir -p "$DATA"
    if [ "$(id -u)" = 0 ]; then chown postgres "$DATA"; chmod 700 "$DATA"; fi
    as_pg test -w "$DATA" || die "The postgres user cannot write $DATA: make the checkout's parent folders traversable (chmod o+x) or set DATABASE_URL."
    echo "[pg] initdb $DATA (PostgreSQL $PGV)"
    as_pg "$BIN/initdb" -D "$DATA" -U ioc --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
    cat >>"$DATA/postgresql.conf" <<CONF
# --- IOC GIS embedded cluster ---
listen_addresses = ''
port = $PORT
unix_socket_directories = '$RUN'
shared_buffers = 512MB
work_mem = 32MB
maintenance_work_mem = 256MB
max_connections = 100
fsync = on
synchronous_commit = off
jit = off
CONF
  fi
  if as_pg "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
    :
  else
    echo "[pg] starting embedded PostgreSQL on socket $RUN (port $PORT)"
    as_pg "$BIN/pg_ctl" -D "$DATA" -l "$LOG" -w -t 60 start >/dev/null || { tail -20 "$LOG" >&2; die "PostgreSQL did not start; see $LOG"; }
  fi
  if ! "$BIN/psql" -h "$RUN" -p "$PORT" -U ioc -d postgres -tAc "select 1 from pg_database where datname='ioc'" | grep -q 1; then
    "$BIN/createdb" -h "$RUN" -p "$PORT" -U ioc ioc
  fi
  PGOPTIONS="-c client_min_messages=warning" "$BIN/psql" -h "$RUN" -p "$PORT" -U ioc -d ioc -qc "CREATE EXTENSION IF NOT EXISTS postgis" >/dev/null
  ;;
stop)
  if [ -f "$DATA/PG_VERSION" ] && as_pg "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
    as_pg "$BIN/pg_ctl" -D "$DATA" -m fast -w stop >/dev/null && echo "[pg] stopped"
  else
    echo "[pg] not running"
  fi
  ;;
status)
  as_pg "$BIN/pg_ctl" -D "$DATA" status
  ;;
*) die "usage: $0 start|stop|status" ;;
esac
