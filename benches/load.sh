#!/usr/bin/env bash
# Load run of `desk serve` on loopback (BENCHMARKS.md, "desk serve"). Needs wrk, python3
# and a release build:  CARGO_TARGET_DIR=... cargo build --release
#   DESK=path/to/desk  TICKETS=1000000  DURATION=30s  CREATE_DURATION=60s  DIR=/tmp/store \
#     benches/load.sh
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

# Load tickets in the store: all of them, and how many distinct numbers they have.
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

# Every number wrk was answered with is in the store, once.
check_answers() {
  python3 - "$DIR/desk.sqlite3" "$1" <<'PY'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
answered = open(sys.argv[2]).read().split()
stored = {n for (n,) in c.execute("SELECT number FROM tickets WHERE side = 0")}
missing = [n for n in answered if n not in stored]
twice = len(answered) - len(set(answered))
print(f"{len(answered)} created tickets answered; {len(missing)} of them missing in the store; {twice} numbers answered twice")
sys.exit(1 if missing or twice or not answered else 0)
PY
}

echo "== warm-up (page cache)"
wrk -t2 -c8 -d5s -H "Authorization: Bearer $TOKEN" "$URL/api/v1/tickets?queue=Level%201&open=true&limit=50" >/dev/null

echo "== queue list: GET /api/v1/tickets?queue=Level 1&open=true&limit=50, 64 connections"
wrk -t2 -c64 -d"$DURATION" --latency -H "Authorization: Bearer $TOKEN" \
  "$URL/api/v1/tickets?queue=Level%201&open=true&limit=50" | tee "$DIR/list.out"
# wrk prints these lines only when there were errors.
if grep -E "Non-2xx|Socket errors" "$DIR/list.out"; then
  echo "FAIL: the list run had errors" >&2
  exit 1
fi

echo "== 16 clients creating tickets at once: POST /api/v1/tickets"
read -r BEFORE _ < <(count)
NUMBERS_FILE="$DIR/answered.txt" wrk -t2 -c16 -d"${CREATE_DURATION:-60s}" --latency \
  -s "$HERE/create.lua" "$URL/api/v1/tickets" | tee "$DIR/create.out"
read -r TOTAL DISTINCT < <(count)
echo "created $((TOTAL - BEFORE)) tickets; $TOTAL load tickets in the store, $DISTINCT distinct numbers"
if [ "$TOTAL" != "$DISTINCT" ]; then
  echo "FAIL: duplicate ticket numbers" >&2
  exit 1
fi
if ! grep -q "answers other than 201 Created: 0$" "$DIR/create.out"; then
  echo "FAIL: some creates were not answered 201 Created" >&2
  exit 1
fi
check_answers "$DIR/answered.txt" || { echo "FAIL: an answered ticket is not in the store" >&2; exit 1; }
echo "all numbers unique, every answered ticket stored"
