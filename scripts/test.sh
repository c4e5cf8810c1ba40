#!/usr/bin/env bash
# `npm test`: installs deps, starts the throwaway MariaDB unless DATABASE_URL is set, then
# type-checks, lints and runs vitest. Database tests never skip: no database is a failure.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/ensure-deps.sh
source scripts/lib/ensure-db.sh test

mkdir -p .data
# Type-check and lint everything CI runs (LINT_PATHS narrows it while working on one part).
LINT_PATHS="${LINT_PATHS:-src test bench scripts}"
# tsc and eslint run beside vitest, whose files mostly wait on the database and timers; their
# output is printed after it. The type check is TypeScript 7's native tsc (package typescript-7):
# a fifth of 5.9's CPU time, on one thread as the cores are vitest's. TypeScript 5.9 stays for
# typescript-eslint and the build, which use its JavaScript API. The lint (scripts/lint.sh) runs
# the type-aware rules in oxlint, also on TypeScript 7, and ESLint's others without type information.
# Both run niced: they take the cycles vitest's files leave while they wait, and the longest files
# keep the cores (2 min 3–8 s against 2 min 22–23 s un-niced, same machine, two runs each).
nice -n 10 node node_modules/typescript-7/bin/tsc --noEmit --singleThreaded >.data/tsc.log 2>&1 &
tsc_pid=$!
# shellcheck disable=SC2086 # the paths are meant to split
nice -n 10 bash scripts/lint.sh $LINT_PATHS >.data/eslint.log 2>&1 &
eslint_pid=$!
report=.data/vitest-report.json
status=0
npx vitest run --reporter=default --reporter=json --outputFile.json="$report" "$@" || status=$?
tsc_status=0
wait "$tsc_pid" || tsc_status=$?
eslint_status=0
wait "$eslint_pid" || eslint_status=$?
cat .data/tsc.log .data/eslint.log
[ "$tsc_status" = 0 ] || { echo "tsc --noEmit failed (exit $tsc_status)"; status=1; }
[ "$eslint_status" = 0 ] || { echo "lint failed (exit $eslint_status)"; status=1; }
# One plain closing line that any CI reads: "N passed, N failed".
if [ -f "$report" ]; then
  node -e 'const r = require(process.argv[1]); console.log(`tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed` + (r.numPendingTests ? `, ${r.numPendingTests} skipped` : ""))' "$(pwd)/$report"
fi
exit $status
