# Paths and ports of the three-node MariaDB Galera cluster; sourced by galera-start.sh and galera-stop.sh.
# Node i (1..3) lives under $GALERA_HOME/node$i and uses four ports from the cluster's base port:
# client base+10i, group communication base+10i+1, IST base+10i+2, SST (rsync) base+10i+3.
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
GALERA_HOME="${TOPICDESK_GALERA_HOME:-$REPO_ROOT/.data/galera}"
GALERA_NODES=3
GALERA_PROVIDER="${TOPICDESK_GALERA_PROVIDER:-/usr/lib/galera/libgalera_smm.so}"
GALERA_BASE_FILE="$GALERA_HOME/base-port"
GALERA_FIRST_BASE=4600

# Debian keeps the server binaries in /usr/sbin, which is not on every PATH.
PATH="$PATH:/usr/sbin:/usr/local/sbin"

log() { printf 'galera: %s\n' "$*" >&2; }

node_dir() { printf '%s/node%s' "$GALERA_HOME" "$1"; }
node_pidfile() { printf '%s/mariadbd.pid' "$(node_dir "$1")"; }
node_socket() {
  local socket
  socket="$(node_dir "$1")/mysqld.sock"
  # Unix socket paths are limited to ~107 bytes; deep checkouts fall back to /tmp.
  if [ "${#socket}" -gt 100 ]; then
    socket="/tmp/topicdesk-galera-$(printf '%s' "$GALERA_HOME" | sha256sum | cut -c1-12)-$1.sock"
  fi
  printf '%s' "$socket"
}
node_port() { echo $((GALERA_BASE + 10 * $1)); }
node_gcomm_port() { echo $((GALERA_BASE + 10 * $1 + 1)); }
node_ist_port() { echo $((GALERA_BASE + 10 * $1 + 2)); }
node_sst_port() { echo $((GALERA_BASE + 10 * $1 + 3)); }
node_url() { printf 'mysql://topicdesk:topicdesk@127.0.0.1:%s/topicdesk' "$(node_port "$1")"; }

node_admin() { local n="$1"; shift; mariadb-admin --no-defaults --protocol=socket --socket="$(node_socket "$n")" --user=root "$@"; }
node_sql() { local n="$1"; shift; mariadb --no-defaults --protocol=socket --socket="$(node_socket "$n")" --user=root --batch --skip-column-names "$@"; }

node_pid_alive() { [ -f "$(node_pidfile "$1")" ] && kill -0 "$(cat "$(node_pidfile "$1")")" 2>/dev/null; }

# True when the node answers and is a synced member of the primary component.
node_synced() {
  [ "$(node_sql "$1" -e "SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME = 'wsrep_local_state_comment'" 2>/dev/null)" = Synced ]
}

# True when nothing listens on 127.0.0.1:$1 (a real bind, like mariadbd's).
port_free() {
  node -e 'const s = require("net").createServer(); s.once("error", () => process.exit(1)); s.listen(+process.argv[1], "127.0.0.1", () => s.close())' "$1"
}

# True when all twelve ports of base $1 are free.
base_free() {
  local n offset
  for n in $(seq 1 "$GALERA_NODES"); do
    for offset in 0 1 2 3; do port_free $(($1 + 10 * n + offset)) || return 1; done
  done
}

# Sets GALERA_BASE: the recorded one (while a node runs, or while its ports are free), else the first
# free one from 4600 by steps of 100. The choice is recorded in $GALERA_BASE_FILE.
galera_choose_base() {
  GALERA_BASE="$(cat "$GALERA_BASE_FILE" 2>/dev/null || true)"
  local n
  if [ -n "$GALERA_BASE" ]; then
    for n in $(seq 1 "$GALERA_NODES"); do node_pid_alive "$n" && return 0; done
    base_free "$GALERA_BASE" && return 0
  fi
  GALERA_BASE="$GALERA_FIRST_BASE"
  until base_free "$GALERA_BASE"; do
    GALERA_BASE=$((GALERA_BASE + 100))
    [ "$GALERA_BASE" -lt $((GALERA_FIRST_BASE + 5000)) ] || { log "no free ports from $GALERA_FIRST_BASE to $GALERA_BASE"; return 1; }
  done
  printf '%s\n' "$GALERA_BASE" >"$GALERA_BASE_FILE"
}

# The recorded base port (galera-stop.sh: no choice to make).
galera_recorded_base() { GALERA_BASE="$(cat "$GALERA_BASE_FILE" 2>/dev/null || echo "$GALERA_FIRST_BASE")"; }
