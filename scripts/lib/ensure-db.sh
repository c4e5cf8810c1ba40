# Sourced by test.sh, demo.sh and bench.sh: exports DATABASE_URL, starting the throwaway
# MariaDB when none is configured. $1 names the caller in the error message.
if [ -z "${DATABASE_URL:-}" ]; then
  if ! DATABASE_URL="$(bash "$(dirname "${BASH_SOURCE[0]}")/../db-start.sh")"; then
    echo "${1:-topicdesk}: could not start MariaDB (see above); set DATABASE_URL to use another server" >&2
    exit 1
  fi
  export DATABASE_URL
fi
