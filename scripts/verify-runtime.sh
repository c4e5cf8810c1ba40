#!/usr/bin/env bash
# `npm run verify:runtime`: builds dist/, installs production dependencies only in a temporary
# directory (the image's runtime stage, without Docker) and checks that `node dist/main.js`
# relays a message through the simulator.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/ensure-deps.sh
source scripts/lib/ensure-db.sh verify-runtime

exec npx vitest run --config vitest.runtime.config.ts "$@"
