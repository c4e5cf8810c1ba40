#!/usr/bin/env bash
# Starts a three-node MariaDB Galera cluster on loopback ports under .data/galera (or $TOPICDESK_GALERA_HOME)
# and prints ONLY the nodes' comma-separated mysql:// URLs on stdout, for `database.urls` / DATABASE_URLS:
#   DATABASE_URLS=$(bash scripts/galera-start.sh)
# Idempotent: nodes already running are kept; missing ones are started. With no node running, node 1
# bootstraps a new cluster (gcomm://, its data kept) and nodes 2 and 3 join it (IST, or SST by rsync);
# with some running, the missing ones join them — how the galera bench brings a killed node back.
# A throwaway cluster: no fsync, no doublewrite (a node's durability is the other nodes).
set -euo pipefail
source "$(dirname "$0")/lib/galera-env.sh"

for need in mariadbd mariadb-install-db; do
  command -v "$need" >/dev/null || { log "$need is not installed (apt-get install mariadb-server galera-4)"; exit 1; }
done
[ -f "$GALERA_PROVIDER" ] || { log "no Galera provider at $GALERA_PROVIDER (apt-get install galera-4)"; exit 1; }

# As root the nodes run as `mysql`: the rsync daemon of a state transfer (SST) would otherwise drop to
# `nobody`, who cannot write the joiner's datadir.
RUN_USER="$(id -un)"
if [ "$(id -u)" = 0 ] && id mysql >/dev/null 2>&1; then RUN_USER=mysql; fi

write_config() {
  local n="$1" dir cluster="" m
  dir="$(node_dir "$n")"
  for m in $(seq 1 "$GALERA_NODES"); do cluster="$cluster${cluster:+,}127.0.0.1:$(node_gcomm_port "$m")"; done
  # The SST scripts read this file (--defaults-file), so everything a node is lives here.
  cat >"$dir/my.cnf" <<EOF
[mysqld]
user=$RUN_USER
datadir=$dir/data
socket=$(node_socket "$n")
pid-file=$(node_pidfile "$n")
log-error=$dir/error.log
port=$(node_port "$n")
bind-address=127.0.0.1
skip-name-resolve
character-set-server=utf8mb4
collation-server=utf8mb4_unicode_ci
default-time-zone=+00:00
max-connections=300
innodb-buffer-pool-size=64M
innodb-log-file-size=48M
innodb-flush-log-at-trx-commit=2
innodb-file-per-table=0
innodb-doublewrite=0
innodb-flush-method=nosync
# What Galera requires: row-based replication, InnoDB, interleaved auto-increment locks.
binlog_format=ROW
default_storage_engine=InnoDB
innodb_autoinc_lock_mode=2
wsrep_on=ON
wsrep_provider=$GALERA_PROVIDER
wsrep_cluster_name=topicdesk
wsrep_cluster_address=gcomm://$cluster
wsrep_node_name=node$n
wsrep_node_address=127.0.0.1:$(node_gcomm_port "$n")
wsrep_node_incoming_address=127.0.0.1:$(node_port "$n")
wsrep_sst_method=rsync
wsrep_sst_receive_address=127.0.0.1:$(node_sst_port "$n")
wsrep_provider_options="gmcast.listen_addr=tcp://127.0.0.1:$(node_gcomm_port "$n");ist.recv_addr=127.0.0.1:$(node_ist_port "$n");gcache.size=128M;evs.suspect_timeout=PT3S;evs.inactive_timeout=PT6S;evs.install_timeout=PT6S"
wsrep_slave_threads=2
EOF
}

init_datadir() {
  local n="$1" dir
  dir="$(node_dir "$n")"
  [ -d "$dir/data/mysql" ] && return
  log "initialising node $n…"
  rm -rf "$dir/data.tmp"
  chown "$RUN_USER" "$dir"
  mariadb-install-db --no-defaults --user="$RUN_USER" --auth-root-authentication-method=normal \
    --skip-test-db --datadir="$dir/data.tmp" >"$dir/install.log" 2>&1 || {
    log "mariadb-install-db failed:"; tail -n 30 "$dir/install.log" >&2; exit 1; }
  mv "$dir/data.tmp" "$dir/data"
  chown -R "$RUN_USER" "$dir"
}

# Starts node $1 (extra mariadbd options after it) and waits until it is Synced.
start_node() {
  local n="$1"; shift
  local dir pid deadline problem=""
  dir="$(node_dir "$n")"
  log "starting node $n on 127.0.0.1:$(node_port "$n")${1:+ ($*)}…"
  rm -f "$(node_pidfile "$n")"
  chown "$RUN_USER" "$dir"
  # setsid + closed streams: the server outlives this script, never holds $(…) open, nor the lock (fd 9).
  setsid nohup mariadbd --defaults-file="$dir/my.cnf" "$@" </dev/null >/dev/null 2>&1 9>&- &
  pid=$!
  # A joiner that needs a full state transfer (SST) copies the whole datadir first.
  deadline=$((SECONDS + 180))
  until node_synced "$n"; do
    kill -0 "$pid" 2>/dev/null || problem="mariadbd of node $n exited"
    [ "$SECONDS" -ge "$deadline" ] && problem="node $n was not Synced within 180 s"
    if [ -n "$problem" ]; then
      log "$problem; last lines of $dir/error.log:"
      tail -n 30 "$dir/error.log" >&2 2>/dev/null || true
      exit 1
    fi
    sleep 0.3
  done
  log "node $n synced"
}

mkdir -p "$GALERA_HOME"
# Two concurrent starts must not both bootstrap.
exec 9>"$GALERA_HOME/start.lock"
flock 9

galera_choose_base
running=0
for n in $(seq 1 "$GALERA_NODES"); do
  mkdir -p "$(node_dir "$n")"
  write_config "$n"
  node_pid_alive "$n" && running=$((running + 1))
done

if [ "$running" -eq 0 ]; then
  # A new cluster from node 1's data (galera-stop.sh stops it last, so it holds the latest state).
  init_datadir 1
  grastate="$(node_dir 1)/data/grastate.dat"
  [ -f "$grastate" ] && sed -i 's/^safe_to_bootstrap: 0/safe_to_bootstrap: 1/' "$grastate"
  start_node 1 --wsrep-new-cluster
  node_sql 1 <<'SQL'
CREATE DATABASE IF NOT EXISTS topicdesk CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE USER IF NOT EXISTS 'topicdesk'@'127.0.0.1' IDENTIFIED BY 'topicdesk';
CREATE USER IF NOT EXISTS 'topicdesk'@'localhost' IDENTIFIED BY 'topicdesk';
GRANT ALL PRIVILEGES ON *.* TO 'topicdesk'@'127.0.0.1' WITH GRANT OPTION;
GRANT ALL PRIVILEGES ON *.* TO 'topicdesk'@'localhost' WITH GRANT OPTION;
SQL
fi

# After a kill -9 a node's grastate.dat has no position (seqno -1): recover it from InnoDB, as
# Debian's systemd unit does, so the node asks for the missed write sets only (IST), not a full copy (SST).
recovered_position() {
  local n="$1" dir grastate
  dir="$(node_dir "$n")"
  grastate="$dir/data/grastate.dat"
  [ -f "$grastate" ] && grep -q '^seqno: *-1' "$grastate" || return 0
  mariadbd --defaults-file="$dir/my.cnf" --wsrep-recover --log-error="$dir/recover.log" </dev/null >/dev/null 2>&1 9>&- || true
  sed -n 's/.*WSREP: Recovered position: *\([^ ]*\).*/\1/p' "$dir/recover.log" | tail -n 1
}

for n in $(seq 1 "$GALERA_NODES"); do
  if node_pid_alive "$n"; then continue; fi
  init_datadir "$n"
  position="$(recovered_position "$n")"
  start_node "$n" ${position:+--wsrep-start-position="$position"}
done

urls=""
for n in $(seq 1 "$GALERA_NODES"); do urls="$urls${urls:+,}$(node_url "$n")"; done
echo "$urls"
