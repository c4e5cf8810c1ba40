#!/usr/bin/env bash
# Stops the Galera nodes started by galera-start.sh, node 3 first and node 1 last (so node 1 holds the
# latest state and the next start can bootstrap from it); does nothing for nodes not running.
set -euo pipefail
source "$(dirname "$0")/lib/galera-env.sh"
galera_recorded_base

for n in $(seq "$GALERA_NODES" -1 1); do
  pidfile="$(node_pidfile "$n")"
  if ! node_pid_alive "$n"; then
    rm -f "$pidfile"
    continue
  fi
  pid="$(cat "$pidfile")"
  log "stopping node $n (pid $pid)…"
  node_admin "$n" shutdown >/dev/null 2>&1 || kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 300); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    log "node $n did not stop within 30 s; killing it"
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$pidfile"
done
log "stopped"
