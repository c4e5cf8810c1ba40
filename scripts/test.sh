#!/usr/bin/env bash
# `npm test`: installs deps, starts the throwaway MariaDB unless DATABASE_URL is set, then
# type-checks, lints and runs vitest. Database tests never skip: no database is a failure.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/ensure-deps.sh
source scripts/lib/ensure-db.sh test

npx tsc --noEmit
# Type-check and lint everything CI runs (LINT_PATHS narrows it while working on one part).
LINT_PATHS="${LINT_PATHS:-src test bench scripts}"
# shellcheck disable=SC2086 # the paths are meant to split
npx eslint --no-error-on-unmatched-pattern $LINT_PATHS
mkdir -p .data
report=.data/vitest-report.json
status=0
npx vitest run --reporter=default --reporter=json --outputFile.json="$report" "$@" || status=$?
# One plain closing line that any CI reads: "N passed, N failed".
if [ -f "$report" ]; then
  node -e 'const r = require(process.argv[1]); console.log(`tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed` + (r.numPendingTests ? `, ${r.numPendingTests} skipped` : ""))' "$(pwd)/$report"
fi
exit $status
