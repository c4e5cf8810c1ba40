#!/usr/bin/env bash
# `npm run bench`: installs deps, starts a throwaway MariaDB of the benchmark's own (its own free port and
# data dir, so the dev/test server is never touched), runs bench/run.ts, then stops that server.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/ensure-deps.sh
# The service runs as it ships (node dist/main.js), so its memory and CPU are the image's.
npm run --silent build
# The service under test reads DATABASE_URL from its environment: never let it reach another server.
unset DATABASE_URL DATABASE_URLS TELEGRAM_API_ROOT
# A free port is chosen (and recorded) unless TOPICDESK_BENCH_DB_PORT names one.
if [ -n "${TOPICDESK_BENCH_DB_PORT:-}" ]; then export TOPICDESK_DB_PORT="$TOPICDESK_BENCH_DB_PORT"; else unset TOPICDESK_DB_PORT; fi
export TOPICDESK_DB_HOME="$(pwd)/.data/bench-mariadb"
if ! BENCH_DATABASE_URL="$(bash scripts/db-start.sh)"; then
  echo "bench: could not start the benchmark's MariaDB (see above)" >&2
  exit 1
fi
export BENCH_DATABASE_URL
trap 'bash scripts/db-stop.sh >/dev/null 2>&1 || true' EXIT

npx tsx bench/run.ts "$@"
