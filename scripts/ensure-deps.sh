#!/usr/bin/env bash
# Runs `npm ci` when node_modules is missing or package-lock.json changed since the last run.
# Quiet on success; on failure prints npm's output.
set -euo pipefail
cd "$(dirname "$0")/.."

stamp=node_modules/.topicdesk-lock-hash
want="$(sha256sum package-lock.json | cut -d' ' -f1)"
[ -d node_modules ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ] && exit 0

mkdir -p .data
exec 9>.data/ensure-deps.lock
flock 9
# Another run may have installed while we waited for the lock.
[ -d node_modules ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ] && exit 0

log="$(mktemp)"
trap 'rm -f "$log"' EXIT
if ! npm ci --no-audit --no-fund >"$log" 2>&1; then
  echo "ensure-deps: npm ci failed:" >&2
  cat "$log" >&2
  exit 1
fi
echo "$want" >"$stamp"
