#!/usr/bin/env bash
# `npm run lint [paths…]`: oxlint's type-aware rules (.oxlintrc.json, on TypeScript 7), then ESLint's
# other rules and the layer table (eslint.config.js). Paths default to everything CI checks.
set -uo pipefail
cd "$(dirname "$0")/.."
[ "$#" -gt 0 ] || set -- src test bench scripts
status=0
npx oxlint --type-aware --deny-warnings "$@" || status=1
npx eslint --no-error-on-unmatched-pattern "$@" || status=1
exit $status
