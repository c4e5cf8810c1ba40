# Paths and port of the throwaway MariaDB; sourced by db-start.sh and db-stop.sh.
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# TOPICDESK_DB_HOME lets a second server (the benchmark's) live beside the dev/test one.
DB_HOME="${TOPICDESK_DB_HOME:-$REPO_ROOT/.data/mariadb}"
DB_DATADIR="$DB_HOME/data"
DB_PIDFILE="$DB_HOME/mariadbd.pid"
DB_ERRLOG="$DB_HOME/error.log"
DB_SOCKET="$DB_HOME/mysqld.sock"
# Unix socket paths are limited to ~107 bytes; deep checkouts fall back to /tmp.
if [ "${#DB_SOCKET}" -gt 100 ]; then
  DB_SOCKET="/tmp/topicdesk-mariadb-$(printf '%s' "$DB_HOME" | sha256sum | cut -c1-12).sock"
fi
# The port this checkout's server uses, recorded so later runs reuse it (see db_choose_port).
DB_PORT_FILE="$DB_HOME/port"
DB_FIRST_PORT=3307

# Debian keeps the server binaries in /usr/sbin, which is not on every PATH.
PATH="$PATH:/usr/sbin:/usr/local/sbin"

log() { printf 'db: %s\n' "$*" >&2; }

# Root client over the socket; --no-defaults keeps /etc/mysql out of the way.
db_admin() { mariadb-admin --no-defaults --protocol=socket --socket="$DB_SOCKET" --user=root "$@"; }
db_sql() { mariadb --no-defaults --protocol=socket --socket="$DB_SOCKET" --user=root --batch --skip-column-names "$@"; }

db_pid_alive() { [ -f "$DB_PIDFILE" ] && kill -0 "$(cat "$DB_PIDFILE")" 2>/dev/null; }

# True when nothing listens on 127.0.0.1:$1 (a real bind, like mariadbd's).
port_free() {
  node -e 'const s = require("net").createServer(); s.once("error", () => process.exit(1)); s.listen(+process.argv[1], "127.0.0.1", () => s.close())' "$1"
}

# Sets DB_PORT and DB_URL for a server about to start: TOPICDESK_DB_PORT when set; else the port
# recorded under $DB_HOME while it is free; else the first free port from 3307 — never another
# checkout's server. The choice is recorded in $DB_PORT_FILE.
db_choose_port() {
  if [ -n "${TOPICDESK_DB_PORT:-}" ]; then
    DB_PORT="$TOPICDESK_DB_PORT"
  else
    DB_PORT="$(cat "$DB_PORT_FILE" 2>/dev/null || true)"
    if [ -z "$DB_PORT" ] || ! port_free "$DB_PORT"; then
      DB_PORT="$DB_FIRST_PORT"
      until port_free "$DB_PORT"; do
        DB_PORT=$((DB_PORT + 1))
        [ "$DB_PORT" -lt $((DB_FIRST_PORT + 200)) ] || { log "no free port between $DB_FIRST_PORT and $DB_PORT"; return 1; }
      done
    fi
  fi
  db_use_port "$DB_PORT"
}

# Records the port of this checkout's server and the URL that reaches it.
db_use_port() {
  DB_PORT="$1"
  printf '%s\n' "$DB_PORT" >"$DB_PORT_FILE"
  DB_URL="mysql://topicdesk:topicdesk@127.0.0.1:$DB_PORT/topicdesk"
}
