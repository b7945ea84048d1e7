#!/usr/bin/env bash
# Load run of `desk serve` on loopback (BENCHMARKS.md, "desk serve"). Needs wrk, python3
# and a release build:  CARGO_TARGET_DIR=... cargo build --release
#   DESK=path/to/desk  TICKETS=1000000  DURATION=30s  DIR=/tmp/store  benches/load.sh
# A store in DIR is reused, so the slow demo generation happens once.
set -euo pipefail

DESK=${DESK:-target/release/desk}
TICKETS=${TICKETS:-1000000}
DURATION=${DURATION:-30s}
DIR=${DIR:-$(mktemp -d)}
HERE=$(cd "$(dirname "$0")" && pwd)

if [ ! -f "$DIR/desk.sqlite3" ]; then
  echo "== desk init --demo --tickets $TICKETS"
  /usr/bin/time -f "%e s, %M KiB max RSS" "$DESK" --data "$DIR" init --demo --tickets "$TICKETS"
fi
ls -l "$DIR/desk.sqlite3"
TOKEN=$("$DESK" --data "$DIR" token create anna)
export TOKEN

"$DESK" --data "$DIR" serve --listen 127.0.0.1:0 >"$DIR/serve.out" 2>"$DIR/serve.err" &
PID=$!
trap 'kill -TERM $PID 2>/dev/null || true; wait $PID 2>/dev/null || true' EXIT
# Wait (bounded) for the line that names the port.
for _ in $(seq 100); do grep -q listening "$DIR/serve.out" && break; sleep 0.1; done
URL=$(sed -n 's/.*listening on //p' "$DIR/serve.out")
echo "== desk serve at $URL (pid $PID)"

count() {
  python3 - "$DIR/desk.sqlite3" <<'PY'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
total, distinct = c.execute(
    "SELECT COUNT(*), COUNT(DISTINCT number) FROM tickets WHERE side = 0 AND title LIKE 'load %'"
).fetchone()
print(total, distinct)
PY
}

echo "== warm-up (page cache)"
wrk -t2 -c8 -d5s -H "Authorization: Bearer $TOKEN" "$URL/api/v1/tickets?queue=Level%201&open=true&limit=50" >/dev/null

echo "== queue list: GET /api/v1/tickets?queue=Level 1&open=true&limit=50, 64 connections"
wrk -t2 -c64 -d"$DURATION" --latency -H "Authorization: Bearer $TOKEN" \
  "$URL/api/v1/tickets?queue=Level%201&open=true&limit=50"

echo "== 16 clients creating tickets at once: POST /api/v1/tickets"
read -r BEFORE _ < <(count)
wrk -t2 -c16 -d"$DURATION" --latency -s "$HERE/create.lua" "$URL/api/v1/tickets"
read -r TOTAL DISTINCT < <(count)
echo "created $((TOTAL - BEFORE)) tickets; $TOTAL load tickets in the store, $DISTINCT distinct numbers"
if [ "$TOTAL" != "$DISTINCT" ]; then
  echo "FAIL: duplicate ticket numbers" >&2
  exit 1
fi
echo "all numbers unique"
