#!/usr/bin/env bash
# A bulk change of 100 tickets through `desk serve`, as the TUI makes one (issue 8): each
# ticket its own PATCH with the version it was seen at, one after the other on one
# keep-alive connection; then the same 100 through the remote backend of the CLI (a
# process each: an upper bound). Target: 100 in at most 2 s. Needs python3 and a release
# build:   DESK=path/to/desk  DIR=/tmp/store  TICKETS=1000000  benches/bulk.sh
# A store in DIR is reused (the demo generation happens once); the run works on a copy.
set -euo pipefail

DESK=${DESK:-target/release/desk}
TICKETS=${TICKETS:-1000000}
DIR=${DIR:-$(mktemp -d)}
export DESK_NOW=${DESK_NOW:-2026-11-29T10:00:00Z}

if [ ! -f "$DIR/desk.sqlite3" ]; then
  echo "== desk init --demo --tickets $TICKETS"
  "$DESK" --data "$DIR" init --demo --tickets "$TICKETS"
fi
WORK=$(mktemp -d)
cp "$DIR/desk.sqlite3" "$WORK/"
TOKEN=$("$DESK" --data "$WORK" token create anna)
export TOKEN

"$DESK" --data "$WORK" serve --listen 127.0.0.1:0 >"$WORK/serve.out" 2>"$WORK/serve.err" &
PID=$!
trap 'kill -TERM $PID 2>/dev/null || true; wait $PID 2>/dev/null || true; rm -rf "$WORK"' EXIT
for _ in $(seq 100); do grep -q listening "$WORK/serve.out" && break; sleep 0.1; done
URL=$(sed -n 's/.*listening on //p' "$WORK/serve.out")
export URL
echo "== desk serve at $URL (pid $PID), store $(du -h "$WORK/desk.sqlite3" | cut -f1)"

echo "== 100 PATCHes, one connection, each with expected_version (the TUI's bulk)"
python3 - <<'PY'
import http.client, json, os, time, urllib.parse, statistics
url = urllib.parse.urlparse(os.environ["URL"])
c = http.client.HTTPConnection(url.hostname, url.port)
h = {"Authorization": "Bearer " + os.environ["TOKEN"], "Content-Type": "application/json"}
def call(method, path, body=None):
    c.request(method, path, body=json.dumps(body) if body is not None else None, headers=h)
    r = c.getresponse()
    return r.status, json.loads(r.read() or b"null")
# The rows a technician marked: 100 open tickets of a queue, sorted by due.
status, page = call("GET", "/api/v1/tickets?queue=Level%201&open=true&sort=due&limit=100")
assert status == 200, page
rows = page["items"]
assert len(rows) == 100, len(rows)
times = []
start = time.perf_counter()
for t in rows:
    t0 = time.perf_counter()
    status, body = call("PATCH", "/api/v1/tickets/" + t["number"],
                        {"priority": "High", "queue": "Level 2", "expected_version": t["version"]})
    times.append(time.perf_counter() - t0)
    assert status == 200, (status, body)
total = time.perf_counter() - start
print(f"100 conditional updates: {total:.3f} s in all; per update median {statistics.median(times)*1000:.1f} ms, max {max(times)*1000:.1f} ms")
# The same versions again: every one is a conflict carrying the current ticket.
conflicts = 0
for t in rows:
    status, body = call("PATCH", "/api/v1/tickets/" + t["number"], {"priority": "Low", "expected_version": t["version"]})
    conflicts += status == 409 and body["error"]["current"]["priority"] == "High"
print(f"stale versions refused with the current ticket: {conflicts} of 100")
assert conflicts == 100
PY

echo "== the same through the CLI's remote backend: 100 processes"
NUMBERS=$("$DESK" --remote "$URL" --token "$TOKEN" --json ticket list --queue "Level 2" --open --sort due --limit 100 \
  | python3 -c 'import json,sys; print(" ".join(t["number"] for t in json.load(sys.stdin)))')
start=$(date +%s.%N)
for n in $NUMBERS; do
  "$DESK" --remote "$URL" --token "$TOKEN" ticket update "$n" --priority Critical >/dev/null
done
end=$(date +%s.%N)
python3 -c "print(f'100 updates, one desk process each: {$end - $start:.3f} s')"
