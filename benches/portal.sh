#!/usr/bin/env bash
# Load run of the web portal (BENCHMARKS.md, "The web portal"). Needs wrk, python3, curl
# and a release build:  CARGO_TARGET_DIR=... cargo build --release
#   DESK=path/to/desk  TICKETS=1000000  DURATION=30s  DIR=/tmp/store  benches/portal.sh
# A store in DIR is reused, so the slow demo generation happens once. Loopback only.
set -euo pipefail

DESK=${DESK:-target/release/desk}
TICKETS=${TICKETS:-1000000}
DURATION=${DURATION:-30s}
DIR=${DIR:-$(mktemp -d)}
PW="a long enough password"

if [ ! -f "$DIR/desk.sqlite3" ]; then
  echo "== desk init --demo --tickets $TICKETS"
  /usr/bin/time -f "%e s, %M KiB max RSS" "$DESK" --data "$DIR" init --demo --tickets "$TICKETS"
fi
ls -l "$DIR/desk.sqlite3"
for login in lisa@contoso.example kim@contoso.example; do
  echo "$PW" | "$DESK" --data "$DIR" contact set-password "$login" >/dev/null
done

"$DESK" --data "$DIR" serve --listen 127.0.0.1:0 >"$DIR/serve.out" 2>"$DIR/serve.err" &
PID=$!
trap 'kill -TERM $PID 2>/dev/null || true; wait $PID 2>/dev/null || true' EXIT
for _ in $(seq 100); do grep -q listening "$DIR/serve.out" && break; sleep 0.1; done
URL=$(sed -n 's/.*listening on //p' "$DIR/serve.out")
echo "== desk serve at $URL (pid $PID), $(nproc) cores"

# A session cookie for a contact, from the sign-in form.
cookie() {
  curl -s -o /dev/null -D - -H "Origin: $URL" --data-urlencode "login=$1" \
    --data-urlencode "password=$PW" "$URL/portal/sign-in" |
    sed -n 's/^set-cookie: \([^;]*\);.*/\1/ip'
}
LISA=$(cookie lisa@contoso.example)
KIM=$(cookie kim@contoso.example)
# A ticket of Lisa's company with a history the portal shows (the newest with 3 notes).
NUMBER=$(python3 - "$DIR/desk.sqlite3" <<'PY'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
print(c.execute("""
  SELECT t.number FROM tickets t JOIN companies c ON c.id = t.company_id
  WHERE c.name = 'Contoso' AND t.side = 0 AND t.series_id IS NULL
    AND (SELECT COUNT(*) FROM activity a WHERE a.ticket_id = t.id
         AND a.kind IN ('published', 'portal', 'taskfire')) >= 3
  ORDER BY t.id DESC LIMIT 1""").fetchone()[0])
PY
)
echo "ticket page: $NUMBER"
# Each page answers 200 with the page itself (wrk counts a redirect to the sign-in as a
# success, so a dead cookie must be caught here).
for check in "$LISA /portal/tickets Tickets of Contoso" "$KIM /portal/tickets My tickets" \
  "$LISA /portal/tickets/$NUMBER $NUMBER"; do
  read -r c path want <<<"$check"
  got=$(curl -s -w '\n%{http_code} %{size_download}' -H "Cookie: $c" "$URL$path")
  echo "GET $path: $(tail -1 <<<"$got") bytes"
  if [ "$(tail -1 <<<"$got" | cut -d' ' -f1)" != 200 ] || ! grep -q "$want" <<<"$got"; then
    echo "FAIL: $path did not answer the page" >&2
    exit 1
  fi
done

fail_on_errors() {
  if grep -E "Non-2xx|Socket errors" "$1"; then
    echo "FAIL: the run had errors" >&2
    exit 1
  fi
}

# CPU time the server has used so far, in clock ticks (user + system).
cpu() { awk '{ print $14 + $15 }' "/proc/$PID/stat"; }

run() { # name cookie path connections duration
  echo "== $1: GET $3, $4 connections"
  local threads=$(( $4 < 2 ? $4 : 2 )) before after
  before=$(cpu)
  wrk -t"$threads" -c"$4" -d"$5" --latency -H "Cookie: $2" "$URL$3" | tee "$DIR/$1.out"
  after=$(cpu)
  fail_on_errors "$DIR/$1.out"
  # The server's own CPU per page, which other jobs on the machine do not inflate much.
  awk -v t="$((after - before))" -v hz="$(getconf CLK_TCK)" \
    '/^Requests\/sec/ { next } /requests in/ { printf "server CPU per page: %.3f ms\n", t / hz * 1000 / $1 }' "$DIR/$1.out"
}

# FLOOD_ONLY=1 skips the page runs (the flood alone, e.g. to repeat it).
if [ -z "${FLOOD_ONLY:-}" ]; then
echo "== warm-up (page cache)"
wrk -t2 -c8 -d5s -H "Cookie: $LISA" "$URL/portal/tickets?state=all" >/dev/null
wrk -t2 -c8 -d5s -H "Cookie: $KIM" "$URL/portal/tickets?state=all" >/dev/null

run list-manager-1 "$LISA" "/portal/tickets" 1 10s
run list-manager "$LISA" "/portal/tickets" 16 "$DURATION"
run list-manager-all "$LISA" "/portal/tickets?state=all" 16 "$DURATION"
run list-basic "$KIM" "/portal/tickets" 16 "$DURATION"
run ticket-1 "$LISA" "/portal/tickets/$NUMBER" 1 10s
run ticket "$LISA" "/portal/tickets/$NUMBER" 16 "$DURATION"

fi

echo "== baseline: 8 connections read the ticket page, no flood"
wrk -t1 -c8 -d10s --latency -H "Cookie: $LISA" "$URL/portal/tickets/$NUMBER" | tee "$DIR/before-flood.out" |
  grep -E "Requests/sec|  50%|  99%"

echo "== sign-in flood: 200 sign-ins at once (200 unknown logins from 200 loopback addresses,"
echo "   so that every one is hashed) while 8 connections read the ticket page"
wrk -t1 -c8 -d20s --latency -H "Cookie: $LISA" "$URL/portal/tickets/$NUMBER" >"$DIR/during-flood.out" &
WRK=$!
sleep 2
python3 - "$URL" <<'PY'
import concurrent.futures, http.client, sys, time, urllib.parse
url = urllib.parse.urlparse(sys.argv[1])

def sign_in(i):
    # 127.0.0.2 ... 127.0.0.201: each its own address, so no per-address limit applies.
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=60,
                                      source_address=(f"127.0.0.{2 + i}", 0))
    body = urllib.parse.urlencode({"login": f"flood{i}@nowhere.example",
                                   "password": "not the password"})
    t = time.monotonic()
    conn.request("POST", "/portal/sign-in", body=body, headers={
        "Origin": sys.argv[1], "Content-Type": "application/x-www-form-urlencoded"})
    status = conn.getresponse().status
    conn.close()
    return status, time.monotonic() - t

start = time.monotonic()
with concurrent.futures.ThreadPoolExecutor(max_workers=200) as pool:
    results = list(pool.map(sign_in, range(200)))
took = time.monotonic() - start
codes = {}
for s, _ in results:
    codes[s] = codes.get(s, 0) + 1
waits = sorted(t for _, t in results)
print(f"200 sign-ins in {took:.1f} s; answers {codes}; "
      f"each took p50 {waits[100]*1000:.0f} ms, max {waits[-1]*1000:.0f} ms")
PY
wait $WRK
cat "$DIR/during-flood.out"
fail_on_errors "$DIR/during-flood.out"
