# Paths and port of the throwaway MariaDB; sourced by db-start.sh and db-stop.sh.
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
DB_PORT="${TOPICDESK_DB_PORT:-3307}"
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
DB_URL="mysql://topicdesk:topicdesk@127.0.0.1:$DB_PORT/topicdesk"

# Debian keeps the server binaries in /usr/sbin, which is not on every PATH.
PATH="$PATH:/usr/sbin:/usr/local/sbin"

log() { printf 'db: %s\n' "$*" >&2; }

# Root client over the socket; --no-defaults keeps /etc/mysql out of the way.
db_admin() { mariadb-admin --no-defaults --protocol=socket --socket="$DB_SOCKET" --user=root "$@"; }
db_sql() { mariadb --no-defaults --protocol=socket --socket="$DB_SOCKET" --user=root --batch --skip-column-names "$@"; }

db_pid_alive() { [ -f "$DB_PIDFILE" ] && kill -0 "$(cat "$DB_PIDFILE")" 2>/dev/null; }
