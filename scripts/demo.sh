#!/usr/bin/env bash
# `npm run demo`: installs deps, starts the throwaway MariaDB unless DATABASE_URL is set, runs the demo.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/ensure-deps.sh
if [ -z "${DATABASE_URL:-}" ]; then
  if ! DATABASE_URL="$(bash scripts/db-start.sh)"; then
    echo "demo: could not start MariaDB (see above); set DATABASE_URL to use another server" >&2
    exit 1
  fi
  export DATABASE_URL
fi

exec npx tsx src/demo/index.ts "$@"
