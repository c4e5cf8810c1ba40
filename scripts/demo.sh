#!/usr/bin/env bash
# `npm run demo`: installs deps, starts the throwaway MariaDB unless DATABASE_URL is set, runs the demo.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/ensure-deps.sh
source scripts/lib/ensure-db.sh demo

exec npx tsx src/demo/index.ts "$@"
