#!/usr/bin/env bash
# Starts a throwaway MariaDB under .data/mariadb, or $TOPICDESK_DB_HOME (installing the server if needed) and prints
# ONLY its URL on stdout, so callers can do DATABASE_URL=$(bash scripts/db-start.sh). It reuses this
# checkout's running server, else starts one on a free port (from 3307, recorded in $DB_HOME/port).
set -euo pipefail
source "$(dirname "$0")/lib/db-env.sh"

install_server() {
  if command -v mariadbd >/dev/null && command -v mariadb-install-db >/dev/null; then return; fi
  if [ "$(id -u)" != 0 ]; then
    log "mariadb-server is not installed; install it (apt-get install mariadb-server) or set DATABASE_URL"
    exit 1
  fi
  log "installing mariadb-server with apt-get (one-off)…"
  apt-get update >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y mariadb-server >&2
}

init_datadir() {
  [ -d "$DB_DATADIR/mysql" ] && return
  log "initialising $DB_DATADIR…"
  # Install into a scratch dir and rename, so an interrupted run never leaves a half-made datadir.
  rm -rf "$DB_DATADIR.tmp"
  mariadb-install-db --no-defaults --user="$(id -un)" --auth-root-authentication-method=normal \
    --skip-test-db --datadir="$DB_DATADIR.tmp" >"$DB_HOME/install.log" 2>&1 || {
    log "mariadb-install-db failed:"; tail -n 30 "$DB_HOME/install.log" >&2; exit 1; }
  mv "$DB_DATADIR.tmp" "$DB_DATADIR"
}

start_server() {
  # A throwaway server: durability is not wanted, speed is. Tests create and drop a database per
  # file (tens of tables each): tables in the shared tablespace, not a file each, and no
  # doublewrite or fsync make that a fraction of the cost on a busy disk.
  local THROWAWAY_SPEED="--innodb-file-per-table=0 --innodb-doublewrite=0 --innodb-flush-method=nosync"
  log "starting mariadbd on 127.0.0.1:$DB_PORT…"
  rm -f "$DB_PIDFILE"
  # setsid + closed streams: the server outlives this script, never holds $(…) open, nor the lock (fd 9).
  setsid nohup mariadbd --no-defaults --user="$(id -un)" \
    --datadir="$DB_DATADIR" --socket="$DB_SOCKET" --pid-file="$DB_PIDFILE" --log-error="$DB_ERRLOG" \
    --port="$DB_PORT" --bind-address=127.0.0.1 --skip-name-resolve \
    --character-set-server=utf8mb4 --collation-server=utf8mb4_unicode_ci --default-time-zone=+00:00 \
    --innodb-buffer-pool-size=128M --innodb-log-file-size=48M --innodb-flush-log-at-trx-commit=2 \
    $THROWAWAY_SPEED \
    --max-connections=500 </dev/null >/dev/null 2>&1 9>&- &
  local pid=$! deadline=$((SECONDS + 60)) problem=""
  until db_admin --silent ping >/dev/null 2>&1; do
    kill -0 "$pid" 2>/dev/null || problem="mariadbd exited"
    [ "$SECONDS" -ge "$deadline" ] && problem="MariaDB did not answer within 60 s"
    if [ -n "$problem" ]; then
      log "$problem; last lines of $DB_ERRLOG:"
      tail -n 30 "$DB_ERRLOG" >&2 2>/dev/null || true
      exit 1
    fi
    sleep 0.2
  done
}

mkdir -p "$DB_HOME"
# Two concurrent `npm test` runs must not both start a server on the same datadir.
exec 9>"$DB_HOME/start.lock"
flock 9

if db_pid_alive && db_admin --silent ping >/dev/null 2>&1; then
  # This checkout's own server: reuse it, on whatever port it runs.
  running_port="$(db_sql -e 'SELECT @@port')"
  if [ -n "${TOPICDESK_DB_PORT:-}" ] && [ "$running_port" != "$TOPICDESK_DB_PORT" ]; then
    log "a MariaDB from $DB_HOME already runs on port $running_port, not $TOPICDESK_DB_PORT; run scripts/db-stop.sh first"
    exit 1
  fi
  db_use_port "$running_port"
else
  install_server
  init_datadir
  db_choose_port
  if ! port_free "$DB_PORT"; then
    log "port $DB_PORT is in use by another server; unset TOPICDESK_DB_PORT to let a free port be chosen"
    exit 1
  fi
  start_server
fi

# Idempotent, and cheap enough to run every time (repairs a start that was interrupted here).
db_sql <<'SQL'
CREATE DATABASE IF NOT EXISTS topicdesk CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE USER IF NOT EXISTS 'topicdesk'@'127.0.0.1' IDENTIFIED BY 'topicdesk';
CREATE USER IF NOT EXISTS 'topicdesk'@'localhost' IDENTIFIED BY 'topicdesk';
-- Tests create and drop their own databases, so the user gets everything.
GRANT ALL PRIVILEGES ON *.* TO 'topicdesk'@'127.0.0.1' WITH GRANT OPTION;
GRANT ALL PRIVILEGES ON *.* TO 'topicdesk'@'localhost' WITH GRANT OPTION;
SQL

echo "$DB_URL"
