#!/usr/bin/env bash
# Stops the throwaway MariaDB started by db-start.sh; does nothing when it is not running.
set -euo pipefail
source "$(dirname "$0")/lib/db-env.sh"

if ! db_pid_alive; then
  rm -f "$DB_PIDFILE"
  log "not running"
  exit 0
fi
pid="$(cat "$DB_PIDFILE")"
log "stopping mariadbd (pid $pid)…"
db_admin shutdown >/dev/null 2>&1 || kill "$pid" 2>/dev/null || true
for _ in $(seq 1 300); do
  kill -0 "$pid" 2>/dev/null || { log "stopped"; exit 0; }
  sleep 0.1
done
log "mariadbd did not stop within 30 s; killing it"
kill -9 "$pid" 2>/dev/null || true
rm -f "$DB_PIDFILE"
