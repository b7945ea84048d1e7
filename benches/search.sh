#!/usr/bin/env bash
# Search pages on a small and a big desk (BENCHMARKS.md, issue 11, "Search that stays
# flat"): whole `desk ticket list --search ... --limit 100` commands timed by hyperfine
# (median wall and CPU), on each store given, for several words and sorts; on a SQLite
# desk also `GET /api/v1/tickets?search=printer&limit=100` over `desk serve` with wrk on
# one connection (p50). Lists only read, so a PostgreSQL desk is not written to.
# Needs hyperfine, wrk, python3 and a release build:
#   DESK=path/to/desk benches/search.sh --data DIR    (or --database-url URL)
# BEFORE=path/to/older/desk runs the same commands with that binary too, side by side.
set -euo pipefail

DESK=${DESK:-target/release/desk}
RUNS=${RUNS:-15}
STORE=("$@")
[ ${#STORE[@]} -eq 2 ] || { echo "usage: $0 --data DIR | --database-url URL" >&2; exit 2; }
export DESK_NOW=${DESK_NOW:-2026-11-29T10:00:00Z}
WORK=$(mktemp -d /tmp/desk-search.XXXXXX)
PID=
cleanup() {
  [ -n "$PID" ] && { kill -TERM "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; }
  rm -rf "$WORK"
}
trap cleanup EXIT

BINS=("${LABEL:-after}=$DESK")
[ -n "${BEFORE:-}" ] && BINS=("before=$BEFORE" "${BINS[@]}")
echo "== $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
for bin in "${BINS[@]}"; do
  name=${bin%%=*} desk=${bin#*=}
  args=()
  for cmd in "--search printer" "--search printer --sort title" "--search printer --sort -priority" \
             "--search printer --sort due --open" "--search print" "--search vpn\\ slow" "--search quokka" \
             "--search warehouse --sort title" "--search replacement --sort title"; do
    args+=(-n "$name: ticket list $cmd --limit 100" "$desk ${STORE[*]} ticket list $cmd --limit 100 --json")
  done
  hyperfine --style basic --warmup 2 --runs "$RUNS" --export-json "$WORK/$name.json" "${args[@]}" >/dev/null
  python3 - "$WORK/$name.json" <<'PY'
import json, statistics, sys
for r in json.load(open(sys.argv[1]))["results"]:
    print(f"| `{r['command']}` | {r['median']*1000:.1f} ms | {r['user']*1000:.1f} + {r['system']*1000:.1f} ms |")
PY
done

if [ "${STORE[0]}" = --data ] && [ -z "${NO_HTTP:-}" ]; then
  for bin in "${BINS[@]}"; do
    name=${bin%%=*} desk=${bin#*=}
    TOKEN=$("$desk" "${STORE[@]}" token create anna)
    "$desk" "${STORE[@]}" serve --listen 127.0.0.1:0 >"$WORK/serve.out" 2>"$WORK/serve.err" &
    PID=$!
    for _ in $(seq 200); do grep -q listening "$WORK/serve.out" && break; sleep 0.1; done
    URL=$(sed -n 's/.*listening on //p' "$WORK/serve.out")
    for path in "/api/v1/tickets?search=printer&limit=100" "/api/v1/tickets?search=quokka&limit=100" \
                "/api/v1/tickets?search=printer&limit=100&sort=-priority" \
                "/api/v1/tickets?search=warehouse&limit=100&sort=title" \
                "/api/v1/tickets?search=replacement&limit=100&sort=title" \
                "/api/v1/tickets?search=printer&limit=100&sort=title" \
                "/api/v1/tickets?search=printer&limit=100&sort=-title" \
                "/api/v1/tickets?search=print&limit=100&sort=title"; do
      wrk -t1 -c1 -d3s -H "Authorization: Bearer $TOKEN" "$URL$path" >/dev/null
      printf "%-8s GET %-56s" "$name" "$path"
      # The server's own CPU time per request too: on a busy machine, wall time is
      # mostly waiting for a core.
      cpu0=$(awk '{print $14 + $15}' "/proc/$PID/stat")
      wrk -t1 -c1 -d10s --latency -H "Authorization: Bearer $TOKEN" "$URL$path" >"$WORK/wrk.txt"
      cpu1=$(awk '{print $14 + $15}' "/proc/$PID/stat")
      awk -v cpu=$((cpu1 - cpu0)) -v hz="$(getconf CLK_TCK)" '
        /requests in/ {n=$1} /Requests\/sec/ {rps=$2} / 50%/ {p50=$2} / 99%/ {p99=$2} /Non-2xx/ {err=$0}
        END {printf "p50 %8s  p99 %8s  %8s req/s  %6.2f ms CPU a request  %s\n", p50, p99, rps, cpu * 1000 / hz / n, err}' "$WORK/wrk.txt"
    done
    kill -TERM "$PID"; wait "$PID" 2>/dev/null || true; PID=
  done
fi
